"""Tag-like prose read literally: model tokens (`<s>`, `<think>`) and comparisons (`n<b and m>k`) stay text."""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

import lxml.html.defs
from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor
from markdown.util import AtomicString

from .sanitize import ALLOWED_TAGS

# Every name an HTML parser treats as an element (lxml's list lacks the HTML5 additions and parser aliases).
# A known element outside the allowlist stays a tag, so `picks check` refuses it by name.
KNOWN_ELEMENTS = frozenset(lxml.html.defs.tags) | {
    *("template", "image", "svg", "math", "slot", "search", "dialog", "picture", "portal", "menuitem"),
    *("main", "nav", "section", "article", "aside", "header", "footer", "video", "audio", "canvas", "source"),
    *("data", "meter", "output", "progress", "time", "wbr", "bdi", "rb", "rp", "rt", "rtc", "ruby", "hgroup"),
}
VOID_ELEMENTS = frozenset(lxml.html.defs.empty_tags)
_NAME = re.compile(r"<(/?)([A-Za-z][^\s/>]*)")


def closer_at(tag: str, paragraph: str, end: int) -> int | None:
    """Where the tag opened by ``tag`` (raw inline HTML ending at ``paragraph[end]``) closes, or None.

    None means it reads as prose: an unknown name (``<think>``, ``Vec<String>``), or an allowed element that is
    not void and not closed within its paragraph (``n<b and m>k``, the BOS token ``<s>``). -1 means it is a tag
    that needs no closer (void, or a known element outside the allowlist, which the sanitizer judges).
    """
    found = _NAME.match(tag)
    if found is None:  # a comment, processing instruction or CDATA: the sanitizer's to judge
        return -1
    name = found.group(2).lower()
    if name not in KNOWN_ELEMENTS:
        return None
    if name not in ALLOWED_TAGS or name in VOID_ELEMENTS:  # HTML reads <span/> as <span>: it needs a closer too
        return -1
    depth = 1  # the same element nested inside it must close first: "<s> <s>x</s>" leaves the first one prose
    for tag_found in re.compile(rf"<(/?){re.escape(name)}(?:\s*>|[\s/>])", re.IGNORECASE).finditer(paragraph, end):
        depth += -1 if tag_found.group(1) else 1
        if depth == 0:
            return tag_found.start()
    return None


class _LiteralOrHtml(HtmlInlineProcessor):
    """Python-Markdown's inline HTML, but a tag its author cannot have meant becomes escaped text."""

    def __init__(self, pattern: str, md: Markdown) -> None:
        super().__init__(pattern, md)
        # What follows each closer an accepted opener expects; the inline pass leaves text after a match unchanged.
        self.expected: set[str] = set()

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Element | str, int, int]:  # noqa: N802
        tag = m.group(0)
        found = _NAME.match(tag)
        if found is not None and found.group(1) == "/":
            meant = found.group(2).lower() in KNOWN_ELEMENTS - ALLOWED_TAGS or data[m.start(0) :] in self.expected
            self.expected.discard(data[m.start(0) :])
        else:
            closer = closer_at(tag, data, m.end(0))
            meant = closer is not None
            if closer is not None and closer >= 0:
                self.expected.add(data[closer:])
        if meant:
            return super().handleMatch(m, data)
        return AtomicString(tag), m.start(0), m.end(0)


class LiteralTagsExtension(Extension):
    """Replaces the inline HTML pattern; block-level HTML is left to Python-Markdown and the sanitizer."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        self.processor = _LiteralOrHtml(HTML_RE, md)
        md.inlinePatterns.register(self.processor, "html", 90)
        md.registerExtension(self)

    def reset(self) -> None:
        self.processor.expected.clear()
