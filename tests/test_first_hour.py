"""A new curator's first hour: what `picks new`, `check` and `post` tell them, run as they would run it."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import VALID_PICK
from generator.cli import main


@pytest.fixture
def project(make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    def make(picks: dict[str, str]) -> Path:
        config = make_project(picks)
        monkeypatch.chdir(config.parent)
        return config.parent

    return make


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize(
    ("ref", "file", "year"),
    [
        ("2406.11717", "2026-12-04-2406-11717.md", "year: 2024"),  # the id's year, not the pick's
        ("hep-th/9711200", "2026-12-04-hep-th-9711200.md", "year: TODO"),  # old style: nothing known
        ("10.48550/arXiv.2406.11717", "2026-12-04-10-48550-arxiv-2406-11717.md", "year: TODO"),
    ],
)
def test_offline_new_fills_only_what_the_id_says(project, apis, ref: str, file: str, year: str) -> None:
    root = project({})
    result = run("new", ref, "--offline", "--date", "2026-12-04")
    assert result.exit_code == 0 and apis.requests == []
    text = (root / "picks" / file).read_text("utf-8")
    assert f"\n    {year}\n" in text
    # The rename it suggests works on the file just written, which git does not track yet (issue 32: git mv failed).
    [suggested] = [line.split(": ", 1)[1] for line in result.output.splitlines() if "then rename it" in line]
    assert suggested.startswith("mv ") and file in suggested
    subprocess.run(suggested, shell=True, cwd=root, check=True)
    assert not (root / "picks" / file).exists() and list((root / "picks").glob("*-a-few-words-of-the-title.md"))
    (root / "picks" / file).write_text(text, "utf-8")  # back, for the checks below
    for renamed in (root / "picks").glob("*-a-few-words-of-the-title.md"):
        renamed.unlink()
    check = run("check")
    assert check.exit_code == 1 and f"picks/{file}:" in check.output
    if "TODO" in year:
        assert "papers[0].year: still holds the template's placeholder ('TODO')" in check.output


def test_check_warns_of_a_year_before_the_arxiv_id(project) -> None:
    project({"2024-04-11-x.md": VALID_PICK.replace("    year: 2024", "    year: 2023")})
    result = run("check")
    assert result.exit_code == 0
    assert "picks/2024-04-11-x.md:9: warning: papers[0].year: 2023 is before 2024, the earliest year of a paper" in (
        result.output
    )
    # A January id may be a paper of the year before (submitted on 31 December): no warning.
    january = VALID_PICK.replace('"2404.07129"', '"2401.00001"').replace("    year: 2024", "    year: 2023")
    project({"2024-04-11-x.md": january})
    assert run("check").output == "0 errors, 0 warnings in 1 pick\n"


@pytest.mark.parametrize("typed", ["2406.117", "2406.1171", "arxiv:2406.117", "10.1234", "arxiv.org/abs/2406.117"])
def test_a_mistyped_id_is_not_taken_for_a_title(project, typed: str) -> None:
    root = project({})
    result = run("new", typed, "--offline")
    assert result.exit_code == 2 and "is not an arXiv id (2404.07129" in result.output
    assert not list((root / "picks").glob("*.md"))


def test_a_title_is_still_a_title(project) -> None:
    root = project({})
    assert run("new", "Attention heads in 2024", "--date", "2024-06-01").exit_code == 0
    assert (root / "picks" / "2024-06-01-attention-heads-in-2024.md").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("date: 2024-04-11", "date: 2024-04-12"),
            "date: 2024-04-12 does not match the date 2024-04-11 in the file name: change one of them, "
            "either date: 2024-04-11 or the file name 2024-04-12-x.md",
        ),
        (
            ("title: What needs to go right for an induction head?", "title: Induction heads: a study"),
            "front matter: quote the value, which holds ': ': title: \"Induction heads: a study\"",
        ),
        (
            (
                "    authors: [Aaditya K. Singh, Ted Moskovitz]",
                "    authors:\n      - Aaditya K. Singh\n     - Ted Moskovitz",
            ),
            "front matter: this line is indented 5 space(s); the items of the list above are indented 6",
        ),
    ],
    ids=["date-vs-name", "colon-in-title", "list-indent"],
)
def test_messages_say_the_fix(project, change: tuple[str, str], message: str) -> None:
    project({"2024-04-11-x.md": VALID_PICK.replace(*change)})
    result = run("check")
    assert result.exit_code == 1 and message in result.output, result.output


@pytest.mark.parametrize(
    "body",
    ["TODO: the findings\n", "The findings are TODO for now.\n", "- a finding, TODO\n", "## TODO\n"],
    ids=["line-start", "mid-line", "in-a-list", "heading"],
)
def test_one_placeholder_rule_wherever_it_stands(project, body: str) -> None:
    project({"2024-04-11-x.md": VALID_PICK + "\n" + body})
    result = run("check")
    assert (
        result.exit_code == 1
        and "picks/2024-04-11-x.md:20: error: body: still holds the template's placeholder" in (result.output)
    )


def test_post_takes_a_path_and_suggests_ids(project) -> None:
    project({"2024/2024-04-11-induction-heads.md": VALID_PICK})
    by_path = run("post", "picks/2024/2024-04-11-induction-heads.md", "--to", "bluesky")
    assert by_path.exit_code == 0 and "Today's pick in" in by_path.output
    assert by_path.output == run("post", "2024-04-11-induction-heads", "--to", "bluesky").output
    typo = run("post", "2024-04-11-induktion-heads")
    assert typo.exit_code == 1 and "did you mean 2024-04-11-induction-heads?" in typo.output
    words = run("post", "induction")
    assert words.exit_code == 1 and "did you mean 2024-04-11-induction-heads?" in words.output
