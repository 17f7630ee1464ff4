"""Benchmark Daily Picks against Material's blog plugin and the plain-pages floor: ``make bench``."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PEER_VENV = ROOT / "bench" / ".venv-peer"
SITE_URL = "https://bench.example.org/"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _split(text: str) -> tuple[dict, str]:
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def _papers_markdown(meta: dict) -> str:
    lines = []
    for paper in meta["papers"]:
        lines.append(
            f"- *{paper['title']}*: {', '.join(paper['authors'])} ([arXiv {paper['arxiv']}]"
            f"(https://arxiv.org/abs/{paper['arxiv']}))"
        )
    return "\n".join(lines) + "\n\n"


# What users deploy: the repository's own mkdocs.yml (theme features, palettes, Markdown extensions,
# per_page, digest, feeds), with only the theme folder made absolute. Peer and floor get the same extensions.
SHIPPED = (ROOT / "mkdocs.yml").read_text("utf-8")
EXTENSIONS = ["admonition", "attr_list", "md_in_html", "pymdownx.highlight", "pymdownx.superfences"]
assert all(f"  - {name}\n" in SHIPPED for name in EXTENSIONS), "bench/run.py: update EXTENSIONS from mkdocs.yml"


def make_ours(picks: list[Path], root: Path) -> Path:
    source = picks[0].parents[1]
    if source.resolve() != (root / "picks").resolve():
        shutil.copytree(source, root / "picks", dirs_exist_ok=True)
    shutil.copytree(ROOT / "docs", root / "docs", dirs_exist_ok=True)
    shutil.copyfile(ROOT / "people.yml", root / "people.yml")
    _write(root / "mkdocs.yml", SHIPPED.replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}"))
    return root / "mkdocs.yml"


def make_peer(picks: list[Path], root: Path) -> Path:
    """The same picks as a Material blog with the tags and RSS plugins."""
    _write(root / "docs" / "index.md", "# Bench\n")
    _write(root / "docs" / "blog" / "index.md", "# Blog\n")
    for path in picks:
        meta, body = _split(path.read_text("utf-8"))
        front = {"date": meta["date"], "categories": ["Interpretability"], "tags": meta["tags"]}
        text = f"---\n{yaml.safe_dump(front, sort_keys=False)}---\n\n# {meta['title']}\n\n"
        _write(root / "docs" / "blog" / "posts" / path.name, text + _papers_markdown(meta) + body)
    config = {
        "site_name": "Bench",
        "site_url": SITE_URL,
        "docs_dir": "docs",
        "theme": {"name": "material", "font": False},
        "markdown_extensions": EXTENSIONS,
        "plugins": [
            "search",
            "blog",
            "tags",
            {"rss": {"match_path": "blog/posts/.*", "date_from_meta": {"as_creation": "date"}}},
        ],
    }
    _write(root / "mkdocs.yml", yaml.safe_dump(config, sort_keys=False))
    return root / "mkdocs.yml"


def make_floor(picks: list[Path], root: Path) -> Path:
    """The same pages with MkDocs and Material only: the cost any MkDocs-based generator starts from."""
    _write(root / "docs" / "index.md", "# Bench\n")
    for path in picks:
        meta, body = _split(path.read_text("utf-8"))
        _write(root / "docs" / "p" / path.name, f"# {meta['title']}\n\n" + _papers_markdown(meta) + body)
    config = {
        "site_name": "Bench",
        "site_url": SITE_URL,
        "docs_dir": "docs",
        "theme": {"name": "material", "font": False},
        "markdown_extensions": EXTENSIONS,
        "nav": [{"Home": "index.md"}],
        "plugins": ["search"],
    }
    _write(root / "mkdocs.yml", yaml.safe_dump(config, sort_keys=False))
    return root / "mkdocs.yml"


def timed(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak resident KB of one command, from GNU time."""
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", *command],
        cwd=cwd,
        capture_output=True,
        encoding="utf-8",
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{command} failed:\n{result.stderr[-2000:]}")
    wall, peak = result.stderr.strip().splitlines()[-1].split()
    return float(wall), int(peak)


def site_facts(site: Path, feeds: list[str]) -> dict[str, int]:
    files = [p for p in site.rglob("*") if p.is_file()]
    return {
        "site_bytes": sum(p.stat().st_size for p in files),
        "files": len(files),
        # Material's lunr index (search/) or Pagefind's (pagefind/), engine included.
        "search_bytes": sum(p.stat().st_size for p in files if p.relative_to(site).parts[0] in ("search", "pagefind")),
        "feed_bytes": sum(p.stat().st_size for name in feeds for p in site.glob(name)),
    }


SIDES: dict[str, tuple[Callable[[list[Path], Path], Path], str, list[str]]] = {
    "ours": (make_ours, sys.executable, ["feed.xml", "atom.xml", "feed.json"]),
    "peer": (make_peer, str(PEER_VENV / "bin" / "python"), ["feed_*.xml", "feed_*.json"]),
    "floor": (make_floor, sys.executable, []),
}


def bench_size(count: int, repeat: int, sides: list[str]) -> dict[str, dict]:
    work = OUT / str(count)
    shutil.rmtree(work, ignore_errors=True)
    picks = generate(count, work / "source" / "picks")
    configs = {side: SIDES[side][0](picks, work / side) for side in sides}
    runs: dict[str, list[tuple[float, int]]] = {side: [] for side in sides}
    for round_ in range(repeat):  # alternate the order so drift hits every side alike
        for side in sides[round_ % len(sides) :] + sides[: round_ % len(sides)]:
            python = SIDES[side][1]
            runs[side].append(timed([python, "-m", "mkdocs", "build", "-q", "-f", str(configs[side])], work / side))
            print(f"  N={count} {side}: {runs[side][-1][0]:.2f} s", flush=True)
    return {
        side: {
            "seconds": statistics.median(r[0] for r in runs[side]),
            "runs": [r[0] for r in runs[side]],
            "peak_mb": max(r[1] for r in runs[side]) / 1024,
            **site_facts(work / side / "site", SIDES[side][2]),
        }
        for side in sides
    }


def check_times(counts: list[int], repeat: int) -> dict[int, dict[str, float]]:
    """``picks check`` cold (no .cache/: every body rendered and sanitized) and warm (median of the next runs)."""
    picks_bin = Path(sys.executable).with_name("picks")
    found = {}
    for count in counts:
        folder = OUT / f"check-{count}" / "picks"
        shutil.rmtree(folder.parent, ignore_errors=True)
        generate(count, folder)
        make_ours(sorted(folder.rglob("*.md")), folder.parent)
        cold = timed([str(picks_bin), "check"], folder.parent)[0]
        warm = statistics.median(timed([str(picks_bin), "check"], folder.parent)[0] for _ in range(repeat))
        found[count] = {"cold": cold, "warm": warm}
        print(f"  picks check N={count}: cold {cold:.2f} s, warm {warm:.2f} s", flush=True)
    return found


def versions() -> dict[str, str]:
    def version(python: str, package: str) -> str:
        code = f"import importlib.metadata as m; print(m.version('{package}'))"
        result = subprocess.run([python, "-c", code], capture_output=True, encoding="utf-8", check=False)
        return result.stdout.strip() or "missing"

    peer = str(PEER_VENV / "bin" / "python")
    return {
        "python": platform.python_version(),
        "mkdocs": version(sys.executable, "mkdocs"),
        "mkdocs-material (ours, floor)": version(sys.executable, "mkdocs-material"),
        "mkdocs-material (peer)": version(peer, "mkdocs-material"),
        "mkdocs-rss-plugin (peer)": version(peer, "mkdocs-rss-plugin"),
    }


def ensure_peer_venv() -> None:
    """The peer's stack lives in its own environment; it is never a dependency of the project."""
    if not (PEER_VENV / "bin" / "mkdocs").exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run(
            [str(PEER_VENV / "bin" / "pip"), "install", "-q", "mkdocs-material", "mkdocs-rss-plugin"], check=True
        )


def table(results: dict) -> str:
    """The results as the Markdown that bench/README.md shows."""
    builds, rows = results["builds"], []
    base = builds.get("1000", builds.get(1000, {})).get("ours", {}).get("seconds")

    def ratio(a: float | None, b: float | None, digits: int) -> str:
        return f"{a / b:.{digits}f}" if a and b else "–"

    for count, sides in builds.items():
        ours, peer, floor, n = sides["ours"], sides.get("peer") or {}, sides["floor"], int(count)

        def pair(key: str, scale: float, digits: int, ours: dict = ours, peer: dict = peer) -> str:
            theirs = f"{peer[key] / scale:,.{digits}f}" if peer else "–"
            return f"{ours[key] / scale:,.{digits}f} / {theirs}"

        rows.append(
            " | ".join(
                [
                    f"| {n:,}",
                    f"{ours['seconds']:.2f}",
                    f"{peer['seconds']:.2f}" if peer else "–",
                    f"{floor['seconds']:.2f}",
                    ratio(ours["seconds"], peer.get("seconds"), 3),
                    ratio(ours["seconds"], floor["seconds"], 2),
                    ratio(ours["seconds"], base, 2),
                    pair("peak_mb", 1, 0),
                    pair("site_bytes", n * 1000, 1),
                    pair("files", 1, 0),
                    pair("search_bytes", 1e6, 2),
                    pair("feed_bytes", 1000, 0) + " |",
                ]
            )
        )
    header = (
        "| picks | ours s | peer s | floor s | ours/peer | ours/floor | ours/ours@1k | peak MB ours/peer "
        "| KB per pick ours/peer | files ours/peer | search index MB ours/peer | feeds KB ours/peer |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    check = ", ".join(
        f"{int(n):,} picks: {t['cold']:.2f} s cold, {t['warm']:.2f} s warm" for n, t in results["check"].items()
    )
    versions = ", ".join(f"{k} {v}" for k, v in results["versions"].items())
    return (
        f"Run on {results['date']}, {results['machine']}; {versions}. Medians of {results.get('repeat', 3)} "
        f"alternating runs; wall time of `mkdocs build` including Python start-up. Configurations: ours = the "
        "repository's mkdocs.yml as shipped (theme features, palettes, Markdown extensions, per_page 10, digest); "
        "peer = Material blog + tags + search + mkdocs-rss-plugin at their defaults with the same Markdown "
        f"extensions; floor = plain pages, search, the same extensions.\n\n{header}\n"
        + "\n".join(rows)
        + f"\n\n`picks check` (cold: no `.cache/`, warm: median of 5 more): {check}.\n"
    )


def write_readme(results: dict) -> None:
    readme = ROOT / "bench" / "README.md"
    text = readme.read_text("utf-8")
    start, end = "<!-- results -->", "<!-- /results -->"
    head, rest = text.split(start, 1)
    readme.write_text(head + start + "\n" + table(results) + end + rest.split(end, 1)[1], "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000,3000")
    parser.add_argument("--ours-only", default="10000", help="sizes built for our side only")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ensure_peer_venv()
    results: dict = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores",
        "versions": versions(),
        "repeat": args.repeat,
        "builds": {},
    }
    for count in [int(n) for n in args.sizes.split(",") if n]:
        results["builds"][count] = bench_size(count, args.repeat, ["ours", "peer", "floor"])
    for count in [int(n) for n in args.ours_only.split(",") if n]:
        results["builds"][count] = bench_size(count, args.repeat, ["ours", "floor"])
    results["check"] = check_times([1000, 10000], max(args.repeat, 5))
    (OUT / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    write_readme(results)
    print(table(results))


if __name__ == "__main__":
    main()
