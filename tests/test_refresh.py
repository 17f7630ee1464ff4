"""``picks refresh`` end to end against stand-ins of the Bluesky AppView, Mastodon and OpenAlex on 127.0.0.1, then
the real ``mkdocs build --strict`` reading only the caches it wrote."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from fake_appview import FakeAppView, serve_appview
from fake_mastodon import FakeMastodon, serve_mastodon
from fake_openalex import FakeOpenAlex, serve_openalex
from lxml import etree

import generator.cli.refresh as refresh_command
from conftest import mkdocs_build, pick_text, write_project
from generator.cli import main
from generator.cli.common import pick_thread, read_picks
from generator.core.listings import pick_folder
from generator.core.people import People
from generator.mkdocs.config import read_project_config
from generator.sources.bluesky_account import post_key

DID = "did:plc:picks0000000000000000000"
HOSTILE = '<script>alert(1)</script> & <img src=x onerror=alert(2)> "quoted" https://example.org/ok?a=1&b=2'
SETTINGS = {
    "timezone": "Europe/Rome",
    "announce": {"bluesky_handle": "picks.example.org", "mastodon_account": "@picks@sigmoid.social"},
    "conversation": {"bluesky": True, "mastodon": True},
    "citations": {"openalex": True, "mailto": "curator@example.org"},
}


def _project(root: Path, **options: object) -> Path:
    picks = {
        "2024/2024-04-11-induction.md": pick_text("Induction heads", "2024-04-11", arxiv="2404.07129"),
        "2024/2024-04-12-rome.md": pick_text("ROME", "2024-04-12", arxiv="2202.05262"),
    }
    return write_project(root, picks, **(SETTINGS | options))


@pytest.fixture
def services(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The three services with the induction-heads pick announced on both networks and its paper cited."""
    config = _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(refresh_command, "now", lambda: datetime(2024, 5, 1, 6, 0, tzinfo=UTC))
    project = read_project_config(config)
    picks = {p.id: p for p in read_picks(project).picks}
    induction = picks["2024-04-11-induction"]
    page = project.page_url(pick_folder(induction))
    handles = {"picks.example.org": DID, "ada.example": "did:plc:ada"}
    app, toot, alex = FakeAppView(handles=handles), FakeMastodon(), FakeOpenAlex()
    first = app.post(
        DID,
        post_key(induction, 0),
        "🔍 Today's pick…",
        embed={"$type": "app.bsky.embed.external", "external": {"uri": page, "title": "", "description": ""}},
    )
    app.post(DID, post_key(induction, 1), "2/2", reply_to=first)  # the account's own thread: not a reply
    ada = app.post(
        "did:plc:ada", "3kada", HOSTILE, reply_to=first, name="Ada <b>L</b>", createdAt="2024-04-12T10:00:00Z"
    )
    app.post("did:plc:bob", "3kbob", "Agreed with Ada", reply_to=ada, name="Bob", createdAt="2024-04-12T11:00:00Z")
    app.post("did:plc:eve", "3keve", "spam", reply_to=first, name="Eve", createdAt="2024-04-12T12:00:00Z")
    app.post("did:plc:gone", "3kgone", "deleted", reply_to=first)
    app.gone["at://did:plc:gone/app.bsky.feed.post/3kgone"] = "notFound"
    app.post("did:plc:blocks", "3kblock", "from a blocked account", reply_to=first)
    app.gone["at://did:plc:blocks/app.bsky.feed.post/3kblock"] = "blocked"
    alex.work(
        "W1", "What needs to go right for an induction head?", "2024-04-10", doi="10.48550/arxiv.2404.07129", cited_by=2
    )
    alex.work("W2", "A newer paper <i>citing</i> it", "2024-09-01")
    alex.work("W3", "An older paper citing it", "2024-06-01")
    alex.cites["W1"] = ["W3", "W2"]
    for served_app in serve_appview(app):
        for served_toot in serve_mastodon(toot):
            for served_alex in serve_openalex(alex):
                monkeypatch.setenv("PICKS_BLUESKY_APPVIEW", served_app.url)
                monkeypatch.setenv("PICKS_MASTODON_URL", served_toot.url)
                monkeypatch.setenv("PICKS_OPENALEX_API", served_alex.url)
                status = served_toot.add(pick_thread(project, induction, "mastodon", People())[0], visibility="public")
                served_toot.reply_from("carol", "Carol", "Nice pick! #interp", status["id"])
                served_toot.reply_from("dan", "Dan", "private words", status["id"], visibility="private")
                yield app, toot, alex, tmp_path


def refresh():
    return CliRunner().invoke(main, ["refresh"])


def _conversation(root: Path) -> dict:
    """.picks/conversation.json as picks refresh wrote it."""
    return json.loads((root / ".picks/conversation.json").read_text("utf-8"))


def test_refresh_reads_replies_and_citations_into_sorted_caches(services) -> None:
    app, toot, alex, root = services
    result = refresh()
    assert result.exit_code == 0, result.output
    assert "refreshed 2 picks' replies and 2 papers' citations" in result.output
    conversation = _conversation(root)
    assert list(conversation) == ["2024-04-11-induction", "2024-04-12-rome"]
    # The other pick was never announced: read, dated (its place in the next run's queue), no thread.
    assert conversation["2024-04-12-rome"] == {"refreshed": "2024-05-01T06:00:00+00:00", "threads": []}
    threads = {t["network"]: t for t in conversation["2024-04-11-induction"]["threads"]}
    bluesky = [(r["handle"], r["parent"] is not None) for r in threads["bluesky"]["replies"]]
    assert bluesky == [("@ada.example", False), ("@3kbob.example", True), ("@3keve.example", False)]
    assert [r["text"] for r in threads["mastodon"]["replies"]] == ["Nice pick! #interp"]  # never the private one
    citations = json.loads((root / ".picks/citations.json").read_text("utf-8"))
    assert citations["arxiv:2404.07129"]["cited_by_count"] == 2
    assert [w["id"] for w in citations["arxiv:2404.07129"]["citing"]] == [
        "https://openalex.org/W2",
        "https://openalex.org/W3",
    ]
    assert citations["arxiv:2202.05262"]["work"] == ""  # OpenAlex knows no work for it: kept, dated, not shown
    assert set(alex.mailtos) == {"curator@example.org"}
    text = (root / ".picks/conversation.json").read_text("utf-8")
    assert text == json.dumps(json.loads(text), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def test_the_build_shows_them_as_text_and_feeds_the_citing_works(services, monkeypatch) -> None:
    app, toot, alex, root = services
    # The curator hides Eve's reply by its bsky.app URL.
    _project(
        root,
        conversation={"bluesky": True, "mastodon": True, "hide": ["https://bsky.app/profile/3keve.example/post/3keve"]},
    )
    assert refresh().exit_code == 0
    assert mkdocs_build(root / "mkdocs.yml").returncode == 0
    page = (root / "site/picks/2024-04-11-induction/index.html").read_text("utf-8")
    assert "2 replies on Bluesky" in page and "1 reply on Mastodon" in page
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Ada &lt;b&gt;L&lt;/b&gt;" in page and "spam" not in page
    assert '<a href="https://example.org/ok?a=1&amp;b=2" rel="nofollow ugc noopener">' in page
    assert "cited by 2" in page and 'href="citing.xml"' in page
    head = lxml.html.fromstring(page).cssselect('head link[rel~="alternate"]')
    assert "https://example.org/picks/picks/2024-04-11-induction/citing.xml" in [link.get("href") for link in head]
    other = (root / "site/picks/2024-04-12-rome/index.html").read_text("utf-8")
    assert "pick__replies" not in other and "pick__cited" not in other  # nothing empty
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for feed in ("site/citing.xml", "site/picks/2024-04-11-induction/citing.xml"):
        items = etree.parse(str(root / feed), parser).findall("channel/item")
        assert [i.findtext("guid") for i in items] == ["https://openalex.org/W2", "https://openalex.org/W3"]
        assert items[0].findtext("title") == "A newer paper <i>citing</i> it"  # text, escaped by the XML writer
    assert not (root / "site/picks/2024-04-12-rome/citing.xml").exists()


def test_with_the_services_down_the_cache_stays_and_the_build_is_the_same(services, monkeypatch) -> None:
    app, toot, alex, root = services
    assert refresh().exit_code == 0
    assert mkdocs_build(root / "mkdocs.yml").returncode == 0
    before = {p: (root / p).read_bytes() for p in (".picks/conversation.json", ".picks/citations.json")}
    site = {str(p.relative_to(root)): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    for name in ("PICKS_BLUESKY_APPVIEW", "PICKS_MASTODON_URL", "PICKS_OPENALEX_API"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    down = refresh()
    assert down.exit_code == 0
    warnings = [line for line in down.output.splitlines() if line.startswith("warning:")]
    assert [w.split(":")[1].strip() for w in warnings] == ["bluesky", "mastodon", "OpenAlex"]  # one line per source
    assert {p: (root / p).read_bytes() for p in before} == before
    assert mkdocs_build(root / "mkdocs.yml").returncode == 0
    assert {str(p.relative_to(root)): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()} == site


def test_a_budget_refreshes_in_slices_oldest_first(services) -> None:
    app, toot, alex, root = services
    _project(
        root,
        citations={"openalex": True, "mailto": "curator@example.org", "requests": 2},
        conversation={"bluesky": False, "mastodon": False},
    )
    first = refresh()
    assert "refreshed 0 picks' replies and 1 papers' citations; 1 left for the next run" in first.output
    done = json.loads((root / ".picks/citations.json").read_text("utf-8"))
    assert set(done) == {"arxiv:2202.05262"} and alex.requests == 1  # unknown to OpenAlex: one request
    second = refresh()
    assert "1 papers' citations; 1 left" in second.output  # the next slice: the first run's paper again
    # The second run took the paper the first did not reach (never refreshed), not the same one again.
    assert alex.requests == 1 + 2
    assert json.loads((root / ".picks/citations.json").read_text("utf-8"))["arxiv:2404.07129"]["cited_by_count"] == 2


def test_rate_limited_and_failing_services_warn_and_keep_the_cache(services) -> None:
    app, toot, alex, root = services
    assert refresh().exit_code == 0
    before = (root / ".picks/citations.json").read_bytes()
    app.quota, alex.broken = 0, True
    result = refresh()
    assert result.exit_code == 0
    assert "HTTP 429 rate-limited (reset: 4102444800)" in result.output and "HTTP 500" in result.output
    assert (root / ".picks/citations.json").read_bytes() == before


def test_a_thread_posted_by_hand_is_linked_in_front_matter(services) -> None:
    app, toot, alex, root = services
    by_hand = app.post(DID, "3khand", "my own words about ROME")
    app.post("did:plc:ada", "3kada2", "Thanks!", reply_to=by_hand, name="Ada")
    rome = root / "picks/2024/2024-04-12-rome.md"
    rome.write_text(
        pick_text(
            "ROME",
            "2024-04-12",
            arxiv="2202.05262",
            extra='announced: ["https://bsky.app/profile/picks.example.org/post/3khand"]\n',
        ),
        "utf-8",
    )
    assert refresh().exit_code == 0
    conversation = _conversation(root)
    assert [r["text"] for r in conversation["2024-04-12-rome"]["threads"][0]["replies"]] == ["Thanks!"]


def test_replies_false_turns_a_pick_off_and_a_deleted_pick_leaves_the_cache(services) -> None:
    app, toot, alex, root = services
    assert refresh().exit_code == 0
    assert set(_conversation(root)) == {
        "2024-04-11-induction",
        "2024-04-12-rome",
    }
    path = root / "picks/2024/2024-04-11-induction.md"
    path.write_text(pick_text("Induction heads", "2024-04-11", arxiv="2404.07129", extra="replies: false\n"), "utf-8")
    (root / "picks/2024/2024-04-12-rome.md").unlink()
    requests = app.requests
    assert refresh().exit_code == 0
    assert _conversation(root) == {}
    assert app.requests == requests  # nothing left to read
    assert list(json.loads((root / ".picks/citations.json").read_text("utf-8"))) == ["arxiv:2404.07129"]


def test_the_stand_ins_answer_as_the_official_clients_expect(services) -> None:
    """Each stand-in read by the service's own client: atproto's models, Mastodon.py, pyalex."""
    import pyalex
    from atproto_client import models
    from mastodon import Mastodon

    app, toot, alex, root = services
    import requests

    first = f"at://{DID}/app.bsky.feed.post/" + next(iter(app.posts)).rsplit("/", 1)[-1]
    answer = requests.get(f"{app.url}/xrpc/app.bsky.feed.getPostThread", params={"uri": first}, timeout=5).json()
    parsed = models.AppBskyFeedGetPostThread.Response(**answer)
    assert parsed.thread.post.uri == first and len(parsed.thread.replies) == 5  # a blockedPost among them
    api = Mastodon(api_base_url=toot.url, version_check_mode="none")
    status = toot.statuses[0]
    assert [s["account"]["acct"] for s in api.status_context(status["id"])["descendants"]] == ["carol@other.example"]
    # pyalex 0.21 builds every URL on https://api.openalex.org: its query, sent to the stand-in, parsed by it.
    work = pyalex.Works()._get_from_url(f"{alex.url}/works/doi:10.48550/arxiv.2404.07129")
    assert isinstance(work, pyalex.Work) and work["cited_by_count"] == 2
    query = pyalex.Works().filter(cites="W1").sort(publication_date="desc")
    citing = query._get_from_url(query.url.replace("https://api.openalex.org", alex.url) + "&per-page=50")
    assert [w["id"] for w in citing] == ["https://openalex.org/W2", "https://openalex.org/W3"]
    assert citing.meta["count"] == 2


def test_a_service_that_stalls_times_out_and_the_others_still_answer(services, monkeypatch) -> None:
    import generator.sources.replies as replies

    app, toot, alex, root = services
    monkeypatch.setattr(replies, "TIMEOUT", 0.3)  # 10 s in real runs
    toot.stall = 1.0
    result = refresh()
    assert result.exit_code == 0
    assert "warning: mastodon:" in result.output and "Timeout" in result.output
    conversation = _conversation(root)
    assert [t["network"] for t in conversation["2024-04-11-induction"]["threads"]] == ["bluesky"]
    assert conversation["2024-04-11-induction"]["refreshed"] == ""  # incomplete: its turn comes first next run


@pytest.mark.parametrize(
    "link",
    ["https://example.org/not-a-post", "bsky.app/profile/a/post/1", "https://bsky.app/profile/a.example/feed/x"],
)
def test_check_names_an_announced_link_that_is_no_post(tmp_path: Path, monkeypatch, link: str) -> None:
    write_project(tmp_path, {"2024-04-11-x.md": pick_text(extra=f'announced: ["{link}"]\n')})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1 and "2024-04-11-x.md:4: error: announced[0]:" in result.output, result.output


def test_requests_keep_a_services_documented_rate(services) -> None:
    from generator.sources.openalex import SPACING
    from generator.sources.replies import Reader

    app, toot, alex, root = services
    now, waits = [0.0], []
    reader = Reader(
        10, SPACING, sleep=lambda s: (waits.append(s), now.__setitem__(0, now[0] + s)), clock=lambda: now[0]
    )
    for _ in range(3):
        reader.get(f"{alex.url}/works/W1")
        now[0] += 0.03  # each answer takes 30 ms
    assert waits == pytest.approx([0.07, 0.07]) and reader.requests == 3  # 10 a second, never faster


def test_a_mastodon_thread_posted_by_hand_is_linked_in_front_matter(services) -> None:
    app, toot, alex, root = services
    by_hand = toot.add("my own words about ROME", visibility="public")
    toot.add("and more of my own", reply_to=by_hand["id"], visibility="public")  # the thread goes on: not a reply
    toot.reply_from("erin", "Erin", "Great paper", by_hand["id"])
    rome = root / "picks/2024/2024-04-12-rome.md"
    link = f"https://sigmoid.social/@picks/{by_hand['id']}"
    rome.write_text(pick_text("ROME", "2024-04-12", arxiv="2202.05262", extra=f'announced: ["{link}"]\n'), "utf-8")
    assert refresh().exit_code == 0
    conversation = _conversation(root)
    [thread] = conversation["2024-04-12-rome"]["threads"]
    assert (thread["network"], [r["text"] for r in thread["replies"]]) == ("mastodon", ["Great paper"])
    assert (thread["url"], thread["uri"]) == (link, f"{toot.url}/statuses/{by_hand['id']}")


def test_a_linked_mastodon_post_that_is_gone_leaves_no_thread(services) -> None:
    app, toot, alex, root = services
    rome = root / "picks/2024/2024-04-12-rome.md"
    link = "https://sigmoid.social/@picks/110000000000000099"  # deleted: its context is 404 Record not found
    rome.write_text(pick_text("ROME", "2024-04-12", arxiv="2202.05262", extra=f'announced: ["{link}"]\n'), "utf-8")
    result = refresh()
    assert result.exit_code == 0 and "warning" not in result.output
    assert _conversation(root)["2024-04-12-rome"]["threads"] == []


def test_a_mastodon_thread_reads_every_field_nests_and_keeps_private_replies_out(services) -> None:
    app, toot, alex, root = services
    first = toot.statuses[0]
    carol, dan = toot.others  # the fixture's public reply and followers-only one
    own = toot.add("2/2 the rest of the pick", reply_to=first["id"], visibility="public")
    erin = toot.reply_from("erin", "Erin <i>E</i>", "Agreed with Carol", carol["id"], visibility="unlisted")
    toot.reply_from("frank", "", "About part two", own["id"])
    toot.reply_from("gina", "Gina", "Quite so", erin["id"])
    toot.filters_anonymous = False  # a server that lists the followers-only reply too: never shown all the same
    assert refresh().exit_code == 0
    conversation = _conversation(root)
    [thread] = [t for t in conversation["2024-04-11-induction"]["threads"] if t["network"] == "mastodon"]
    assert (thread["uri"], thread["url"]) == (first["uri"], first["url"])
    carol_uri = "https://other.example/users/carol/statuses/120000000000000001"
    erin_uri = "https://other.example/users/erin/statuses/120000000000000003"
    assert sorted(thread["replies"], key=lambda r: r["created"]) == [
        {
            "network": "mastodon",
            "uri": carol_uri,
            "url": "https://other.example/@carol/120000000000000001",
            "author": "Carol",
            "handle": "@carol@other.example",
            "created": "2024-04-12T09:00:00+00:00",
            "text": "Nice pick! #interp",
            "parent": None,
        },
        {
            "network": "mastodon",
            "uri": erin_uri,
            "url": "https://other.example/@erin/120000000000000003",
            "author": "Erin <i>E</i>",
            "handle": "@erin@other.example",
            "created": "2024-04-12T09:02:00+00:00",
            "text": "Agreed with Carol",
            "parent": carol_uri,
        },
        {  # a reply to the account's own second post is a top-level reply; no display name: the handle
            "network": "mastodon",
            "uri": "https://other.example/users/frank/statuses/120000000000000004",
            "url": "https://other.example/@frank/120000000000000004",
            "author": "frank@other.example",
            "handle": "@frank@other.example",
            "created": "2024-04-12T09:03:00+00:00",
            "text": "About part two",
            "parent": None,
        },
        {
            "network": "mastodon",
            "uri": "https://other.example/users/gina/statuses/120000000000000005",
            "url": "https://other.example/@gina/120000000000000005",
            "author": "Gina",
            "handle": "@gina@other.example",
            "created": "2024-04-12T09:04:00+00:00",
            "text": "Quite so",
            "parent": erin_uri,
        },
    ]


def test_with_the_features_off_the_caches_show_nothing(services) -> None:
    app, toot, alex, root = services
    assert refresh().exit_code == 0  # caches written while on
    _project(root, conversation={"bluesky": False, "mastodon": False}, citations={"openalex": False})
    off = refresh()
    assert off.exit_code == 0 and "nothing to refresh" in off.output
    assert mkdocs_build(root / "mkdocs.yml").returncode == 0
    page = (root / "site/picks/2024-04-11-induction/index.html").read_text("utf-8")
    assert "pick__replies" not in page and "pick__cited" not in page
    assert not (root / "site/citing.xml").exists()
    # One network on: only its replies show.
    _project(root, conversation={"bluesky": False, "mastodon": True}, citations={"openalex": False})
    assert mkdocs_build(root / "mkdocs.yml").returncode == 0
    page = (root / "site/picks/2024-04-11-induction/index.html").read_text("utf-8")
    assert "1 reply on Mastodon" in page and "on Bluesky" not in page


def _bluesky_site(root: Path, count: int, requests: int) -> tuple[FakeAppView, dict[str, str]]:
    """A site of ``count`` picks, each announced on Bluesky by ``picks announce`` (its record at the key announce
    derives, its card linking the pick's page), replies read with a budget of ``requests``."""
    picks = {
        f"2024/2024-04-{day:02d}-p{day}.md": pick_text(f"Pick {day}", f"2024-04-{day:02d}", arxiv=f"2404.{day:05d}")
        for day in range(1, count + 1)
    }
    settings = SETTINGS | {"conversation": {"bluesky": True, "requests": requests}, "citations": {"openalex": False}}
    project = read_project_config(write_project(root, picks, **settings))
    app = FakeAppView(handles={"picks.example.org": DID})
    uris = {}
    for pick in read_picks(project).picks:
        page = project.page_url(pick_folder(pick))
        card = {"$type": "app.bsky.embed.external", "external": {"uri": page, "title": "", "description": ""}}
        uris[pick.id] = app.post(DID, post_key(pick, 0), "🔍 Today's pick…", embed=card)
    return app, uris


def _refresh_at(monkeypatch: pytest.MonkeyPatch, day: int):
    monkeypatch.setattr(refresh_command, "now", lambda: datetime(2024, 5, day, 6, 0, tzinfo=UTC))
    return refresh()


def _stamps(root: Path) -> dict[str, str]:
    conversation = _conversation(root)
    return {pick_id: entry["refreshed"] for pick_id, entry in conversation.items()}


def test_the_reply_budget_reads_whole_picks_in_slices_oldest_refreshed_first(tmp_path, monkeypatch) -> None:
    # A pick can take 1 + 8 requests (the account's DID once a run, then every key set announce may use), so a
    # budget of 12 begins a pick only while 8 are left: 4 picks a run (2 + 1 + 1 + 1 requests), never one cut short.
    monkeypatch.chdir(tmp_path)
    app, _ = _bluesky_site(tmp_path, 10, requests=12)
    ids = sorted(f"2024-04-{day:02d}-p{day}" for day in range(1, 11))
    read = []
    for served in serve_appview(app):
        monkeypatch.setenv("PICKS_BLUESKY_APPVIEW", served.url)
        for day in range(1, 5):
            before, requests = _stamps(tmp_path) if day > 1 else {}, app.requests
            result = _refresh_at(monkeypatch, day)
            assert "refreshed 4 picks' replies and 0 papers' citations; 6 left" in result.output, result.output
            assert app.requests - requests == 5
            stamps = _stamps(tmp_path)
            read.append(sorted(p for p, stamp in stamps.items() if stamp.startswith(f"2024-05-0{day}")))
            assert all(stamps[p] == before[p] for p in before if p not in read[-1])  # the others untouched
    # Never-read picks first, by id; then the ones read longest ago.
    assert read == [ids[0:4], ids[4:8], sorted(ids[8:10] + ids[0:2]), ids[2:6]]


def test_a_budget_below_one_picks_cost_is_said_once_and_reads_nothing(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app, _ = _bluesky_site(tmp_path, 3, requests=8)
    for served in serve_appview(app):
        monkeypatch.setenv("PICKS_BLUESKY_APPVIEW", served.url)
        result = _refresh_at(monkeypatch, 1)
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: 3 picks not read: one can take up to 9 requests, more than conversation.requests (8);"
        " raise it in mkdocs.yml"
    ]
    assert app.requests == 0 and "refreshed 0 picks' replies" in result.output


def test_a_pick_whose_first_keys_another_post_holds_is_read_within_one_run(tmp_path, monkeypatch) -> None:
    # announce moved to a later key set because another post held the first ones: the most a pick can take.
    monkeypatch.chdir(tmp_path)
    app, uris = _bluesky_site(tmp_path, 1, requests=9)
    project = read_project_config(tmp_path / "mkdocs.yml")
    [pick] = read_picks(project).picks
    card = app.posts.pop(uris[pick.id])["record"]["embed"]
    for attempt in range(7):
        app.post(DID, post_key(pick, 0, attempt), "another post of the account")
    moved = app.post(DID, post_key(pick, 0, 7), "🔍 Today's pick…", embed=card)
    app.post("did:plc:ada", "3kada", "Found it", reply_to=moved, name="Ada")
    for served in serve_appview(app):
        monkeypatch.setenv("PICKS_BLUESKY_APPVIEW", served.url)
        result = _refresh_at(monkeypatch, 1)
    assert "refreshed 1 picks' replies" in result.output, result.output
    assert app.requests == 9
    [thread] = _conversation(tmp_path)[pick.id]["threads"]
    assert [r["text"] for r in thread["replies"]] == ["Found it"]


def _rome_linked_to(root: Path, link: str) -> None:
    rome = root / "picks/2024/2024-04-12-rome.md"
    rome.write_text(pick_text("ROME", "2024-04-12", arxiv="2202.05262", extra=f'announced: ["{link}"]\n'), "utf-8")


def _replies_of(root: Path, pick_id: str, network: str) -> list[dict]:
    conversation = _conversation(root)
    [thread] = [t for t in conversation[pick_id]["threads"] if t["network"] == network]
    return thread["replies"]


@pytest.mark.parametrize("gate_on_post", [False, True])
def test_a_bluesky_thread_skips_what_is_gone_labelled_or_hidden_and_reads_every_field(services, gate_on_post) -> None:
    app, toot, alex, root = services
    first = app.post(DID, "3krome", "my own words about ROME")
    _rome_linked_to(root, f"https://bsky.app/profile/{DID}/post/3krome")
    gone = app.post("did:plc:gone", "3kgone2", "deleted", reply_to=first)
    app.gone[gone] = "notFound"  # listed first: what comes after it is still read
    for label in ("!hide", "!takedown", "!warn"):
        app.post("did:plc:mod", f"3k{label[1:]}", f"labelled {label}", reply_to=first, labels=[{"val": label}])
    hidden = app.post("did:plc:hid", "3khid", "hidden by the thread's author", reply_to=first)
    app.hidden, app.gate_on_post = [hidden], gate_on_post  # on the output, or on the post's view
    app.post("did:plc:ada", "3kada3", "Kept", reply_to=first, name="", labels=[{"val": "en"}])
    app.posts[app.post("did:plc:bob", "3kbob3", "No date", reply_to=first, name="Bob")]["record"].pop("createdAt")
    app.post("did:plc:eve", "3keve3", "Bad date", reply_to=first, name="Eve", createdAt="yesterday")
    result = refresh()
    assert result.exit_code == 0, result.output
    assert _replies_of(root, "2024-04-12-rome", "bluesky") == [
        {  # no display name: the handle
            "network": "bluesky",
            "uri": "at://did:plc:ada/app.bsky.feed.post/3kada3",
            "url": "https://bsky.app/profile/ada.example/post/3kada3",
            "author": "ada.example",
            "handle": "@ada.example",
            "created": "2024-04-12T08:00:00+00:00",
            "text": "Kept",
            "parent": None,
        },
        {  # no createdAt in the record: when the AppView indexed it
            "network": "bluesky",
            "uri": "at://did:plc:bob/app.bsky.feed.post/3kbob3",
            "url": "https://bsky.app/profile/3kbob3.example/post/3kbob3",
            "author": "Bob",
            "handle": "@3kbob3.example",
            "created": "2024-04-12T08:00:00+00:00",
            "text": "No date",
            "parent": None,
        },
        {  # a date that is no date: none, rather than a wrong one
            "network": "bluesky",
            "uri": "at://did:plc:eve/app.bsky.feed.post/3keve3",
            "url": "https://bsky.app/profile/3keve3.example/post/3keve3",
            "author": "Eve",
            "handle": "@3keve3.example",
            "created": "",
            "text": "Bad date",
            "parent": None,
        },
    ]
    conversation = _conversation(root)
    [thread] = conversation["2024-04-12-rome"]["threads"]
    assert (thread["uri"], thread["url"]) == (first, "https://bsky.app/profile/picks.example.org/post/3krome")


@pytest.mark.parametrize(
    ("link", "resolves"),
    [
        (f"https://bsky.app/profile/{DID}/post/3khand", 0),  # a DID in the URL: nothing to resolve
        ("https://bsky.app/profile/picks.example.org/post/3khand", 1),
    ],
)
def test_a_bluesky_post_linked_by_url_is_read_with_its_handle_resolved_once(services, link, resolves) -> None:
    app, toot, alex, root = services
    app.post("did:plc:ada", "3kada4", "On ROME", reply_to=app.post(DID, "3khand", "by hand"), name="Ada")
    _rome_linked_to(root, link)
    requests = app.requests
    assert refresh().exit_code == 0
    assert [r["text"] for r in _replies_of(root, "2024-04-12-rome", "bluesky")] == ["On ROME"]
    # The account's DID (for the induction pick), its thread, then the linked post and its handle if any.
    assert app.requests - requests == 1 + 1 + 1 + resolves


def test_a_bluesky_link_whose_handle_does_not_resolve_leaves_the_pick_unread_by_that_link(services) -> None:
    app, toot, alex, root = services
    _rome_linked_to(root, "https://bsky.app/profile/nobody.example/post/3khand")
    requests = app.requests
    result = refresh()
    assert result.exit_code == 0 and "warning" not in result.output  # one dead link fails no network
    conversation = _conversation(root)
    assert [t["network"] for t in conversation["2024-04-12-rome"]["threads"]] == []
    # The DID and the induction thread; the handle asked once, then rome's own keys (not announced: one read).
    assert app.requests - requests == 1 + 1 + 1 + 1


def test_the_mastodon_first_post_is_found_past_the_first_page_of_statuses(services, monkeypatch) -> None:
    app, toot, alex, root = services
    for number in range(45):  # newer statuses: the pick's first post is on the second page of 40
        toot.add(f"a later status {number}", visibility="public")
    monkeypatch.setenv("PICKS_MASTODON_URL", toot.url + "/")  # a trailing slash, as people write URLs
    assert refresh().exit_code == 0
    assert [r["text"] for r in _replies_of(root, "2024-04-11-induction", "mastodon")] == ["Nice pick! #interp"]


def test_a_mastodon_first_post_older_than_five_pages_is_not_looked_for(services) -> None:
    app, toot, alex, root = services
    for number in range(5 * 40):
        toot.add(f"a later status {number}", visibility="public")
    requests = toot.requests
    result = refresh()
    assert result.exit_code == 0 and "warning" not in result.output
    conversation = _conversation(root)
    assert [t["network"] for t in conversation["2024-04-11-induction"]["threads"]] == ["bluesky"]
    assert toot.requests - requests == 1 + 5  # the account, then five pages, once for both picks


def test_what_is_left_counts_both_budgets(services) -> None:
    app, toot, alex, root = services
    _project(
        root,
        conversation={"bluesky": True, "mastodon": False, "requests": 9},
        citations={"openalex": True, "mailto": "curator@example.org", "requests": 2},
    )
    # Replies: the DID, then the induction pick (1 of a worst case of 8): the rome pick waits (8 > 7 left).
    # Citations: the unknown paper (1 request) first; 1 left, less than the known one's 2: it waits.
    result = refresh()
    assert "refreshed 1 picks' replies and 1 papers' citations; 2 left for the next run" in result.output
    alex.broken = True
    failing = refresh()  # the rome pick's turn; OpenAlex fails on the first paper: both wait
    assert "refreshed 1 picks' replies and 0 papers' citations; 3 left for the next run" in failing.output
