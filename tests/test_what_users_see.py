"""What readers and curators meet, in the configurations that change it (issue 37): a time zone whose date is not
UTC's at the instants used, two collections in different orders, non-ASCII text everywhere. Expected values are
written out here, never computed by the code under test."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import lxml.html
import pytest
import yaml
from click.testing import CliRunner

from conftest import EXTENSIONS, mkdocs_build, pagefind_records, pick_text, write_project
from generator.cli import main

# Pacific/Kiritimati is UTC+14 all year: a bare date's midnight there is 10:00 UTC on the day before.
ZONE = "Pacific/Kiritimati"
NOW = "2024-04-15T12:00:00+14:00"  # Monday 15 April there (2024-W16 runs); still Sunday 14 April in UTC (W15)
PICKS = {
    "2024-01-01-nouvel-an.md": pick_text(
        "Année nouvelle: Zoë's first pick",
        "2024-01-01",
        arxiv="2401.00001",
        tags=["têtes d'induction"],
        authors="[Gonçalo Paulo, Łukasz Kaiser]",
    ),
    "2024-04-08-lundi.md": pick_text(
        "Lundi: réseaux", "2024-04-08", arxiv="2404.00008", extra="collection: theory\n", tags=["têtes d'induction"]
    ),
    "2024-04-10-mercredi.md": pick_text(
        "Mercredi: Сети", "2024-04-10", arxiv="2404.00010", extra="collection: theory\n"
    ),
    "2024-04-15-running.md": pick_text("Running week", "2024-04-15T01:00:00+14:00", arxiv="2404.00015", tags=["solo"]),
}
OPTIONS = {
    "timezone": ZONE,
    "order": "oldest-first",
    "collections": {
        "interpretability": {"title": "Interpretability & Analysis of LMs", "order": "newest-first"},
        "theory": {"title": "Théorie des réseaux"},  # the site's order: oldest first
    },
    "digest": {"every": "week", "sender": "picks@example.org"},
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("users")
    config = write_project(root, PICKS, markdown_extensions=EXTENSIONS, **OPTIONS)
    written = yaml.safe_load(config.read_text("utf-8"))
    written["theme"]["features"].append("navigation.tabs")  # as the repository's mkdocs.yml has them
    config.write_text(yaml.safe_dump(written, sort_keys=False, allow_unicode=True), "utf-8")
    hidden = "---\nsearch:\n  exclude: true\n---\n\n# Imprint\n\nZanzibar postal address.\n"
    (root / "docs" / "imprint.md").write_text(hidden, "utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("PICKS_NOW", NOW)
    result = mkdocs_build(config)
    mp.undo()
    assert result.returncode == 0, result.stderr
    return root


def _page(project: Path, path: str) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(project / "site" / path / "index.html")).getroot()


def test_a_pick_is_filed_under_the_year_of_its_own_date(project: Path) -> None:
    archive = _page(project, "archive/2024")
    assert "Année nouvelle: Zoë's first pick" in [a.text for a in archive.cssselect(".pick-card__title a")]
    assert not (project / "site/archive/2023").exists()  # its UTC instant is 2023-12-31T10:00Z


@pytest.mark.parametrize(
    ("path", "shown", "toggle", "facts"),
    [
        ("", "oldest first", "newest first", "4 picks,"),
        ("collections/interpretability", "newest first", "oldest first", "2 picks,"),
        ("collections/theory", "oldest first", "newest first", "2 picks,"),
        ("collections/interpretability/oldest-first", "oldest first", "newest first", "2 picks,"),
        ("tags/solo", "oldest first", None, "1 pick,"),
    ],
)
def test_each_listing_says_its_own_order_and_offers_the_other(
    project: Path, path: str, shown: str, toggle: str, facts: str
) -> None:
    page = _page(project, path)
    [order] = page.cssselect(".picks-order")
    assert order.text == shown
    assert [flip.text for flip in page.cssselect(".picks-order__toggle")] == ([toggle] if toggle else [])
    assert page.cssselect(".picks-listing__facts")[0].text_content().strip().startswith(facts)


def test_listing_cards_follow_each_collections_order(project: Path) -> None:
    titles = [a.text for a in _page(project, "collections/theory").cssselect(".pick-card__title a")]
    assert titles == ["Lundi: réseaux", "Mercredi: Сети"]
    titles = [a.text for a in _page(project, "collections/interpretability").cssselect(".pick-card__title a")]
    assert titles == ["Running week", "Année nouvelle: Zoë's first pick"]


def test_the_digest_feed_holds_closed_weeks_of_the_sites_time_zone_dated_by_their_newest_pick(project: Path) -> None:
    parsed = feedparser.parse((project / "site/digest/feed.xml").read_bytes())
    assert not parsed.bozo
    # 2024-W16 (15-21 April there) is running at NOW: no item for it yet, whatever UTC's date says.
    assert [e.id for e in parsed.entries] == ["urn:daily-picks:digest:2024-W15", "urn:daily-picks:digest:2024-W01"]
    # W15 is dated by its newest pick, Wednesday's midnight there, on an oldest-first site too.
    assert parsed.entries[0].published == "Tue, 09 Apr 2024 10:00:00 +0000"
    assert parsed.entries[1].published == "Sun, 31 Dec 2023 10:00:00 +0000"


def test_the_digest_index_advertises_the_digest_feed(project: Path) -> None:
    index = _page(project, "digest")
    [link] = index.cssselect(".picks-subscribe a")
    assert link.text == "RSS of the digest (one item per issue)"
    assert urljoin("https://example.org/picks/digest/", link.get("href")) == "https://example.org/picks/digest/feed.xml"
    alternates = index.cssselect('link[rel="alternate feed"]')
    assert "https://example.org/picks/digest/feed.xml" in [a.get("href") for a in alternates]
    assert [a.text for a in index.cssselect(".picks-index a")] == [
        "Week of 15 April 2024",
        "Week of 8 April 2024",
        "Week of 1 January 2024",
    ]


def test_a_tag_page_says_which_feeds_are_the_whole_sites(project: Path) -> None:
    page = _page(project, "tags/tetes-d-induction")
    labels = [a.text for a in page.cssselect(".picks-subscribe a")]
    assert labels[:4] == [
        "RSS of all picks",
        "Atom of all picks",
        "JSON Feed of all picks",
        "RSS for têtes d'induction",
    ]
    home = [a.text for a in _page(project, "").cssselect(".picks-subscribe a")]
    assert home[:3] == ["RSS", "Atom", "JSON Feed"]  # where there is no other feed, the plain names


def test_email_without_a_period_takes_the_latest_week_closed_in_the_sites_time_zone(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    monkeypatch.setenv("PICKS_NOW", NOW)
    result = CliRunner().invoke(main, ["email", "--out", "mail"])
    assert result.exit_code == 0, result.output
    assert "2024-W15: the latest closed week (the running 2024-W16 only when named)" in result.output
    message = email.message_from_bytes((project / "mail/2024-W15.eml").read_bytes(), policy=email.policy.default)
    [html_part] = [p for p in message.walk() if p.get_content_type() == "text/html"]
    page = lxml.html.fromstring(html_part.get_content())
    links = {a.get("href") for a in page.iter("a")}
    # The web page, at the address the site gives it (the digest index links it the same way).
    assert "https://example.org/picks/digest/2024-W15/" in links
    index_links = {a.get("href") for a in _page(project, "digest").cssselect(".picks-index a")}
    assert "2024-W15/" in index_links
    # Dated by the week's newest pick (Wednesday there), in the site's time zone.
    assert message["Date"] == "Tue, 09 Apr 2024 10:00:00 +0000"


def test_a_page_excluded_from_search_is_not_indexed(project: Path) -> None:
    records = pagefind_records(project / "site")
    assert (project / "site/imprint/index.html").exists()
    assert "imprint/" not in records and "about/" in records
    assert not any("Zanzibar" in record["content"] for record in records.values())


@pytest.mark.parametrize(
    ("path", "tab"),
    [
        ("", "Home"),
        ("picks/2024-04-08-lundi", "Home"),
        ("collections/theory", "Collections"),
        ("collections/interpretability/oldest-first", "Collections"),
        ("tags/solo", "Tags"),
        ("tags", "Tags"),
        ("archive/2024", "Archive"),
        ("digest/2024-W15", "Digest"),
        ("digest", "Digest"),
    ],
)
def test_each_page_marks_the_tab_of_its_section(project: Path, path: str, tab: str) -> None:
    active = _page(project, path).cssselect(".md-tabs__item--active a")
    assert [a.text_content().strip() for a in active] == [tab]


@pytest.mark.parametrize("path", ["", "picks/2024-04-08-lundi", "tags/solo", "digest", "about"])
def test_the_search_dialog_has_an_accessible_name(project: Path, path: str) -> None:
    [dialog] = _page(project, path).cssselect('div.md-search[role="dialog"]')
    assert dialog.get("aria-label") == "Search"


def test_subscribe_is_a_tab_of_every_page(project: Path) -> None:
    for path in ("", "picks/2024-04-08-lundi", "tags/solo"):
        tabs = {a.text_content().strip(): a.get("href") for a in _page(project, path).cssselect(".md-tabs__link")}
        assert "Subscribe" in tabs, tabs
    active = _page(project, "subscribe").cssselect(".md-tabs__item--active a")
    assert [a.text_content().strip() for a in active] == ["Subscribe"]
