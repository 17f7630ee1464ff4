"""A built site's bytes per pick, part by part, as built, gzipped and without the theme's chrome:
``python bench/sizes.py SITE_DIR N``."""

from __future__ import annotations

import argparse
import collections
import gzip
from pathlib import Path

import lxml.html

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


def content(raw: bytes) -> int:
    """An HTML page's bytes without Material's chrome: only its article (head, header, tabs, drawer, footer and
    scripts dropped), as lxml serialises it."""
    article = lxml.html.fromstring(raw).find_class("md-content__inner")
    return len(lxml.html.tostring(article[0])) if article else 0


def sizes(site: Path) -> dict[str, tuple[int, int, int, int]]:
    """Part → (files, bytes, gzipped bytes, bytes with HTML pages reduced to their article)."""
    found: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0, 0])
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        raw = path.read_bytes()
        counts = found[part(path.relative_to(site))]
        counts[0] += 1
        counts[1] += len(raw)
        counts[2] += len(raw) if path.name.endswith(COMPRESSED) else len(gzip.compress(raw, 6))
        counts[3] += content(raw) if path.suffix == ".html" else len(raw)
    return {key: (files, size, packed, bare) for key, (files, size, packed, bare) in found.items()}


def table(site: Path, picks: int) -> str:
    found = sorted(sizes(site).items(), key=lambda item: -item[1][1])
    files, total, packed, bare = (sum(v[i] for _, v in found) for i in range(4))

    def kb(size: int) -> str:
        return f"{size / picks / 1000:.1f}"

    rows = [f"| {key} | {n:,} | {kb(size)} | {kb(gz)} | {kb(only)} |" for key, (n, size, gz, only) in found]
    return (
        "| part | files | KB per pick | gzipped | without chrome |\n|---|---:|---:|---:|---:|\n"
        + "\n".join(rows)
        + f"\n| **whole site** | {files:,} | **{kb(total)}** | {kb(packed)} | {kb(bare)} |\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site", type=Path)
    parser.add_argument("picks", type=int)
    args = parser.parse_args()
    print(table(args.site, args.picks), end="")


if __name__ == "__main__":
    main()
