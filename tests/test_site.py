"""End-to-end ``mkdocs build --strict`` of fixture picks, asserting on the built HTML."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from conftest import mkdocs_build, pagefind_records, pick_text, write_project

# Seven picks over two years; "same-instant" twins differ only by id; one draft.
FIXTURE = {
    "2023-12-30-old.md": pick_text(
        "Old & <classic>", "2023-12-30", arxiv="2312.00001", tags=["circuits"], extra="collection: classics\n"
    ),
    "2024-01-02-b-twin.md": pick_text("Twin B", "2024-01-02", arxiv="2401.00002", tags=["circuits", "SAEs"]),
    "2024-01-02-a-twin.md": pick_text(
        "Twin A", "2024-01-02", arxiv="2401.00003", tags=["Circuits"], extra="collection: classics\n"
    ),
    "2024/2024-02-01-mid.md": pick_text("Mid", "2024-02-01T23:30:00-07:00", arxiv="2402.00004"),
    "2024/2024-03-01-x2.md": pick_text(
        "Double", "2024-03-01", arxiv="2403.00005", extra='mentions: ["@ada"]\n'
    ).replace(
        "---\n\n",
        "  - title: Second paper\n    authors: [Grace Hopper]\n    year: 2023\n"
        '    doi: "10.1234/abc"\n    code: https://github.com/x/y\n---\n\n',
        1,
    ),
    "2024/2024-04-01-new.md": pick_text(
        "Newest",
        "2024-04-01",
        arxiv="2404.00006",
        tags=["SAEs"],
        authors="[Ada Lovelace, Łukasz Kaiser, Zhang Wei, Ann Other]",
    ),
    "2024/2024-05-01-draft.md": pick_text("Secret draft", "2024-05-01", arxiv="2405.00007", extra="draft: true\n"),
}
NEWEST_FIRST = [
    "2024-04-01-new",
    "2024-03-01-x2",
    "2024-02-01-mid",
    "2024-01-02-b-twin",
    "2024-01-02-a-twin",
    "2023-12-30-old",
]
OPTIONS = {
    "per_page": 2,
    "collections": {
        "interpretability": {"title": "Interpretability & Analysis of LMs"},
        "classics": {"title": "Classics", "order": "oldest-first"},
    },
}


def card_ids(page: Path) -> list[str]:
    doc = lxml.html.parse(str(page)).getroot()
    return [a.get("href").rstrip("/").split("/")[-1] for a in doc.cssselect(".pick-card__title a")]


def listing_ids(site: Path, folder: str) -> list[str]:
    """Cards of every page of a listing, following the pagination's numbered links."""
    ids, page = [], site / folder / "index.html"
    number = 1
    while page.exists():
        ids += card_ids(page)
        number += 1
        page = site / folder / "page" / str(number) / "index.html"
    return ids


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import mkdocs_build  # module-scoped: build once for every assertion below

    root = tmp_path_factory.mktemp("site")
    config = _project(root, OPTIONS)
    result = mkdocs_build(config)
    assert result.returncode == 0, result.stderr
    return root / "site"


def _project(root: Path, options: dict) -> Path:
    return write_project(root, FIXTURE, **options)


def test_home_lists_newest_first_with_pagination(site: Path) -> None:
    assert card_ids(site / "index.html") == NEWEST_FIRST[:2]
    assert card_ids(site / "page" / "2" / "index.html") == NEWEST_FIRST[2:4]
    assert card_ids(site / "page" / "3" / "index.html") == NEWEST_FIRST[4:]
    assert not (site / "page" / "4").exists()
    pager = lxml.html.parse(str(site / "page" / "2" / "index.html")).getroot()
    assert [a.get("href") for a in pager.cssselect(".picks-pagination a[rel]")] == ["../../", "../3/"]


def test_oldest_first_toggle_is_exact_reverse(tmp_path: Path) -> None:
    config = _project(tmp_path, {**OPTIONS, "order": "oldest-first"})
    assert mkdocs_build(config).returncode == 0
    assert listing_ids(tmp_path / "site", "") == NEWEST_FIRST[::-1]


def test_collections_follow_their_own_order(site: Path) -> None:
    assert listing_ids(site, "collections/classics") == ["2023-12-30-old", "2024-01-02-a-twin"]
    assert listing_ids(site, "collections/interpretability") == [
        "2024-04-01-new",
        "2024-03-01-x2",
        "2024-02-01-mid",
        "2024-01-02-b-twin",
    ]


def test_tags_merge_by_slug_and_list_their_picks(site: Path) -> None:
    assert listing_ids(site, "tags/circuits") == ["2024-01-02-b-twin", "2024-01-02-a-twin", "2023-12-30-old"]
    assert listing_ids(site, "tags/saes") == ["2024-04-01-new", "2024-01-02-b-twin"]
    page = lxml.html.parse(str(site / "tags" / "circuits" / "index.html")).getroot()
    assert page.cssselect(".picks-listing__header h1")[0].text == "Picks tagged “circuits”"
    assert page.findtext(".//title").startswith("Picks tagged “circuits”")
    index = lxml.html.parse(str(site / "tags" / "index.html")).getroot()
    assert [a.text for a in index.cssselect(".picks-index a")] == ["circuits", "SAEs"]


def test_year_archive_uses_file_name_year(site: Path) -> None:
    assert listing_ids(site, "archive/2023") == ["2023-12-30-old"]
    assert listing_ids(site, "archive/2024") == NEWEST_FIRST[:5]


def test_pick_page_content(site: Path) -> None:
    doc = lxml.html.parse(str(site / "picks" / "2024-03-01-x2" / "index.html")).getroot()
    assert doc.cssselect(".md-content h1")[0].text == "Double"
    papers = doc.cssselect(".pick-paper")
    assert [p.cssselect(".pick-paper__title")[0].text for p in papers] == ["Double", "Second paper"]
    assert papers[0].cssselect(".pick-paper__authors")[0].text_content() == "Ada Lovelace, Alan Turing"
    authors = papers[0].cssselect("a.pick-paper__author")
    assert [a.get("href") for a in authors] == ["../../authors/ada-lovelace/", "../../authors/alan-turing/"]
    links = {a.text_content().strip(): a.get("href") for a in doc.cssselect(".pick-paper__links a")}
    assert links["arXiv 2403.00005"] == "https://arxiv.org/abs/2403.00005"
    assert links["PDF"] == "https://arxiv.org/pdf/2403.00005"
    assert links["DOI 10.1234/abc"] == "https://doi.org/10.1234/abc"
    assert links["Code"] == "https://github.com/x/y"
    assert "Thanks to @ada" in doc.cssselect(".pick__mentions")[0].text
    assert "A summary paragraph." in doc.cssselect(".pick__body")[0].text_content()
    bib = doc.cssselect(".pick__cite code")[0].text
    assert "@misc{lovelace2024double," in bib and "eprint = {2403.00005}" in bib
    neighbours = {a.get("rel"): a.get("href") for a in doc.cssselect(".pick__neighbours a")}
    assert neighbours == {"prev": "../2024-02-01-mid/", "next": "../2024-04-01-new/"}


def test_titles_are_escaped_once(site: Path) -> None:
    doc = lxml.html.parse(str(site / "picks" / "2023-12-30-old" / "index.html")).getroot()
    assert doc.cssselect(".md-content h1")[0].text == "Old & <classic>"


def test_drafts_are_not_built(site: Path) -> None:
    assert not (site / "picks" / "2024-05-01-draft").exists()
    everything = "".join(
        p.read_text("utf-8") for p in site.rglob("*") if p.suffix in (".html", ".xml", ".bib", ".json")
    )
    assert "Secret draft" not in everything and "2405.00007" not in everything


def test_nav_stays_small(site: Path) -> None:
    doc = lxml.html.parse(str(site / "picks" / "2024-04-01-new" / "index.html")).getroot()
    nav = [a.text_content().strip() for a in doc.cssselect("nav.md-nav--primary > ul > li > a")]
    assert nav == ["Home", "Collections", "Tags", "Archive", "Digest", "Subscribe", "About"]
    assert not any("/picks/" in (a.get("href") or "") for a in doc.cssselect("nav.md-nav--primary a"))


def test_search_index_holds_papers_authors_ids_and_tags(site: Path) -> None:
    records = pagefind_records(site)
    pick = records["picks/2024-04-01-new/"]
    text = " ".join([pick["content"], *pick["meta"].values()])
    for needle in ("Newest", "Kaiser", "Łukasz", "2404.00006", "SAEs", "A summary paragraph"):
        assert needle in text, needle
    assert pick["meta"]["title"] == "Newest" and pick["meta"]["date"] == "1 April 2024"
    # Every published pick, each author's page and the About page; no other listing, no draft.
    authors = sorted(url for url in records if url.startswith("authors/"))
    assert authors and all(url.count("/") == 2 for url in authors)  # authors/<slug>/, never the index
    assert sorted(set(records) - set(authors)) == sorted(["about/", *(f"picks/{name}/" for name in NEWEST_FIRST)])
    # Material's own index is left empty: a page load fetches its settings, never the picks.
    assert json.loads((site / "search" / "search_index.json").read_text("utf-8"))["docs"] == []
    assert not (site / "assets" / "javascripts" / "lunr").exists()


def test_every_page_advertises_feeds(site: Path) -> None:
    for page in [site / "index.html", site / "about" / "index.html", site / "picks" / "2024-04-01-new" / "index.html"]:
        doc = lxml.html.parse(str(page)).getroot()
        hrefs = {link.get("type"): link.get("href") for link in doc.cssselect('link[rel~="alternate"]')}
        assert hrefs["application/rss+xml"] == "https://example.org/picks/feed.xml"
        assert hrefs["application/atom+xml"] == "https://example.org/picks/atom.xml"
    tag = lxml.html.parse(str(site / "tags" / "saes" / "index.html")).getroot()
    assert "https://example.org/picks/tags/saes/feed.xml" in [
        link.get("href") for link in tag.cssselect('link[rel~="alternate"]')
    ]
    assert "Subscribe" in tag.cssselect(".picks-subscribe")[0].text_content()


def test_generated_card_links_resolve(site: Path) -> None:
    checked = 0
    for page in site.rglob("index.html"):
        doc = lxml.html.parse(str(page)).getroot()
        for a in doc.cssselect(".pick-card a, .picks-pagination a, .pick-tags a, .picks-index a"):
            target = (page.parent / a.get("href")).resolve()
            assert (target / "index.html").exists() or target.exists(), (page, a.get("href"))
            checked += 1
    assert checked >= 50  # cards, pagers, tags and indexes were all there to check


def test_badges_on_cards(site: Path) -> None:
    doc = lxml.html.parse(str(site / "index.html")).getroot()
    badges = {
        card.cssselect("a")[0].text: [b.text for b in card.cssselect(".pick-badge")]
        for card in doc.cssselect(".pick-card")
    }
    assert badges == {"Newest": [], "Double": ["x2 edition"]}


def test_build_without_directory_urls(tmp_path: Path) -> None:
    config = _project(tmp_path, OPTIONS)
    text = config.read_text("utf-8") + "use_directory_urls: false\n"
    config.write_text(text, "utf-8")
    assert mkdocs_build(config).returncode == 0, mkdocs_build(config).stderr
    site = tmp_path / "site"
    home = lxml.html.parse(str(site / "index.html")).getroot()
    hrefs = [a.get("href") for a in home.cssselect(".pick-card a, .picks-pagination a")]
    assert hrefs and all(h.endswith(".html") for h in hrefs)
    assert all((site / h).resolve().is_file() for h in hrefs)


def test_declared_collection_without_picks(tmp_path: Path) -> None:
    import feedparser

    options = {**OPTIONS, "collections": {**OPTIONS["collections"], "empty": {"title": "Nothing yet"}}}
    assert mkdocs_build(_project(tmp_path, options)).returncode == 0
    site = tmp_path / "site" / "collections" / "empty"
    assert card_ids(site / "index.html") == [] and "0 picks" in (site / "index.html").read_text("utf-8")
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo and feed.entries == [] and feed.feed.title == "Test Picks: Nothing yet"
    assert (site / "picks.bib").read_text("utf-8") == ""


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [("per_page", 0, "option 'per_page'"), ("feed", {"limit": 0}, "option 'feed': Sub-option 'limit'")],
)
def test_sizes_below_one_stop_the_build(tmp_path: Path, option: str, value: object, words: str) -> None:
    result = mkdocs_build(_project(tmp_path, {**OPTIONS, option: value}))
    assert result.returncode == 1
    assert f"Plugin 'picks' {words}: must be at least 1 (got 0)" in result.stderr


def _meta(page: Path) -> dict[str, list[str]]:
    doc = lxml.html.parse(str(page)).getroot()
    found: dict[str, list[str]] = {}
    for meta in doc.cssselect("head meta[content]"):
        if name := meta.get("property") or meta.get("name"):
            found.setdefault(name, []).append(meta.get("content"))
    return found


def test_pick_pages_carry_link_previews_and_citation_metadata(site: Path) -> None:
    meta = _meta(site / "picks" / "2024-04-01-new" / "index.html")
    assert meta["description"] == meta["og:description"] == ["A summary paragraph."]
    assert meta["og:title"] == ["Newest"] and meta["og:type"] == ["article"] and meta["og:site_name"] == ["Test Picks"]
    assert meta["og:url"] == ["https://example.org/picks/picks/2024-04-01-new/"]
    assert meta["article:published_time"] == ["2024-04-01T00:00:00+00:00"] and meta["article:tag"] == ["SAEs"]
    assert meta["twitter:card"] == ["summary"]
    assert meta["citation_title"] == ["Newest"]
    assert meta["citation_author"] == ["Ada Lovelace", "Łukasz Kaiser", "Zhang Wei", "Ann Other"]
    assert meta["citation_publication_date"] == ["2024"] and meta["citation_arxiv_id"] == ["2404.00006"]
    assert meta["citation_pdf_url"] == ["https://arxiv.org/pdf/2404.00006"]


def test_x2_edition_carries_coins_per_paper_and_no_single_citation(site: Path) -> None:
    from urllib.parse import parse_qs

    page = site / "picks" / "2024-03-01-x2" / "index.html"
    assert "citation_title" not in _meta(page)
    spans = lxml.html.parse(str(page)).getroot().cssselect("span.Z3988")
    kevs = [parse_qs(span.get("title")) for span in spans]
    assert [k["rft.atitle"] for k in kevs] == [["Double"], ["Second paper"]]
    assert kevs[0]["rft_id"] == ["info:arxiv/2403.00005"] and kevs[1]["rft_id"] == ["info:doi/10.1234/abc"]
    assert kevs[1]["rft.au"] == ["Grace Hopper"] and kevs[1]["rft.date"] == ["2023"]


def test_listings_have_their_own_title_and_description(site: Path) -> None:
    meta = _meta(site / "tags" / "circuits" / "index.html")
    assert meta["og:title"] == ["Picks tagged “circuits”"] and meta["og:type"] == ["website"]
    assert meta["description"] == ["Picks tagged “circuits”: 3 picks"]
    assert _meta(site / "collections" / "classics" / "index.html")["og:title"] == ["Classics"]


def test_listing_pages_do_not_grow_with_the_listing(tmp_path: Path) -> None:
    picks = {
        f"2024-01-{day:02d}-p{day}.md": pick_text(f"P{day}", f"2024-01-{day:02d}", arxiv=f"2401.{day:05d}")
        for day in range(1, 31)
    }
    assert mkdocs_build(write_project(tmp_path, picks, per_page=1)).returncode == 0
    page = lxml.html.parse(str(tmp_path / "site" / "page" / "15" / "index.html")).getroot()
    pager = page.cssselect(".picks-pagination")[0]
    numbers = [
        e.text_content().strip()
        for e in pager.cssselect("a:not([rel]), .picks-pagination__current, .picks-pagination__gap")
    ]
    assert numbers == ["1", "…", "13", "14", "15", "16", "17", "…", "30"]
    assert [a.get("rel") for a in pager.cssselect("a[rel]")] == ["prev", "next"]


def test_no_page_carries_an_empty_banner(site: Path) -> None:
    """Material draws its dark banner bar for any non-empty announce block; a built site has nothing to announce."""
    pages = [p for p in site.rglob("*.html") if "assets" not in p.parts]
    assert len(pages) > 10
    for path in pages:
        page = lxml.html.fromstring(path.read_bytes())
        assert page.cssselect("aside.md-banner") == [], path
