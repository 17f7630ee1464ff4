"""Citation keys and the BibTeX export of every picked paper, with bibtexparser."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import bibtexparser
from bibtexparser.middlewares.parsestack import default_unparse_stack
from bibtexparser.model import Entry, Field
from slugify import slugify

from ..core.model import Paper, Pick, split_name
from . import exports
from .latex import encode, encode_title

if TYPE_CHECKING:
    from ..core.listings import Site

_STOP_WORDS = {"a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "via", "is", "are", "do", "does", "what"}


def auto_key(paper: Paper) -> str:
    """``ferrando2024primer``: first author's family name, year, first significant title word; ASCII only.

    A family name with no ASCII form gives a key from the paper's id instead (``arxiv2404.00001``).
    """
    family = slugify(split_name(paper.authors[0])[0], separator="")
    if not family:
        handle = paper.arxiv_base or paper.doi or paper.url or paper.title
        return ("arxiv" if paper.arxiv_base else "paper") + re.sub(r"[^0-9a-z.]+", "-", handle.lower())
    words = [w for w in slugify(paper.title, separator=" ").split() if w not in _STOP_WORDS]
    return f"{family}{paper.year}{words[0] if words else ''}"


@dataclass
class Citation:
    """One distinct paper and its key."""

    paper: Paper
    key: str

    @cached_property
    def text(self) -> str:
        """This entry as BibTeX, written once per build however many files show it."""
        # The entry is built for this call alone, so the writer may enclose its fields in place (no deep copy).
        library = bibtexparser.Library([entry(self)])
        return bibtexparser.write_string(library, unparse_stack=default_unparse_stack(True)).strip("\n")


class Citations:
    """Every distinct paper of the picks with a stable key: earlier picks claim keys first."""

    def __init__(self, picks: list[Pick], published: dict[str, str] | None = None) -> None:
        """``published``: identity → key of the registry (.picks/bibkeys.json); those keys are the papers' own
        and no other paper's, whatever the picks' dates say."""
        published = published or {}
        self.entries: list[Citation] = []
        self._by_identity: dict[str, Citation] = {}
        pinned = {p.key.lower() for pick in picks for p in pick.papers if p.key}
        taken: set[str] = {key.lower() for key in published.values()}
        for pick in picks:  # oldest first, so a newer pick never takes an older paper's key
            for paper in pick.papers:
                if any(i in self._by_identity for i in paper.identities):
                    continue
                registered = next((published[i] for i in paper.identities if i in published), None)
                key = registered or paper.key or self._free_key(auto_key(paper), taken | pinned)
                taken.add(key.lower())
                citation = Citation(paper, key)
                self.entries.append(citation)
                self._by_identity.update(dict.fromkeys(paper.identities, citation))

    @staticmethod
    def _free_key(base: str, taken: set[str]) -> str:
        if base not in taken:
            return base
        suffix = 1
        while f"{base}{_letters(suffix)}" in taken:
            suffix += 1
        return f"{base}{_letters(suffix)}"

    def citation(self, paper: Paper) -> Citation:
        return next(self._by_identity[i] for i in paper.identities if i in self._by_identity)

    def for_pick(self, pick: Pick) -> str:
        """The BibTeX of one pick's papers, for its page."""
        return render([self.citation(paper) for paper in pick.papers])

    def select(self, picks: list[Pick]) -> list[Citation]:
        """The distinct papers of some picks, newest first pick first, each once: the order of every export."""
        chosen = {id(self.citation(paper)) for pick in picks for paper in pick.papers}
        return [c for c in reversed(self.entries) if id(c) in chosen]

    def for_picks(self, picks: list[Pick]) -> str:
        """The BibTeX of the papers of some picks, newest first pick first, each once."""
        return render(self.select(picks))


def _letters(n: int) -> str:
    """1 → a, 26 → z, 27 → aa: the suffix that tells colliding keys apart."""
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def venue_without_year(paper: Paper) -> str:
    """The venue as BibTeX styles print it before the year field: ``ICML 2024`` → ``ICML`` (README tells authors
    to write the year in the venue, and plain.bst would print "In ICML 2024, 2024."); a venue that is only the
    year gives none."""
    venue = re.sub(rf"[\s,'’]*\b{paper.year}\b", "", paper.venue or "").strip(string.whitespace + ",")
    return venue if re.search(r"[^\s,'’]", venue) else ""  # separators and blanks alone name no venue


def entry(citation: Citation) -> Entry:
    paper = citation.paper
    fields = [
        Field("title", encode_title(paper.title)),
        Field("author", " and ".join(_author(name) for name in paper.authors)),
        Field("year", str(paper.year)),
    ]
    kind = {"preprint": "misc", "journal": "article", "proceedings": "inproceedings"}[paper.kind]
    if venue := venue_without_year(paper):
        fields.append(Field("journal" if kind == "article" else "booktitle", encode(venue)))
    if paper.arxiv:
        fields += [Field("eprint", verbatim(paper.arxiv)), Field("archivePrefix", "arXiv")]
    if paper.doi:
        fields.append(Field("doi", verbatim(paper.doi)))
    fields.append(Field("url", verbatim(paper.link)))
    return Entry(kind, citation.key, fields)


# TeX reads ^^5c as a backslash and ^^7b as a brace wherever ^ is a superscript sign, as it is where a style
# prints a DOI or URL through a fallback \doi or \url: a URL never needs ^ raw (RFC 3986), so it is encoded too.
_FIELD_BREAKING = re.compile(r"[{}\\\s^]")


def verbatim(value: str) -> str:
    """An identifier or URL for a BibTeX field, never LaTeX-encoded: what could close the field or escape it
    (braces, backslash, whitespace, TeX's ^) are percent-encoded, as a URL may write them."""
    return _FIELD_BREAKING.sub(lambda found: "".join(f"%{b:02X}" for b in found.group().encode()), value)


def _author(name: str) -> str:
    family, given = split_name(name)
    return f"{_name_part(family)}, {_name_part(given)}" if given else _name_part(family)


_NAME_SEPARATOR = re.compile(r",|\band\b", re.IGNORECASE)


def _name_part(text: str) -> str:
    """One part of a BibTeX name, encoded: a comma or the word "and" inside it is braced, since BibTeX reads
    them as the end of the part or of the name ("Smith, Jr, and Co" would be three names)."""
    encoded = encode(text)
    return "{" + encoded + "}" if _NAME_SEPARATOR.search(encoded) else encoded


def render(citations: list[Citation]) -> str:
    return "".join(f"{c.text}\n\n" for c in citations)


def write_bibtex(citations: Citations, site: Site, site_dir: Path) -> None:
    """``picks.bib`` for every published pick, and one per collection beside its feed; CSL-JSON and RIS beside."""
    for listing in [site.home, *site.collections]:
        if listing.bib:
            target = site_dir / listing.bib
            target.parent.mkdir(parents=True, exist_ok=True)
            published = [p for p in listing.picks if not p.preview_only]  # select() orders them
            selected = citations.select(published)
            target.write_text(render(selected), encoding="utf-8")
            chosen = [(c.key, c.paper) for c in selected]
            target.with_suffix(".json").write_text(exports.csl_json(chosen), encoding="utf-8")
            target.with_suffix(".ris").write_text(exports.ris(chosen), encoding="utf-8")
