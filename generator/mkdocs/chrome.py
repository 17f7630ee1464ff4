"""Material's page chrome (header, navigation, tabs, footer, config) rendered once per folder for generated pages."""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

if TYPE_CHECKING:
    from collections.abc import Callable

    from mkdocs.structure.pages import Page


class ChromeCache:
    """A block's HTML for every page of a folder that is outside the nav, such as all of ``picks/``.

    Such a page has no active nav item, no previous/next page, and no nav link leads into its own folder, so its
    tabs, sidebar, footer and config differ from a sibling's only by its table of contents and hidden parts,
    which are part of the key, and its header only by the page title it shows. A test builds the site with and
    without this cache and compares every byte.
    """

    def __init__(self, generated: set[str]) -> None:
        self.generated = generated  # source URIs of the plugin's pages
        self.fragments: dict[tuple, Markup] = {}
        self.headers: dict[tuple, tuple[str, str]] = {}  # the header's HTML before and after the title

    def key(self, block: str, page: Page | None) -> tuple | None:
        if page is None or page.file.src_uri not in self.generated or not page.file.inclusion.is_not_in_nav():
            return None
        hidden = tuple(sorted((page.meta or {}).get("hide") or []))
        # The first folder too: it decides the tab marked active (plugin.py), and pages at the root ("authors/",
        # "oldest-first/") share a parent folder but not a section.
        section = page.url.split("/", 1)[0]
        return (block, posixpath.dirname(page.url.rstrip("/")), section, hidden, _toc(page.toc))

    def __call__(self, block: str, page: Page | None, caller: Callable[[], Any]) -> Markup:
        key = self.key(block, page)
        if key is None:
            return Markup(caller())
        if key not in self.fragments:
            self.fragments[key] = Markup(caller())
        return self.fragments[key]

    def header(self, page: Page | None, caller: Callable[[], Any]) -> Markup:
        """Material's header, its page title put in the place the folder's first page showed its own."""
        key = self.key("header", page)
        if key is not None and key in self.headers:
            before, after = self.headers[key]
            return Markup(before + _title(page) + after)
        html = str(caller())
        if key is not None and (parts := _around_title(html, _title(page))):
            self.headers[key] = parts
        return Markup(html)


def _title(page: Page | None) -> str:
    """The title Material's header shows (partials/header.html): the front matter's, else the page's."""
    return str((page.meta or {}).get("title") or page.title) if page is not None else ""


def _around_title(html: str, title: str) -> tuple[str, str] | None:
    """The header split around the title in its topic span; None if Material's header is not laid out so."""
    topic = html.find('data-md-component="header-topic"')
    opening = html.find('<span class="md-ellipsis">', topic)
    closing = html.find("</span>", opening)
    if min(topic, opening, closing) < 0 or html[opening:closing].count(title) != 1 or not title.strip():
        return None
    start = html.index(title, opening)
    return html[:start], html[start + len(title) :]


def _toc(items: Any) -> tuple:
    return tuple((item.id, item.title, item.level, _toc(item.children)) for item in items)
