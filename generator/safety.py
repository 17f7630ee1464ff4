"""Find active HTML (scripts, frames, event handlers, javascript: links) in a pick's body."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_ACTIVE_TAGS = {"script", "iframe", "object", "embed", "frame", "frameset", "applet", "base", "meta", "link", "form"}
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"}
_BAD_SCHEMES = re.compile(r"^\s*(javascript|vbscript|data)\s*:", re.IGNORECASE)
# Markdown link destinations: [text](dest), <dest> autolinks, [ref]: dest definitions.
_MD_LINK = re.compile(
    r"\]\(\s*<?([^)\s>]*)|<([a-z][a-z0-9+.-]*:[^>\s]*)>|^\s*\[[^\]]+\]:\s*<?(\S+)", re.IGNORECASE | re.M
)
# XML 1.0 cannot carry these, so feeds could not either.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def control_character(text: str) -> tuple[int, str] | None:
    """(offset, message) for the first character an XML feed could not carry, or None."""
    if bad := CONTROL_CHARS.search(text):
        return bad.start(), f"holds the control character U+{ord(bad.group()):04X}, which XML feeds cannot carry"
    return None


class _ActiveHTMLFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag in _ACTIVE_TAGS:
            self.found.append((line, f"<{tag}> is not allowed in a pick body"))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((line, f"the event handler attribute {name}= is not allowed in a pick body"))
            elif name in _URL_ATTRS and value and _BAD_SCHEMES.match(value):
                scheme = value.split(":", 1)[0].strip().lower()
                self.found.append((line, f"a {scheme}: link ({name}=) is not allowed in a pick body"))

    handle_startendtag = handle_starttag


def find_active_html(body: str) -> list[tuple[int, str]]:
    """Return (line within body, message) for every active element; empty when safe."""
    # Cheap pre-filter: active HTML needs a tag, an active link needs its scheme.
    if "<" not in body and ":" not in body:
        return []
    lowered = body.lower()
    if "<" not in body and not any(f"{scheme}:" in lowered for scheme in ("script", "data")):
        return []
    finder = _ActiveHTMLFinder()
    finder.feed(body)
    finder.close()
    found = finder.found
    for match in _MD_LINK.finditer(body):
        target = next(g for g in match.groups() if g is not None)
        if _BAD_SCHEMES.match(target):
            line = body.count("\n", 0, match.start()) + 1
            scheme = target.split(":", 1)[0].strip().lower()
            found.append((line, f"a {scheme}: link is not allowed in a pick body"))
    return sorted(set(found))
