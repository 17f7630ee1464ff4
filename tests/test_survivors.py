"""Bugs seeded by hand that the suite let through (issue 27): each test here fails with its bug in place."""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import rispy

from conftest import VALID_PICK, load_one_pick, pick_text
from generator.core.loader import LoadSettings, load_picks
from generator.core.model import Paper
from generator.outputs import exports
from generator.outputs.bibtex import Citations, entry


def test_the_loader_itself_refuses_an_arxiv_id_with_a_tail(tmp_path: Path) -> None:
    """Not only the generated schema: a loosened pattern must fail here, where picks are read."""
    (tmp_path / "2024-04-11-x.md").write_text(VALID_PICK.replace('"2404.07129"', '"2404.07129junk"'), "utf-8")
    [error] = load_picks(tmp_path, LoadSettings("UTC", "interpretability")).errors
    assert (error.line, error.field) == (10, "papers[0].arxiv") and "2404.07129junk" in error.message


def test_a_venue_is_latex_encoded_in_bibtex() -> None:
    paper = Paper("A title", ("Ada Lovelace",), 2024, arxiv="2404.07129", venue="R&D Workshop 100% #1")
    [cited] = Citations([_pick_with(paper)]).entries
    fields = {f.key: f.value for f in entry(cited).fields}
    assert fields["booktitle"] == r"R{\&}D Workshop 100{\%} {\#}1"


def test_ris_keeps_the_year_line() -> None:
    paper = Paper("A title", ("Ada Lovelace",), 2023, arxiv="2404.07129")
    text = exports.ris([("key", paper)])
    assert "PY  - 2023" in text.splitlines()
    assert rispy.loads(text)[0]["year"] == "2023"


def test_a_pinned_key_is_reserved_whatever_its_case() -> None:
    """BibTeX ignores case in keys: an older automatic key may not equal a newer pinned one in another case."""
    older = _pick_with(Paper("Foo circuits", ("Jane Smith",), 2024, arxiv="2404.00001"), "2024-04-01-a")
    newer = _pick_with(Paper("Other", ("B C",), 2024, arxiv="2404.00002", key="Smith2024Foo"), "2024-04-02-b")
    keys = [c.key for c in Citations([older, newer]).entries]
    assert keys[1] == "Smith2024Foo" and keys[0].lower() != "smith2024foo"
    library = bibtexparser.parse_string("".join(c.text + "\n\n" for c in Citations([older, newer]).entries))
    assert len({e.key.lower() for e in library.entries}) == 2


def _pick_with(paper: Paper, pick_id: str = "2024-04-11-x"):
    from dataclasses import replace

    pick = load_one_pick(pick_text(date=pick_id[:10]), f"{pick_id}.md")
    return replace(pick, papers=(paper,), id=pick_id)
