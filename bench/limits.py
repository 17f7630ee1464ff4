"""The largest pick each limit admits against an ordinary one: `picks check` and `mkdocs build` time and peak memory.

Usage: ``python bench/limits.py [RUNS]`` (in `make bench`, not in `make test`); writes bench/LIMITS.md. Each figure
is the median of RUNS fresh processes (default 3); ratios are against the ordinary pick measured in the same run.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from conftest import EXTENSIONS, pick_text, write_project  # noqa: E402
from generator.core import limits  # noqa: E402
from generator.core.loader import LoadSettings, load_picks  # noqa: E402

PARAGRAPH = "Induction heads form in two phases, and clamping shows which parts matter for each. " * 10 + "\n\n"


def _fill(text: str) -> str:
    """A pick padded with ordinary paragraphs up to the file-size limit."""
    room = limits.FILE_BYTES - len(text.encode()) - 200
    return text + PARAGRAPH * max(0, room // len(PARAGRAPH))


def _papers(count: int) -> str:
    """``count`` papers with as many authors each as the file-size limit leaves room for (one per line)."""
    authors = min(limits.AUTHORS, limits.FILE_BYTES // (count * 28))
    names = "".join(f"      - Given{i} Family{i}\n" for i in range(authors))
    papers = "".join(
        f'  - title: Paper {n}\n    authors:\n{names}    year: 2024\n    arxiv: "2404.{n + 1:05d}"\n'
        for n in range(count)
    )
    return f"---\ntitle: Many papers\ndate: 2024-04-11\npapers:\n{papers}---\n\nA body.\n"


def picks() -> dict[str, str]:
    code = "```python\n" + ("x = compute(1, 2, 3)  # a comment here\n" * (limits.CODE_CHARS // 41)) + "```\n\n"
    block = "\n".join(f"line_{i} = {i}" for i in range(limits.HIGHLIGHTED_LINES))
    highlighted = f'```python hl_lines="1-{limits.HIGHLIGHTED_LINES}"\n{block}\n```\n\n'
    nested = "".join("- " * limits.NESTING + f"item {i}\n" for i in range(300))
    tag_like = ("a <b>bold</b> and a<sup>2</sup> " * (limits.TAG_LIKE // 4) + "\n\n") * 10
    return {
        "ordinary": pick_text(body=PARAGRAPH * 3),
        "file size": pick_text(body=_fill(PARAGRAPH)),
        "line length": pick_text(body=_fill(("w" * 9 + " ") * (limits.LINE_CHARS // 10 - 1) + "\n\n")),
        "tags": pick_text(tags=[f"topic {i}" for i in range(limits.TAGS)], body=_fill(PARAGRAPH)),
        "papers and authors": _papers(limits.PAPERS),
        "nesting": pick_text(body=nested),
        "code blocks": pick_text(body=code * 4),
        "hl_lines": pick_text(body=highlighted * 10),
        "tag-like text": pick_text(body=tag_like),
    }


def measure(kind: str, folder: Path) -> dict[str, float]:
    """In a fresh process: one check or one build of ``folder``, its seconds and peak memory (MB); cold, without
    the body cache a previous run left."""
    shutil.rmtree(folder / ".cache", ignore_errors=True)
    script = (
        "import json, resource, sys, time\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "start = time.perf_counter()\n"
        + (
            "from generator.cli import main\n"
            f"try:\n    main(['check', '-f', {str(folder / 'mkdocs.yml')!r}], standalone_mode=False)\n"
            "except SystemExit:\n    pass\n"
            if kind == "check"
            else "from mkdocs.__main__ import cli\n"
            f"try:\n    cli(['build', '-q', '-f', {str(folder / 'mkdocs.yml')!r}], standalone_mode=False)\n"
            "except SystemExit:\n    pass\n"
        )
        + "print(json.dumps({'seconds': time.perf_counter() - start, "
        "'mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=folder, capture_output=True, text=True, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def main(runs: int) -> None:
    rows, baseline = [], None
    with tempfile.TemporaryDirectory() as work:
        for name, text in picks().items():
            folder = Path(work) / name.replace(" ", "-")
            write_project(folder, {"2024-04-11-pick.md": text}, markdown_extensions=EXTENSIONS)
            loaded = load_picks(folder / "picks", LoadSettings("UTC", "interpretability"))
            assert loaded.picks and not loaded.errors, (name, [str(e) for e in loaded.errors[:3]])
            size = len(text.encode())
            figures = {}
            for kind in ("check", "build"):
                samples = [measure(kind, folder) for _ in range(runs)]
                figures[kind] = {k: statistics.median(s[k] for s in samples) for k in ("seconds", "mb")}
            baseline = baseline or figures
            ratios = {k: figures[k]["seconds"] / baseline[k]["seconds"] for k in figures}
            rows.append(
                f"| {name} | {size:,} | {figures['check']['seconds']:.2f} s ({ratios['check']:.1f}x) | "
                f"{figures['check']['mb']:.0f} MB | {figures['build']['seconds']:.2f} s ({ratios['build']:.1f}x) | "
                f"{figures['build']['mb']:.0f} MB |"
            )
            print(rows[-1], flush=True)
    report = [
        "# The largest pick each limit admits (bench/limits.py)",
        "",
        f"Median of {runs} fresh processes each; the ratio is against the ordinary pick of the same run. Measured "
        f"{time.strftime('%Y-%m-%d')} on this repository's machine.",
        "",
        "| pick | bytes | picks check | check peak | mkdocs build | build peak |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
    ]
    (ROOT / "bench" / "LIMITS.md").write_text("\n".join(report), "utf-8")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
