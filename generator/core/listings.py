"""Group ordered picks into the site's listings: home, collections, tags, years and digest issues."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import pairwise
from math import ceil
from urllib.parse import urljoin

from .authors import authors, written_form
from .digest import Issue
from .loader import order_picks as in_order
from .model import Pick, tag_slug
from .people import People
from .related import related_picks

WINDOW = 2  # pages linked on each side of the current one


def pick_folder(pick: Pick) -> str:
    return f"picks/{pick.id}"


def folder_url(folder: str, use_directory_urls: bool) -> str:
    """URL of ``<folder>/index.html`` relative to the site root, as MkDocs would write it."""
    if not folder:
        return "./" if use_directory_urls else "index.html"
    return f"{folder}/" if use_directory_urls else f"{folder}/index.html"


def absolute_url(site_url: str, folder: str, use_directory_urls: bool) -> str:
    """The absolute URL of a generated page: feeds, email, posts and the Hub link to it."""
    return urljoin(site_url, folder_url(folder, use_directory_urls))


@dataclass(frozen=True)
class Listing:
    """One paginated list of picks, with its own order, feed and BibTeX file."""

    path: str  # '' for home, else e.g. 'collections/interpretability'
    title: str
    description: str
    picks: list[Pick]
    order: str
    kind: str  # home | collection | tag | year | digest | author
    feed: str | None = None
    bib: str | None = None
    issue: Issue | None = None  # digest listings: the issue they show
    flipped: str | None = None  # home and collections: the folder of the same listing in the other order
    aliases: tuple[str, ...] = ()  # authors: the other spellings merged into this one

    @property
    def heading(self) -> str:
        """What the listing's page calls itself: ``Picks tagged “circuits”``, ``Picks of 2024``."""
        headings = {
            "tag": f"Picks tagged “{self.title}”",
            "year": f"Picks of {self.title}",
            "digest": f"Digest: {self.title}",
            "author": f"Picks of papers by {self.title}",
        }
        return headings.get(self.kind, self.title)

    def page_path(self, number: int) -> str:
        """Folder of page ``number`` of this listing, relative to the site root ('' for home)."""
        base = self.path
        if number == 1:
            return base
        return f"{base}/page/{number}" if base else f"page/{number}"

    def page_count(self, per_page: int) -> int:
        return max(1, ceil(len(self.picks) / per_page))

    def page(self, number: int, per_page: int) -> ListingPage:
        start = (number - 1) * per_page
        return ListingPage(self, number, self.page_count(per_page), self.picks[start : start + per_page])


def page_window(number: int, count: int) -> list[int | None]:
    """Page numbers a pager links: first, last, this one ±2; None where an ellipsis stands for the rest.

    Its size stops growing with the listing, so listing pages do not grow with the square of their count.
    """
    near = range(max(1, number - WINDOW), min(count, number + WINDOW) + 1)
    shown = sorted({1, count, *near})
    out: list[int | None] = []
    for previous, page in zip([0, *shown], shown, strict=False):
        if page - previous == 2:
            out.append(previous + 1)  # one hidden page: show it rather than an ellipsis
        elif page - previous > 2:
            out.append(None)
        out.append(page)
    return out


@dataclass(frozen=True)
class ListingPage:
    listing: Listing
    number: int
    count: int
    picks: list[Pick] = field(default_factory=list)

    @property
    def window(self) -> list[int | None]:
        return page_window(self.number, self.count)

    def path_of(self, number: int) -> str:
        """Folder of page ``number`` of the same listing."""
        return self.listing.page_path(number)


@dataclass(frozen=True)
class Site:
    """Every listing of a build, and the pick neighbours for previous/next links."""

    home: Listing
    collections: list[Listing]
    tags: list[Listing]
    years: list[Listing]
    previous: dict[str, Pick]
    next: dict[str, Pick]
    digests: list[Listing] = field(default_factory=list)  # one per digest issue, newest first

    flips: list[Listing] = field(default_factory=list)  # home and collections in the other order
    authors: list[Listing] = field(default_factory=list)  # most-picked first (core/authors.py)
    author_folders: dict[str, str] = field(default_factory=dict)  # every spelling, folded → its author's folder
    related: dict[str, list[Pick]] = field(default_factory=dict)  # pick id → its related picks (core/related.py)

    @property
    def listings(self) -> list[Listing]:
        return [self.home, *self.collections, *self.tags, *self.years, *self.digests, *self.flips, *self.authors]

    def author_folder(self, name: str) -> str | None:
        """The folder of the author page of a name as a pick writes it."""
        return self.author_folders.get(" ".join(name.split()).casefold())


def build_site(
    picks: list[Pick],
    *,
    order: str,
    collections: dict[str, tuple[str, str, str | None]],
    rss: str,
    bib: str,
    issues: list[Issue] = (),  # type: ignore[assignment]
    people: People | None = None,
) -> Site:
    """Listings for picks sorted by (instant, id); ``collections`` maps key to (title, description, order)."""
    home = Listing("", "Latest picks", "", in_order(picks, order), order, "home", feed=rss, bib=bib)
    by_collection = [
        Listing(
            f"collections/{key}",
            title or key,
            description,
            in_order([p for p in picks if p.collection == key], own_order or order),
            own_order or order,
            "collection",
            feed=f"collections/{key}/feed.xml",
            bib=f"collections/{key}/{bib}",
        )
        for key, (title, description, own_order) in sorted(collections.items())
    ]
    names: dict[str, str] = {}
    tagged: dict[str, list[Pick]] = {}
    for pick in picks:
        for name in pick.tags:
            names.setdefault(tag_slug(name), name)
        for slug in pick.tag_slugs:
            tagged.setdefault(slug, []).append(pick)
    tags = [
        Listing(
            f"tags/{slug}",
            names[slug],
            "",
            in_order(tagged[slug], order),
            order,
            "tag",
            feed=f"tags/{slug}/feed.xml",
        )
        for slug in sorted(names)
    ]
    years = [
        Listing(f"archive/{year}", str(year), "", in_order([p for p in picks if p.year == year], order), order, "year")
        for year in sorted({p.year for p in picks}, reverse=True)
    ]
    previous = {b.id: a for a, b in pairwise(picks)}
    following = {a.id: b for a, b in pairwise(picks)}
    digests = [
        Listing(f"digest/{issue.period}", issue.label, "", issue.picks, order, "digest", "digest/feed.xml", issue=issue)
        for issue in issues
    ]
    home, home_flip = _with_flip(home)
    flipped = [_with_flip(listing) for listing in by_collection]
    flips = [home_flip, *(flip for _, flip in flipped)]
    found = authors(picks, people or People())
    author_listings = [
        Listing(
            f"authors/{author.slug}",
            author.name,
            f"Also written {', '.join(author.spellings)}." if author.spellings else "",
            list(author.picks),
            "newest-first",
            "author",
            feed=f"authors/{author.slug}/feed.xml",
            aliases=author.spellings,
        )
        for author in found
    ]
    folders = {
        " ".join(spelling.split()).casefold(): f"authors/{author.slug}"
        for author in found
        for spelling in (author.name, *author.spellings)
    }
    for pick in picks:  # each name as written (Family, Given too) reaches its page
        for name in (n for paper in pick.papers for n in paper.authors):
            folders.setdefault(" ".join(name.split()).casefold(), folders.get(written_form(name).casefold(), ""))
    return Site(
        home,
        [listing for listing, _ in flipped],
        tags,
        years,
        previous,
        following,
        digests,
        flips,
        author_listings,
        {name: folder for name, folder in folders.items() if folder},
        related_picks(picks, people or People()),
    )


OTHER_ORDER = {"newest-first": "oldest-first", "oldest-first": "newest-first"}


def _with_flip(listing: Listing) -> tuple[Listing, Listing]:
    """The listing linked to its copy in the other order, at ``<listing>/oldest-first/`` (or ``newest-first/``):
    what a reader's order toggle opens, with stable, paginated URLs and no script."""
    other = OTHER_ORDER[listing.order]
    folder = f"{listing.path}/{other}" if listing.path else other
    flip = replace(listing, path=folder, picks=listing.picks[::-1], order=other, flipped=listing.path)
    return replace(listing, flipped=folder), flip
