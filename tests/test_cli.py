"""``picks check`` and ``picks new`` through click's runner, in a throw-away project."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import VALID_PICK, pick_text
from generator.cli import main

GOOD = "2024-04-11-induction-heads.md"


@pytest.fixture
def project(make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    def make(picks: dict[str, str], **options: object) -> Path:
        config = make_project(picks, **options)
        monkeypatch.chdir(config.parent)
        return config.parent

    return make


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_check_clean_project_exits_0(project) -> None:
    project({GOOD: VALID_PICK})
    result = run("check")
    assert result.exit_code == 0, result.output
    assert result.output == "0 errors, 0 warnings in 1 pick\n"


def test_check_reports_each_finding_on_its_own_line(project) -> None:
    bad = VALID_PICK.replace("tags:", "tagz:").replace("    year: 2024", "    year: soon")
    project({GOOD: bad, "2024-04-12-fine.md": pick_text(date="2024-04-12", arxiv="2404.00001")})
    result = run("check")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"picks/{GOOD}:4: error: tagz: unknown field (did you mean 'tags'?)",
        f"picks/{GOOD}:9: error: papers[0].year: expected a whole number such as 2024, got 'soon'",
        "2 errors, 0 warnings in 2 picks",
    ]


def test_check_warning_alone_exits_0(project) -> None:
    again = pick_text(date="2024-05-01", arxiv="2404.07129v3")
    project({GOOD: VALID_PICK, "2024-05-01-again.md": again})
    result = run("check")
    assert result.exit_code == 0
    assert "picks/2024-05-01-again.md:5: warning: papers[0]: this paper (arxiv:2404.07129)" in result.output
    assert result.output.endswith("0 errors, 1 warning in 2 picks\n")


def test_check_given_paths(project) -> None:
    root = project({GOOD: VALID_PICK, "2024-04-12-bad.md": "no front matter\n"})
    assert run("check", f"picks/{GOOD}").exit_code == 0
    result = run("check", str(root / "picks" / "2024-04-12-bad.md"))
    assert result.exit_code == 1 and ": error: front matter:" in result.output


def test_check_github_annotations(project) -> None:
    project({GOOD: VALID_PICK.replace("tags:", "tagz:")})
    result = run("check", "--format", "github")
    assert result.exit_code == 1
    assert f"::error file=picks/{GOOD},line=4,title=tagz::unknown field (did you mean 'tags'?)" in result.output


@pytest.mark.parametrize("args", [["check", "--format", "xml"], ["check", "no/such/path"], ["frobnicate"]])
def test_usage_errors_exit_2(project, args: list[str]) -> None:
    project({GOOD: VALID_PICK})
    assert run(*args).exit_code == 2


def test_unknown_collection_in_config_is_checked(project) -> None:
    project({GOOD: VALID_PICK.replace("mentions:", "collection: sports\nmentions:")})
    result = run("check")
    assert result.exit_code == 1
    assert f"picks/{GOOD}:5: error: collection: 'sports' is not declared in the config" in result.output


def test_missing_config_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.exit_code == 2 and "mkdocs.yml" in result.output
