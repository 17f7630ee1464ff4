"""RSS of new works citing picked papers: one per pick (``picks/<id>/citing.xml``) and one for the site."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

from ..core.afterword import CITING_LIMIT, Caches, CitingWork
from ..core.listings import pick_folder
from ..core.model import Pick
from .feed import NO_PICKS, FeedInfo, channel

SITE_FEED = "citing.xml"


def citing_works(picks: list[Pick], caches: Caches) -> list[tuple[CitingWork, Pick, str]]:
    """(work, the pick, the picked paper's title) for every work citing the picks' papers: one item a work,
    newest first (then by id), at most CITING_LIMIT."""
    found: dict[str, tuple[CitingWork, Pick, str]] = {}
    for pick in picks:
        for paper in pick.papers:
            cited = caches.citations.get(paper.identities[0]) if paper.identities else None
            for work in cited.citing if cited else []:
                found.setdefault(work.id, (work, pick, paper.title))
    ordered = sorted(found.values(), key=lambda item: item[0].id)
    ordered.sort(key=lambda item: item[0].date, reverse=True)
    return ordered[:CITING_LIMIT]


def _day(work: CitingWork) -> datetime:
    try:
        return datetime.fromisoformat(work.date).replace(tzinfo=UTC)
    except ValueError:
        return NO_PICKS


def write_citing_feed(
    path: Path, info: FeedInfo, self_url: str, items: list[tuple[CitingWork, Pick, str]], page_of
) -> None:
    """One feed; its ``updated`` is its newest work's date, never the clock."""
    fg = channel(info, self_url, _day(items[0][0]) if items else NO_PICKS)
    for work, pick, paper_title in items:
        entry = fg.add_entry(order="append")
        entry.guid(work.id, permalink=False)  # the OpenAlex id: stable across site moves and title fixes
        entry.title(work.title)
        entry.link(href=work.url)
        entry.description(f"Cites {paper_title}, picked in {pick.title} ({page_of(pick)})")
        entry.published(_day(work))
    path.parent.mkdir(parents=True, exist_ok=True)
    fg.rss_file(str(path), pretty=True)


def write_citing_feeds(picks: list[Pick], caches: Caches, site_url: str, site_dir: Path, page_of, title: str) -> None:
    """``citing.xml`` for the site and for each pick whose papers are cited; nothing for the others."""
    everything = citing_works(picks, caches)
    if everything:
        info = FeedInfo("citing", f"{title}: new works citing the picks", "Works citing papers picked here", site_url)
        write_citing_feed(site_dir / SITE_FEED, info, urljoin(site_url, SITE_FEED), everything, page_of)
    for pick in picks:
        if items := citing_works([pick], caches):
            folder = f"{pick_folder(pick)}/{SITE_FEED}"
            info = FeedInfo(
                f"citing/{pick.id}", f"Works citing {pick.title}", f"New works citing {pick.title}", page_of(pick)
            )
            write_citing_feed(site_dir / folder, info, urljoin(site_url, folder), items, page_of)
