"""The site's listings in-process: what each one holds, in which order, and where its feed, BibTeX and flip live."""

from __future__ import annotations

from pathlib import Path

from conftest import pick_text, write_picks
from generator.core.digest import Issue
from generator.core.listings import build_site
from generator.core.loader import LoadSettings, load_picks

PICKS = {
    "2023-12-30-old.md": pick_text("Old", "2023-12-30", arxiv="2312.00001", tags=["SAEs"]),
    "2024-01-02-classic.md": pick_text("Classic", "2024-01-02", arxiv="2401.00002", extra="collection: classics\n"),
    "2024-01-03-mid.md": pick_text("Mid", "2024-01-03", arxiv="2401.00003", tags=["saes", "Circuits"]),
    "2024-01-04-new.md": pick_text("New", "2024-01-04", arxiv="2401.00004", extra="collection: classics\n"),
}
COLLECTIONS = {"interpretability": ("Interp", "About heads", None), "classics": ("", "", "oldest-first")}


def _site(tmp_path: Path, order: str = "newest-first", issues: list[Issue] = ()):  # type: ignore[assignment]
    write_picks(tmp_path, PICKS)
    settings = LoadSettings("UTC", "interpretability", frozenset(COLLECTIONS))
    picks = load_picks(tmp_path, settings).picks
    return picks, build_site(
        picks, order=order, collections=COLLECTIONS, rss="feed.xml", bib="picks.bib", issues=issues
    )


def _ids(listing) -> list[str]:
    return [p.id[11:] for p in listing.picks]


def test_home_collections_and_their_flips(tmp_path: Path) -> None:
    _, site = _site(tmp_path)
    home = site.home
    assert (home.path, home.title, home.kind, home.feed, home.bib) == (
        "",
        "Latest picks",
        "home",
        "feed.xml",
        "picks.bib",
    )
    assert (_ids(home), home.order, home.flipped) == (["new", "mid", "classic", "old"], "newest-first", "oldest-first")
    classics, interp = site.collections  # sorted by key
    assert (classics.path, classics.title, classics.description, classics.kind) == (
        "collections/classics",
        "classics",  # no title: the key
        "",
        "collection",
    )
    assert (_ids(classics), classics.order) == (["classic", "new"], "oldest-first")  # its own order
    assert (classics.feed, classics.bib) == ("collections/classics/feed.xml", "collections/classics/picks.bib")
    assert (interp.title, interp.description, _ids(interp), interp.order) == (
        "Interp",
        "About heads",
        ["mid", "old"],
        "newest-first",
    )
    flips = {flip.path: flip for flip in site.flips}
    assert list(flips) == [
        "oldest-first",
        "collections/classics/newest-first",
        "collections/interpretability/oldest-first",
    ]
    assert (_ids(flips["oldest-first"]), flips["oldest-first"].order, flips["oldest-first"].flipped) == (
        ["old", "classic", "mid", "new"],
        "oldest-first",
        "",
    )
    assert _ids(flips["collections/classics/newest-first"]) == ["new", "classic"]
    assert (classics.flipped, interp.flipped) == (
        "collections/classics/newest-first",
        "collections/interpretability/oldest-first",
    )
    assert flips["collections/classics/newest-first"].flipped == "collections/classics"


def test_tags_years_neighbours_and_digests(tmp_path: Path) -> None:
    picks, site = _site(tmp_path, order="oldest-first", issues=[])
    assert [(t.path, t.title, t.kind, t.feed, _ids(t)) for t in site.tags] == [
        ("tags/circuits", "Circuits", "tag", "tags/circuits/feed.xml", ["mid"]),
        ("tags/saes", "SAEs", "tag", "tags/saes/feed.xml", ["old", "mid"]),  # the first spelling names it
    ]
    assert [(y.path, y.title, y.kind, _ids(y)) for y in site.years] == [
        ("archive/2024", "2024", "year", ["classic", "mid", "new"]),
        ("archive/2023", "2023", "year", ["old"]),
    ]
    by_id = {p.id[11:]: p for p in picks}
    assert {k[11:]: v.id[11:] for k, v in site.previous.items()} == {"classic": "old", "mid": "classic", "new": "mid"}
    assert {k[11:]: v.id[11:] for k, v in site.next.items()} == {"old": "classic", "classic": "mid", "mid": "new"}
    issue = Issue("2024-W01", "Week of 1 January 2024", [by_id["new"], by_id["mid"]])
    _, with_digest = _site(tmp_path, issues=[issue])
    [digest] = with_digest.digests
    assert (digest.path, digest.title, digest.kind, digest.feed, digest.issue, _ids(digest)) == (
        "digest/2024-W01",
        "Week of 1 January 2024",
        "digest",
        "digest/feed.xml",
        issue,
        ["new", "mid"],
    )
    assert site.digests == [] and site.home.flipped == "newest-first"


def test_pages_of_a_listing_and_their_folders(tmp_path: Path) -> None:
    from dataclasses import replace

    picks, site = _site(tmp_path)
    home = replace(site.home, picks=picks + picks[:1])  # five picks
    assert [home.page_count(n) for n in (1, 2, 5, 6)] == [5, 3, 1, 1]
    assert replace(home, picks=[]).page_count(2) == 1  # an empty listing still has its first page
    pages = [home.page(n, 2) for n in (1, 2, 3)]
    assert [(p.number, p.count, [x.id for x in p.picks]) for p in pages] == [
        (1, 3, [x.id for x in home.picks[0:2]]),
        (2, 3, [x.id for x in home.picks[2:4]]),
        (3, 3, [x.id for x in home.picks[4:5]]),
    ]
    classics = site.collections[0]
    assert [home.page_path(n) for n in (1, 2)] == ["", "page/2"]
    assert [classics.page_path(n) for n in (1, 2)] == ["collections/classics", "collections/classics/page/2"]


def test_every_listing_keeps_the_site_order_and_only_collections_are_described(tmp_path: Path) -> None:
    for order, first in (("newest-first", "mid"), ("oldest-first", "old")):
        picks, site = _site(tmp_path, order=order, issues=[Issue("2024-W01", "Week 1", [])])
        others = [site.home, *site.tags, *site.years, *site.digests]
        assert {(listing.order, listing.description) for listing in others} == {(order, "")}
        assert _ids(next(t for t in site.tags if t.path == "tags/saes"))[0] == first
        assert _ids(site.years[0])[0] == {"newest-first": "new", "oldest-first": "classic"}[order]
    bare = build_site(picks, order="newest-first", collections={}, rss="feed.xml", bib="picks.bib")
    assert bare.collections == [] and bare.flips == [bare.flips[0]] and _ids(bare.home)[0] == "new"
