"""The generated MkDocs pages: one per pick and one per listing page, with their URLs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from math import ceil
from typing import TYPE_CHECKING

from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from ..core.listings import Listing, ListingPage, Site, page_window, pick_folder
from ..core.model import Pick

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

    from .following import Ways


@dataclass(frozen=True)
class PickPage:
    pick: Pick
    previous: Pick | None
    next: Pick | None
    related: tuple[Pick, ...] = ()


@dataclass(frozen=True)
class IndexPage:
    """A page of an index of listings (all collections, tags, years, digest issues or authors), paginated as
    listings are."""

    kind: str
    listings: list[Listing]  # this page's
    folder: str = ""
    number: int = 1
    count: int = 1
    total: int = 0  # listings on every page together

    @property
    def window(self) -> list[int | None]:
        return page_window(self.number, self.count)

    def path_of(self, number: int) -> str:
        return self.folder if number == 1 else f"{self.folder}/page/{number}"


@dataclass(frozen=True)
class SubscribePage:
    """``subscribe/``: every way to follow the site (mkdocs/following.py)."""

    ways: Ways


Generated = PickPage | ListingPage | IndexPage | SubscribePage
# The listings a site's nav should hold; one entry per pick would grow every page with the site.
NAV = (
    ("Home", ""),
    ("Collections", "collections"),
    ("Tags", "tags"),
    ("Archive", "archive"),
    ("Digest", "digest"),
    ("Subscribe", "subscribe"),
)
NAV_FOLDERS = tuple(folder for _, folder in NAV)
# An author's page lists more picks a page than a listing: a site has an author page for every author of every
# paper, hundreds of them, and most hold a handful of picks (bench/README.md: half the pages at 1,000 picks).
AUTHOR_PER_PAGE = 50


class GeneratedPage(Page):
    """A page whose HTML the plugin makes (a pick's body comes rendered and sanitized from the loader, a listing
    from its template): MkDocs' per-page Markdown pass, a new Markdown instance for each page, is skipped."""

    def __init__(self, file: File, config: MkDocsConfig, meta: dict[str, object]) -> None:
        super().__init__(None, file, config)
        self.front = meta

    def read_source(self, config: MkDocsConfig) -> None:
        # The front matter is known: parsing it back from the file's YAML took 0.1 s at 1,000 picks.
        self.markdown, self.meta = "", dict(self.front)

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = set()


def folder_uri(folder: str) -> str:
    """The source path of the page that builds ``<folder>/index.html``."""
    return f"{folder}/index.md" if folder else "index.md"


def site_nav() -> list[dict[str, str]]:
    """The ``nav:`` entries of mkdocs.yml for the generated listings."""
    return [{title: folder_uri(folder)} for title, folder in NAV]


def _meta(title: str, template: str, *, toc: bool, description: str = "") -> dict[str, object]:
    # Material prints page.title and the description as HTML (header, <title>, tabs,
    # <meta name="description">): hand it escaped text.
    meta: dict[str, object] = {"title": escape(title), "template": template}
    meta |= {"description": escape(description)} if description else {}
    return meta | {"hide": ["navigation"] + ([] if toc else ["toc"])}


def pick_meta(pick: Pick) -> dict[str, object]:
    """A pick page's meta: its title and teaser as Material shows them (header, ``<title>``, description)."""
    return _meta(pick.title, "pick.html", toc=True, description=pick.summary)


def renew(file: File, meta: dict[str, object]) -> None:
    """A generated page's source and meta after its pick changed under ``mkdocs serve``."""
    file.content_string = _front_matter(meta)
    if isinstance(file.page, GeneratedPage):
        file.page.front = meta


def _front_matter(meta: dict[str, object]) -> str:
    """The page's source file: its meta as YAML front matter (JSON is valid YAML, so any title survives quoting)."""
    lines = [f"{key}: {json.dumps(value)}" for key, value in meta.items()]
    return "\n".join(["---", *lines, "---"]) + "\n\n"


def generate(
    site: Site, per_page: int, config: MkDocsConfig, ways: Ways | None = None
) -> dict[str, tuple[File, Generated]]:
    """Every generated page keyed by source URI; the plugin adds the files to MkDocs."""
    made: dict[str, tuple[File, Generated]] = {}

    def add(folder: str, meta: dict[str, object], page: Generated) -> None:
        uri = folder_uri(folder)
        # Only the top listings belong in the nav; one entry per pick would grow every page with the site.
        inclusion = InclusionLevel.INCLUDED if folder in NAV_FOLDERS else InclusionLevel.NOT_IN_NAV
        file = File.generated(config, uri, content=_front_matter(meta), inclusion=inclusion)
        if inclusion.is_not_in_nav():  # nav pages keep MkDocs' Page, which takes its title from the nav
            GeneratedPage(file, config, meta)
        made[uri] = (file, page)

    for pick in site.home.picks:
        page = PickPage(pick, site.previous.get(pick.id), site.next.get(pick.id), tuple(site.related.get(pick.id, ())))
        add(
            pick_folder(pick),
            # The body's HTML comes from the loader's renderer (sanitized), not from MkDocs' Markdown pass.
            pick_meta(pick),
            page,
        )
    for listing in site.listings:
        size = max(per_page, AUTHOR_PER_PAGE) if listing.kind == "author" else per_page
        for number in range(1, listing.page_count(size) + 1):
            title = listing.heading if number == 1 else f"{listing.heading} (page {number})"
            meta = _meta(title, "picks-listing.html", toc=False, description=_about(listing))
            add(listing.page_path(number), meta, listing.page(number, size))
    for kind, folder, title, listings in (
        ("collection", "collections", "Collections", site.collections),
        ("tag", "tags", "Tags", site.tags),
        ("year", "archive", "Archive", site.years),
        ("digest", "digest", "Digest", site.digests),
        ("author", "authors", "Authors", site.authors),
    ):
        about = f"{title} of {len(site.home.picks)} picks: {', '.join(listing.title for listing in listings[:8])}"
        count = max(1, ceil(len(listings) / per_page))
        for number in range(1, count + 1):
            page = IndexPage(
                kind, listings[(number - 1) * per_page : number * per_page], folder, number, count, len(listings)
            )
            heading = title if number == 1 else f"{title} (page {number})"
            add(page.path_of(number), _meta(heading, "picks-index.html", toc=False, description=about), page)
    if ways is not None:
        about = "Every way to follow this site: feeds, OPML, the digest, accounts and collections"
        add(
            "subscribe",
            _meta("Subscribe", "picks-subscribe-page.html", toc=False, description=about),
            SubscribePage(ways),
        )
    return made


def _about(listing: Listing) -> str:
    """A listing's description for link previews; the home page keeps the site's own."""
    if listing.kind == "home":
        return ""
    count = f"{len(listing.picks)} pick{'' if len(listing.picks) == 1 else 's'}"
    return f"{listing.description} ({count})" if listing.description else f"{listing.heading}: {count}"
