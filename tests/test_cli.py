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


def test_new_writes_a_pick_that_check_accepts(project) -> None:
    root = project({GOOD: VALID_PICK})
    result = run(
        "new",
        "Sparse Autoencoders & Friends",
        "--date",
        "2024-06-01",
        "--arxiv",
        "2309.08600",
        "--tag",
        "sparse autoencoders",
        "--tag",
        "features",
    )
    assert result.exit_code == 0, result.output
    path = root / "picks" / "2024-06-01-sparse-autoencoders-friends.md"
    assert result.output.strip() == str(path.relative_to(root))
    text = path.read_text("utf-8")
    assert 'title: "Sparse Autoencoders & Friends"' in text and 'arxiv: "2309.08600"' in text
    assert 'tags: ["sparse autoencoders", "features"]' in text
    checked = run("check")
    assert checked.exit_code == 0, checked.output


def test_new_x2_edition_has_two_papers(project) -> None:
    root = project({})
    assert (
        run("new", "Two papers", "--date", "2024-06-02", "--arxiv", "2404.05971", "--arxiv", "2404.03646").exit_code
        == 0
    )
    text = (root / "picks" / "2024-06-02-two-papers.md").read_text("utf-8")
    assert text.count("  - title:") == 2
    assert run("check").exit_code == 0


def test_new_never_overwrites(project) -> None:
    root = project({})
    assert run("new", "Same", "--date", "2024-06-01").exit_code == 0
    path = root / "picks" / "2024-06-01-same.md"
    path.write_text(path.read_text("utf-8") + "\nMy own words.\n", "utf-8")
    result = run("new", "Same", "--date", "2024-06-01")
    assert result.exit_code == 1 and "already exists" in result.output
    assert path.read_text("utf-8").endswith("My own words.\n")


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        pytest.param("Über die Köpfe: Gonçalo's heads", "uber-die-kopfe-goncalos-heads", id="accents"),
        pytest.param("语言模型的可解释性", "yu-yan-mo-xing-de-ke-jie-shi-xing", id="cjk"),
        pytest.param("!!!", "pick", id="nothing-left"),
    ],
)
def test_new_slugs(project, title: str, slug: str) -> None:
    root = project({})
    result = run("new", title, "--date", "2024-06-01")
    assert result.exit_code == 0, result.output
    assert (root / "picks" / f"2024-06-01-{slug}.md").exists()
    assert run("check").exit_code == 0


@pytest.mark.parametrize("bad", ["2024-02-30", "2024-13-01", "yesterday", "20240601"])
def test_new_rejects_bad_dates(project, bad: str) -> None:
    project({})
    result = run("new", "Title", "--date", bad)
    assert result.exit_code == 2 and "is not a real date" in result.output


def test_new_rejects_unknown_collection(project) -> None:
    project({})
    result = run("new", "Title", "--date", "2024-06-01", "--collection", "sports")
    assert result.exit_code == 2 and "'sports' is not declared" in result.output


def test_github_warning_annotation_and_escaping(project) -> None:
    project(
        {
            GOOD: VALID_PICK,
            "2024-05-01-again.md": pick_text(date="2024-05-01", arxiv="2404.07129"),
            "notes, draft.md": VALID_PICK,
        }
    )
    lines = run("check", "--format", "github").output.splitlines()
    warning = next(line for line in lines if line.startswith("::warning"))
    assert warning.startswith("::warning file=picks/2024-05-01-again.md,line=5,title=papers[0]::this paper (arxiv:")
    assert any(line.startswith("::error file=picks/notes%2C draft.md,line=1,title=file name::") for line in lines)


def test_new_defaults_to_today_in_the_configured_timezone(project) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    root = project({}, timezone="Pacific/Kiritimati")  # UTC+14: often a different day than UTC
    days = {datetime.now(ZoneInfo("Pacific/Kiritimati")).date().isoformat()}
    result = run("new", "Today")
    days.add(datetime.now(ZoneInfo("Pacific/Kiritimati")).date().isoformat())  # in case midnight passed
    assert result.exit_code == 0
    assert any((root / "picks" / f"{day}-today.md").exists() for day in days)
