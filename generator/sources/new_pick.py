"""A new pick file's text: the template filled with what the APIs said, placeholders for the rest."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jinja2 import Template
from slugify import slugify

from ..core.paper_ids import PaperRef, arxiv_year
from ..core.schema import PLACEHOLDER
from .metadata import PaperMetadata

TEMPLATE = Path(__file__).parent.parent / "templates" / "new-pick.md"
X2_HEADLINE = f"{PLACEHOLDER}: a headline for this x2 edition"


@dataclass
class Draft:
    """A pick file to write, and what the author is told about it."""

    slug: str
    text: str
    filled: list[str] = field(default_factory=list)
    to_write: list[str] = field(default_factory=list)
    slug_from_ids: bool = False  # no title known yet: the file is named after the ids, to rename


def yaml_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def pick_slug(title: str) -> str:
    """A file-name slug from any title: ASCII-folded, at most 60 characters on a word boundary, never empty."""
    # Possessives stay one word: "Gonçalo's heads" → goncalos-heads.
    return slugify(title.replace("'", "").replace("\u2019", ""), max_length=60, word_boundary=True) or "pick"


def draft_pick(
    *,
    title: str | None,
    day: date,
    refs: list[PaperRef],
    found: dict[PaperRef, PaperMetadata],
    tags: tuple[str, ...] = (),
    collection: str,
) -> Draft:
    """The pick for these papers; ``found`` holds the metadata fetched (empty offline)."""
    papers = [paper_fields(ref, found.get(ref)) for ref in refs] or [paper_fields(None, None)]
    known = [found[r] for r in refs if r in found]
    to_write = [f"papers[{i}]: title, authors and year" for i, r in enumerate(refs or [None]) if r not in found]
    if title is None:
        if len(refs) == 1 and known:
            title = known[0].title
        else:
            title = X2_HEADLINE if len(refs) > 1 else f"{PLACEHOLDER}: the pick's headline"
            to_write.insert(0, "title: the pick's headline")
    slug = pick_slug(title) if PLACEHOLDER not in title else pick_slug(" ".join(r.value for r in refs) or "pick")
    text = Template(TEMPLATE.read_text(encoding="utf-8"), keep_trailing_newline=True).render(
        title=yaml_quote(title),
        day=day.isoformat(),
        papers=papers,
        tags=[yaml_quote(t) for t in tags],
        collection=collection,
    )
    filled = [_filled(meta) for meta in known]
    to_write.append("the body: a summary in your own words, then notable findings")
    return Draft(slug, text, filled, to_write, slug_from_ids=PLACEHOLDER in title and bool(refs))


def paper_fields(ref: PaperRef | None, meta: PaperMetadata | None) -> dict[str, object]:
    """A paper as the pick templates write it: what the API said, placeholders for what it did not."""
    id_line = f"{ref.kind}: {yaml_quote(ref.value)}" if ref else 'url: "https://arxiv.org/abs/TODO"'
    if meta is None:
        # Offline, only what the id itself says: a new-style arXiv id encodes its first version's year.
        year = arxiv_year(ref.value) if ref and ref.kind == "arxiv" else None
        return {
            "title": yaml_quote(f"{PLACEHOLDER}: the paper's full title"),
            "authors": [yaml_quote(f"{PLACEHOLDER} Author")],
            "year": year or PLACEHOLDER,
            "id_line": id_line,
        }
    return {
        "title": yaml_quote(meta.title),
        "authors": [yaml_quote(a) for a in meta.authors],
        "year": meta.year,
        "id_line": id_line,
        "doi": yaml_quote(meta.doi) if meta.doi and ref and ref.kind != "doi" else None,
        "venue": yaml_quote(meta.venue) if meta.venue else None,
        "code": yaml_quote(meta.code) if meta.code else None,
    }


def _filled(meta: PaperMetadata) -> str:
    extras = [
        name
        for name in ("doi", "venue", "code")
        if getattr(meta, name) and not (name == "doi" and meta.ref.kind == "doi")
    ]
    what = ", ".join(["title", f"{len(meta.authors)} author{'s' if len(meta.authors) != 1 else ''}", "year", *extras])
    return f"{meta.ref.kind} {meta.ref.value}: {what}"
