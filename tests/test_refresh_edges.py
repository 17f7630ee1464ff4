"""``picks refresh`` at its edges, each found by mutmut on sources/refresh.py and sources/replies.py: the exact cost a
pick can take, what is left when a source fails midway, what a failing network leaves in the cache, and the
fields of a reply when the network leaves one out. Expected values are written out here."""

from __future__ import annotations

import time

import pytest
from fake_appview import FakeAppView, serve_appview
from fake_mastodon import FakeMastodon, serve_mastodon
from test_refresh import (
    DID,
    SETTINGS,
    _bluesky_site,
    _conversation,
    _project,
    _refresh_at,
    _replies_of,
    refresh,
    services,
)

from conftest import pick_text, write_project
from generator.cli.common import pick_thread, read_picks
from generator.core.people import People
from generator.mkdocs.config import read_project_config
from generator.sources.replies import USER_AGENT, BudgetSpent, Reader

__all__ = ["services"]  # the fixture, shared with test_refresh.py


def _warnings(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("warning:")]


STAND_INS = {  # each network's stand-in, served, and the variable that points picks refresh at it
    "bluesky": (lambda: serve_appview(FakeAppView(handles={"picks.example.org": DID})), "PICKS_BLUESKY_APPVIEW"),
    "mastodon": (lambda: serve_mastodon(FakeMastodon()), "PICKS_MASTODON_URL"),
}


@pytest.mark.parametrize(
    ("network", "link", "cost"),
    [
        ("bluesky", None, 1 + 8),  # the account's DID, then every key set announce may have used
        ("bluesky", f"https://bsky.app/profile/{DID}/post/3khand", 1 + 1 + 8),  # the linked post, then as above
        ("bluesky", "https://bsky.app/profile/picks.example.org/post/3khand", 1 + 1 + 1 + 8),  # its handle resolved
        ("mastodon", None, 1 + 5 + 1),  # the account looked up, five pages of its statuses, the thread
        ("mastodon", "https://sigmoid.social/@picks/1101", 1 + 1),  # the account, the thread
    ],
)
def test_the_most_a_pick_can_take_is_counted_exactly(tmp_path, monkeypatch, network, link, cost) -> None:
    monkeypatch.chdir(tmp_path)
    extra = f'announced: ["{link}"]\n' if link else ""
    picks = {"2024-04-11-x.md": pick_text("X", "2024-04-11", extra=extra)}
    conversation = {network: True, "requests": cost - 1}
    write_project(tmp_path, picks, **(SETTINGS | {"conversation": conversation, "citations": {"openalex": False}}))
    serve, variable = STAND_INS[network]
    for served in serve():
        monkeypatch.setenv(variable, served.url)
        result = refresh()
    assert _warnings(result.output) == [
        f"warning: 1 picks not read: one can take up to {cost} requests, more than conversation.requests"
        f" ({cost - 1}); raise it in mkdocs.yml"
    ]


def test_once_the_statuses_are_read_a_mastodon_pick_takes_one_request(tmp_path, monkeypatch) -> None:
    # Five picks announced on Mastodon, a budget of 7: the account, one page, then five threads at one each.
    monkeypatch.chdir(tmp_path)
    picks = {f"2024-04-1{n}-p{n}.md": pick_text(f"Pick {n}", f"2024-04-1{n}", arxiv=f"2404.0000{n}") for n in range(5)}
    conversation = {"mastodon": True, "requests": 7}
    config = write_project(tmp_path, picks, **(SETTINGS | {"conversation": conversation, "citations": {}}))
    project = read_project_config(config)
    for toot in serve_mastodon(FakeMastodon()):
        for pick in read_picks(project).picks:
            toot.add(pick_thread(project, pick, "mastodon", People())[0], visibility="public")
        monkeypatch.setenv("PICKS_MASTODON_URL", toot.url)
        result = refresh()
        assert "refreshed 5 picks' replies" in result.output and "left" not in result.output, result.output
        assert toot.requests == 7


def test_what_is_left_when_every_network_and_then_openalex_fail_midway(services, monkeypatch) -> None:
    app, toot, alex, root = services
    for name in ("PICKS_BLUESKY_APPVIEW", "PICKS_MASTODON_URL"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    alex.quota = 1  # the first paper's one request, then 429 on the second paper
    result = refresh()
    # Replies: both networks fail on the first pick, the second waits (1); citations: the second paper waits (1).
    assert "refreshed 0 picks' replies and 1 papers' citations; 2 left for the next run" in result.output


def test_a_pick_too_dear_for_any_run_is_said_even_when_the_budget_stops_the_run(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app, _ = _bluesky_site(tmp_path, 4, requests=10)
    dear = tmp_path / "picks/2024/2024-04-01-p1.md"  # first in the queue: its id sorts first
    link = 'announced: ["https://bsky.app/profile/a.b/post/3k"]\n'
    dear.write_text(pick_text("Pick 1", "2024-04-01", arxiv="2404.00001", extra=link), "utf-8")
    for served in serve_appview(app):
        monkeypatch.setenv("PICKS_BLUESKY_APPVIEW", served.url)
        result = _refresh_at(monkeypatch, 1)
    # p1 can take 11 (> 10): skipped and said; p2 takes 2 (8 left), p3 1 (7 left); p4 (8) waits.
    assert "refreshed 2 picks' replies and 0 papers' citations; 1 left for the next run" in result.output
    assert _warnings(result.output) == [
        "warning: 1 picks not read: one can take up to 11 requests, more than conversation.requests (10);"
        " raise it in mkdocs.yml"
    ]


def test_a_pick_too_dear_is_said_when_every_network_failed_too(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    _bluesky_site(tmp_path, 3, requests=10)
    dear = tmp_path / "picks/2024/2024-04-01-p1.md"
    link = 'announced: ["https://bsky.app/profile/a.b/post/3k"]\n'
    dear.write_text(pick_text("Pick 1", "2024-04-01", arxiv="2404.00001", extra=link), "utf-8")
    monkeypatch.setenv("PICKS_BLUESKY_APPVIEW", "http://127.0.0.1:9")
    result = _refresh_at(monkeypatch, 1)
    assert "refreshed 0 picks' replies and 0 papers' citations; 1 left for the next run" in result.output
    warnings = _warnings(result.output)
    assert len(warnings) == 2 and warnings[0].startswith("warning: bluesky: http://127.0.0.1:9/xrpc/")
    assert warnings[1].startswith("warning: 1 picks not read: one can take up to 11 requests")


def test_a_failing_network_keeps_its_cached_thread_and_the_other_network_is_still_read(services) -> None:
    app, toot, alex, root = services
    assert refresh().exit_code == 0
    before = {t["network"]: t for t in _conversation(root)["2024-04-11-induction"]["threads"]}
    first = toot.statuses[0]
    toot.reply_from("hal", "Hal", "A later reply", first["id"])
    by_hand = toot.add("my own words about ROME", visibility="public")  # rome, read after induction
    toot.reply_from("erin", "Erin", "On ROME", by_hand["id"])
    link = f"https://sigmoid.social/@picks/{by_hand['id']}"
    rome = pick_text("ROME", "2024-04-12", arxiv="2202.05262", extra=f'announced: ["{link}"]\n')
    (root / "picks/2024/2024-04-12-rome.md").write_text(rome, "utf-8")
    app.quota, requests = 0, app.requests  # Bluesky answers 429 from now on
    result = refresh()
    assert result.exit_code == 0
    assert app.requests - requests == 1  # once failed, Bluesky is asked nothing more this run
    threads = {t["network"]: t for t in _conversation(root)["2024-04-11-induction"]["threads"]}
    assert threads["bluesky"] == before["bluesky"]  # the cached answer stays
    assert [r["text"] for r in threads["mastodon"]["replies"]] == ["Nice pick! #interp", "A later reply"]
    assert [r["text"] for r in _replies_of(root, "2024-04-12-rome", "mastodon")] == ["On ROME"]  # the next pick too
    conversation = _conversation(root)
    assert conversation["2024-04-12-rome"]["refreshed"] == "2024-05-01T06:00:00+00:00"  # from the first run


def test_a_first_post_deleted_since_the_last_run_takes_its_thread_off(services) -> None:
    app, toot, alex, root = services
    assert refresh().exit_code == 0
    toot.statuses.pop(0)  # the curator deleted the pick's first post on Mastodon
    assert refresh().exit_code == 0
    threads = _conversation(root)["2024-04-11-induction"]["threads"]
    assert [t["network"] for t in threads] == ["bluesky"]


def test_a_mastodon_account_without_statuses_and_a_reply_of_its_own_with_the_first_posts_text(services) -> None:
    app, toot, alex, root = services
    first = toot.statuses[0]
    # The account later replied to someone with the very words of the pick's first post: never its first post.
    toot.add(toot.text_of(first), reply_to="120000000000000001", visibility="public")
    assert refresh().exit_code == 0
    [thread] = [t for t in _conversation(root)["2024-04-11-induction"]["threads"] if t["network"] == "mastodon"]
    assert thread["uri"] == first["uri"]
    toot.statuses.clear()  # an account with nothing posted: no thread, no error
    result = refresh()
    assert result.exit_code == 0 and _warnings(result.output) == []


def test_the_first_post_of_an_account_found_among_the_newest_forty_when_there_are_more(services) -> None:
    app, toot, alex, root = services
    for number in range(45):
        toot.add(f"a later status {number}", visibility="public")
    project = read_project_config(root / "mkdocs.yml")
    rome = next(p for p in read_picks(project).picks if p.id == "2024-04-12-rome")
    toot.add(pick_thread(project, rome, "mastodon", People())[0], visibility="public")  # the newest of all
    toot.reply_from("ivy", "Ivy", "On ROME", toot.statuses[-1]["id"])
    assert refresh().exit_code == 0
    assert [r["text"] for r in _replies_of(root, "2024-04-12-rome", "mastodon")] == ["On ROME"]
    assert [r["text"] for r in _replies_of(root, "2024-04-11-induction", "mastodon")] == ["Nice pick! #interp"]


def test_the_first_post_on_the_fifth_page_is_still_found(services) -> None:
    app, toot, alex, root = services
    for number in range(5 * 40 - 1):  # the pick's first post is the 200th newest: the last of five pages
        toot.add(f"a later status {number}", visibility="public")
    assert refresh().exit_code == 0
    assert [r["text"] for r in _replies_of(root, "2024-04-11-induction", "mastodon")] == ["Nice pick! #interp"]


def test_what_a_network_leaves_out_of_a_reply(services, monkeypatch) -> None:
    app, toot, alex, root = services
    first = toot.statuses[0]
    long_name = "N" * 201
    toot.reply_from("kim", long_name, "", first["id"])  # a reply of an image alone: no text
    toot.others[-1]["url"] = None  # a remote status may have no url (entities/Status.md: url is nullable)
    first_sky = next(iter(app.posts))  # the pick's first post, posted first
    app.post(
        "did:plc:lee",
        "3klee",
        "",
        reply_to=first_sky,
        name=long_name,
        createdAt="2024-04-12T09:30:00+02:00",
        indexedAt="2024-04-12T09:00:00.000Z",
    )
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # a machine's zone: never the one dates are written in
    time.tzset()
    try:
        assert refresh().exit_code == 0
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    kim = next(r for r in _replies_of(root, "2024-04-11-induction", "mastodon") if r["handle"] == "@kim@other.example")
    assert (kim["author"], kim["text"], kim["url"]) == ("N" * 200, "", kim["uri"])
    lee = next(r for r in _replies_of(root, "2024-04-11-induction", "bluesky") if r["handle"] == "@3klee.example")
    assert (lee["author"], lee["text"], lee["created"]) == ("N" * 200, "", "2024-04-12T07:30:00+00:00")


def test_the_accounts_own_posts_deep_in_a_thread_are_never_replies_and_their_answers_are_top_level(services) -> None:
    app, toot, alex, root = services
    uris = list(app.posts)
    first, second = uris[0], uris[1]  # the pick's first post and the account's own "2/2"
    ada = next(uri for uri in uris if "/did:plc:ada/" in uri)
    own_deep = app.post(DID, "3kowndeep", "Thanks Ada!", reply_to=ada)  # the account answering a reply
    app.post("did:plc:max", "3kmax", "Replying to part two", reply_to=second, name="Max")
    app.post("did:plc:ned", "3kned", "Replying to the account's answer", reply_to=own_deep, name="Ned")
    assert refresh().exit_code == 0
    replies = {r["text"]: r for r in _replies_of(root, "2024-04-11-induction", "bluesky")}
    assert "Thanks Ada!" not in replies
    assert replies["Replying to part two"]["parent"] is None
    assert replies["Replying to the account's answer"]["parent"] == ada  # under the reply it descends from
    conversation = _conversation(root)
    [sky] = [t for t in conversation["2024-04-11-induction"]["threads"] if t["network"] == "bluesky"]
    assert (
        sky["uri"] == first
        and sky["url"] == f"https://bsky.app/profile/picks.example.org/post/{first.rsplit('/', 1)[1]}"
    )


def test_a_handle_written_with_its_at_sign_and_an_appview_url_with_a_slash(services, monkeypatch) -> None:
    app, toot, alex, root = services
    _project(root, announce={"bluesky_handle": "@picks.example.org", "mastodon_account": "@picks@sigmoid.social"})
    monkeypatch.setenv("PICKS_BLUESKY_APPVIEW", app.url + "/")
    result = refresh()
    assert result.exit_code == 0 and _warnings(result.output) == []
    assert [r["handle"] for r in _replies_of(root, "2024-04-11-induction", "bluesky")][0] == "@ada.example"


def test_answers_that_are_no_json_object_are_one_warning_each(services) -> None:
    app, toot, alex, root = services
    app.answer_list, alex.html_page = True, True
    result = refresh()
    assert result.exit_code == 0
    warnings = _warnings(result.output)
    assert warnings[0] == "warning: bluesky: picks.example.org does not resolve; the cached replies stay"
    assert warnings[1].startswith("warning: OpenAlex: ") and warnings[1].endswith(
        ": not JSON; the cached citations stay"
    )


def test_rate_limits_name_their_reset_in_either_header_or_say_later(services) -> None:
    app, toot, alex, root = services
    toot.quota = 0
    assert "HTTP 429 rate-limited (reset: 2099-01-01T00:05:00.000Z)" in refresh().output  # Mastodon's X-RateLimit-Reset
    toot.rate_headers = False
    assert "HTTP 429 rate-limited (reset: later)" in refresh().output


def test_every_request_names_the_tool_and_the_budget_is_a_hard_stop(services) -> None:
    app, toot, alex, root = services
    assert refresh().exit_code == 0
    assert set(app.agents) == set(alex.agents) == {USER_AGENT} and USER_AGENT.startswith("daily-picks/")
    reader = Reader(1)
    reader.get(f"{alex.url}/works/W1")
    with pytest.raises(BudgetSpent, match="^the run's request budget is spent$"):
        reader.get(f"{alex.url}/works/W1")
    assert alex.requests == len(alex.agents)


def test_an_account_mastodon_does_not_know_is_one_warning_naming_it(services) -> None:
    app, toot, alex, root = services
    _project(root, announce={"bluesky_handle": "picks.example.org", "mastodon_account": "@nobody@sigmoid.social"})
    result = refresh()
    assert result.exit_code == 0
    assert f"warning: mastodon: {toot.url}: no account nobody; the cached replies stay" in result.output
