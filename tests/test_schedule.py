"""Scheduled picks: a pick dated after "now" is published nowhere until then; now comes from the environment."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import bibtexparser
import feedparser
import pytest
from click.testing import CliRunner

from conftest import mkdocs_build, pagefind_records, pick_text, write_project
from generator.cli import main
from generator.core.schedule import NowError, publishing_now

PICKS = {
    "2024-04-10-past.md": pick_text("Past pick", "2024-04-10", arxiv="2404.00010"),
    "2024-04-12-future.md": pick_text("Future pick", "2024-04-12T09:00:00+02:00", arxiv="2404.00012"),
}
BEFORE, AFTER = "2024-04-12T06:59:59Z", "2024-04-12T07:00:00Z"  # the future pick is due at 07:00 UTC


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"PICKS_NOW": "2024-04-12T09:00:00+02:00"}, datetime(2024, 4, 12, 7, tzinfo=UTC)),
        ({"PICKS_NOW": "2024-04-12T07:00Z", "SOURCE_DATE_EPOCH": "0"}, datetime(2024, 4, 12, 7, tzinfo=UTC)),
        ({"SOURCE_DATE_EPOCH": "1712905200"}, datetime(2024, 4, 12, 7, tzinfo=UTC)),
    ],
)
def test_now_comes_from_picks_now_then_source_date_epoch(environ: dict, expected: datetime) -> None:
    now = publishing_now(environ)
    assert now == expected and now.tzinfo is UTC


def test_now_falls_back_to_the_clock() -> None:
    before = datetime.now(UTC)
    assert before <= publishing_now({}) <= datetime.now(UTC)


@pytest.mark.parametrize("environ", [{"PICKS_NOW": "2024-04-12"}, {"PICKS_NOW": "soon"}, {"SOURCE_DATE_EPOCH": "x"}])
def test_a_bad_now_is_refused_by_name(environ: dict) -> None:
    with pytest.raises(NowError, match=next(iter(environ))):
        publishing_now(environ)


def _published(site: Path) -> dict[str, object]:
    """Where a pick could show: its page, the home listing, feeds, exports, search."""
    bib = bibtexparser.parse_string((site / "picks.bib").read_text("utf-8"))
    return {
        "pages": sorted(p.parent.name for p in (site / "picks").glob("*/index.html")),
        "home": "Future pick" in (site / "index.html").read_text("utf-8"),
        "rss": [e.title for e in feedparser.parse((site / "feed.xml").read_bytes()).entries],
        "atom": [e.title for e in feedparser.parse((site / "atom.xml").read_bytes()).entries],
        "json": [i["title"] for i in json.loads((site / "feed.json").read_text("utf-8"))["items"]],
        "digest": "Future pick" in (site / "digest/feed.xml").read_text("utf-8"),
        "bib": sorted(e["eprint"] for e in bib.entries),
        "ris": (site / "picks.ris").read_text("utf-8").count("ER  -"),
        "csl": len(json.loads((site / "picks.json").read_text("utf-8"))),
        "search": sorted(url for url in pagefind_records(site) if url.startswith("picks/")),
    }


def test_a_pick_is_published_nowhere_before_its_time_and_everywhere_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write_project(tmp_path, PICKS)
    monkeypatch.setenv("PICKS_NOW", BEFORE)
    assert mkdocs_build(config).returncode == 0
    before = _published(tmp_path / "site")
    assert before == {
        "pages": ["2024-04-10-past"],
        "home": False,
        "rss": ["Past pick"],
        "atom": ["Past pick"],
        "json": ["Past pick"],
        "digest": False,
        "bib": ["2404.00010"],
        "ris": 1,
        "csl": 1,
        "search": ["picks/2024-04-10-past/"],
    }
    feeds = {name: (tmp_path / "site" / name).read_bytes() for name in ("feed.xml", "atom.xml", "picks.bib")}
    assert mkdocs_build(config).returncode == 0  # the same picks and now: byte-identical
    assert {name: (tmp_path / "site" / name).read_bytes() for name in feeds} == feeds

    monkeypatch.setenv("PICKS_NOW", AFTER)  # the next daily run: due now, with no change to the files
    assert mkdocs_build(config).returncode == 0
    after = _published(tmp_path / "site")
    # The digest feed holds closed weeks only: the pick reaches it once its week has ended (issue 32).
    assert after["pages"] == ["2024-04-10-past", "2024-04-12-future"] and after["home"] and not after["digest"]
    assert after["rss"] == after["atom"] == after["json"] == ["Future pick", "Past pick"]
    assert after["bib"] == ["2404.00010", "2404.00012"] and after["ris"] == after["csl"] == 2
    assert after["search"] == ["picks/2024-04-10-past/", "picks/2024-04-12-future/"]
    monkeypatch.setenv("PICKS_NOW", "2024-04-15T00:00:00Z")  # Monday: the pick's week has ended
    assert mkdocs_build(config).returncode == 0
    assert _published(tmp_path / "site")["digest"]


def test_check_notes_a_scheduled_pick_and_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(tmp_path, PICKS)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PICKS_NOW", BEFORE)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert "picks/2024-04-12-future.md:3: note: date: scheduled for 2024-04-12 07:00 UTC" in result.output
    monkeypatch.setenv("PICKS_NOW", AFTER)
    assert "scheduled" not in CliRunner().invoke(main, ["check"]).output


def test_email_leaves_a_scheduled_pick_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(tmp_path, PICKS, digest={"every": "week", "sender": "p@example.org"})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PICKS_NOW", BEFORE)
    assert CliRunner().invoke(main, ["email", "2024-W15", "--out", "mail"]).exit_code == 0
    text = (tmp_path / "mail/2024-W15.txt").read_text("utf-8")
    assert "Past pick" in text and "Future pick" not in text


def test_a_bad_now_stops_the_build_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PICKS_NOW", "tomorrow")
    result = mkdocs_build(write_project(tmp_path, PICKS))
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "PICKS_NOW: 'tomorrow' is not an ISO 8601 date-time" in output
