"""What sanitizing costs: load N generated picks with the repository's Markdown extensions, with and without
the allowlist pass (median of R runs): ``python bench/sanitize.py 1000``."""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).parent))

from generate import generate  # noqa: E402

from generator.core import body  # noqa: E402
from generator.core.loader import load_picks  # noqa: E402
from generator.mkdocs.config import load_settings, read_project_config  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def median_load(folder: Path, repeat: int, *, sanitize: bool) -> float:
    project = read_project_config(ROOT / "mkdocs.yml")
    times = []
    for _ in range(repeat):
        settings = load_settings(project.picks, project.markdown_extensions, project.mdx_configs)
        # Without the body cache: every run renders and sanitizes every body.
        settings = dataclasses.replace(
            settings, renderer=body.BodyRenderer(project.markdown_extensions, project.mdx_configs)
        )
        started = time.perf_counter()
        if sanitize:
            load_picks(folder, settings)
        else:  # the same renderer with the allowlist pass taken out
            no_removals = mock.patch.object(body, "removals", lambda html, cleaned=None: [])
            with mock.patch.object(body, "clean", lambda html: html), no_removals:
                load_picks(folder, settings)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int, nargs="?", default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        generate(args.count, Path(folder))
        plain = median_load(Path(folder), args.repeat, sanitize=False)
        clean = median_load(Path(folder), args.repeat, sanitize=True)
    print(f"{args.count} picks: load+render {plain:.3f} s without the sanitizer, {clean:.3f} s with it")
    print(f"sanitizing costs {clean - plain:.3f} s ({(clean - plain) / args.count * 1000:.3f} ms a pick)")


if __name__ == "__main__":
    main()
