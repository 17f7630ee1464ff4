"""Each `picks` command in the configuration test_what_users_see builds (issue 37, point 2): Pacific/Kiritimati, whose
date is a day ahead of UTC's at the instants used, two collections in different orders, non-ASCII text. Expected
values are written out here, never computed by the code under test."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from click.testing import CliRunner
from test_what_users_see import NOW, OPTIONS, PICKS

import generator.cli.new as new_command
from conftest import EXTENSIONS, write_project
from generator.cli import main


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_project(tmp_path, PICKS, markdown_extensions=EXTENSIONS, **OPTIONS)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PICKS_NOW", NOW)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_check_reads_both_collections_and_every_script(project: Path) -> None:
    result = run("check")
    assert result.exit_code == 0 and result.output.endswith("0 errors, 0 warnings in 4 picks\n"), result.output


@pytest.mark.parametrize(
    ("pick", "header"),
    [
        ("2024-04-08-lundi", "🔍 Today's pick in Théorie des réseaux:"),
        ("2024-01-01-nouvel-an", "🔍 Today's pick in Interpretability & Analysis of LMs:"),
    ],
)
def test_post_names_each_picks_own_collection_and_page(project: Path, pick: str, header: str) -> None:
    result = run("post", pick, "--to", "mastodon")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(header + "\n")
    assert f"🔗 https://example.org/picks/picks/{pick}/" in result.output


def test_new_dates_a_pick_by_the_sites_day_not_utcs(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Monday 15 April 01:30 in Kiritimati is still Sunday 14 April in UTC.
    monkeypatch.setattr(
        new_command,
        "now",
        lambda zone: datetime(2024, 4, 15, 1, 30, tzinfo=ZoneInfo("Pacific/Kiritimati")).astimezone(zone),
    )
    result = run("new", "Mardi: têtes", "--collection", "theory", "--offline")
    assert result.exit_code == 0, result.output
    written = project / "picks" / "2024-04-15-mardi-tetes.md"
    front = yaml.safe_load(written.read_text("utf-8").split("---\n")[1])
    assert (front["date"].isoformat(), front["collection"], front["title"]) == ("2024-04-15", "theory", "Mardi: têtes")
    unknown = run("new", "Autre", "--collection", "vision", "--offline")
    assert unknown.exit_code == 2 and "'vision' is not declared" in unknown.output


@pytest.mark.parametrize(
    ("now", "due"),
    [
        ("2024-04-15T12:00:00+14:00", True),  # an hour after the running pick's 01:00 there
        ("2024-04-15T00:30:00+14:00", False),  # half an hour before it: 14 April 10:30 UTC
    ],
)
def test_announce_dry_run_takes_what_is_due_by_the_sites_clock(project: Path, monkeypatch, now: str, due: bool) -> None:
    monkeypatch.setenv("PICKS_NOW", now)
    config = yaml.safe_load((project / "mkdocs.yml").read_text("utf-8"))
    config["plugins"][1]["picks"]["announce"] = {"since": "2024-04-14", "max_per_run": 5}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    result = run("announce", "--to", "mastodon", "--dry-run")
    assert result.exit_code == 0, result.output
    assert ("2024-04-15-running: would post" in result.output) is due
    assert "2024-04-10-mercredi" not in result.output  # before `since`


def test_import_files_a_post_by_the_sites_day_and_its_collections_title(project: Path, tmp_path: Path) -> None:
    archive = tmp_path / "sources" / "data"
    archive.mkdir(parents=True)
    tweet = {
        "tweet": {
            "id_str": "1790000000000000042",
            "created_at": "Sun Apr 14 11:30:00 +0000 2024",  # Monday 15 April 01:30 in Kiritimati
            "full_text": "🔍 Today's pick in Théorie des réseaux: Сети и головы by A. Lovelace\nhttps://t.co/x",
            "entities": {"urls": [{"url": "https://t.co/x", "expanded_url": "https://arxiv.org/abs/2404.00042"}]},
        }
    }
    (archive / "tweets.js").write_text("window.YTD.tweets.part0 = " + json.dumps([tweet]), "utf-8")
    result = run("import", str(archive.parent))
    assert result.exit_code == 0, result.output
    [written] = [p for p in (project / "picks").glob("2024-04-15-*.md") if "# source: " in p.read_text("utf-8")]
    front = yaml.safe_load(written.read_text("utf-8").split("---\n")[1])
    assert front["collection"] == "theory" and front["title"] == "Сети и головы"
    assert front["date"].isoformat() == "2024-04-15T01:30:00+14:00"
