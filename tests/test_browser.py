"""The built sample site in headless Chromium: search by author and arXiv id, click through, read the order."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not Path(CHROMIUM).exists():
    if os.environ.get("DAILY_PICKS_CI"):
        pytest.fail("CI must install Debian's chromium (.ci/run does)", pytrace=False)
    pytest.skip("Debian chromium is not installed here", allow_module_level=True)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("browser") / "site"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        check=True,
        cwd=ROOT,
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def page(base_url: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser.new_page()
        browser.close()


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


def test_screenshots(page, base_url: str, tmp_path: Path) -> None:
    """Keeps screenshots of home, a pick and a tag page under $PICKS_SCREENSHOTS for a human to look at."""
    target = Path(os.environ.get("PICKS_SCREENSHOTS", tmp_path))
    target.mkdir(parents=True, exist_ok=True)
    for path, name in [("", "home"), ("picks/2024-04-12-rnn-interpretability-x2/", "pick"), ("tags/circuits/", "tag")]:
        page.goto(base_url + path)
        page.screenshot(path=str(target / f"{name}.png"), full_page=True)
        assert (target / f"{name}.png").stat().st_size > 10_000
    assert shutil.which("chromium") or Path(CHROMIUM).exists()


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
