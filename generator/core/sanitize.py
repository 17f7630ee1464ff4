"""The allowlist every pick body's HTML passes through (nh3, the Ammonia bindings), and what it would remove."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3

# What a pick needs; CONTRIBUTING.md ("What HTML a pick may use") lists the same.
ALLOWED_TAGS = frozenset(
    {
        *("p", "br", "hr", "div", "span", "blockquote", "pre", "code", "kbd", "samp", "var"),
        *("em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "abbr", "cite", "q", "dfn"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd"),
        *("table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col"),
        *("a", "img", "sup", "sub", "details", "summary", "figure", "figcaption"),
    }
)
# Attribute lists ({: ... }) may set these on any element; nothing else reaches a page.
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang"})
TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "th": frozenset({"align", "colspan", "rowspan"}),
    "td": frozenset({"align", "colspan", "rowspan"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed"}),
    "details": frozenset({"open"}),
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Their text is code or markup, never prose: remove it with the tag instead of showing it.
REMOVED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe", "noembed", "noframes", "xmp"})
_URL_ATTRIBUTES = frozenset({"href", "src"})

_ATTRIBUTES = {tag: set(names) for tag, names in TAG_ATTRIBUTES.items()} | {"*": set(GLOBAL_ATTRIBUTES)}
_TAG_NAME = re.compile(r"<\s*/?\s*([A-Za-z][^\s/>]*)")
_SCHEME = re.compile(r"(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]*):")  # starts at a word's start: linear time
_URL_WHITESPACE = re.compile(r"[\t\n\r]")


def clean(fragment: str) -> str:
    """The fragment with everything outside the allowlist removed: the only HTML of a pick that is ever emitted."""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes=_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
        link_rel=None,
    )


def removals(fragment: str, cleaned: str | None = None) -> list[str]:
    """What ``clean`` would remove or change in the fragment, in words an author can act on; empty when nothing.

    ``cleaned`` is ``clean(fragment)`` when the caller has it already.
    """
    cleaned = clean(fragment) if cleaned is None else cleaned
    # The same parser and serializer with everything allowed: any difference is the allowlist's doing.
    kept = nh3.clean(
        fragment,
        tags=(_tag_names(fragment) | ALLOWED_TAGS) - {"html", "head", "body"},
        clean_content_tags=set(),
        attributes={"*": set()},
        generic_attribute_prefixes={""},
        url_schemes=_schemes(fragment) | URL_SCHEMES,
        strip_comments=True,
        link_rel=None,
    )
    if kept == cleaned:
        return []
    explainer = _Explainer()
    explainer.feed(kept)
    explainer.close()
    return list(dict.fromkeys(explainer.found)) or ["the HTML sanitizer would change this HTML; " + ALLOWED_SUMMARY]


ALLOWED_SUMMARY = (
    "a pick may use paragraphs, emphasis, lists, headings, blockquotes, code, tables, images, links "
    "(http, https, mailto, relative or #), sup/sub and details/summary (CONTRIBUTING.md: What HTML a pick may use)"
)


def _tag_names(fragment: str) -> set[str]:
    return {name.lower() for name in _TAG_NAME.findall(fragment)}


def _schemes(fragment: str) -> set[str]:
    # Browsers and URL parsers drop tabs and newlines inside a scheme, and read character references first.
    text = _URL_WHITESPACE.sub("", html.unescape(html.unescape(fragment)))
    return {scheme.lower() for scheme in _SCHEME.findall(text)}


def _scheme_of(url: str) -> str | None:
    text = _URL_WHITESPACE.sub("", url).strip()
    match = _SCHEME.match(text)
    return match.group(1).lower() if match else None


class _Explainer(HTMLParser):
    """Walks the normalised HTML and names each construct outside the allowlist."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.found.append(f"<{tag}> is not allowed; {ALLOWED_SUMMARY}")
            return
        allowed = GLOBAL_ATTRIBUTES | TAG_ATTRIBUTES.get(tag, frozenset())
        for name, value in attrs:
            if name not in allowed:
                names = ", ".join(sorted(allowed))
                self.found.append(f"the attribute {name}= on <{tag}> is not allowed (allowed on <{tag}>: {names})")
            elif name in _URL_ATTRIBUTES and (scheme := _scheme_of(value or "")) and scheme not in URL_SCHEMES:
                self.found.append(
                    f"a {scheme}: URL in {name}= is not allowed (links may be http, https, mailto, relative or #)"
                )

    handle_startendtag = handle_starttag
