"""``picks announce --to mastodon`` against a Mastodon stand-in on 127.0.0.1, through the real Mastodon.py."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from fake_mastodon import FakeMastodon, serve_mastodon

from conftest import pick_text
from generator.cli import main

LONG_BODY = "".join(
    f"Paragraph {n} says a fair amount about circuits and heads in small models. " * 3 + "\n\n" for n in range(4)
)
PICKS = {
    "2024-04-10-older.md": pick_text("Older pick", "2024-04-10", arxiv="2404.00010"),
    "2024-04-11-threaded.md": pick_text("Threaded pick", "2024-04-11", arxiv="2404.00011", body=LONG_BODY),
    "2024-04-12-newest.md": pick_text("Newest pick", "2024-04-12", arxiv="2404.00012"),
}
SITE = "https://example.org/picks/picks/"


@pytest.fixture
def mastodon(monkeypatch: pytest.MonkeyPatch):
    for served in serve_mastodon(FakeMastodon()):
        monkeypatch.setenv("PICKS_MASTODON_URL", served.url)
        monkeypatch.setenv("PICKS_MASTODON_TOKEN", served.token)
        monkeypatch.setenv("PICKS_NOW", "2024-04-13T08:00:00Z")
        yield served


@pytest.fixture
def project(make_project, monkeypatch: pytest.MonkeyPatch):
    def make(**announce: object) -> Path:
        root = make_project(PICKS, announce={"since": "2024-04-01", **announce}).parent
        monkeypatch.chdir(root)
        return root

    return make


def announce(*args: str):
    return CliRunner().invoke(main, ["announce", "--to", "mastodon", *args])


def _threads(server: FakeMastodon) -> dict[str, list[str]]:
    """Each first post's pick and its replies' texts, following in_reply_to_id."""
    out = {}
    for status in server.statuses:
        if status["in_reply_to_id"] is None:
            chain, last = [status], status
            while reply := next((s for s in server.statuses if s["in_reply_to_id"] == last["id"]), None):
                chain.append(reply)
                last = reply
            pick = next(word for word in status["_text"].split() if word.startswith(SITE))
            out[pick[len(SITE) :].rstrip("/")] = [server.text_of(s) for s in chain]
    return out


def test_announces_oldest_first_as_threads_and_never_twice(mastodon: FakeMastodon, project) -> None:
    project(max_per_run=2)
    first = announce()
    assert first.exit_code == 0, first.output
    assert list(_threads(mastodon)) == ["2024-04-10-older", "2024-04-11-threaded"]
    assert "2024-04-12-newest: waits for the next run (announce.max_per_run is 2)" in first.output
    thread = _threads(mastodon)["2024-04-11-threaded"]
    assert len(thread) > 1 and [t.rsplit("\n", 1)[-1] for t in thread] == [
        f"{n}/{len(thread)}" for n in range(1, len(thread) + 1)
    ]
    assert f"{SITE}2024-04-11-threaded/" in thread[0]  # the first post carries the link
    assert all(status["language"] == "en" and status["visibility"] == "public" for status in mastodon.statuses)
    second = announce()
    assert list(_threads(mastodon)) == ["2024-04-10-older", "2024-04-11-threaded", "2024-04-12-newest"]
    posts = len(mastodon.statuses)
    third = announce()  # a fresh checkout knows nothing: the account itself says what is there
    assert third.exit_code == 0 and len(mastodon.statuses) == posts and "0 post(s) made" in third.output
    assert second.exit_code == 0


def test_a_thread_stopped_after_post_two_is_completed_not_repeated(mastodon: FakeMastodon, project) -> None:
    project()
    mastodon.fail_after_posts = 2
    stopped = announce("2024-04-11-threaded")
    assert stopped.exit_code == 1 and "mastodon: 2 post(s) made" in stopped.output
    assert f"error: {mastodon.url} answered HTTP 503: Mastodon is over capacity, try again in a minute" in (
        stopped.output
    )
    assert len(mastodon.statuses) == 2
    mastodon.an_hour_passes()  # a run the next day: the server no longer knows the keys of the first two
    resumed = announce("2024-04-11-threaded")
    assert resumed.exit_code == 0 and "completes its thread (2 of" in resumed.output
    [thread] = _threads(mastodon).values()
    assert len(thread) == len(mastodon.statuses) and thread[-1].endswith(f"{len(thread)}/{len(thread)}")
    assert announce("2024-04-11-threaded").output.endswith("0 post(s) made, 2 request(s)\n")


def test_a_retried_post_with_the_same_key_is_not_a_second_post(mastodon: FakeMastodon, project) -> None:
    """The Idempotency-Key of each post: what a retry after a lost answer sends again."""
    project()
    assert announce("2024-04-10-older").exit_code == 0
    [key] = mastodon.keys
    assert key == "daily-picks:2024-04-10-older:1/1"
    mastodon.statuses.clear()  # as if the account had not been read back: the key still holds
    from mastodon import Mastodon

    api = Mastodon(access_token=mastodon.token, api_base_url=mastodon.url, version_check_mode="none")
    again = api.status_post("anything", idempotency_key=key)
    assert again["id"] == mastodon.keys[key]["id"] and mastodon.statuses == []


def test_auth_failure_and_rate_limit_are_one_clear_line(mastodon: FakeMastodon, project, monkeypatch) -> None:
    project()
    monkeypatch.setenv("PICKS_MASTODON_TOKEN", "wrong-token")
    refused = announce()
    assert refused.exit_code == 1 and "refused the token (HTTP 401): check PICKS_MASTODON_TOKEN" in refused.output
    assert "wrong-token" not in refused.output
    monkeypatch.setenv("PICKS_MASTODON_TOKEN", mastodon.token)
    mastodon.quota = 2  # verify_credentials and the account's statuses; the post is refused with 429
    monkeypatch.setenv("TZ", "Asia/Tokyo")  # the reset is said in UTC whatever the runner's zone
    time.tzset()
    limited = announce()
    monkeypatch.delenv("TZ")
    time.tzset()
    assert (
        f"error: {mastodon.url} rate-limited this account (HTTP 429): run again after 00:05 UTC; the next run "
        + ("completes what is missing")
        in limited.output
    )
    assert limited.exit_code == 1 and mastodon.statuses == []
    mastodon.requests, mastodon.rate_headers = 0, False
    assert "(HTTP 429): run again after a few minutes;" in announce().output
    mastodon.requests, mastodon.quota = 0, 300
    assert announce().exit_code == 0 and len(_threads(mastodon)) == 1  # max_per_run 1: the older pick, complete


def test_dry_run_posts_nothing_and_missing_settings_say_so(mastodon: FakeMastodon, project, monkeypatch) -> None:
    project()
    dry = announce("--dry-run")
    assert dry.exit_code == 0 and "2024-04-10-older: would post 1 of 1 (posts it)" in dry.output
    assert mastodon.statuses == []
    monkeypatch.delenv("PICKS_MASTODON_TOKEN")
    assert announce().exit_code == 2 and "PICKS_MASTODON_TOKEN" in announce().output


def test_nothing_older_than_since_is_announced(mastodon: FakeMastodon, project) -> None:
    project(since="2024-04-12", max_per_run=5)
    assert announce().exit_code == 0 and list(_threads(mastodon)) == ["2024-04-12-newest"]


def test_a_thread_further_back_than_one_page_is_still_found(mastodon: FakeMastodon, project) -> None:
    project()
    assert announce("2024-04-10-older").exit_code == 0
    for n in range(45):  # the account posted on since: the thread is now on the second page of 40
        mastodon.statuses.append(
            {
                **mastodon.statuses[0],
                "id": str(int(mastodon.statuses[-1]["id"]) + 1),
                "content": f"<p>other {n}</p>",
                "_text": f"other {n}",
            }
        )
    again = announce("2024-04-10-older")
    assert again.exit_code == 0 and "0 post(s) made, 3 request(s)" in again.output  # credentials and two pages


def _add_statuses(server: FakeMastodon, count: int, *, older: bool) -> None:
    """Other statuses of the account, posted after the thread (newer) or before it (older)."""
    template = server.statuses[0]
    made = [
        {**template, "in_reply_to_id": None, "content": f"<p>other {n}</p>", "_text": f"other {n}"}
        for n in range(count)
    ]
    if older:
        for n, status in enumerate(made):
            status["id"] = str(100000000000000000 + n)
        server.statuses[:0] = made
    else:
        for status in made:
            status["id"] = str(int(server.statuses[-1]["id"]) + 1)
            server.statuses.append(status)


def test_the_account_is_read_five_pages_back_and_no_further(mastodon: FakeMastodon, project) -> None:
    project()
    assert announce("2024-04-10-older").exit_code == 0
    _add_statuses(mastodon, 199, older=False)  # the thread is the 200th status: last of the fifth page of 40
    again = announce("2024-04-10-older")
    assert again.exit_code == 0 and "0 post(s) made, 6 request(s)" in again.output  # credentials and 5 pages


def test_every_page_read_counts_not_only_the_last(mastodon: FakeMastodon, project) -> None:
    project()
    assert announce("2024-04-10-older").exit_code == 0
    _add_statuses(mastodon, 100, older=True)  # the thread is on the first page; two more pages follow
    again = announce("2024-04-10-older")
    assert again.exit_code == 0 and "0 post(s) made, 4 request(s)" in again.output


def test_a_stalled_server_times_out_by_name(mastodon: FakeMastodon, project, monkeypatch) -> None:
    project()
    monkeypatch.setattr("generator.sources.mastodon_account.TIMEOUT", 0.5)
    mastodon.stall = 2.0
    result = announce("2024-04-10-older")
    assert result.exit_code == 1 and f"error: cannot reach {mastodon.url} (" in result.output


def test_a_post_linking_a_later_pick_never_takes_its_thread(mastodon: FakeMastodon, project) -> None:
    """Issue 33: the first post of a pick is the post whose text is that pick's first post, not any post that
    links its page (an earlier pick, or the curator by hand, may link tomorrow's pick)."""
    project()
    mastodon.add(f"Tomorrow's pick will be {SITE}2024-04-12-newest/ — stay tuned")
    result = announce("2024-04-12-newest")
    assert result.exit_code == 0 and "2024-04-12-newest: posts it" in result.output, result.output
    [first] = [s for s in mastodon.statuses[1:] if s["in_reply_to_id"] is None]
    assert mastodon.text_of(first).startswith("🔍 Today's pick in") and f"{SITE}2024-04-12-newest/" in first["_text"]
    again = announce("2024-04-12-newest")  # and the real first post is found again
    assert again.exit_code == 0 and "0 post(s) made" in again.output and len(mastodon.statuses) == 2


def test_a_remote_mention_shown_without_its_host_still_matches_the_text_posted() -> None:
    """Mastodon renders @user@host as an h-card showing @user, links split into spans, lines as <br> and <p>
    (the HTML of entities/Status.md's `content`, as mastodon.social serves it)."""
    from generator.sources.mastodon_account import comparable, shown

    posted = "🔍 Today's pick in X:\nThanks @nanda@sigmoid.social!\n\nhttps://example.org/picks/a/"
    content = (
        '<p>🔍 Today&#39;s pick in X:<br />Thanks <span class="h-card" translate="no"><a href="https://sigmoid.social/'
        '@nanda" class="u-url mention">@<span>nanda</span></a></span>!</p><p><a href="https://example.org/picks/a/" '
        'rel="nofollow noopener" target="_blank"><span class="invisible">https://</span><span class="">example.org/'
        'picks/a/</span><span class="invisible"></span></a></p>'
    )
    assert shown(content) == comparable(posted)
    assert shown(content.replace("picks/a/", "picks/b/")) != comparable(posted)


def test_the_fake_refuses_a_parameter_it_does_not_implement(mastodon: FakeMastodon) -> None:
    from mastodon import Mastodon, MastodonAPIError

    api = Mastodon(access_token=mastodon.token, api_base_url=mastodon.url, version_check_mode="none")
    mastodon.add("first")
    mastodon.add("a reply", reply_to=mastodon.statuses[0]["id"])
    assert [s["id"] for s in api.account_statuses("109", exclude_replies=True)] == [mastodon.statuses[0]["id"]]
    assert len(api.account_statuses("109")) == 2
    with pytest.raises(MastodonAPIError, match="400"):
        api.account_statuses("109", only_media=True)


def test_a_dry_run_needs_no_credentials_and_no_network(mastodon: FakeMastodon, project, monkeypatch) -> None:
    """Issue 32: a curator's first try. Without a token, or with one and no server, the dry run prints the posts
    of the due picks and says it could not tell which are already announced."""
    project()
    monkeypatch.delenv("PICKS_MASTODON_TOKEN")
    offline = announce("--dry-run")
    assert offline.exit_code == 0, offline.output
    assert "note: the mastodon account was not read (no credentials)" in offline.output
    assert "2024-04-11-threaded: would post" in offline.output and f"🔗 {SITE}2024-04-11-threaded/" in offline.output
    assert mastodon.requests == 0
    monkeypatch.setenv("PICKS_MASTODON_TOKEN", mastodon.token)
    monkeypatch.setenv("PICKS_MASTODON_URL", "http://127.0.0.1:9")  # nothing listens there
    unreachable = announce("--dry-run")
    assert unreachable.exit_code == 0 and "account was not read (cannot reach" in unreachable.output
    assert "2024-04-10-older: would post 1 post(s)" in unreachable.output
    assert announce().exit_code == 1  # a real run still needs the account
