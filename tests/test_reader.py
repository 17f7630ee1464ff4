"""A reader's first visit in Chromium: the digest pages' feed, what a page fetches, the BibTeX block on a phone."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import VALID_PICK, mkdocs_build, pick_text, serve_folder, write_project
from generator.core.afterword import Caches, Citations, CitingWork, Reply, Thread, write_caches

PICKS = {
    "2024-04-08-monday.md": pick_text("Monday", "2024-04-08", arxiv="2404.00001"),
    "2024-04-10-wednesday.md": pick_text("Wednesday", "2024-04-10", arxiv="2404.00002", tags=["probe"]),
    "2024-04-11-induction-heads.md": VALID_PICK,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("reader")
    config = write_project(
        root,
        PICKS,
        digest={"every": "week", "sender": "p@example.org"},
        conversation={"bluesky": True},
        citations={"openalex": True},
    )
    # What picks refresh left: a reply whose text carries markup that would fetch (an image), and a citation.
    reply = Reply(
        "bluesky",
        "at://did:plc:a/app.bsky.feed.post/1",
        "https://bsky.app/profile/a.example/post/1",
        "A",
        "@a.example",
        "2024-04-12T10:00:00+00:00",
        '<img src="https://tracker.example/pixel.gif"> see https://tracker.example/page',
    )
    thread = Thread("bluesky", "at://did:plc:p/app.bsky.feed.post/0", "https://bsky.app/profile/p/post/0", [reply])
    cited = Citations(
        "https://openalex.org/W1",
        3,
        [CitingWork("https://openalex.org/W2", "Later", "2024-09-01", "https://doi.org/10.1/later")],
    )
    write_caches(root, Caches({"2024-04-11-induction-heads": [thread]}, {"arxiv:2404.07129": cited}))
    settings = yaml.safe_load(config.read_text("utf-8"))
    settings["repo_url"] = "https://github.com/daily-picks/daily-picks"  # Material's repository widget
    config.write_text(yaml.safe_dump(settings, sort_keys=False), "utf-8")
    result = mkdocs_build(config)
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_digest_pages_offer_their_own_feed_and_label_counts(chromium, site: Path) -> None:
    page = chromium.new_page()
    for base in serve_folder(site):
        page.goto(base + "digest/")
        link = page.get_by_role("link", name="RSS of the digest (one item per issue)")
        assert link.is_visible() and link.evaluate("a => a.href") == base + "digest/feed.xml"
        assert page.locator(".picks-index__count").first.inner_text() == "3 picks"
        page.goto(base + "digest/2024-W15/")
        row = page.locator(".picks-subscribe").first
        assert row.get_by_role("link", name="RSS of the digest (one item per issue)").is_visible()
        page.goto(base + "tags/")
        assert page.locator(".picks-index__count").first.inner_text() == "1 pick"
    page.close()


def test_a_page_fetches_nothing_from_third_parties(chromium, site: Path) -> None:
    """No sitemap.xml per feed link (Material reads every link[rel=alternate]), no api.github.com for the widget."""
    page = chromium.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for base in serve_folder(site):
        for path in ("", "picks/2024-04-11-induction-heads/", "tags/probe/", "digest/"):
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
        assert page.locator(".md-source").first.get_attribute("href") == "https://github.com/daily-picks/daily-picks"
        page.goto(base + "picks/2024-04-11-induction-heads/")
        assert page.get_by_text("1 reply on Bluesky").is_visible() and page.get_by_text("cited by 3").is_visible()
        outside = [url for url in requests if not url.startswith(base)]
        assert outside == []
        assert not [url for url in requests if url.endswith("sitemap.xml")]
    page.close()


def test_the_bibtex_block_scrolls_instead_of_wrapping_on_a_phone(chromium, site: Path) -> None:
    page = chromium.new_page(viewport={"width": 390, "height": 844})
    for base in serve_folder(site):
        page.goto(base + "picks/2024-04-11-induction-heads/")
        code = page.locator(".pick__cite code")
        lines = code.inner_text().count("\n") + 1
        line_height = code.evaluate("c => parseFloat(getComputedStyle(c).lineHeight)")
        box = code.bounding_box()
        assert box is not None and box["height"] <= (lines + 0.5) * line_height  # one line per field
        assert code.evaluate(
            "c => c.scrollWidth > c.clientWidth || c.parentElement.scrollWidth > c.parentElement.clientWidth"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the page itself does not scroll
    page.close()


def test_a_reader_turns_the_order_and_back(chromium, tmp_path: Path) -> None:
    picks = {
        f"2024-04-{day:02d}-day-{day}.md": pick_text(f"Day {day}", f"2024-04-{day:02d}", arxiv=f"2404.000{day:02d}")
        for day in range(1, 6)
    }
    collections = {"interpretability": {"title": "Interp", "order": "oldest-first"}}
    config = write_project(tmp_path, picks, per_page=2, collections=collections)
    assert mkdocs_build(config).returncode == 0
    site = tmp_path / "site"
    # Stable, paginated URLs in the other order, plain links: no script needed.
    for folder in (
        "oldest-first",
        "oldest-first/page/2",
        "oldest-first/page/3",
        "collections/interpretability/newest-first/page/3",
    ):
        assert (site / folder / "index.html").exists(), folder
    page = chromium.new_page(java_script_enabled=False)
    for base in serve_folder(site):
        page.goto(base)
        assert page.locator(".pick-card__title").first.inner_text() == "Day 5"
        page.get_by_role("link", name="oldest first", exact=True).click()
        assert page.url == base + "oldest-first/"
        assert [t.inner_text() for t in page.locator(".pick-card__title").all()] == ["Day 1", "Day 2"]
        page.get_by_role("link", name="Next page →").click()
        assert (
            page.url == base + "oldest-first/page/2/"
            and page.locator(".pick-card__title").first.inner_text() == "Day 3"
        )
        page.get_by_role("link", name="newest first", exact=True).click()
        assert page.url == base and page.locator(".pick-card__title").first.inner_text() == "Day 5"
        page.goto(base + "collections/interpretability/")
        assert page.locator(".pick-card__title").first.inner_text() == "Day 1"  # the collection's own order
        page.get_by_role("link", name="newest first", exact=True).click()
        assert page.url == base + "collections/interpretability/newest-first/"
        assert page.locator(".pick-card__title").first.inner_text() == "Day 5"
    page.close()
