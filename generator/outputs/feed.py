"""RSS 2.0 and Atom 1.0 (with feedgen) and JSON Feed 1.1 for the site, each collection and each tag."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator

from ..core.model import Pick

NO_PICKS = datetime(1970, 1, 1, tzinfo=UTC)  # the "updated" of an empty feed: never the clock


def entry_id(pick: Pick) -> str:
    """A pick's feed id: from its permanent id only, so moving the site never re-sends it."""
    return f"urn:daily-picks:pick:{pick.id}"


@dataclass(frozen=True)
class FeedEntry:
    """One pick as feeds carry it: absolute link and full HTML content."""

    pick: Pick
    url: str
    content: str


@dataclass(frozen=True)
class FeedInfo:
    """What a feed says about itself."""

    key: str  # stable id part: 'all', 'collections/x', 'tags/y'
    title: str
    description: str
    home_url: str
    language: str = "en"


def channel(info: FeedInfo, self_url: str, updated: datetime) -> FeedGenerator:
    """A feed's own fields: an id from its key, self link first, last update from its newest item."""
    fg = FeedGenerator()
    fg.id(f"urn:daily-picks:feed:{info.key}")
    fg.title(info.title)
    fg.description(info.description or info.title)
    fg.link(href=self_url, rel="self")  # self first: feedgen's RSS <link> is the last link set
    fg.link(href=info.home_url, rel="alternate")
    fg.language(info.language)
    fg.updated(updated)  # feedgen sets RSS's lastBuildDate with it
    return fg


def _generator(info: FeedInfo, entries: list[FeedEntry], self_url: str, *, atom: bool) -> FeedGenerator:
    fg = channel(info, self_url, entries[0].pick.instant if entries else NO_PICKS)
    fg.load_extension("dc")
    fg.generator("Daily Picks", uri="https://github.com/daily-picks/daily-picks")
    for item in entries:
        pick = item.pick
        fe = fg.add_entry(order="append")
        fe.id(entry_id(pick))  # feedgen makes it RSS's guid too, with isPermaLink="false"
        fe.title(pick.title)
        fe.link(href=item.url, rel="alternate")
        fe.published(pick.instant)
        fe.updated(pick.instant)
        if pick.summary:  # Atom's summary is text; RSS readers show a description as HTML
            fe.summary(pick.summary) if atom else fe.description(escape(pick.summary, quote=False))
        if item.content:  # a teaser feed (an author's) has none: its readers follow the link
            fe.content(item.content, type="html")
        for tag in pick.tags:
            fe.category(term=tag, label=tag)
        authors = list(dict.fromkeys(a for paper in pick.papers for a in paper.authors))
        if atom:
            fe.author([{"name": a} for a in authors])
        else:
            for author in authors:  # RSS <author> wants an e-mail address; names go in dc:creator
                fe.dc.dc_creator(author, replace=False)
    return fg


def rss(info: FeedInfo, entries: list[FeedEntry], self_url: str) -> bytes:
    return _generator(info, entries, self_url, atom=False).rss_str(pretty=True)


def atom(info: FeedInfo, entries: list[FeedEntry], self_url: str) -> bytes:
    return _generator(info, entries, self_url, atom=True).atom_str(pretty=True)


def json_feed(info: FeedInfo, entries: list[FeedEntry], self_url: str) -> bytes:
    items = [
        {
            "id": entry_id(e.pick),
            "url": e.url,
            "title": e.pick.title,
            **({"content_html": e.content} if e.content else {"content_text": e.pick.summary}),
            "summary": e.pick.summary,
            "date_published": e.pick.instant.isoformat(),
            "authors": [{"name": a} for a in dict.fromkeys(a for p in e.pick.papers for a in p.authors)],
            "tags": list(e.pick.tags),
        }
        for e in entries
    ]
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": info.title,
        "home_page_url": info.home_url,
        "feed_url": self_url,
        "description": info.description or info.title,
        "language": info.language,
        "items": items,
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


Writer = Callable[[FeedInfo, list[FeedEntry], str], bytes]


def newest(picks: list[Pick], limit: int) -> list[Pick]:
    """The newest ``limit`` published picks, newest first, whatever a listing's order."""
    return sorted((p for p in picks if not p.preview_only), key=lambda p: p.sort_key, reverse=True)[:limit]


def write_feed(
    writer: Writer, info: FeedInfo, entries: list[FeedEntry], site_url: str, path: str, site_dir: Path
) -> None:
    target = site_dir / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(writer(info, entries, urljoin(site_url, path)))


def write_feeds(
    listings: list[tuple[FeedInfo, list[Pick], dict[str, str]]],
    entry_for: Callable[[Pick], FeedEntry],
    limit: int,
    site_url: str,
    site_dir: Path,
    showing: str | None = None,
) -> None:
    """Write each listing's feeds; ``listings`` holds (info, picks, {format: path}).

    ``entry_for`` is called only for picks some feed shows; the caller decides how long an entry is kept.
    With ``showing`` (a pick id), only the feeds whose entries include that pick are written: after one
    pick's title or body changed, the others are as they were.
    """
    writers: dict[str, Writer] = {"rss": rss, "atom": atom, "json": json_feed}
    for info, picks, paths in listings:
        shown = newest(picks, limit)
        if showing is not None and all(pick.id != showing for pick in shown):
            continue
        chosen = [entry_for(p) for p in shown]
        for kind, path in paths.items():
            write_feed(writers[kind], info, chosen, site_url, path, site_dir)
