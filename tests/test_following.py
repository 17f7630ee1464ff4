"""Readers follow what they care about (issue 35): author pages and feeds, one person's spellings merged only as
people.yml says, related picks, every feed in feeds.opml, and the subscribe page."""

from __future__ import annotations

from pathlib import Path

import feedparser
import listparser
import lxml.html
import pytest

from conftest import EXTENSIONS, mkdocs_build, pick_text, write_project
from generator.core.authors import authors
from generator.core.people import People

PICKS = {
    "2024-04-08-one.md": pick_text(
        "One", "2024-04-08", arxiv="2404.00008", authors="[Ted Moskovitz, Ada Lovelace]", tags=["heads"]
    ),
    "2024-04-09-two.md": pick_text("Two", "2024-04-09", arxiv="2404.00009", authors='["Moskovitz, Ted", José García]'),
    "2024-04-10-three.md": pick_text(
        "Three", "2024-04-10", arxiv="2404.00010", authors="[T. Moskovitz, Jose Garcia]", tags=["heads"]
    ),
    "2024-04-11-four.md": pick_text(
        "Four", "2024-04-11", arxiv="2404.00011", authors='["<b>Eve</b> & Co", Grace Hopper]', tags=["other"]
    ),
    "2024-04-12-draft.md": pick_text(
        "Draft", "2024-04-12", arxiv="2404.00012", authors="[Ted Moskovitz]", extra="draft: true\n"
    ),
}
PEOPLE = '"Ted Moskovitz":\n  names: ["T. Moskovitz"]\n  x: "@ted"\n'


def _build(root: Path, people: str | None, **options: object) -> Path:
    config = write_project(root, PICKS, markdown_extensions=EXTENSIONS, **options)
    if people is not None:
        (root / "people.yml").write_text(people, "utf-8")
    result = mkdocs_build(config)
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(
        tmp_path_factory.mktemp("merged"),
        PEOPLE,
        announce={"bluesky_handle": "picks.bsky.social", "mastodon_account": "@picks@sigmoid.social"},
        collections={"interpretability": {"title": "Interp", "hf_collection": "picks/interp-0123456789abcdef01234567"}},
        digest={"every": "week", "sender": "picks@example.org"},
    )


@pytest.fixture(scope="module")
def unmerged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("unmerged"), None)


def _page(site: Path, path: str) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(site / path / "index.html")).getroot()


def _index(site: Path) -> list[tuple[str, str]]:
    links = _page(site, "authors").cssselect(".picks-index a")
    return [(a.text, a.get("href")) for a in links]


def test_spellings_are_one_author_only_as_people_yml_or_the_name_form_says(merged: Path, unmerged: Path) -> None:
    # Without people.yml: "Moskovitz, Ted" is "Ted Moskovitz" (SPEC section 1), "T. Moskovitz" someone else.
    assert _index(unmerged)[0] == ("Ted Moskovitz", "ted-moskovitz/")  # most-picked first, then by name
    assert ("Ada Lovelace", "ada-lovelace/") in _index(unmerged)
    assert ("T. Moskovitz", "t-moskovitz/") in _index(unmerged)
    # With its names: entry, one person with every pick, the spellings said on the page.
    assert _index(merged)[0] == ("Ted Moskovitz", "ted-moskovitz/")
    assert ("T. Moskovitz", "t-moskovitz/") not in _index(merged)
    page = _page(merged, "authors/ted-moskovitz")
    assert [a.text for a in page.cssselect(".pick-card__title a")] == ["Three", "Two", "One"]  # newest first
    assert "Also written T. Moskovitz." in page.text_content()


def test_two_people_who_fold_alike_get_distinct_stable_slugs(merged: Path) -> None:
    assert ("José García", "jose-garcia/") in _index(merged) and ("Jose Garcia", "jose-garcia-2/") in _index(merged)
    later = {"2024-05-01-later.md": pick_text("Later", "2024-05-01", arxiv="2405.00001", authors="[Jose García]")}
    found = authors([], People())
    assert found == []
    from conftest import load_one_pick

    picks = [load_one_pick(text, name) for name, text in {**PICKS, **later}.items() if "draft" not in name]
    slugs = {a.name: a.slug for a in authors(sorted(picks, key=lambda p: p.sort_key), People())}
    assert slugs["José García"] == "jose-garcia" and slugs["Jose Garcia"] == "jose-garcia-2"
    assert slugs["Jose García"] == "jose-garcia-3"  # a newcomer never takes an earlier author's address


def test_an_author_feed_holds_their_picks_with_the_main_feeds_ids(merged: Path) -> None:
    main = {e.link: e.id for e in feedparser.parse((merged / "feed.xml").read_bytes()).entries}
    own = feedparser.parse((merged / "authors/ted-moskovitz/feed.xml").read_bytes())
    assert not own.bozo and [e.title for e in own.entries] == ["Three", "Two", "One"]
    assert all(main[e.link] == e.id for e in own.entries)
    assert "Draft" not in (merged / "authors/ted-moskovitz/feed.xml").read_text("utf-8")
    # A teaser feed: each item's summary and link, no body (the main feed carries the bodies).
    assert all(e.summary == "A summary paragraph." and "content" not in e for e in own.entries)
    assert all("content" in e for e in feedparser.parse((merged / "feed.xml").read_bytes()).entries)


def test_names_are_text_and_link_to_their_pages(merged: Path) -> None:
    page = _page(merged, "picks/2024-04-11-four")
    links = page.cssselect("a.pick-paper__author")
    assert [(a.text, a.get("href")) for a in links] == [
        ("<b>Eve</b> & Co", "../../authors/b-eve-b-co/"),
        ("Grace Hopper", "../../authors/grace-hopper/"),
    ]
    assert not page.cssselect(".pick-paper__authors b")
    assert _page(merged, "authors/b-eve-b-co").cssselect("h1")[0].text_content().startswith("Picks of papers by <b>")


def test_related_picks_share_authors_first_then_tags_never_itself_or_a_draft(merged: Path) -> None:
    def related(pick: str) -> list[str]:
        return [a.text for a in _page(merged, f"picks/{pick}").cssselect(".pick__related a")]

    assert related("2024-04-08-one") == ["Three", "Two", "Four"]  # Ted in both, Three shares a tag too
    assert related("2024-04-11-four") == ["Three", "Two", "One"]  # nothing shared: the same collection, newest
    assert all("Draft" not in related(p) for p in ("2024-04-08-one", "2024-04-09-two", "2024-04-10-three"))


def test_feeds_opml_lists_every_feed_once_for_a_feed_reader(merged: Path) -> None:
    parsed = listparser.parse((merged / "feeds.opml").read_bytes())
    assert not parsed.bozo
    urls = [feed.url for feed in parsed.feeds]
    assert len(urls) == len(set(urls))
    base = "https://example.org/picks/"
    expected = {base + name for name in ("feed.xml", "atom.xml", "feed.json", "digest/feed.xml")}
    expected |= {base + "collections/interpretability/feed.xml", base + "tags/heads/feed.xml"}
    expected |= {base + "authors/ted-moskovitz/feed.xml", base + "authors/jose-garcia-2/feed.xml"}
    assert expected <= set(urls)
    on_disk = {base + str(p.relative_to(merged)) for p in merged.rglob("feed.xml")} | {
        base + "atom.xml",
        base + "feed.json",
    }
    assert set(urls) == on_disk  # every feed file the site has, and no other
    groups = {name for feed in parsed.feeds for hierarchy in feed.categories for name in hierarchy}
    assert groups >= {"Collections", "Tags", "Authors", "Digest"}


def test_the_subscribe_page_shows_every_way_to_follow(merged: Path, unmerged: Path) -> None:
    page = _page(merged, "subscribe")
    hrefs = [a.get("href") for a in page.cssselect(".md-content a")]
    assert "../feeds.opml" in hrefs and "https://example.org/picks/digest/feed.xml" in hrefs
    assert "https://bsky.app/profile/picks.bsky.social" in hrefs
    assert "https://huggingface.co/collections/picks/interp-0123456789abcdef01234567" in hrefs
    text = page.text_content()
    assert "Mastodon: @picks@sigmoid.social" in text and "The digest goes out by email too" in text
    bare = _page(unmerged, "subscribe").text_content()
    assert "Bluesky" not in bare and "Hugging Face" not in bare and "by email" not in bare
    row = _page(merged, "tags/heads").cssselect(".picks-subscribe a.picks-subscribe__all")
    assert [a.get("href") for a in row] == ["../../subscribe/"]


@pytest.mark.parametrize(
    ("one", "other", "alike"),
    [
        ("T.", "Ted", True),
        ("A. K.", "Aaditya K.", True),
        ("Zoë", "Zoe", True),
        ("A.", "Bob", False),  # a shared family name alone is no match
        ("Ted", "Tom", False),
        ("A. K.", "Aaditya", False),
    ],
)
def test_given_names_compatible_by_initials_or_folding(one: str, other: str, alike: bool) -> None:
    from generator.core.authors import compatible

    assert compatible(one, other) is alike and compatible(other, one) is alike


def test_check_suggests_the_people_entry_for_likely_variants_only(make_project, monkeypatch) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    picks = {name: text for name, text in PICKS.items() if "draft" not in name}
    picks["2024-04-13-smith.md"] = pick_text(
        "Five", "2024-04-13", arxiv="2404.00013", authors='[A. Smith, "Sen Sharma, Arnab"]'
    )
    picks["2024-04-14-smith.md"] = pick_text("Six", "2024-04-14", arxiv="2404.00014", authors="[Bob Smith, A. Sharma]")
    root = make_project(picks).parent
    monkeypatch.chdir(root)
    warned = [
        line for line in CliRunner().invoke(main, ["check"]).output.splitlines() if "look like one person" in line
    ]
    assert warned == [
        "picks/2024-04-08-one.md:7: warning: authors: 'Ted Moskovitz' here and 'T. Moskovitz' in 2024-04-10-three "
        'look like one person; if so, add to people.yml: "Ted Moskovitz": {names: ["T. Moskovitz"]} (if not, '
        "nothing to do)",
        "picks/2024-04-09-two.md:6: warning: authors: 'José García' here and 'Jose Garcia' in 2024-04-10-three "
        'look like one person; if so, add to people.yml: "José García": {names: ["Jose Garcia"]} (if not, '
        "nothing to do)",
    ]  # not A. Smith / Bob Smith (incompatible), not Arnab Sen Sharma / A. Sharma (family names differ)
    entries = '"Ted Moskovitz": {names: ["T. Moskovitz"]}\n"José García": {names: ["Jose Garcia"]}\n'
    (root / "people.yml").write_text(entries, "utf-8")
    output = CliRunner().invoke(main, ["check"]).output
    assert "look like one person" not in output and "people.yml:" not in output


def test_an_author_page_is_in_the_search_index_by_every_spelling(merged: Path) -> None:
    from conftest import pagefind_records

    records = pagefind_records(merged)
    author = records["authors/ted-moskovitz/"]
    assert author["meta"]["title"] == "Ted Moskovitz" and "T. Moskovitz" in author["content"]
    assert "authors/jose-garcia/" in records and "authors/" not in records  # the index page is not a result


def test_the_authors_index_is_paginated_like_every_listing(tmp_path: Path) -> None:
    site = _build(tmp_path, PEOPLE, per_page=2)
    seen = []
    for path in ("authors", "authors/page/2", "authors/page/3"):
        page = _page(site, path)
        seen += [a.text for a in page.cssselect(".picks-index a")]
        assert len(page.cssselect(".picks-index li")) <= 2
        assert page.cssselect(".picks-pagination")  # every page links the others
    assert not (site / "authors/page/4").exists()
    # Most-picked first, then by name; every author once over the pages (Moskovitz merged by people.yml).
    assert seen[0] == "Ted Moskovitz" and len(seen) == len(set(seen)) == 6
    assert _page(site, "authors/page/2").cssselect("a[rel=prev]")[0].get("href") == "../../"
    # An author's own page holds up to 50 picks a page: Ted Moskovitz's three on one page, where the home
    # listing at two a page is paginated.
    assert len(_page(site, "authors/ted-moskovitz").cssselect(".pick-card")) == 3
    assert not (site / "authors/ted-moskovitz/page/2").exists() and (site / "page/2").exists()


def test_a_reader_goes_from_a_name_to_the_author_page_and_its_feed(chromium, merged: Path) -> None:
    from conftest import serve_folder

    page = chromium.new_page()
    for base in serve_folder(merged):
        page.goto(base + "picks/2024-04-10-three/")
        page.get_by_role("link", name="T. Moskovitz").first.click()
        page.wait_for_url("**/authors/ted-moskovitz/")
        assert page.get_by_role("heading", level=1).inner_text() == "Picks of papers by Ted Moskovitz"
        feed = page.get_by_role("link", name="RSS for Ted Moskovitz")
        href = feed.evaluate("a => a.href")
        assert href == base + "authors/ted-moskovitz/feed.xml"
        # A feed reader given the page finds the author's feed too (autodiscovery in <head>).
        assert page.locator('head link[rel~=alternate][href$="authors/ted-moskovitz/feed.xml"]').count() == 1
        parsed = feedparser.parse(page.request.get(href).body())
        assert not parsed.bozo and [e.title for e in parsed.entries] == ["Three", "Two", "One"]
    page.close()
