"""``picks announce --to bluesky`` against an AT Protocol PDS stand-in on 127.0.0.1, through the real atproto SDK."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from fake_pds import FakePds, serve_pds
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import pick_text
from generator.cli import main
from generator.outputs.bluesky_facets import facets
from generator.sources.bluesky_account import ATTEMPTS, post_key, tid

LONG = "".join(
    f"Paragraph {n} tells a good deal about circuits and heads in small models. " * 2 + "\n\n" for n in range(4)
)
PICKS = {
    "2024-04-10-older.md": pick_text(
        "Older pick",
        "2024-04-10",
        arxiv="2404.00010",
        authors="[Gonçalo Paulo, Zoë Ó Briain]",
        extra='mentions: ["@norabelrose.bsky.social"]\n',
        body="🔍 Ça marche! See https://example.org/notes for #interpretability notes.\n",
    ),
    "2024-04-11-threaded.md": pick_text("Threaded pick", "2024-04-11", arxiv="2404.00011", body=LONG),
}
SITE = "https://example.org/picks/picks/"


@pytest.fixture
def pds(monkeypatch: pytest.MonkeyPatch):
    for served in serve_pds(FakePds(handles={"norabelrose.bsky.social": "did:plc:nora0000000000000000000"})):
        monkeypatch.setenv("PICKS_BLUESKY_PDS", served.url)
        monkeypatch.setenv("PICKS_BLUESKY_HANDLE", served.handle)
        monkeypatch.setenv("PICKS_BLUESKY_APP_PASSWORD", served.password)
        monkeypatch.setenv("PICKS_NOW", "2024-04-13T08:00:00Z")
        yield served


@pytest.fixture
def project(make_project, monkeypatch: pytest.MonkeyPatch):
    def make(**announce: object) -> Path:
        root = make_project(PICKS, announce={"since": "2024-04-01", "max_per_run": 5, **announce}).parent
        monkeypatch.chdir(root)
        return root

    return make


def announce(*args: str):
    return CliRunner().invoke(main, ["announce", "--to", "bluesky", *args])


def _text_of(record: dict, facet: dict) -> str:
    index = facet["index"]
    return record["text"].encode("utf-8")[index["byteStart"] : index["byteEnd"]].decode("utf-8")


def test_posts_threads_with_facets_card_and_langs(pds: FakePds, project) -> None:
    project()
    result = announce()
    assert result.exit_code == 0, result.output
    records = [pds.records[key] for key in pds.order]
    older = records[0]
    assert older["langs"] == ["en"] and older["$type"] == "app.bsky.feed.post"
    card = older["embed"]["external"]
    assert older["embed"]["$type"] == "app.bsky.embed.external"
    assert (card["uri"], card["title"]) == (f"{SITE}2024-04-10-older/", "Older pick") and card["description"]
    found = {f["features"][0]["$type"].rsplit("#", 1)[1]: _text_of(older, f) for f in older["facets"]}
    # Byte offsets after emoji and accents: each facet covers exactly its text.
    assert found["mention"] == "@norabelrose.bsky.social"
    assert found["tag"] == "#interpretability"
    links = {
        _text_of(older, f): f["features"][0]["uri"]
        for f in older["facets"]
        if f["features"][0]["$type"].endswith("#link")
    }
    # Shown as Bluesky's app shows a link, short; each facet's URI whole.
    assert links == {
        "example.org/picks/picks/...": f"{SITE}2024-04-10-older/",
        "example.org/notes": "https://example.org/notes",
        "arxiv.org/abs/2404.00010": "https://arxiv.org/abs/2404.00010",
    }
    [mention] = [f for f in older["facets"] if f["features"][0]["$type"].endswith("#mention")]
    assert mention["features"][0]["did"] == "did:plc:nora0000000000000000000"
    thread = records[1:]
    assert len(thread) > 1 and "reply" not in thread[0] and "embed" in thread[0]
    root = {"uri": pds.uri(pds.order[1]), "cid": pds.cid(pds.order[1])}
    for previous, (key, record) in zip(pds.order[1:], zip(pds.order[2:], thread[1:], strict=True), strict=False):
        refs = {
            name: {k: v for k, v in ref.items() if k != "$type"}
            for name, ref in record["reply"].items()
            if name != "$type"
        }
        assert refs == {"root": root, "parent": {"uri": pds.uri(previous), "cid": pds.cid(previous)}}, key
    again = announce()
    assert again.exit_code == 0 and "0 post(s) made" in again.output and len(pds.records) == len(records)


def test_a_dropped_connection_after_post_two_then_a_resume(pds: FakePds, project) -> None:
    project()
    pds.drop_after_writes = 2  # the older pick's post, the thread's first: then the link drops
    stopped = announce()
    assert stopped.exit_code == 1 and "cannot reach" in stopped.output and "2 post(s) made" in stopped.output
    resumed = announce()
    assert resumed.exit_code == 0 and "2024-04-11-threaded: completes its thread (1 of" in resumed.output
    keys = [post_key_for(pds, "2024-04-11-threaded", n) for n in range(len(pds.order) - 1)]
    assert pds.order[1:] == keys  # each post once, under its own key, in order


def post_key_for(pds: FakePds, pick_id: str, number: int, attempt: int = 0) -> str:
    from conftest import load_one_pick

    pick = load_one_pick(PICKS[f"{pick_id}.md"], f"{pick_id}.md")
    return post_key(pick, number, attempt)


def test_record_keys_are_tids_derived_from_the_pick() -> None:
    from conftest import load_one_pick

    pick = load_one_pick(PICKS["2024-04-11-threaded.md"], "2024-04-11-threaded.md")
    keys = [post_key(pick, n) for n in range(3)]
    assert keys == sorted(keys) and len(set(keys)) == 3 and all(len(k) == 13 for k in keys)
    # A TID's top 53 bits are microseconds since the epoch: the pick's instant, plus the post's number.
    values = [sum("234567abcdefghijklmnopqrstuvwxyz".index(c) << (5 * (12 - i)) for i, c in enumerate(k)) for k in keys]
    assert [v >> 10 for v in values] == [int(pick.instant.timestamp()) * 1_000_000 + n for n in range(3)]
    # Pinned: keys are how a later run finds a thread already posted, so a release that derived them otherwise
    # would post every thread again.
    assert keys == ["3kpsvf3o222w3", "3kpsvf3o223w3", "3kpsvf3o224w3"]
    assert tid(0, 0) == "2222222222222" and tid((1 << 53) - 1, 1023) == "bzzzzzzzzzzzz"  # the top bit stays 0


def test_auth_failure_and_rate_limit(pds: FakePds, project, monkeypatch: pytest.MonkeyPatch) -> None:
    project()
    monkeypatch.setenv("PICKS_BLUESKY_APP_PASSWORD", "wrong-pass-word-here")
    refused = announce()
    assert refused.exit_code == 1 and "refused to sign in (HTTP 401)" in refused.output
    assert "wrong-pass" not in refused.output
    monkeypatch.setenv("PICKS_BLUESKY_APP_PASSWORD", pds.password)
    pds.requests, pds.quota = 0, 4  # sign in, read the first post's key, resolve the mention, then 429
    monkeypatch.setenv("TZ", "Asia/Tokyo")  # the reset is said in UTC whatever the runner's zone
    time.tzset()
    limited = announce()
    monkeypatch.delenv("TZ")
    time.tzset()
    assert (
        limited.exit_code == 1 and "rate-limited this account (HTTP 429): run again after 00:00 UTC" in limited.output
    )
    pds.requests, pds.quota = 0, 3000
    assert announce().exit_code == 0 and len(pds.records) > 2


def test_facets_count_bytes_not_characters() -> None:
    text = "Zoë 🔍 @norabelrose.bsky.social read https://example.org/x. #SAEs"
    found = facets(text, lambda handle: "did:plc:x" if handle == "norabelrose.bsky.social" else None)
    data = text.encode("utf-8")
    assert [(f.kind, data[f.start : f.end].decode()) for f in found] == [
        ("mention", "@norabelrose.bsky.social"),
        ("link", "https://example.org/x"),
        ("tag", "#SAEs"),
    ]
    assert facets("@\u2060someone and #2024", lambda handle: "did:plc:x") == []  # inert mentions, number-only tags


def test_dry_run_reads_but_posts_nothing(pds: FakePds, project) -> None:
    project()
    result = announce("--dry-run")
    assert result.exit_code == 0 and "2024-04-10-older: would post 1 of 1 (posts it)" in result.output
    assert pds.records == {} and pds.writes == 0


def test_facet_records_carry_their_values() -> None:
    from generator.outputs.bluesky_facets import Facet, rich_text

    text = "See https://example.org/x, #SAEs! and #" + "t" * 65 + " by @nora.bsky.social."
    found = facets(text, lambda handle: {"nora.bsky.social": "did:plc:n"}.get(handle))
    assert found == [
        Facet(4, 25, "link", "https://example.org/x"),
        Facet(27, 32, "tag", "SAEs"),  # no facet for a tag over 64 characters
        Facet(text.index("@nora"), text.index("@nora") + len("@nora.bsky.social"), "mention", "did:plc:n"),  # ASCII
    ]
    longest = "t" * 64  # app.bsky.richtext.facet#tag: at most 64 graphemes
    assert facets(f"#{longest}", lambda handle: None) == [Facet(0, 65, "tag", longest)]
    assert rich_text("#SAEs https://e.org", lambda handle: None) == (
        "#SAEs e.org",  # the link shown as Bluesky's app shows it, its facet's URI whole
        [
            {
                "index": {"byteStart": 0, "byteEnd": 5},
                "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "SAEs"}],
            },
            {
                "index": {"byteStart": 6, "byteEnd": 11},
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://e.org"}],
            },
        ],
    )


@pytest.mark.parametrize(
    ("url", "shown"),
    [  # social-app's toShortUrl: host, then path + query + fragment cut to 13 and "..." when over 15
        ("https://example.org/", "example.org"),
        ("https://example.org/short/path", "example.org/short/path"),
        ("https://example.org/a-rather-long/path", "example.org/a-rather-lon..."),  # "/a-rather-lon": 13
        ("https://Example.ORG:8080/x?q=1#f", "example.org:8080/x?q=1#f"),
        ("https://arxiv.org/abs/2404.07129", "arxiv.org/abs/2404.07129"),  # 15 exactly: kept
        ("http://arxiv.org/abs/2404.071290", "arxiv.org/abs/2404.071..."),  # 16: cut to 13; http too
        ("mailto:a@example.org", "mailto:a@example.org"),  # not a web link: as written
    ],
)
def test_links_are_shown_as_blueskys_app_shows_them(url: str, shown: str) -> None:
    from generator.outputs.bluesky_facets import short_url

    assert short_url(url) == shown


def test_a_links_trailing_punctuation_stays_text_after_its_short_form() -> None:
    from generator.outputs.bluesky_facets import shown_text

    assert shown_text("See https://example.org/a-rather-long/path. Or (https://e.org/x)!") == (
        "See example.org/a-rather-lon.... Or (e.org/x)!"
    )


def test_a_long_link_is_shown_short_and_the_facets_after_it_move_with_it() -> None:
    from generator.outputs.bluesky_facets import rich_text

    long = "https://example.org/" + "a" * 340
    text, found = rich_text(f"Zoë: {long}, see #SAEs", lambda handle: None)
    assert text == "Zoë: example.org/aaaaaaaaaaaa..., see #SAEs"
    link, tag = found
    assert link["features"][0]["uri"] == long
    encoded = text.encode()
    assert encoded[link["index"]["byteStart"] : link["index"]["byteEnd"]].decode() == "example.org/aaaaaaaaaaaa..."
    assert encoded[tag["index"]["byteStart"] : tag["index"]["byteEnd"]].decode() == "#SAEs"


def test_the_card_carries_the_summary_cut_at_300_characters(pds: FakePds, make_project, monkeypatch) -> None:
    from conftest import load_one_pick

    text = pick_text("Long summary", "2024-04-10", body="A sentence about heads in small models. " * 10 + "\n")
    monkeypatch.chdir(make_project({"2024-04-10-long.md": text}, announce={"since": "2024-04-01"}).parent)
    assert announce().exit_code == 0
    summary = load_one_pick(text, "2024-04-10-long.md").summary
    card = pds.records[pds.order[0]]["embed"]["external"]
    assert len(summary) > 300 and card["description"] == summary[:300]


def test_only_a_handle_that_does_not_resolve_leaves_a_mention_plain(pds: FakePds, project) -> None:
    """The PDS says the handle does not resolve: the post goes out with the mention as text. Anything else while
    resolving (a rate limit, a dropped link) stops the run before the post, which would lose its link for good."""
    project()
    pds.requests, pds.quota = 0, 3  # sign in, read the first post's key, then 429 on resolving the mention
    limited = announce()
    assert limited.exit_code == 1 and "rate-limited" in limited.output and pds.records == {}
    pds.requests, pds.quota = 0, 3000
    pds.drop_paths.add("/xrpc/com.atproto.identity.resolveHandle")
    dropped = announce()
    assert dropped.exit_code == 1 and pds.records == {}
    assert f"cannot reach {pds.url} to resolve @norabelrose.bsky.social" in dropped.output
    pds.drop_paths.clear()
    pds.handles.clear()  # now the PDS answers 400 InvalidRequest "Unable to resolve handle"
    assert announce().exit_code == 0
    older = pds.records[pds.order[0]]
    assert "@norabelrose.bsky.social" in older["text"]
    assert not [f for f in older["facets"] if f["features"][0]["$type"].endswith("#mention")]


def test_the_counts_reported_are_the_ones_the_pds_saw(pds: FakePds, project) -> None:
    """Every request the SDK makes is one of ours (no profile lookup behind our back), each counted once."""
    project()
    result = announce()
    assert f"bluesky: 2 pick(s) announced, {pds.writes} post(s) made, {pds.requests} request(s)" in result.output


@pytest.mark.parametrize(
    ("path", "what"),
    [("/xrpc/com.atproto.repo.getRecord", "read the thread"), ("/xrpc/com.atproto.repo.createRecord", "post")],
)
def test_a_dropped_link_names_what_it_stopped(pds: FakePds, project, path: str, what: str) -> None:
    project()
    pds.drop_paths.add(path)
    result = announce()
    assert result.exit_code == 1 and f"error: cannot reach {pds.url} to {what} (" in result.output
    assert f"bluesky: 0 post(s) made, {pds.requests} request(s)" in result.output


def test_a_rate_limit_without_its_headers_says_later(pds: FakePds, project, monkeypatch) -> None:
    project()
    monkeypatch.setenv("PICKS_BLUESKY_PDS", pds.url + "/")  # a trailing slash is the same server
    pds.rate_headers, pds.quota = False, 2
    result = announce()
    assert f"error: {pds.url} rate-limited this account (HTTP 429): run again later; the next run" in result.output


def test_a_refused_request_names_the_pds_what_and_why(pds: FakePds) -> None:
    from generator.sources.bluesky_account import AnnounceError, BlueskyAccount

    account = BlueskyAccount(pds.url, pds.handle, pds.password, lambda text: [])
    record = {"$type": "app.bsky.feed.post", "text": "x", "createdAt": "2024-04-13T08:00:00Z"}
    with pytest.raises(AnnounceError) as bad:  # 400: the PDS's own error text
        account._call(
            lambda: account.client.com.atproto.repo.create_record(
                {"repo": account.did, "collection": "app.bsky.feed.post", "rkey": "not-a-tid", "record": record}
            ),
            "post",
        )
    assert str(bad.value).startswith(f"{pds.url} could not post: ") and "Invalid record key" in str(bad.value)
    with pytest.raises(AnnounceError) as unknown:  # another status: its HTTP code
        account._call(lambda: account.client.invoke_procedure("com.example.nothing", data={}), "do nothing")
    assert str(unknown.value).startswith(f"{pds.url} could not do nothing: HTTP ")


def _foreign(page: str, text: str = "Another pick's post") -> dict:
    """A post record of another pick, as `complete` writes one: its card links its own page."""
    return {
        "$type": "app.bsky.feed.post",
        "text": text,
        "createdAt": "2024-04-10T07:00:00Z",
        "embed": {"$type": "app.bsky.embed.external", "external": {"uri": page, "title": "t", "description": ""}},
    }


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(held=st.sets(st.integers(0, ATTEMPTS - 2), min_size=1))
@example(held={0})  # the attack: a pick id searched until its keys equal the victim's
def test_a_first_key_held_by_another_pick_moves_the_thread_never_hides_it(pds: FakePds, project, held) -> None:
    """Issue 33: a record under a pick's key counts as that pick's only if its card links that pick's page."""
    pds.records.clear(), pds.order.clear()
    project()
    victim = "2024-04-10-older"
    for attempt in held:
        pds.records[post_key_for(pds, victim, 0, attempt)] = _foreign(f"{SITE}2024-04-09-thief/")
    first = announce(victim)
    assert first.exit_code == 0 and f"{victim}: posts it" in first.output, first.output
    free = min(set(range(ATTEMPTS)) - held)
    posted = pds.records[post_key_for(pds, victim, 0, free)]
    assert posted["embed"]["external"]["uri"] == f"{SITE}{victim}/"
    again = announce(victim)  # found again under the keys it moved to: never a second post
    assert again.exit_code == 0 and "0 post(s) made" in again.output and len(pds.order) == 1


def test_a_later_key_held_by_another_post_skips_that_pick_and_announces_the_rest(pds: FakePds, project) -> None:
    project()
    assert announce("2024-04-11-threaded").exit_code == 0
    second = post_key_for(pds, "2024-04-11-threaded", 1)
    pds.records[second] = _foreign(f"{SITE}2024-04-09-thief/")  # not a reply in the thread's root
    result = announce()
    assert result.exit_code == 1 and "2024-04-10-older: posts it" in result.output
    assert f"error: 2024-04-11-threaded: skipped: the record key {second} of its post 2 holds another post" in (
        result.output
    )
    assert "error: 1 pick(s) skipped: 2024-04-11-threaded" in result.output


def test_a_non_ascii_tag_facet_spans_its_bytes() -> None:
    """Facet indices are UTF-8 byte offsets (app.bsky.richtext.facet#byteSlice): a tag in any script, after text
    in any script, covers exactly its own bytes."""
    text = "Сети и головы: #têtes_d_induction puis #注意力 fin"
    found = facets(text, lambda handle: None)
    data = text.encode("utf-8")
    assert [(f.kind, f.value, data[f.start : f.end].decode()) for f in found] == [
        ("tag", "têtes_d_induction", "#têtes_d_induction"),
        ("tag", "注意力", "#注意力"),
    ]
