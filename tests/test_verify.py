"""``picks check --online`` against real arXiv and Crossref servers on 127.0.0.1: warnings, notes and the cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fake_apis import ArxivPaper

from conftest import VALID_PICK, pick_text
from generator.cli import main

SINGH_PICK = VALID_PICK  # a shortened title and two of the five authors: both differ from arXiv
ACCENTS_PICK = pick_text(
    "Accents",
    "2024-04-12",
    arxiv="2401.00001",
    paper_title="Godel, α-heads and line breaks",
    authors='["Goncalo Paulo", "Lukasz Kaiser", "李华", "Jorg Muller", "Zoe O Briain", "Perez, Ana Maria"]',
).replace("    year: 2024", "    year: 2023")
OLD_VERSION_PICK = pick_text(
    "Old version", "2024-04-13", arxiv="2402.00002v1", paper_title="A withdrawn result", authors="[Ada Lovelace]"
)
DOI_PICK = (
    pick_text("By DOI", "2024-04-14", paper_title="Locating and editing factual associations in GPT")
    .replace('    arxiv: "2404.07129"', '    doi: "10.5555/3600270.3601532"')
    .replace("authors: [Ada Lovelace, Alan Turing]", "authors: [Kevin Meng, David Bau]")
    .replace("year: 2024", "year: 2021")
)
UNKNOWN_PICK = pick_text("Unknown", "2024-04-15", arxiv="2412.99999")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def checked(project_with_picks, apis):
    return project_with_picks, apis


@pytest.fixture
def project_with_picks(make_project, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = make_project(
        {
            "2024-04-11-singh.md": SINGH_PICK,
            "2024-04-12-accents.md": ACCENTS_PICK,
            "2024-04-13-old-version.md": OLD_VERSION_PICK,
            "2024-04-14-doi.md": DOI_PICK,
            "2024-04-15-unknown.md": UNKNOWN_PICK,
        }
    )
    monkeypatch.chdir(config.parent)
    return config.parent


def test_online_check_reports_differences(checked) -> None:
    root, apis = checked
    result = run("check", "--online")
    assert result.exit_code == 0, result.output  # warnings and notes never fail a check
    assert result.stdout.splitlines() == [
        "picks/2024-04-11-singh.md:7: warning: papers[0].title: arXiv says the title is 'What needs to go right for an "
        "induction head? A mechanistic study of in-context learning circuits and their formation'",
        "picks/2024-04-11-singh.md:8: warning: papers[0].authors: arXiv lists 5 authors: Aaditya K. Singh, "
        "Ted Moskovitz, Felix Hill, Stephanie C. Y. Chan, Andrew M. Saxe",
        "picks/2024-04-13-old-version.md:8: note: papers[0].arxiv: arXiv has a newer version, v2",
        "picks/2024-04-14-doi.md:7: warning: papers[0].year: Crossref says 2022",
        "picks/2024-04-15-unknown.md:8: warning: papers[0].arxiv: arXiv does not know this id",
        "0 errors, 4 warnings in 5 picks",
    ]
    assert "--online: 2 request(s) to the APIs, 5 papers" in result.stderr  # one arXiv batch, one Crossref


def test_second_run_asks_nothing_and_refresh_asks_again(checked) -> None:
    root, apis = checked
    first = run("check", "--online")
    asked = len(apis.requests)
    second = run("check", "--online")
    assert len(apis.requests) == asked + 1  # only the id arXiv does not know is asked again
    assert second.stdout == first.stdout and list((root / ".cache" / "picks").rglob("*.json"))
    run("check", "--online", "--refresh")
    assert len(apis.requests) == asked * 2 + 1


def test_default_check_stays_offline(checked) -> None:
    root, apis = checked
    result = run("check")
    assert apis.requests == [] and "warning: papers[0].title" not in result.stdout


def test_github_format_shows_notes_as_notices(checked) -> None:
    result = run("check", "--online", "--format", "github")
    assert "::notice file=picks/2024-04-13-old-version.md,line=8,title=papers[0].arxiv::arXiv has a newer version" in (
        result.stdout
    )


def test_unreachable_apis_are_one_warning(project_with_picks) -> None:
    result = run("check", "--online")
    assert result.exit_code == 0 and "warning: --online: could not compare with the APIs" in result.stderr


def test_a_hundred_picks_take_one_request_cold_and_none_warm(make_project, apis, monkeypatch) -> None:
    picks = {}
    for number in range(100):
        arxiv_id = f"2405.{number + 1:05d}"
        apis.arxiv[arxiv_id] = ArxivPaper(
            arxiv_id, f"Paper {number}", ["Ada Lovelace", "Alan Turing"], {1: "2024-05-01"}
        )
        day = f"2024-{1 + number // 28:02d}-{1 + number % 28:02d}"
        picks[f"{day}-p{number}.md"] = pick_text(f"Paper {number}", day, arxiv=arxiv_id)
    monkeypatch.chdir(make_project(picks).parent)
    cold = run("check", "--online")
    assert cold.exit_code == 0 and "--online: 1 request(s) to the APIs, 100 papers" in cold.stderr
    warm = run("check", "--online")
    assert "--online: 0 request(s)" in warm.stderr and warm.stdout == cold.stdout


X2_PICK = (
    pick_text("Two", "2024-04-16", paper_title="Unknown", authors="[Ada Lovelace]")
    .replace('    arxiv: "2404.07129"', '    doi: "10.9999/nothing"')
    .replace(
        "---\n\n",
        "  - title: A retracted result\n    authors: [Ada Lovelace]\n    year: 2024\n"
        '    arxiv: "2402.00002v2"\n---\n\n',
        1,
    )
)


def test_every_paper_of_an_x2_pick_is_compared(make_project, apis, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unknown first paper (a DOI: Crossref's) does not stop the second from being compared; citing the
    newest version gets no note."""
    monkeypatch.chdir(make_project({"2024-04-16-two.md": X2_PICK}).parent)
    result = run("check", "--online")
    assert result.stdout.splitlines() == [
        "picks/2024-04-16-two.md:8: warning: papers[0].doi: Crossref does not know this id",
        "picks/2024-04-16-two.md:9: warning: papers[1].title: arXiv says the title is 'A withdrawn result'",
        "0 errors, 2 warnings in 1 pick",
    ]


def test_the_cache_makes_its_folders_and_a_lookup_reads_it_first(apis, tmp_path: Path) -> None:
    from generator.core.paper_ids import PaperRef
    from generator.sources.metadata import MetadataClient
    from generator.sources.verify import MetadataCache, lookup

    ref = PaperRef("arxiv", "2404.07129")
    cache = MetadataCache(tmp_path / "new" / "cache")
    first, _ = lookup([ref], MetadataClient(), cache)
    asked = len(apis.requests)
    second, unknown = lookup([ref], MetadataClient(), cache)
    assert second == first and unknown == [] and len(apis.requests) == asked == 1
    assert lookup([ref], MetadataClient(), cache, refresh=True)[0] == first and len(apis.requests) == 2


def test_what_is_asked_for_a_paper() -> None:
    from generator.core.model import Paper
    from generator.core.paper_ids import PaperRef
    from generator.sources.verify import paper_ref

    assert paper_ref(Paper("T", ("A B",), 2024, arxiv="2404.07129v2", doi="10.1/x")) == PaperRef(
        "arxiv", "2404.07129v2"
    )
    assert paper_ref(Paper("T", ("A B",), 2024, doi="10.1/x")) == PaperRef("doi", "10.1/x")
    assert paper_ref(Paper("T", ("A B",), 2024, url="https://example.org/paper")) is None


@pytest.mark.parametrize(
    ("ours", "theirs", "same"),
    [
        ("In-context learning", "In context  learning", True),
        ("Gödel's heads", "GODELS HEADS", True),
        ("In-context learning", "Incontextlearning", True),
        ("In-context learning", "In-context earning", False),
        ("Heads 2", "Heads 3", False),
    ],
)
def test_titles_compare_without_case_accents_spacing_or_punctuation(ours: str, theirs: str, same: bool) -> None:
    from generator.sources.verify import _folded

    assert (_folded(ours) == _folded(theirs)) is same


def test_authors_in_another_order_are_a_difference(make_project, apis, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same names in another order are not the paper's author list: the first author is who it is cited by."""
    swapped = ACCENTS_PICK.replace('["Goncalo Paulo", "Lukasz Kaiser",', '["Lukasz Kaiser", "Goncalo Paulo",')
    monkeypatch.chdir(make_project({"2024-04-12-accents.md": swapped}).parent)
    result = run("check", "--online")
    assert result.stdout.splitlines() == [
        "picks/2024-04-12-accents.md:6: warning: papers[0].authors: arXiv lists 6 authors: Gonçalo Paulo, "
        "Łukasz Kaiser, 李华, Jörg Müller, Zoë Ó Briain, Ana María Pérez",
        "0 errors, 1 warning in 1 pick",
    ]
