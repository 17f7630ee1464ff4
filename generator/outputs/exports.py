"""CSL-JSON and RIS of the picked papers: the same entries, keys and order as ``picks.bib``."""

from __future__ import annotations

import json

import rispy

from ..core.model import Paper, split_name

Cited = tuple[str, Paper]  # a paper and its citation key, in the order of picks.bib


def csl_item(key: str, paper: Paper) -> dict[str, object]:
    """One paper as a CSL-JSON item (the input format of citeproc, Zotero and pandoc)."""
    item: dict[str, object] = {
        "id": key,
        "type": {"preprint": "article", "journal": "article-journal", "proceedings": "paper-conference"}[paper.kind],
        "title": paper.title,
        "author": [_csl_name(name) for name in paper.authors],
        "issued": {"date-parts": [[paper.year]]},
    }
    if paper.venue:
        item["container-title"] = paper.venue
    if paper.arxiv:
        item |= {"publisher": "arXiv", "number": paper.arxiv}
    if paper.doi:
        item["DOI"] = paper.doi
    item["URL"] = paper.link
    return item


def _csl_name(name: str) -> dict[str, str]:
    family, given = split_name(name)
    return {"family": family, "given": given} if given else {"literal": family}


def csl_json(cited: list[Cited]) -> str:
    return json.dumps([csl_item(key, paper) for key, paper in cited], ensure_ascii=False, indent=2) + "\n"


def ris_line(text: str) -> str:
    """A value for one RIS line: any line break (CR, LF, U+2028, NEL...) would end the tag or start a record."""
    return " ".join(text.split())


def ris_entry(key: str, paper: Paper) -> dict[str, object]:
    entry: dict[str, object] = {
        "type_of_reference": {"preprint": "UNPB", "journal": "JOUR", "proceedings": "CPAPER"}[paper.kind],
        "id": ris_line(key),
        "title": ris_line(paper.title),
        "authors": [ris_line(", ".join(part for part in split_name(name) if part)) for name in paper.authors],
        "year": str(paper.year),
    }
    if paper.venue:
        entry["secondary_title"] = ris_line(paper.venue)
    if paper.doi:
        entry["doi"] = ris_line(paper.doi)
    entry["urls"] = [ris_line(paper.link)]
    return entry


def ris(cited: list[Cited]) -> str:
    """RIS written by rispy; empty for no papers."""
    return rispy.dumps([ris_entry(key, paper) for key, paper in cited]) if cited else ""
