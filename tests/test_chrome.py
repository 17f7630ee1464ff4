"""The chrome cache changes no byte: a site built with it equals the site built rendering every page's chrome."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import pick_text, write_project
from generator.mkdocs.chrome import ChromeCache

PICKS = {
    "2024-04-08-think.md": pick_text("Why <think> tags matter", "2024-04-08", arxiv="2404.00001", tags=["a b"]),
    "2024-04-09-span.md": pick_text("span", "2024-04-09", arxiv="2404.00002", tags=["a b"]),
    "2024-04-10-site.md": pick_text("Test Picks", "2024-04-10", arxiv="2404.00003"),  # the site's own name
    "2024-04-11-toc.md": pick_text("Headings", "2024-04-11", arxiv="2404.00004", body="## One\n\nText.\n\n## Two\n"),
    "2024-04-12-toc.md": pick_text("Same headings", "2024-04-12", arxiv="2404.00005", body="## One\n\nMore.\n"),
    **{
        f"2024-03-{day:02d}-x.md": pick_text(f"Filler & co {day}", f"2024-03-{day:02d}", arxiv=f"2403.{day:05d}")
        for day in range(1, 8)
    },
}


def _build(root: Path, *, cached: bool, monkeypatch: pytest.MonkeyPatch, directory_urls: bool) -> dict[str, bytes]:
    config_file = write_project(root, PICKS, per_page=2)
    with monkeypatch.context() as patch:
        if not cached:
            patch.setattr(ChromeCache, "key", lambda self, block, page: None)
        config = load_config(str(config_file), use_directory_urls=directory_urls)
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
        config.plugins.on_shutdown()
    site = root / "site"
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory-urls", "file-urls"])
def test_cached_chrome_gives_the_same_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, directory_urls) -> None:
    monkeypatch.chdir(tmp_path)
    cached = _build(tmp_path / "cached", cached=True, monkeypatch=monkeypatch, directory_urls=directory_urls)
    plain = _build(tmp_path / "plain", cached=False, monkeypatch=monkeypatch, directory_urls=directory_urls)
    assert cached.keys() == plain.keys()
    assert [name for name in cached if cached[name] != plain[name]] == []
    assert sum(name.endswith(".html") for name in cached) > 20


def test_cache_is_used_for_pick_pages_and_never_for_nav_pages(tmp_path: Path) -> None:
    cache = ChromeCache(set())
    calls: list[str] = []

    class File:
        def __init__(self, uri: str, in_nav: bool) -> None:
            self.src_uri = uri
            self.inclusion = type("Inclusion", (), {"is_not_in_nav": lambda _: not in_nav})()

    class Page:
        def __init__(self, uri: str, url: str, title: str, in_nav: bool = False) -> None:
            self.file, self.url, self.title, self.meta, self.toc = File(uri, in_nav), url, title, {}, []

    pages = [Page(f"picks/{n}/index.md", f"picks/{n}/", f"T{n}") for n in ("a", "b")]
    home = Page("index.md", "", "Home", in_nav=True)
    cache.generated = {page.file.src_uri for page in [*pages, home]}

    def render(page: Page) -> str:
        calls.append(page.url)
        return f'<div data-md-component="header-topic"><span class="md-ellipsis"> {page.title} </span></div>'

    assert [str(cache.header(page, lambda page=page: render(page))) for page in pages] == [render(p) for p in pages]
    assert calls == ["picks/a/", "picks/a/", "picks/b/"]  # picks/b/ came from the cache, with its own title
    for _ in range(2):
        cache("tabs", home, lambda: render(home))
    assert calls.count("") == 2  # a nav page is rendered every time
