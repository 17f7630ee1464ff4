"""``picks check`` and ``picks new`` through click's runner, in a throw-away project."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import ROOT, VALID_PICK, pick_text
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


def test_check_of_one_file_runs_the_cross_checks_against_every_pick(project) -> None:
    """README's form, `picks check picks/ONE.md`: the duplicate paper of that file is said, the other file's not."""
    again = pick_text(date="2024-05-01", arxiv="2404.07129v3")
    root = project({GOOD: VALID_PICK, "2024-05-01-again.md": again, "2024-05-02-bad.md": "no front matter\n"})
    result = run("check", "picks/2024-05-01-again.md")
    assert result.exit_code == 0, result.output  # the broken file is not the one named
    assert result.output.splitlines() == [
        "picks/2024-05-01-again.md:5: warning: papers[0]: this paper (arxiv:2404.07129) was already picked in "
        "2024-04-11-induction-heads",
        "0 errors, 1 warning in 1 pick",
    ]
    assert run("check", str(root / "picks" / GOOD)).output.endswith("0 errors, 0 warnings in 1 pick\n")


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


def test_new_with_a_title_writes_placeholders_that_check_refuses(project) -> None:
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
    assert result.stdout.splitlines()[0] == str(path.relative_to(root))
    assert "warning: could not fetch the papers' metadata" in result.stderr  # the closed port of no_network
    text = path.read_text("utf-8")
    assert 'title: "Sparse Autoencoders & Friends"' in text and 'arxiv: "2309.08600"' in text
    assert 'tags: ["sparse autoencoders", "features"]' in text
    checked = run("check")
    assert checked.exit_code == 1
    fields = [line.split(": ")[2] for line in checked.stdout.splitlines() if ": error: " in line]
    assert fields == ["papers[0].title", "papers[0].authors[0]", "body", "body"]
    assert "still holds the template's placeholder" in checked.stdout


def test_new_from_an_arxiv_url_writes_a_complete_pick(project, apis) -> None:
    root = project({GOOD: VALID_PICK})
    result = run("new", "https://arxiv.org/abs/2401.00001", "--date", "2024-06-01", "--tag", "probe")
    assert result.exit_code == 0, result.output
    path = root / result.stdout.splitlines()[0]
    assert path.name == "2024-06-01-godel-a-heads-and-line-breaks.md"
    text = path.read_text("utf-8")
    assert 'title: "Gödel, α-heads and line breaks"' in text
    assert (
        'authors: ["Gonçalo Paulo", "Łukasz Kaiser", "李华", "Jörg Müller", "Zoë Ó Briain", "Ana María Pérez"]' in text
    )
    assert "year: 2023" in text and 'venue: "NeurIPS 2024"' in text and 'arxiv: "2401.00001"' in text
    assert "filled in: arxiv 2401.00001: title, 6 authors, year, venue" in result.stdout
    assert "yours to write: the body" in result.stdout
    # Only the body is left: writing it makes the pick pass.
    body = text.split("\n---\n", 1)[1]
    path.write_text(text.replace(body, "\nWhat the paper shows.\n\n- A finding.\n"), "utf-8")
    checked = run("check")
    assert checked.exit_code == 0, checked.output


def test_new_x2_edition_in_one_request_with_a_marked_headline(project, apis) -> None:
    root = project({})
    result = run("new", "2404.07129", "https://doi.org/10.5555/3600270.3601532", "--date", "2024-06-02")
    assert result.exit_code == 0, result.output
    assert len([p for p, _ in apis.requests if p.startswith("/api/query")]) == 1
    text = (root / result.stdout.splitlines()[0]).read_text("utf-8")
    assert text.count("  - title:") == 2 and 'doi: "10.5555/3600270.3601532"' in text
    assert 'code: "https://github.com/aadityasingh/icl-dynamics"' in text
    assert 'title: "TODO: a headline for this x2 edition"' in text
    assert "yours to write: title: the pick's headline" in result.stdout
    assert "title: still holds the template's placeholder" in run("check").stdout


def test_new_title_names_the_pick_and_its_file_and_keeps_the_papers_title(project, apis) -> None:
    root = project({})
    result = run("new", "2401.00001", "--title", "Têtes: a second look", "--date", "2024-06-03")
    assert result.exit_code == 0, result.output
    path = root / result.stdout.splitlines()[0]
    assert path.name == "2024-06-03-tetes-a-second-look.md"
    front = path.read_text("utf-8").split("---\n")[1]
    assert '\ntitle: "Têtes: a second look"\n' in front
    assert '  - title: "Gödel, α-heads and line breaks"' in front  # the paper keeps its own title
    assert "yours to write: the body" in result.stdout and "title:" not in result.stdout.split("yours to write")[1]


def test_new_with_an_unknown_id_writes_nothing(project, apis) -> None:
    root = project({})
    result = run("new", "2412.99999", "--date", "2024-06-02")
    assert result.exit_code == 1 and "unknown to arxiv 2412.99999" in result.stderr
    assert not list((root / "picks").glob("*.md"))


def test_new_offline_writes_placeholders_and_says_so(project, apis) -> None:
    root = project({})
    result = run("new", "2404.07129", "--offline", "--date", "2024-06-02")
    assert result.exit_code == 0 and "--offline" in result.stderr and apis.requests == []
    assert (root / "picks" / "2024-06-02-2404-07129.md").exists()


def test_new_on_a_malformed_answer_is_one_clear_error(project, apis) -> None:
    apis.mode = "malformed"
    result = run("new", "2404.07129", "--date", "2024-06-02")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith("error: arXiv API: not an Atom feed")


def test_new_warns_about_a_withdrawn_paper(project, apis) -> None:
    project({})
    result = run("new", "2402.00002", "--date", "2024-06-02")
    assert result.exit_code == 0 and "was withdrawn" in result.stderr


def test_new_rejects_text_that_names_no_paper(project) -> None:
    project({})
    result = run("new", "2404.07129", "not-a-paper")
    assert result.exit_code == 2 and "'not-a-paper' is not an arXiv id" in result.output


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
    # The file name is valid: check complains only about the placeholders left to fill.
    assert "file name" not in run("check").stdout


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


def test_new_defaults_to_today_in_the_configured_timezone(project, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import UTC, datetime

    import generator.cli.new as cli  # the module, whose clock the command reads

    monkeypatch.setattr(cli, "now", lambda tz: datetime(2024, 6, 1, 11, 0, tzinfo=UTC).astimezone(tz))
    root = project({}, timezone="Pacific/Kiritimati")  # UTC+14: 11:00 UTC is already the next day there
    result = run("new", "Today")
    assert result.exit_code == 0
    assert (root / "picks" / "2024-06-02-today.md").exists()


@pytest.mark.parametrize("bad", ["2406.1171", "2406.11717v", "hep-th/97112"])
def test_new_rejects_an_invalid_arxiv_id_and_writes_nothing(project, bad: str) -> None:
    root = project({})
    result = run("new", "Title", "--date", "2024-06-01", "--arxiv", bad)
    assert result.exit_code == 2
    assert f"'{bad}' is not an arXiv id (expected e.g. 2404.07129, 2404.07129v2 or hep-th/9711200)" in result.output
    assert list((root / "picks").glob("*.md")) == []


def test_shipped_picks_pass_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever picks/ holds today (a contributor's new pick included) checks clean with the repository's config."""
    monkeypatch.chdir(ROOT)
    result = run("check")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("0 errors, ")


def test_mapping_form_plugins_are_read(project) -> None:
    """MkDocs accepts `plugins:` as a mapping; check must then read the same folder and collections."""
    root = project({}, dir="elsewhere")
    config = yaml.safe_load((root / "mkdocs.yml").read_text("utf-8"))
    config["plugins"] = {"search": {}, "picks": config["plugins"][1]["picks"]}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), "utf-8")
    (root / "elsewhere").mkdir()
    (root / "elsewhere" / GOOD).write_text(VALID_PICK.replace("mentions:", "collection: sports\nmentions:"), "utf-8")
    result = run("check")
    assert result.exit_code == 1
    assert f"elsewhere/{GOOD}:5: error: collection: 'sports' is not declared" in result.output


def test_schema_and_version(project) -> None:
    project({})
    schema = json.loads(run("schema").output)
    assert schema == json.loads((ROOT / "schema" / "pick.schema.json").read_text("utf-8"))
    version = run("--version")
    assert version.exit_code == 0 and "0.1.0" in version.output


@pytest.mark.parametrize(
    ("text", "escaped"),
    [("50% done", "50%25 done"), ("two\nlines", "two%0Alines"), ("cr\rlf", "cr%0Dlf")],
)
def test_github_escape_of_percent_and_newlines(text: str, escaped: str) -> None:
    from generator.cli.check import _github_escape

    assert _github_escape(text) == escaped
    assert _github_escape("a:b,c", property=True) == "a%3Ab%2Cc"


@pytest.mark.parametrize(
    ("options", "words"),
    [
        pytest.param(
            {"order": "newest"}, "option 'order': Expected one of: ('newest-first', 'oldest-first')", id="order"
        ),
        pytest.param({"per_page": 0}, "option 'per_page': must be at least 1 (got 0)", id="per-page"),
    ],
)
def test_wrong_config_value_is_a_usage_error_naming_the_key(project, options: dict, words: str) -> None:
    project({GOOD: VALID_PICK}, **options)
    result = run("check")
    assert result.exit_code == 2 and words in result.output


@pytest.mark.parametrize(
    ("ref", "found", "said"),
    [
        (("doi", "10.1/x"), {"doi": "10.1/x", "venue": "ICML"}, "doi 10.1/x: title, 1 author, year, venue"),
        (
            ("arxiv", "2404.07129"),
            {"doi": "10.1/x", "code": "https://c"},
            "arxiv 2404.07129: title, 2 authors, year, doi, code",
        ),
    ],
)
def test_new_says_what_it_filled_in(ref: tuple[str, str], found: dict, said: str) -> None:
    """A DOI found by its own DOI is not news; a DOI arXiv gives is."""
    from generator.core.paper_ids import PaperRef
    from generator.sources.metadata import PaperMetadata
    from generator.sources.new_pick import _filled

    authors = ("Ada Lovelace",) if ref[0] == "doi" else ("Ada Lovelace", "Alan Turing")
    assert _filled(PaperMetadata(PaperRef(*ref), "T", authors, 2024, **found)) == said


@pytest.mark.parametrize(
    ("extra", "date", "state"),
    [("draft: true\n", "2024-04-11", "a draft"), ("", "2099-01-01", "scheduled for 2099-01-01 00:00 UTC")],
    ids=["draft", "scheduled"],
)
def test_post_of_an_unpublished_pick_says_its_link_is_not_live(project, extra: str, date: str, state: str) -> None:
    name = f"{date}-unpublished.md"
    project({name: pick_text("Unpublished", date, extra=extra, arxiv="2404.00001"), GOOD: VALID_PICK})
    result = CliRunner().invoke(main, ["post", "--to", "bluesky", name[:-3]])
    assert result.exit_code == 0 and "🔍 Today's pick in" in result.stdout
    assert f"warning: {name[:-3]} is {state}: its page is not on the site yet" in result.stderr
    published = CliRunner().invoke(main, ["post", "--to", "bluesky", "2024-04-11-induction-heads"])
    assert "warning" not in published.stderr
