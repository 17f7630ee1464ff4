"""Feeds parsed back strictly and with feedparser: order, ids, links, dates, escaping, stability."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from html import escape
from pathlib import Path

import feedparser
import lxml.html
import pytest
from lxml import etree

from conftest import assert_matches_golden, mkdocs_build, pick_text, write_picks, write_project
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
    picks = {pick.title: pick for pick in _loaded(tmp_path)}
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
    nested = [(listings[0][0], [first], {"atom": "tags/circuits/atom.xml"})]  # folders made as needed
    write_feeds(nested, entry, 4, SITE_URL, out)
    self_links = feedparser.parse((out / "tags" / "circuits" / "atom.xml").read_bytes()).feed.links
    assert [link.href for link in self_links if link.rel == "self"] == [SITE_URL + "tags/circuits/atom.xml"]


def _loaded(tmp_path: Path) -> list[Pick]:
    write_picks(tmp_path, PICKS)
    settings = LoadSettings("UTC", "interpretability", frozenset({"interpretability", "classics"}))
    return list(reversed(load_picks(tmp_path, settings).picks))  # newest first, as feeds list them


def _entries(picks: list[Pick]) -> list[FeedEntry]:
    return [FeedEntry(pick, f"{SITE_URL}picks/{pick.id}/", pick.html) for pick in picks]


INFO = FeedInfo("tags/circuits", "Circuits & more", "", SITE_URL + "tags/circuits/", "en-GB")


@pytest.mark.parametrize("kind", ["rss", "atom", "json"])
def test_every_field_of_every_entry_in_each_format(tmp_path: Path, kind: str) -> None:
    """In-process, field by field against the picks (the build tests above read whole sites)."""
    from generator.outputs import feed

    picks = _loaded(tmp_path)
    picks[1] = replace(picks[1], summary="R&D <b>not bold</b>")  # a summary is text, whatever it looks like
    self_url = f"{SITE_URL}tags/circuits/feed.{kind}"
    raw = {"rss": feed.rss, "atom": feed.atom, "json": feed.json_feed}[kind](INFO, _entries(picks), self_url)
    if kind == "json":
        document = json.loads(raw)
        assert raw.endswith(b"}\n") and "\\u" not in raw.decode() and raw.startswith(b'{\n  "version"')
        assert {k: v for k, v in document.items() if k != "items"} == {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "Circuits & more",
            "home_page_url": SITE_URL + "tags/circuits/",
            "feed_url": self_url,
            "description": "Circuits & more",  # no description: the title
            "language": "en-GB",
        }
        for item, pick in zip(document["items"], picks, strict=True):
            assert item == {
                "id": f"urn:daily-picks:pick:{pick.id}",
                "url": f"{SITE_URL}picks/{pick.id}/",
                "title": pick.title,
                "content_html": pick.html,
                "summary": pick.summary,
                "date_published": pick.instant.isoformat(),
                "authors": [{"name": a} for a in pick.papers[0].authors],
                "tags": list(pick.tags),
            }
        return
    strict_root = etree.fromstring(raw, etree.XMLParser(recover=False, resolve_entities=False))
    parsed = feedparser.parse(raw)
    assert not parsed.bozo and parsed.feed.title == "Circuits & more" and parsed.feed.language == "en-GB"
    assert parsed.feed.generator == "Daily Picks"
    assert [link.href for link in parsed.feed.links if link.rel == "self"] == [self_url]
    newest_instant = picks[0].instant
    assert parsed.feed.updated_parsed[:6] == newest_instant.astimezone(UTC).timetuple()[:6]
    for entry, pick in zip(parsed.entries, picks, strict=True):
        assert (entry.id, entry.title, entry.link) == (
            f"urn:daily-picks:pick:{pick.id}",
            pick.title,
            f"{SITE_URL}picks/{pick.id}/",
        )
        assert entry.published_parsed[:6] == pick.instant.astimezone(UTC).timetuple()[:6]
        assert entry.summary == (pick.summary if kind == "atom" else escape(pick.summary, quote=False))  # RSS: HTML
        assert [t.term for t in entry.get("tags", [])] == list(pick.tags)
        names = [a.name for a in entry.authors] if kind == "atom" else entry.get("dc_creator", "").split(", ")
        assert names == list(pick.papers[0].authors) or kind == "rss"
    atom_ns, content_ns = "{http://www.w3.org/2005/Atom}", "{http://purl.org/rss/1.0/modules/content/}"
    contents = (
        [e.find(f"{atom_ns}content") for e in strict_root.findall(f"{atom_ns}entry")]
        if kind == "atom"
        else [i.find(f"{content_ns}encoded") for i in strict_root.findall("channel/item")]
    )
    assert [c.text for c in contents] == [pick.html for pick in picks]  # the HTML as is (feedparser cleans it)
    assert raw.count(b"\n") > 10 * len(picks)  # pretty-printed: one element per line, for people reading it
    empty = feedparser.parse({"rss": feed.rss, "atom": feed.atom}[kind](INFO, [], self_url))  # no pick yet
    assert not empty.bozo and empty.feed.updated_parsed[:3] == (1970, 1, 1) and not empty.entries
    if kind == "atom":  # Atom: content typed as HTML, links typed as alternate, categories labelled
        assert [c.get("type") for c in contents] == ["html"] * len(picks)
        assert strict_root.find(f"{atom_ns}generator").get("uri") == "https://github.com/daily-picks/daily-picks"
        links = [(link.get("rel"), link.get("href")) for link in strict_root.findall(f"{atom_ns}link")]
        assert links == [("self", self_url), ("alternate", INFO.home_url)]
        for entry, pick in zip(strict_root.findall(f"{atom_ns}entry"), picks, strict=True):
            assert [link.get("href") for link in entry.findall(f"{atom_ns}link")] == [f"{SITE_URL}picks/{pick.id}/"]
            assert [(c.get("term"), c.get("label")) for c in entry.findall(f"{atom_ns}category")] == [
                (tag, tag) for tag in pick.tags
            ]
    if kind == "rss":  # RSS: a guid that is not a permalink, and every author as dc:creator
        items = strict_root.findall("channel/item")
        dc = "{http://purl.org/dc/elements/1.1/}creator"
        assert strict_root.find("channel/link").text == INFO.home_url
        for item, pick in zip(items, picks, strict=True):
            assert item.find("description").text == escape(pick.summary, quote=False)  # shown as HTML by readers
            assert item.find("guid").get("isPermaLink") == "false"
            assert [c.text for c in item.findall(dc)] == list(pick.papers[0].authors)
            assert item.find("author") is None
