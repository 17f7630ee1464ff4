"""``picks hf-sync`` against a local server speaking the Hub's collection API, through the real HfApi."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from fake_hub import FakeHub, serve_hub
from huggingface_hub import HfApi
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import pick_text
from generator.cli import main
from generator.sources.hf_sync import NOTE_LIMIT, WRITE_BUDGET, HubCollection, Wanted, moves, note_for, plan

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
        served.papers |= {f"2404.{n:05d}" for n in range(1, 10)}
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
    # Not a paper, so never ours, though its note links a pick page: prune keeps it.
    hub.add(SLUG, "someone/b-dataset", "dataset", note="Data · https://example.org/picks/picks/2023-01-01-gone/")
    hub.add(SLUG, "2301.00001", "paper", note="a paper someone else added")
    hub.add(SLUG, "2302.00002", "paper", note="Old · https://example.org/picks/picks/2023-01-01-gone/")
    planned = sync("--prune", "--dry-run").output
    assert sync("--prune").exit_code == 0
    assert f"dry run, {hub.writes} write(s) planned" in planned  # the plan counts exactly what the sync does
    assert hub.order(SLUG) == [*NEWEST_FIRST, "someone/a-model", "someone/b-dataset", "2301.00001"]
    assert sync("--prune").exit_code == 0 and "0 write(s)" in sync("--prune").output


def test_dry_run_writes_nothing(hub: FakeHub, project) -> None:
    project()
    result = sync("--dry-run")
    assert result.exit_code == 0 and hub.writes == 0 and hub.items[SLUG] == []
    assert "add 2404.00003: Double · https://example.org/picks/picks/2024-04-03-x2/" in result.output
    assert "dry run, 4 write(s) planned, none made" in result.output


def test_rate_limit_midway_then_a_rerun_converges(hub: FakeHub, project) -> None:
    project()
    hub.quota = 3  # one read and two writes, then 429 with the window's reset in its RateLimit header
    first = sync()
    assert first.exit_code == 1 and "rate-limited this token (HTTP 429). Run again in 300 s" in first.output
    assert "2 write(s)" in first.output and hub.token not in first.output
    hub.new_window()
    hub.quota = 1000
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
    assert f"reading interpretability → {SLUG}" in result.output


def test_an_unknown_paper_is_skipped_and_the_rest_goes_on(hub: FakeHub, project) -> None:
    project()
    hub.papers.discard("2404.00002")  # the Hub has no page for it (yet): 404 on add
    result = sync()
    assert result.exit_code == 0, result.output
    line = "skip: 2024-04-02-second: the Hub has no paper page for arXiv 2404.00002 (404); left out until it has"
    assert line in result.output
    assert hub.order(SLUG) == [p for p in NEWEST_FIRST if p != "2404.00002"]
    hub.papers.add("2404.00002")  # the next day it has one
    assert sync().exit_code == 0 and hub.order(SLUG) == NEWEST_FIRST


def test_positions_are_stored_values_with_gaps(hub: FakeHub, project) -> None:
    project()
    for paper in ("2404.00009", *reversed(NEWEST_FIRST), "2404.00008"):
        hub.add(SLUG, paper, note="by hand")
    hub.items[SLUG] = [i for i in hub.items[SLUG] if i["id"] not in ("2404.00009", "2404.00008")]  # gaps remain
    assert [i["position"] for i in hub.items[SLUG]] == [1, 2, 3, 4]
    assert sync().exit_code == 0 and hub.order(SLUG) == NEWEST_FIRST
    assert "0 write(s)" in sync().output


def _wanted(count: int) -> list[Wanted]:
    return [Wanted(f"2401.{n:05d}", f"Pick {n} · https://example.org/picks/{n}/", f"pick-{n}") for n in range(count)]


@pytest.fixture
def big_hub(hub: FakeHub) -> tuple[FakeHub, HfApi]:
    hub.papers |= {w.paper for w in _wanted(800)}
    return hub, HfApi(endpoint=hub.url, token=hub.token)


def _sync(api: HfApi, wanted: list[Wanted], budget: int = WRITE_BUDGET):
    collection = HubCollection(api, SLUG)
    planned = plan(collection.items(), wanted, "https://example.org/picks/", prune=False)
    return collection.apply(planned, budget)


def test_one_stale_item_on_top_of_800_costs_one_move(big_hub) -> None:
    hub, api = big_hub
    hub.add(SLUG, "someone/stale-model", "model")
    for w in _wanted(800):
        hub.add(SLUG, w.paper, note=w.note)
    report = _sync(api, _wanted(800))
    assert report.writes == 1 and hub.order(SLUG) == [w.paper for w in _wanted(800)] + ["someone/stale-model"]
    assert len(moves(["x", *"abcdef"], list("abcdef"))) == 1
    assert len(moves(list("fabcde"), list("abcdef"))) == 1  # the newest pick, added at the bottom: one move up


@given(st.permutations(list(range(30))))
@settings(max_examples=60, deadline=None)
def test_moves_give_the_order_and_are_fewest(current: list[int]) -> None:
    ids, order = [str(i) for i in current], [str(i) for i in range(30)]
    planned = moves(ids, order)
    result = list(ids)
    for item_id, after in planned:  # applied as the Hub stores it: below ``after`` (None: on top)
        result.remove(item_id)
        result.insert(0 if after is None else result.index(after) + 1, item_id)
    assert result == order
    longest = max((len(run) for run in _increasing_runs(current)), default=0)
    assert len(planned) == 30 - longest


def _increasing_runs(values: list[int]) -> list[list[int]]:
    best: list[list[int]] = []
    for index, value in enumerate(values):
        before = [run for run in best[:index] if run[-1] < value]
        best.append(max(before, key=len, default=[]) + [value])
    return best


def test_a_first_sync_of_800_stays_in_budget_and_under_the_rate_limit(big_hub) -> None:
    hub, api = big_hub
    runs = []
    while True:
        hub.new_window()  # one run a day: each starts a fresh window
        report = _sync(api, _wanted(800))
        runs.append((report.writes, hub.requests))
        assert not report.rate_limited and hub.requests < hub.quota
        assert hub.order(SLUG) == [w.paper for w in _wanted(800)][: len(hub.items[SLUG])]  # never out of order
        if not report.left:
            break
    assert runs == [(300, 301), (300, 301), (200, 202)]
    hub.new_window()
    assert _sync(api, _wanted(800)).writes == 0 and hub.requests == 2  # the read of plan and apply's read
    daily = [Wanted("2401.99999", "Newest · https://example.org/picks/new/", "new"), *_wanted(800)]
    hub.papers.add("2401.99999")
    hub.new_window()
    report = _sync(api, daily)
    assert (report.writes, hub.requests) == (2, 4) and hub.order(SLUG)[0] == "2401.99999"  # add, then one move


def test_a_429_stops_cleanly_and_the_next_run_continues(big_hub) -> None:
    hub, api = big_hub
    hub.quota = 50
    report = _sync(api, _wanted(100), budget=1000)
    assert report.rate_limited and report.retry_in == 300 and report.writes == 49
    assert hub.order(SLUG) == [w.paper for w in _wanted(100)][:49]  # what was written is in order
    hub.new_window()
    hub.quota = 1000
    assert not _sync(api, _wanted(100)).rate_limited and hub.order(SLUG) == [w.paper for w in _wanted(100)]


def test_nothing_configured_says_so(make_project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(make_project(PICKS).parent)
    for args in (["--dry-run"], []):
        result = sync(*args)
        assert result.exit_code == 0 and "nothing to sync: no collection in mkdocs.yml has an hf_collection" in (
            result.output
        )


def test_a_dry_run_needs_no_token_for_a_public_collection(hub: FakeHub, project, monkeypatch) -> None:
    project()
    monkeypatch.delenv("HF_TOKEN")
    result = sync("--dry-run")
    assert result.exit_code == 0 and "dry run, 4 write(s) planned, none made" in result.output
    hub.private.add(SLUG)
    result = sync("--dry-run")
    assert result.exit_code == 1 and "HTTP 404" in result.output
    assert "a private collection needs HF_TOKEN even for a dry run" in result.output
    monkeypatch.setenv("HF_TOKEN", hub.token)
    assert sync("--dry-run").exit_code == 0


def test_the_declared_huggingface_hub_range_is_the_one_tested() -> None:
    """hf-sync imports huggingface_hub 2.x's HTTP client (httpx2): the declared range must not admit 0.x or 1.x."""
    import tomllib
    from importlib.metadata import version

    from packaging.requirements import Requirement

    from conftest import ROOT

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    [declared] = [Requirement(r) for r in project["dependencies"] if r.startswith("huggingface_hub")]
    assert version("huggingface_hub") in declared.specifier
    assert not any(declared.specifier.contains(v) for v in ("0.24.0", "1.0.0", "1.9.9"))


def test_a_scheduled_pick_waits_for_its_date(hub: FakeHub, project, monkeypatch: pytest.MonkeyPatch) -> None:
    project()
    monkeypatch.setenv("PICKS_NOW", "2024-04-02T12:00:00Z")  # the picks of 3 and 4 April are not due yet
    assert sync().exit_code == 0
    assert hub.order(SLUG) == ["2404.00002", "2404.00001"]
    monkeypatch.setenv("PICKS_NOW", "2024-04-05T00:00:00Z")
    assert sync().exit_code == 0 and hub.order(SLUG) == NEWEST_FIRST


def test_each_refusal_of_the_hub_is_named(hub: FakeHub, project, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only token (403) and a missing collection (404) each get their own hint, naming what failed."""
    project()
    monkeypatch.setenv("HF_TOKEN", hub.read_only_token)
    result = sync()
    assert result.exit_code == 1 and hub.writes == 0
    assert (
        f"error: writing interpretability → {SLUG}: the Hub answered HTTP 403 (HF_TOKEN may not write this "
        + ("collection)")
        in result.output
    )
    monkeypatch.setenv("HF_TOKEN", hub.token)
    del hub.items[SLUG]
    result = sync()
    assert result.exit_code == 1
    assert (
        f"error: reading interpretability → {SLUG}: the Hub answered HTTP 404 (no such collection, or a "
        + ("private one and no HF_TOKEN that may read it)")
        in result.output
    )


def test_a_refused_note_and_a_server_error_are_described(hub: FakeHub) -> None:
    """400 (here: a note over the Hub's limit) has its hint; a status without one is reported bare."""
    import httpx2
    from huggingface_hub.errors import HfHubHTTPError

    from generator.sources.hf_sync import describe

    hub.items[SLUG] = []
    collection = HubCollection(HfApi(endpoint=hub.url, token=hub.token), SLUG)
    with pytest.raises(HfHubHTTPError) as refused:
        collection.apply(plan([], [Wanted("2404.00001", "x" * (NOTE_LIMIT + 1))], "", prune=False), 10)
    described = describe(refused.value, "writing it")
    assert described == "writing it: the Hub answered HTTP 400 (the Hub refused the request)"
    failed = HfHubHTTPError("boom", response=httpx2.Response(503, request=httpx2.Request("GET", hub.url)))
    assert describe(failed, "reading it") == "reading it: the Hub answered HTTP 503"


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"RateLimit": '"api";r=0;t=55', "Retry-After": "300"}, 55),  # the window's own reset wins
        ({"Retry-After": "120"}, 120),
        ({"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"}, None),  # an HTTP date: not a wait we can print
        ({}, None),
    ],
)
def test_the_wait_after_a_429_comes_from_the_headers(headers: dict[str, str], seconds: int | None) -> None:
    import httpx2
    from huggingface_hub.errors import HfHubHTTPError

    from generator.sources.hf_sync import retry_after

    response = httpx2.Response(429, headers=headers, request=httpx2.Request("GET", "http://127.0.0.1/"))
    assert retry_after(HfHubHTTPError("429", response=response)) == seconds


def test_an_item_removed_by_hand_meanwhile_is_not_an_error(hub: FakeHub) -> None:
    """Between the read and the delete someone removed the item on the Hub: the delete's 404 is success."""
    from generator.sources.hf_sync import HubItem

    gone = hub.add(SLUG, "2404.00001", note="Old · https://example.org/picks/picks/2024-04-01-first/")
    collection = HubCollection(HfApi(endpoint=hub.url, token=hub.token), SLUG)
    planned = plan(
        [HubItem(gone["_id"], "2404.00001", "paper", gone["note"]["text"])],
        [],
        "https://example.org/picks/picks/",
        prune=True,
    )
    hub.items[SLUG].clear()
    report = collection.apply(planned, 10)
    assert planned.delete and hub.items[SLUG] == [] and not report.rate_limited


def test_a_dry_run_counts_adds_notes_and_moves_exactly(hub: FakeHub, project, tmp_path) -> None:
    project()
    sync()
    first = next(item for item in hub.items[SLUG] if item["id"] == "2404.00001")
    first["note"] = {"text": "edited by hand", "html": "edited by hand"}
    from pathlib import Path

    Path("picks/2024-04-05-new.md").write_text(pick_text("New", "2024-04-05", arxiv="2404.00005"), "utf-8")
    before = hub.writes
    planned = sync("--dry-run").output
    assert sync().exit_code == 0 and hub.writes - before == 3  # one add, one note, one move
    assert "dry run, 3 write(s) planned" in planned


def test_a_title_is_cut_only_when_the_note_would_not_fit() -> None:
    from dataclasses import replace

    from conftest import load_one_pick

    url = "https://example.org/picks/picks/2024-04-11-x/"
    room = NOTE_LIMIT - len(url) - len(" · ")
    pick = load_one_pick(pick_text())
    exact = replace(pick, title="x" * room)
    assert note_for(exact, url) == f"{'x' * room} · {url}"
    spaced = replace(pick, title="x" * (room - 2) + " yy")  # one too long; the cut falls right after a space
    assert note_for(spaced, url) == f"{'x' * (room - 2)}… · {url}" and len(note_for(spaced, url)) <= NOTE_LIMIT


def test_a_paper_picked_twice_is_one_item_with_the_newest_pick() -> None:
    from conftest import load_one_pick
    from generator.sources.hf_sync import wanted_items

    newer = load_one_pick(pick_text("Again", "2024-04-12", arxiv="2404.00001v2"), "2024-04-12-again.md")
    older = load_one_pick(pick_text("First", "2024-04-01", arxiv="2404.00001"), "2024-04-01-first.md")
    wanted, skipped = wanted_items([newer, older], lambda pick: f"https://e.org/{pick.id}/")
    assert [(w.paper, w.pick_id) for w in wanted] == [("2404.00001", "2024-04-12-again")] and skipped == []


@pytest.mark.parametrize(
    "order",
    [
        [5, 4, 3, 2, 1, 0],
        [1, 2, 3, 4, 5, 0],
        [5, 0, 1, 2, 3, 4],
        [1, 0, 3, 2, 5, 4],
        [0, 5, 1, 2, 3, 4],
        [0, 4, 1, 5, 2, 3],
    ],
    ids=["reversed", "first-to-last", "last-to-first", "pairs-swapped", "between-two-that-stay", "interleaved"],
)
@pytest.mark.parametrize("gap", [1, 3])
def test_moves_in_one_run_keep_track_of_the_positions_they_shift(hub: FakeHub, order: list[int], gap: int) -> None:
    """Several moves in one run, over positions with gaps (deletions leave them): each move is placed by the
    positions the earlier moves left, so the Hub ends in the wanted order with the fewest writes."""
    papers = [f"2404.{n:05d}" for n in range(1, 7)]
    hub.items[SLUG] = []
    for paper in papers:
        hub.add(SLUG, paper)
    for number, item in enumerate(hub.items[SLUG]):
        item["position"] = gap * number + 10
    collection = HubCollection(HfApi(endpoint=hub.url, token=hub.token), SLUG)
    wanted = [Wanted(papers[i], None) for i in order]
    for item in hub.items[SLUG]:
        item["note"] = None
    planned = plan(collection.items(), wanted, "https://example.org/picks/", prune=False)
    report = collection.apply(planned, 100)
    assert hub.order(SLUG) == [papers[i] for i in order]
    assert report.writes == len(moves(papers, [papers[i] for i in order]))


def test_the_budget_is_exact_for_adds_and_for_moves(hub: FakeHub) -> None:
    papers = [f"2404.{n:05d}" for n in range(1, 5)]
    hub.items[SLUG] = []
    api = HfApi(endpoint=hub.url, token=hub.token)
    collection = HubCollection(api, SLUG)
    report = collection.apply(plan([], [Wanted(p, None) for p in papers], "https://e.org/", prune=False), 3)
    assert (report.writes, report.left, hub.order(SLUG)) == (3, 1, papers[:3])
    assert report.requests == hub.requests  # every request this run made, counted once
    collection, before = HubCollection(api, SLUG), hub.requests  # the next run: the last add, then moves
    wanted = [Wanted(p, None) for p in reversed(papers)]
    report = collection.apply(plan(collection.items(), wanted, "https://e.org/", prune=False), 2)
    assert (report.writes, report.left) == (2, 2)  # one add, one move; two moves left
    assert report.requests == hub.requests - before == 4  # the plan's read, the add, apply's read, the move


def test_an_item_added_by_hand_meanwhile_is_not_an_error(hub: FakeHub) -> None:
    """Between the read and the add someone added the same paper: the Hub's 409 is success (exists_ok)."""
    hub.items[SLUG] = []
    collection = HubCollection(HfApi(endpoint=hub.url, token=hub.token), SLUG)
    planned = plan(collection.items(), [Wanted("2404.00001", None)], "https://e.org/", prune=False)
    hub.add(SLUG, "2404.00001")
    report = collection.apply(planned, 10)
    assert hub.order(SLUG) == ["2404.00001"] and not report.rate_limited


def test_each_collection_gets_its_own_picks_in_its_own_order(hub: FakeHub, make_project, monkeypatch) -> None:
    """Two collections, two Hub collections: each holds only its collection's papers, in that collection's order."""
    other = "daily-picks/theorie-65f0a1b2c3d4e5f6a7b8c9d1"
    hub.items[other] = []
    picks = {
        **PICKS,
        "2024-04-05-theory.md": pick_text("Théorie", "2024-04-05", arxiv="2404.00005", extra="collection: theory\n"),
        "2024-04-06-theory.md": pick_text("Сети", "2024-04-06", arxiv="2404.00006", extra="collection: theory\n"),
    }
    collections = {
        "interpretability": {"title": "Interp", "hf_collection": SLUG},
        "theory": {"title": "Théorie", "order": "oldest-first", "hf_collection": other},
    }
    monkeypatch.chdir(make_project(picks, collections=collections).parent)
    result = sync()
    assert result.exit_code == 0, result.output
    assert hub.order(SLUG) == NEWEST_FIRST
    assert hub.order(other) == ["2404.00005", "2404.00006"]
    only = sync("theory")  # one key: that collection alone is read
    assert only.exit_code == 0 and "0 write(s)" in only.output


def test_max_writes_spreads_a_sync_over_runs_and_without_prune_nothing_is_removed(hub: FakeHub, project) -> None:
    project()
    hub.add(SLUG, "2302.00002", "paper", note="Old · https://example.org/picks/picks/2023-01-01-gone/")
    first = sync("--max-writes", "2")
    assert first.exit_code == 0, first.output
    assert hub.writes == 2 and hub.order(SLUG) == ["2302.00002", "2404.00003", "2404.00004"]
    second = sync()  # the default budget finishes it; a pick page that is gone stays without --prune
    assert second.exit_code == 0, second.output
    assert hub.order(SLUG) == [*NEWEST_FIRST, "2302.00002"]
    assert sync("--max-writes", "0").exit_code == 2  # at least one write a run
