"""The built sample site in headless Chromium: search by author and arXiv id, click through, read the order."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from conftest import ROOT, serious_axe_violations, serve_folder


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("browser") / "site"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        check=True,
        cwd=ROOT,
    )
    yield from serve_folder(site)


@pytest.fixture(scope="module")
def page(chromium, base_url: str):
    return chromium.new_page()


@pytest.mark.parametrize(
    ("query", "pick"),
    [
        pytest.param("Tufanov", "2024-04-15-lm-transparency-tool", id="author-surname"),
        pytest.param("2404.07004", "2024-04-15-lm-transparency-tool", id="arxiv-id"),
        pytest.param("Hambardzumyan", "2024-04-15-lm-transparency-tool", id="second-author"),
    ],
)
def test_search_finds_pick_and_clicks_through(page, base_url: str, query: str, pick: str) -> None:
    page.goto(base_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially(query, delay=20)  # Material listens to keys
    result = page.locator(f'.md-search-result__item a[href*="picks/{pick}/"]').first
    result.wait_for(timeout=10_000)
    result.click()
    page.wait_for_url(f"**/picks/{pick}/**")
    assert "LM-TT" in page.locator(".md-content h1").inner_text()


def test_home_shows_newest_first_on_screen(page, base_url: str) -> None:
    page.goto(base_url)
    cards = page.locator(".pick-card")
    assert cards.count() == 10  # per_page in mkdocs.yml
    tops = [cards.nth(i).bounding_box()["y"] for i in range(cards.count())]
    assert tops == sorted(tops)
    stamps = [
        datetime.fromisoformat(cards.nth(i).locator("time").get_attribute("datetime")) for i in range(cards.count())
    ]
    assert stamps == sorted(stamps, reverse=True)


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        pytest.param("", "Latest picks", id="home"),
        pytest.param("picks/2024-04-12-rnn-interpretability-x2/", "Mamba and RWKV", id="pick"),
        pytest.param("tags/circuits/", "Picks tagged", id="tag"),
    ],
)
def test_screenshots_show_what_a_reader_reads(page, base_url: str, tmp_path: Path, path: str, heading: str) -> None:
    """Screenshots under $PICKS_SCREENSHOTS for a human; the test reads what they show: heading, cards, no overflow."""
    target = Path(os.environ.get("PICKS_SCREENSHOTS", tmp_path))
    target.mkdir(parents=True, exist_ok=True)
    page.goto(base_url + path)
    page.screenshot(path=str(target / f"{path.strip('/').replace('/', '-') or 'home'}.png"), full_page=True)
    h1 = page.locator(".md-content h1").first
    assert h1.is_visible() and heading in h1.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    fg, bg = page.evaluate(
        "[getComputedStyle(document.querySelector('.md-content h1')).color,"
        " getComputedStyle(document.body).backgroundColor]"
    )
    lighter, darker = sorted([_luminance(fg), _luminance(bg)], reverse=True)
    assert (lighter + 0.05) / (darker + 0.05) >= 4.5
    cards = page.locator(".pick-card")
    stamps = [cards.nth(i).locator("time").get_attribute("datetime") for i in range(cards.count())]
    assert stamps == sorted(stamps, reverse=True)  # newest first on every listing of the shipped config


def test_pick_page_bibtex_block_has_materials_copy_button(page, base_url: str) -> None:
    page.goto(base_url + "picks/2024-04-11-induction-heads/")
    block = page.locator(".pick__cite")
    assert "@inproceedings{singh2024needs," in block.locator("code").inner_text()
    # Material 9.6+ puts the copy action in the code block nav; older releases used .md-clipboard
    block.locator('button[data-md-type="copy"], button.md-clipboard').first.wait_for(state="attached", timeout=5_000)
    assert page.locator('.pick__cite ~ .picks-subscribe a[href$="picks.bib"]').count() == 1


def _luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_muted_text_stays_readable_in_both_palettes(page, base_url: str, scheme: str) -> None:
    """Material's palette toggle: our muted text (dates, venues, labels) keeps a 3:1 contrast in each scheme."""
    context = page.context.browser.new_context(color_scheme=scheme)
    themed = context.new_page()
    themed.goto(base_url + "picks/2024-04-11-induction-heads/")
    for selector in (".pick__meta", ".pick-paper__venue", ".picks-subscribe__label"):
        fg, bg = themed.evaluate(
            "s => [getComputedStyle(document.querySelector(s)).color,"
            " getComputedStyle(document.querySelector('.md-main')).backgroundColor"
            " === 'rgba(0, 0, 0, 0)' ? getComputedStyle(document.body).backgroundColor"
            " : getComputedStyle(document.querySelector('.md-main')).backgroundColor]",
            selector,
        )
        lighter, darker = sorted([_luminance(fg), _luminance(bg)], reverse=True)
        assert (lighter + 0.05) / (darker + 0.05) >= 3, (scheme, selector, fg, bg)
    context.close()


def test_content_security_policy_keeps_material_working(chromium, base_url: str) -> None:
    """Scripts only from the site and by hash: search, the palette toggle and the copy button still work."""
    page = chromium.new_page()
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else 0)
    page.goto(base_url + "picks/2024-04-11-induction-heads/")
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert policy.startswith("script-src 'self' 'sha256-") and "object-src 'none'" in policy
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("label.md-header__button[for^='__palette']").first.click()
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') !== '{scheme}'")
    page.locator(".pick__cite button.md-clipboard, .pick__cite button[data-md-type=copy]").first.wait_for(
        state="attached"
    )
    page.locator(".md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially("Tufanov", delay=20)
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    assert refused == []
    page.close()


def test_link_preview_tags_in_document_head(chromium, base_url: str) -> None:
    page = chromium.new_page()
    page.goto(base_url + "picks/2024-04-11-induction-heads/")
    head = page.evaluate(
        "Object.fromEntries([...document.head.querySelectorAll('meta[property], meta[name]')]"
        ".map(m => [m.getAttribute('property') || m.getAttribute('name'), m.content]))"
    )
    assert head["og:title"] == page.locator(".md-content h1").first.inner_text()
    assert head["og:url"].startswith("http") and head["og:url"].endswith("/picks/2024-04-11-induction-heads/")
    assert head["description"] == head["og:description"] and len(head["og:description"]) > 40
    assert head["citation_arxiv_id"] == "2404.07129" and head["twitter:card"] == "summary"
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path", ["", "picks/2024-04-11-induction-heads/", "tags/circuits/", "archive/", "about/"], ids=lambda p: p or "home"
)
def test_axe_finds_no_serious_violation(chromium, base_url: str, scheme: str, path: str) -> None:
    """axe-core (pinned in package.json, installed by make test) on WCAG 2 A/AA rules, in both palettes."""
    context = chromium.new_context(color_scheme=scheme, bypass_csp=True)  # axe is injected as an inline script
    page = context.new_page()
    page.goto(base_url + path)
    violations = serious_axe_violations(page)
    context.close()
    assert violations == []
