"""The one body renderer: a pick's Markdown becomes sanitized HTML, with its headings and its problems."""

from __future__ import annotations

import copy
import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lxml.html
import markdown

from .literal_tags import LiteralTagsExtension
from .sanitize import clean, heading_slug, removals, safe_id

# MkDocs always adds the first three; mkdocs.yml adds more. The rest make a body read as GitHub's preview of the
# pull request shows it (GFM): a list right under a paragraph line, lists nested by two spaces, bare URLs as
# links, ~~strike~~ (core/preview.py warns where the two still differ).
BUILTIN_EXTENSIONS = (
    *("toc", "tables", "fenced_code"),
    *("mdx_breakless_lists", "mdx_truly_sane_lists", "pymdownx.magiclink", "pymdownx.tilde"),
)
# Tables align cells with an attribute, not a style attribute the sanitizer would remove; GFM has no subscript.
LOCATED = 20  # problems of one body located and reported; a body with more is fixed a screenful at a time
_FORCED_CONFIGS = {
    "tables": {"use_align_attribute": True},
    "pymdownx.tilde": {"subscript": False},
    "mdx_truly_sane_lists": {"truly_sane": False},  # a blank line between items keeps one (loose) list
}


@dataclass(frozen=True)
class RenderedBody:
    """A body as every output shows it: sanitized HTML, its headings, and what the sanitizer had to remove."""

    html: str
    toc: list[dict[str, Any]] = field(default_factory=list, compare=False)
    problems: tuple[tuple[int, str], ...] = ()  # (line within the body, message)
    first_paragraph: str = ""  # the default teaser: the first top-level paragraph as text


def first_paragraph(html: str) -> str:
    """The text of the first top-level paragraph, as readers see it, without any markup."""
    if "<p" not in html:
        return ""
    for element in lxml.html.fragments_fromstring(html):
        if not isinstance(element, str) and element.tag == "p":
            return " ".join(_text(element).split())
    return ""


class BodyRenderer:
    """Renders pick bodies with the site's Markdown extensions (from mkdocs.yml), then sanitizes them."""

    def __init__(
        self,
        extensions: list[Any] | tuple[Any, ...] = (),
        configs: dict[str, dict] | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        names = list(dict.fromkeys([*BUILTIN_EXTENSIONS, *extensions]))
        settings = copy.deepcopy(configs or {})
        for name, forced in _FORCED_CONFIGS.items():
            settings.setdefault(name, {}).update(forced)
        self._cache = None
        if cache_dir is not None:
            from .body_cache import BodyCache  # it hashes this module's source, so it imports it, not the reverse

            self._cache = BodyCache(cache_dir / "bodies.sqlite", {"extensions": names, "configs": settings})
        settings.setdefault("toc", {})["slugify"] = heading_slug
        self._markdown = markdown.Markdown(extensions=[*names, LiteralTagsExtension()], extension_configs=settings)

    def _html(self, text: str) -> str:
        self._markdown.reset()
        return self._markdown.convert(text)

    def render(self, body: str) -> RenderedBody:
        if self._cache is not None and (cached := self._cache.get(body)) is not None:
            return cached
        rendered = self._render(body)
        if self._cache is not None:
            self._cache.put(body, rendered)
        return rendered

    def save(self) -> None:
        """Keep this run's new renderings for the next one (no-op without a cache)."""
        if self._cache is not None:
            self._cache.save()

    def _render(self, body: str) -> RenderedBody:
        raw = self._html(body)
        toc = _plain_toc(getattr(self._markdown, "toc_tokens", []))
        cleaned = clean(raw)
        problems = tuple(self._locate(body, messages)) if (messages := removals(raw, cleaned)) else ()
        return RenderedBody(cleaned, toc, problems, first_paragraph(cleaned))

    def _locate(self, body: str, messages: list[str]) -> list[tuple[int, str]]:
        """Each problem at the first line whose prefix of the body shows it: a binary search over prefixes per
        problem (a few renders each, not one per line), for the first LOCATED problems."""
        lines = body.split("\n")
        found = []
        for message in messages[:LOCATED]:
            low, high = 1, len(lines)
            while low < high:
                middle = (low + high) // 2
                if message in removals(self._html("\n".join(lines[:middle]))):
                    high = middle
                else:
                    low = middle + 1
            found.append((low, message))
        return sorted(found, key=lambda item: item[0])


def _plain_toc(tokens: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Headings for the page's table of contents, as Material prints them unescaped: names as escaped text
    whatever a label said, and only ids the sanitizer keeps (a refused one leaves its heading out)."""
    toc = []
    for t in tokens:
        children = _plain_toc(t["children"])
        if not safe_id(t["id"]):
            toc += children
            continue
        name = html.escape(html.unescape(t["name"]))
        toc.append({"level": t["level"], "id": t["id"], "name": name, "children": children})
    return toc


def _text(element: lxml.html.HtmlElement) -> str:
    """An element's text as a reader sees it, an image standing for its alt text."""
    parts = [element.text or ""]
    for child in element:
        parts += [child.get("alt", "") if child.tag == "img" else _text(child), child.tail or ""]
    return "".join(parts)


def text_blocks(html: str) -> list[str]:
    """Sanitized HTML as plain-text blocks: each paragraph or heading, each list as ``- item`` lines.

    Code, tables and figures are left to the page; posts and the email's text part are made of these.
    """
    if not html.strip():
        return []
    blocks = []
    for element in lxml.html.fragments_fromstring(html):
        if isinstance(element, str) or element.tag not in ("p", "ul", "ol", "blockquote", "h2", "h3", "h4"):
            continue
        if element.tag in ("ul", "ol"):
            blocks.append("\n".join("- " + " ".join(_text(li).split()) for li in element.iter("li")))
        else:
            blocks.append(" ".join(_text(element).split()))
    return [block for block in blocks if block]


def absolute_html(html: str, page_url: str) -> str:
    """The HTML with every link and image resolved against the page's absolute URL (feeds, email)."""
    if not html.strip():
        return ""
    fragment = lxml.html.fragment_fromstring(html, create_parent="div")
    fragment.make_links_absolute(page_url, resolve_base_href=False)
    return "".join(
        lxml.html.tostring(child, encoding="unicode") if not isinstance(child, str) else child
        for child in [fragment.text or "", *fragment]
    )
