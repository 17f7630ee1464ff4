"""``picks hf-sync`` against a local server speaking the Hub's collection API, through the real HfApi."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from fake_hub import FakeHub, serve_hub

from conftest import pick_text
from generator.cli import main
from generator.sources.hf_sync import NOTE_LIMIT, note_for

SLUG = "daily-picks/interpretability-65f0a1b2c3d4e5f6a7b8c9d0"
PICKS = {
    "2024-04-01-first.md": pick_text("First", "2024-04-01", arxiv="2404.00001"),
    "2024-04-02-second.md": pick_text("Second", "2024-04-02", arxiv="2404.00002v2"),
    "2024-04-03-x2.md": pick_text("Double", "2024-04-03", arxiv="2404.00003").replace(
        "---\n\n", '  - title: Other\n    authors: [Grace Hopper]\n    year: 2023\n    arxiv: "2404.00004"\n---\n\n', 1
    ),
    "2024-04-04-doi.md": pick_text("By DOI", "2024-04-04").replace('    arxiv: "2404.07129"', '    doi: "10.1234/x"'),
}
NEWEST_FIRST = ["2404.00003", "2404.00004", "2404.00002", "2404.00001"]


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch):
    for served in serve_hub(FakeHub()):
        served.items[SLUG] = []
        monkeypatch.setenv("HF_ENDPOINT", served.url)
        monkeypatch.setenv("HF_TOKEN", served.token)
        yield served


@pytest.fixture
def project(make_project, monkeypatch: pytest.MonkeyPatch):
    def make(order: str = "newest-first"):
        collections = {"interpretability": {"title": "Interp", "order": order, "hf_collection": SLUG}}
        monkeypatch.chdir(make_project(PICKS, collections=collections).parent)

    return make


def sync(*args: str):
    return CliRunner().invoke(main, ["hf-sync", *args])


@pytest.mark.parametrize(("order", "expected"), [("newest-first", NEWEST_FIRST), ("oldest-first", None)])
def test_first_sync_orders_and_second_writes_nothing(hub: FakeHub, project, order: str, expected) -> None:
    project(order)
    first = sync()
    assert first.exit_code == 0, first.output
    oldest_first = ["2404.00001", "2404.00002", "2404.00003", "2404.00004"]  # an x2 edition keeps paper order
    assert hub.order(SLUG) == (expected or oldest_first)
    assert "skip: 2024-04-04-doi: 'By DOI' has no arXiv id" in first.output
    writes = hub.writes
    assert writes == 4  # into an empty collection the adds arrive in order: no move needed
    second = sync()
    assert second.exit_code == 0 and hub.writes == writes and "0 write(s)" in second.output


def test_notes_hold_title_and_url_within_the_limit(hub: FakeHub, project) -> None:
    project()
    sync()
    notes = {item["id"]: item["note"]["text"] for item in hub.items[SLUG]}
    assert notes["2404.00001"] == "First · https://example.org/picks/picks/2024-04-01-first/"
    assert notes["2404.00004"].startswith("Double · ")
    from conftest import load_one_pick

    long = load_one_pick(pick_text("word " * 200))
    note = note_for(long, "https://example.org/picks/picks/2024-04-11-x/")
    assert len(note) == NOTE_LIMIT and note.endswith("… · https://example.org/picks/picks/2024-04-11-x/")


def test_a_new_pick_lands_on_top(hub: FakeHub, project, tmp_path) -> None:
    project()
    sync()
    from pathlib import Path

    Path("picks/2024-04-05-newest.md").write_text(pick_text("Newest", "2024-04-05", arxiv="2404.00005"), "utf-8")
    before = hub.writes
    assert sync().exit_code == 0
    assert hub.order(SLUG) == ["2404.00005", *NEWEST_FIRST] and hub.writes - before == 2  # one add, one move


def test_prune_spares_foreign_items(hub: FakeHub, project) -> None:
    project()
    hub.add(SLUG, "someone/a-model", "model", note="kept by hand")
    hub.add(SLUG, "2301.00001", "paper", note="a paper someone else added")
    hub.add(SLUG, "2302.00002", "paper", note="Old · https://example.org/picks/picks/2023-01-01-gone/")
    planned = sync("--prune", "--dry-run").output
    assert sync("--prune").exit_code == 0
    assert f"dry run, {hub.writes} write(s) planned" in planned  # the plan counts exactly what the sync does
    assert hub.order(SLUG) == [*NEWEST_FIRST, "someone/a-model", "2301.00001"]
    assert sync("--prune").exit_code == 0 and "0 write(s)" in sync("--prune").output


def test_dry_run_writes_nothing(hub: FakeHub, project) -> None:
    project()
    result = sync("--dry-run")
    assert result.exit_code == 0 and hub.writes == 0 and hub.items[SLUG] == []
    assert "add 2404.00003: Double · https://example.org/picks/picks/2024-04-03-x2/" in result.output
    assert "dry run, 4 write(s) planned, none made" in result.output


def test_rate_limit_midway_then_a_rerun_converges(hub: FakeHub, project) -> None:
    project()
    hub.fail_after_writes = 2
    first = sync()
    assert first.exit_code == 1 and "HTTP 429 (rate limited: run again later" in first.output
    assert hub.token not in first.output
    second = sync()
    assert second.exit_code == 0 and hub.order(SLUG) == NEWEST_FIRST
    assert "0 write(s)" in sync().output


def test_missing_token_and_bad_token(hub: FakeHub, project, monkeypatch: pytest.MonkeyPatch) -> None:
    project()
    monkeypatch.delenv("HF_TOKEN")
    assert sync().exit_code == 2 and "HF_TOKEN is not set" in sync().output
    monkeypatch.setenv("HF_TOKEN", "hf_wrong")
    result = sync()
    assert result.exit_code == 1 and "HTTP 401 (check HF_TOKEN)" in result.output and "hf_wrong" not in result.output
