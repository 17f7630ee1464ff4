"""Feeds parsed back strictly and with feedparser: order, ids, links, dates, escaping, stability."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import lxml.html
import pytest
from lxml import etree

from conftest import assert_matches_golden, mkdocs_build, pick_text, write_project
from generator.core.loader import LoadSettings, load_picks
from generator.core.model import Pick
from generator.outputs.feed import FeedEntry, FeedInfo, write_feeds

SITE_URL = "https://example.org/picks/"
PICKS = {
    "2024-04-10-first.md": pick_text("First", "2024-04-10", arxiv="2404.00001", tags=["circuits"]),
    "2024-04-11-special.md": pick_text(
        'Ampersand & <angle> "quotes"',
        "2024-04-11",
        arxiv="2404.00002",
        tags=["SAEs"],
        body="See [the tag](../../tags/saes/) and ![a figure](../../img/figure.png).\n\nMore <b>bold</b> text.\n",
    ),
    "2024-04-12-late.md": pick_text(
        "Late x2",
        "2024-04-12T23:30:00-07:00",
        arxiv="2404.00003",
        authors="[Gonçalo Paulo, Nora Belrose]",
        extra="collection: classics\n",
    ),
    "2024-04-13-newest.md": pick_text("Newest", "2024-04-13", arxiv="2404.00004", tags=["circuits"]),
}
OPTIONS = {"feed": {"limit": 3}, "collections": {"interpretability": {"title": "Interp"}, "classics": {}}}
GOLDEN = Path(__file__).parent / "golden"


def build(root: Path, picks: dict[str, str] = PICKS, site_url: str = SITE_URL) -> Path:
    config = write_project(root, picks, site_url=site_url, **OPTIONS)
    (root / "docs" / "img").mkdir(exist_ok=True)
    (root / "docs" / "img" / "figure.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = mkdocs_build(config)
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("feeds"))


def strict(path: Path) -> etree._Element:
    return etree.fromstring(path.read_bytes(), etree.XMLParser(recover=False, resolve_entities=False))


@pytest.mark.parametrize("name", ["feed.xml", "atom.xml", "collections/classics/feed.xml", "tags/circuits/feed.xml"])
def test_feeds_are_well_formed_and_feedparser_clean(site: Path, name: str) -> None:
    strict(site / name)
    parsed = feedparser.parse((site / name).read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.entries


@pytest.mark.parametrize("name", ["feed.xml", "atom.xml"])
def test_newest_limit_entries_newest_first(site: Path, name: str) -> None:
    entries = feedparser.parse((site / name).read_bytes()).entries
    # 2024-04-12T23:30-07:00 is 06:30 UTC on the 13th, so it is newer than the bare date 2024-04-13 (midnight UTC).
    assert [e.id for e in entries] == [
        "urn:daily-picks:pick:2024-04-12-late",
        "urn:daily-picks:pick:2024-04-13-newest",
        "urn:daily-picks:pick:2024-04-11-special",
    ]
    assert entries[0].title == "Late x2"
    assert datetime(*entries[0].published_parsed[:6], tzinfo=UTC) == datetime(2024, 4, 13, 6, 30, tzinfo=UTC)
    assert datetime(*entries[1].published_parsed[:6], tzinfo=UTC) == datetime(2024, 4, 13, 0, 0, tzinfo=UTC)


def test_rss_details(site: Path) -> None:
    root = strict(site / "feed.xml")
    ns = {"atom": "http://www.w3.org/2005/Atom", "dc": "http://purl.org/dc/elements/1.1/"}
    channel = root.find("channel")
    assert channel.find("atom:link[@rel='self']", ns).get("href") == SITE_URL + "feed.xml"
    assert channel.findtext("language") == "en"
    assert channel.findtext("lastBuildDate") == "Sat, 13 Apr 2024 06:30:00 +0000"  # newest pick, not the clock
    item = channel.find("item[title='Late x2']")
    assert item.find("guid").get("isPermaLink") == "false"
    assert [c.text for c in item.findall("dc:creator", ns)] == ["Gonçalo Paulo", "Nora Belrose"]
    assert root.find(".//item/author") is None  # RSS <author> must be an e-mail address


def test_titles_escaped_once_and_full_content_with_absolute_links(site: Path) -> None:
    for name in ("feed.xml", "atom.xml"):
        entry = feedparser.parse((site / name).read_bytes()).entries[2]
        assert entry.title == 'Ampersand & <angle> "quotes"'
        html = entry.content[0].value
        assert "More <b>bold</b> text." in html
        assert 'href="https://example.org/picks/tags/saes/"' in html
        assert 'src="https://example.org/picks/img/figure.png"' in html
        assert 'href="https://arxiv.org/abs/2404.00002"' in html


def test_every_link_is_absolute_and_resolves(site: Path) -> None:
    for name in ("feed.xml", "atom.xml"):
        for entry in feedparser.parse((site / name).read_bytes()).entries:
            assert entry.link.startswith(SITE_URL)
            assert (site / entry.link[len(SITE_URL) :] / "index.html").exists()
            for href in etree.HTML(entry.content[0].value).xpath("//@href | //@src"):
                assert href.startswith(("https://", "http://")), href


def test_json_feed(site: Path) -> None:
    document = json.loads((site / "feed.json").read_text("utf-8"))
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == SITE_URL + "feed.json"
    items = document["items"]
    assert [i["id"] for i in items] == [
        "urn:daily-picks:pick:2024-04-12-late",
        "urn:daily-picks:pick:2024-04-13-newest",
        "urn:daily-picks:pick:2024-04-11-special",
    ]
    assert items[0]["date_published"] == "2024-04-13T06:30:00+00:00"
    assert items[2]["title"] == 'Ampersand & <angle> "quotes"'


def test_collection_and_tag_feeds(site: Path) -> None:
    classics = feedparser.parse((site / "collections/classics/feed.xml").read_bytes())
    assert [e.title for e in classics.entries] == ["Late x2"]
    circuits = feedparser.parse((site / "tags/circuits/feed.xml").read_bytes())
    assert [e.title for e in circuits.entries] == ["Newest", "First"]
    assert circuits.feed.title == "Test Picks: circuits"


@pytest.mark.parametrize("name", ["feed.xml", "atom.xml", "feed.json", "picks.bib"])
def test_golden(site: Path, name: str) -> None:
    """Byte-for-byte against tests/golden/ (UPDATE_GOLDEN=1 rewrites them after a deliberate change)."""
    assert_matches_golden(GOLDEN / f"build-{name}", (site / name).read_bytes())


def test_rebuild_is_byte_identical(site: Path, tmp_path: Path) -> None:
    again = build(tmp_path)
    for name in ("feed.xml", "atom.xml", "feed.json", "picks.bib", "tags/circuits/feed.xml"):
        assert (again / name).read_bytes() == (site / name).read_bytes(), name
    assert len(feedparser.parse((again / "feed.xml").read_bytes()).entries) == OPTIONS["feed"]["limit"]


def test_moving_the_site_keeps_every_id(site: Path, tmp_path: Path) -> None:
    moved = build(tmp_path, site_url="https://picks.example.com/")
    for name in ("feed.xml", "atom.xml"):
        before = [e.id for e in feedparser.parse((site / name).read_bytes()).entries]
        after = feedparser.parse((moved / name).read_bytes()).entries
        assert len(before) == OPTIONS["feed"]["limit"]  # two empty feeds would agree too
        assert [e.id for e in after] == before
        assert all(e.link.startswith("https://picks.example.com/") for e in after)


def test_one_more_pick_keeps_old_ids(site: Path, tmp_path: Path) -> None:
    more = build(tmp_path, {**PICKS, "2024-04-14-more.md": pick_text("More", "2024-04-14", arxiv="2404.00005")})
    before = {e.id: e.title for e in feedparser.parse((site / "atom.xml").read_bytes()).entries}
    after = {e.id: e.title for e in feedparser.parse((more / "atom.xml").read_bytes()).entries}
    assert len(before) == len(after) == OPTIONS["feed"]["limit"]
    assert set(after) - set(before) == {"urn:daily-picks:pick:2024-04-14-more"}
    assert all(after[i] == before[i] for i in after if i in before)


def test_json_feed_content_links_are_absolute(site: Path) -> None:
    feed = json.loads((site / "feed.json").read_text("utf-8"))
    links = [
        link
        for item in feed["items"]
        for _, _, link, _ in lxml.html.fragment_fromstring(item["content_html"], create_parent="div").iterlinks()
    ]
    assert links and all(link.startswith(("https://example.org/picks/", "https://arxiv.org/")) for link in links)


def test_only_the_feeds_showing_an_edited_pick_are_written(tmp_path: Path) -> None:
    for name, text in PICKS.items():
        (tmp_path / name).write_text(text, "utf-8")
    settings = LoadSettings("UTC", "interpretability", frozenset({"interpretability", "classics"}))
    picks = {pick.title: pick for pick in load_picks(tmp_path, settings).picks}
    first, newest = picks["First"], picks["Newest"]
    listings = [
        (FeedInfo("tags/circuits", "circuits", "", SITE_URL), [first, newest], {"rss": "circuits.xml"}),
        (FeedInfo("tags/saes", "SAEs", "", SITE_URL), [picks['Ampersand & <angle> "quotes"']], {"rss": "saes.xml"}),
        (FeedInfo("all", "All", "", SITE_URL), list(picks.values()), {"rss": "all.xml", "json": "all.json"}),
    ]
    entries: list[str] = []

    def entry(pick: Pick) -> FeedEntry:
        entries.append(pick.id)
        return FeedEntry(pick, SITE_URL + pick.id + "/", pick.html)

    out = tmp_path / "site"
    write_feeds(listings, entry, 3, SITE_URL, out, showing=first.id)
    # "First" is in the circuits feed; the site feed's newest 3 leave it out, the SAEs feed never had it.
    assert sorted(p.name for p in out.iterdir()) == ["circuits.xml"]
    assert entries == [newest.id, first.id]  # no entry is built for a feed left as it was
    assert feedparser.parse((out / "circuits.xml").read_bytes()).entries[1].title == "First"
    write_feeds(listings, entry, 4, SITE_URL, out, showing=first.id)
    assert sorted(p.name for p in out.iterdir()) == ["all.json", "all.xml", "circuits.xml"]
    write_feeds(listings, entry, 4, SITE_URL, out)
    assert sorted(p.name for p in out.iterdir()) == ["all.json", "all.xml", "circuits.xml", "saes.xml"]
