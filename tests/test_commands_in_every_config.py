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


def _x_archive(folder: Path) -> Path:
    """An X archive of one post, Monday 15 April 01:30 in Kiritimati, naming the theory collection."""
    archive = folder / "sources" / "data"
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
    return archive.parent


def test_import_files_a_post_by_the_sites_day_and_its_collections_title(project: Path, tmp_path: Path) -> None:
    result = run("import", str(_x_archive(tmp_path)))
    assert result.exit_code == 0, result.output
    [written] = [p for p in (project / "picks").glob("2024-04-15-*.md") if "# source: " in p.read_text("utf-8")]
    front = yaml.safe_load(written.read_text("utf-8").split("---\n")[1])
    assert front["collection"] == "theory" and front["title"] == "Сети и головы"
    assert front["date"].isoformat() == "2024-04-15T01:30:00+14:00"


def _configure(project: Path, **picks_options: object) -> None:
    config = yaml.safe_load((project / "mkdocs.yml").read_text("utf-8"))
    plugin = config["plugins"][1]["picks"]
    for key, value in picks_options.items():
        plugin[key] = value
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")


# At 00:30 on Monday 15 April in Kiritimati the running pick (01:00 there) is not published yet; at 12:00 it is.
BEFORE, AFTER = "2024-04-15T00:30:00+14:00", "2024-04-15T12:00:00+14:00"


@pytest.mark.parametrize(("now", "interpretability"), [(BEFORE, ["2401.00001"]), (AFTER, ["2404.00015", "2401.00001"])])
def test_hf_sync_keeps_each_collections_hub_collection_in_its_order_by_the_sites_clock(
    project: Path, monkeypatch: pytest.MonkeyPatch, now: str, interpretability: list[str]
) -> None:
    from fake_hub import FakeHub, serve_hub

    interp, theory = "daily-picks/interp-65f0a1b2c3d4e5f6a7b8c9d0", "daily-picks/theorie-65f0a1b2c3d4e5f6a7b8c9d1"
    collections = {
        "interpretability": {"title": "Interpretability & Analysis of LMs", "order": "newest-first"},
        "theory": {"title": "Théorie des réseaux"},
    }
    collections["interpretability"]["hf_collection"], collections["theory"]["hf_collection"] = interp, theory
    _configure(project, collections=collections)
    monkeypatch.setenv("PICKS_NOW", now)
    for hub in serve_hub(FakeHub()):
        hub.items[interp], hub.items[theory] = [], []
        hub.papers |= {"2401.00001", "2404.00008", "2404.00010", "2404.00015"}
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        monkeypatch.setenv("HF_TOKEN", hub.token)
        result = run("hf-sync")
        assert result.exit_code == 0, result.output
        assert hub.order(interp) == interpretability  # newest first, the running pick only once published
        assert hub.order(theory) == ["2404.00008", "2404.00010"]  # the site's order: oldest first
        notes = [item["note"]["text"] for item in hub.items[theory]]
        assert notes == [
            "Lundi: réseaux · https://example.org/picks/picks/2024-04-08-lundi/",
            "Mercredi: Сети · https://example.org/picks/picks/2024-04-10-mercredi/",
        ]


@pytest.mark.parametrize(("now", "recorded"), [(BEFORE, 3), (AFTER, 4)])
def test_keys_records_the_papers_published_by_the_sites_clock(project: Path, monkeypatch, now: str, recorded: int):
    monkeypatch.setenv("PICKS_NOW", now)
    result = run("keys")
    assert result.exit_code == 0, result.output
    registry = json.loads((project / ".picks/bibkeys.json").read_text("utf-8"))
    assert len(registry) == recorded and ("arxiv:2404.00015" in registry) is (now == AFTER)
    assert registry["arxiv:2401.00001"]["pick"] == "2024-01-01-nouvel-an"
    assert run("keys", "--check").exit_code == 0


@pytest.mark.parametrize(("now", "papers"), [(BEFORE, 3), (AFTER, 4)])
def test_refresh_reads_the_papers_published_by_the_sites_clock_and_dates_in_utc(
    project: Path, monkeypatch: pytest.MonkeyPatch, now: str, papers: int
) -> None:
    from fake_openalex import FakeOpenAlex, serve_openalex

    import generator.cli.refresh as refresh_command

    _configure(project, citations={"openalex": True, "mailto": "curator@example.org"})
    monkeypatch.setenv("PICKS_NOW", now)
    monkeypatch.setattr(refresh_command, "now", lambda: datetime.fromisoformat(now))
    alex = FakeOpenAlex()
    alex.work("W8", "Réseaux: une théorie", "2024-04-08", doi="10.48550/arxiv.2404.00008", cited_by=3)
    for served in serve_openalex(alex):
        monkeypatch.setenv("PICKS_OPENALEX_API", served.url)
        result = run("refresh")
    assert result.exit_code == 0, result.output
    assert f"refreshed 0 picks' replies and {papers} papers' citations" in result.output
    cached = json.loads((project / ".picks/citations.json").read_text("utf-8"))
    assert cached["arxiv:2404.00008"]["cited_by_count"] == 3
    stamp = {BEFORE: "2024-04-14T10:30:00+00:00", AFTER: "2024-04-14T22:00:00+00:00"}[now]
    assert {entry["refreshed"] for entry in cached.values()} == {stamp}


@pytest.mark.parametrize("network", ["x", "bluesky", "mastodon", "linkedin"])
def test_post_json_for_every_network_keeps_non_ascii_whole(project: Path, network: str) -> None:
    result = run("post", "2024-04-10-mercredi", "--to", network, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["network"] == network and data["url"] == "https://example.org/picks/picks/2024-04-10-mercredi/"
    first = data["posts"][0]
    assert first.startswith("🔍 Today's pick in Théorie des réseaux:\n") and "Mercredi: Сети" in first


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["check"], "0 errors, 0 warnings in 4 picks"),
        (["post", "2024-04-08-lundi", "--to", "bluesky"], "🔍 Today's pick in Théorie des réseaux:"),
        (["announce", "--to", "mastodon", "--dry-run"], "2024-04-15-running"),
        (["email", "write", "2024-W15", "--out", "mail"], "2024-W15"),
        (["email", "send", "2024-W15", "--to", "ada@example.org", "--dry-run"], "would send to ada@example.org"),
        (["hf-sync", "--dry-run"], "site.yml has an hf_collection"),
        (["keys"], ".picks/bibkeys.json: 4 added"),
        (["refresh"], "nothing to refresh"),
        (["import", "ARCHIVE", "--dry-run"], "would write picks/2024-04-15-"),
        (["new", "Mardi", "--offline", "--date", "2024-04-16", "--collection", "theory"], "2024-04-16-mardi.md"),
    ],
)
def test_every_command_reads_the_config_named_by_f_from_anywhere(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], said: str
) -> None:
    """A config under another name, run from another folder: its picks, time zone and collections, not the
    defaults (a command that forgets -f reads ./mkdocs.yml, which is not there)."""
    config = project / "site.yml"
    (project / "mkdocs.yml").rename(config)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    args = [str(_x_archive(tmp_path)) if arg == "ARCHIVE" else arg for arg in args]
    result = run(*args, "-f", str(config))
    assert result.exit_code == 0, result.output
    assert said in result.output
    without = run(*args)
    assert without.exit_code != 0 and "mkdocs.yml" in without.output


@pytest.mark.parametrize(("now", "scheduled"), [(BEFORE, True), (AFTER, False)])
def test_post_warns_of_a_pick_not_yet_published_by_the_sites_clock(project: Path, monkeypatch, now: str, scheduled):
    monkeypatch.setenv("PICKS_NOW", now)
    result = CliRunner().invoke(main, ["post", "2024-04-15-running", "--to", "bluesky"])
    assert result.exit_code == 0 and result.stdout.startswith("🔍 Today's pick in Interpretability & Analysis of LMs:")
    assert ("its page is not on the site yet" in result.stderr) is scheduled


@pytest.mark.parametrize(("now", "period"), [(BEFORE, "2024-W15"), ("2024-04-22T00:30:00+14:00", "2024-W16")])
def test_email_send_takes_the_week_closed_in_the_sites_zone_with_both_collections(
    project: Path, monkeypatch, now, period
):
    # 22 April 00:30 in Kiritimati is still 21 April in UTC, when 2024-W16 would still be running.
    monkeypatch.setenv("PICKS_NOW", now)
    result = run("email", "send", "--to", "zoë@example.org", "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"{period}: the latest closed week" in result.output and "would send to zoë@example.org" in result.output
    write = run("email", "write", period, "--out", "mail")
    assert write.exit_code == 0, write.output
    text = (project / "mail" / f"{period}.txt").read_text("utf-8")
    expected = {"2024-W15": ["Lundi: réseaux", "Mercredi: Сети"], "2024-W16": ["Running week"]}[period]
    assert all(title in text for title in expected)
