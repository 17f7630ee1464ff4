"""The pick and paper records every other module works with."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property, lru_cache
from pathlib import Path

from slugify import slugify

_ARXIV_VERSION = re.compile(r"v([0-9]+)$")
_JOURNAL = re.compile(r"journal|transactions|letters|review|magazine|TACL|JMLR|TMLR|Nature|Science", re.IGNORECASE)


TAG_SLUG_LIMIT = 60  # a slug becomes a folder name; file systems allow 255 bytes, URLs read better short


@lru_cache(maxsize=4096)
def tag_slug(tag: str) -> str:
    """A tag's URL slug: lowercase ASCII, every run of other characters one ``-`` (``tag_problem`` guards it)."""
    return slugify(tag) or "tag"


def tag_problem(tag: str) -> str | None:
    """Why a tag cannot have a page of its own, or None: its slug must be a non-empty, bounded folder name."""
    slug = slugify(tag)
    if not slug:
        return f"'{tag}' has no letter or digit to make its page's address from (tags/<slug>/)"
    if len(slug) > TAG_SLUG_LIMIT:
        return f"'{tag[:30]}...' is too long: its address would be {len(slug)} characters (at most {TAG_SLUG_LIMIT})"
    return None


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: date) -> str:
    """``11 April 2024``, whatever the machine's locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def venue_line(paper: Paper) -> str:
    """``ICML 2024``, ``Preprint, 2024`` or ``TMLR, 2023``: the year once, even when the venue holds it."""
    venue = paper.venue or "Preprint"
    return venue if str(paper.year) in venue else f"{venue}, {paper.year}"


def arxiv_version(arxiv_id: str) -> tuple[str, int | None]:
    """``2404.07129v2`` → (``2404.07129``, 2); an id without a version gives None."""
    found = _ARXIV_VERSION.search(arxiv_id)
    return (arxiv_id[: found.start()], int(found[1])) if found else (arxiv_id, None)


def identity(kind: str, value: str) -> str:
    """What makes two papers one paper: ``arxiv:`` and the id without its version, ``doi:`` and the DOI in lower
    case (DOIs ignore case), ``url:`` and the address."""
    if kind == "arxiv":
        return f"arxiv:{arxiv_version(value)[0]}"
    return f"doi:{value.lower()}" if kind == "doi" else f"{kind}:{value}"


def split_name(name: str) -> tuple[str, str]:
    """(family, given) from ``Given Family``, ``Family, Given`` or BibTeX's ``Family, Jr., Given``."""
    if "," in name:
        family, given = (part.strip() for part in name.rsplit(",", 1))  # a suffix stays with the family name
        return family, given
    words = name.split()
    # Lowercase particles (van, de, von) belong to the family name.
    start = len(words) - 1
    while start > 1 and words[start - 1][:1].islower():
        start -= 1
    return " ".join(words[start:]), " ".join(words[:start])


def display_name(name: str) -> str:
    """``Given Family`` for listings, whichever way the author was written."""
    family, given = split_name(name)
    return f"{given} {family}".strip()


@dataclass(frozen=True)
class Paper:
    """One paper of a pick, as written in its front matter."""

    title: str
    authors: tuple[str, ...]
    year: int
    arxiv: str | None = None
    doi: str | None = None
    url: str | None = None
    venue: str | None = None
    code: str | None = None
    key: str | None = None
    line: int = 0
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)  # each field's line

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)

    @property
    def arxiv_base(self) -> str | None:
        """The arXiv id without its version suffix (``2404.07129v2`` → ``2404.07129``)."""
        return arxiv_version(self.arxiv)[0] if self.arxiv else None

    @property
    def identities(self) -> tuple[str, ...]:
        """Every handle that makes two papers the same paper."""
        return tuple(
            identity(kind, value)
            for kind, value in (("arxiv", self.arxiv), ("doi", self.doi), ("url", self.url))
            if value
        )

    @property
    def kind(self) -> str:
        """``preprint`` without a venue, else ``journal`` or ``proceedings`` by the venue's name."""
        if not self.venue:
            return "preprint"
        return "journal" if _JOURNAL.search(self.venue) else "proceedings"

    @property
    def link(self) -> str:
        """The one URL every citation export gives: the paper's own, else arXiv, else doi.org."""
        return self.url or self.arxiv_abs_url or self.doi_url or ""

    @property
    def arxiv_abs_url(self) -> str | None:
        return f"https://arxiv.org/abs/{self.arxiv}" if self.arxiv else None

    @property
    def arxiv_pdf_url(self) -> str | None:
        return f"https://arxiv.org/pdf/{self.arxiv}" if self.arxiv else None

    @property
    def doi_url(self) -> str | None:
        return f"https://doi.org/{self.doi}" if self.doi else None


@dataclass(frozen=True)
class Pick:
    """One published (or draft) pick: a day's post about one or two papers."""

    id: str
    title: str
    instant: datetime
    local_date: date
    papers: tuple[Paper, ...]
    body: str  # Markdown as written
    html: str  # the body rendered and sanitized: the only form any output shows
    summary: str
    collection: str
    tags: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    draft: bool = False
    announced: tuple[str, ...] = ()  # the first post's URL on a network, when posted by hand
    replies: bool = True
    scheduled: bool = False  # dated after "now": published nowhere until its date-time (core/schedule.py)
    source: Path = Path()
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    toc: list = field(default_factory=list, compare=False, hash=False)  # the body's headings, for the page's TOC

    @property
    def preview_only(self) -> bool:
        """A draft or a pick not due yet: `mkdocs serve` shows it, no feed, export or digest carries it."""
        return self.draft or self.scheduled

    @property
    def year(self) -> int:
        """The archive year: the year in the file name."""
        return self.local_date.year

    @property
    def sort_key(self) -> tuple[datetime, str]:
        return (self.instant, self.id)

    @cached_property
    def tag_slugs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(tag_slug(t) for t in self.tags))
