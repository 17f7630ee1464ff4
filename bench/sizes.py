"""A built site's bytes per pick, part by part, as built and gzipped: ``python bench/sizes.py SITE_DIR N``."""

from __future__ import annotations

import argparse
import collections
import gzip
from pathlib import Path

# Already compressed by their producer: a host sends them as they are.
COMPRESSED = (".pagefind", ".pf_index", ".pf_fragment", ".pf_meta", ".pf_filter", ".png", ".ico", ".gz")
FEEDS = ("feed.xml", "atom.xml", "feed.json")


def part(relative: Path) -> str:
    """Which part of the site a file belongs to: pick pages, a kind of listing, feeds, exports, search, assets."""
    top, name = relative.parts[0], relative.name
    if len(relative.parts) == 1:
        return "feeds (site)" if name in FEEDS else "exports (site)" if name.startswith("picks.") else "other"
    if top in ("tags", "collections", "digest"):
        return f"{top}: " + ("feeds" if name in FEEDS else "pages" if name.endswith(".html") else "exports")
    return {"picks": "pick pages", "page": "home pages", "archive": "archive pages"}.get(top, top)


def sizes(site: Path) -> dict[str, tuple[int, int, int]]:
    """Part → (files, bytes, gzipped bytes)."""
    found: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0])
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        raw = path.read_bytes()
        counts = found[part(path.relative_to(site))]
        counts[0] += 1
        counts[1] += len(raw)
        counts[2] += len(raw) if path.name.endswith(COMPRESSED) else len(gzip.compress(raw, 6))
    return {key: (files, size, packed) for key, (files, size, packed) in found.items()}


def table(site: Path, picks: int) -> str:
    found = sorted(sizes(site).items(), key=lambda item: -item[1][1])
    files, total, packed = (sum(v[i] for _, v in found) for i in range(3))
    rows = [
        f"| {key} | {files:,} | {size / picks / 1000:.1f} | {gz / picks / 1000:.1f} |"
        for key, (files, size, gz) in found
    ]
    return (
        "| part | files | KB per pick | gzipped |\n|---|---:|---:|---:|\n"
        + "\n".join(rows)
        + f"\n| **whole site** | {files:,} | **{total / picks / 1000:.1f}** | {packed / picks / 1000:.1f} |\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site", type=Path)
    parser.add_argument("picks", type=int)
    args = parser.parse_args()
    print(table(args.site, args.picks), end="")


if __name__ == "__main__":
    main()
