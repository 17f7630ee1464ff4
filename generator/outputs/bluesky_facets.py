"""Bluesky rich text: the links, mentions and tags of a post's text as facets with UTF-8 byte offsets."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

# After Bluesky's "Links, mentions, and rich text" guide (docs.bsky.app, advanced-guides/post-richtext): a
# mention is @ and a domain handle after a space or the start; a link is an http(s) URL, trailing
# punctuation excluded; a tag is # and a word that is not all digits. The word joiner inert() puts after an @
# in a pick's own text keeps it from ever matching.
_MENTION = re.compile(r"(?:^|(?<=[\s(]))@((?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z][a-zA-Z0-9-]*)")
_LINK = re.compile(r"(?:^|(?<=[\s(]))https?://\S+")
_TAG = re.compile(r"(?:^|(?<=\s))#([^\s#\u2060]*[^\d\s\W][^\s#]*)")
_TRAILING = ".,;:!?)\"'"


@dataclass(frozen=True)
class Facet:
    start: int  # byte offset in the UTF-8 text, inclusive
    end: int  # exclusive
    kind: str  # link | mention | tag
    value: str  # the URI, the DID or the tag


def _bytes(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def facets(text: str, did_of: Callable[[str], str | None]) -> list[Facet]:
    """Every link, mention (whose handle resolves) and tag of the text, in order."""
    found = []
    for match in _LINK.finditer(text):
        url = match.group().rstrip(_TRAILING)
        found.append(Facet(_bytes(text, match.start()), _bytes(text, match.start() + len(url)), "link", url))
    for match in _MENTION.finditer(text):
        handle = match.group(1).rstrip(_TRAILING)
        if did := did_of(handle.lower()):
            end = match.start() + 1 + len(handle)
            found.append(Facet(_bytes(text, match.start()), _bytes(text, end), "mention", did))
    for match in _TAG.finditer(text):
        tag = match.group(1).rstrip(_TRAILING)
        if tag and len(tag) <= 64:
            end = match.start() + 1 + len(tag)
            found.append(Facet(_bytes(text, match.start()), _bytes(text, end), "tag", tag))
    return sorted(found, key=lambda facet: facet.start)


def short_url(url: str) -> str:
    """A link as Bluesky's app shows it in a post it composes (social-app, src/lib/strings/url-helpers.ts,
    toShortUrl): the host and the path, query and fragment, those cut to 13 characters and "..." past 15."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return url
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    path = ("" if parts.path == "/" else parts.path) + (f"?{parts.query}" if parts.query else "")
    path += f"#{parts.fragment}" if parts.fragment else ""
    return host + path[:13] + "..." if len(path) > 15 else host + path


def shown_text(text: str) -> str:
    """The text as the post shows it: every link shortened (social-app's shortenLinks, which its composer
    applies before it counts a post's 300 graphemes)."""

    def short(found: re.Match[str]) -> str:
        url = found.group().rstrip(_TRAILING)
        return short_url(url) + found.group()[len(url) :]

    return _LINK.sub(short, text)


def rich_text(text: str, did_of: Callable[[str], str | None]) -> tuple[str, list[dict]]:
    """The record's text and its facets as app.bsky.richtext.facet records (lexicons/app/bsky/richtext/
    facet.json): each link shown short, its facet's URI whole, as Bluesky's app posts a link."""
    found, shown, shift = facets(text, did_of), text.encode("utf-8"), 0
    placed = []
    for facet in found:
        start, end = facet.start + shift, facet.end + shift
        if facet.kind == "link":
            short = short_url(facet.value).encode("utf-8")
            shown = shown[:start] + short + shown[end:]
            shift += len(short) - (end - start)
            end = start + len(short)
        placed.append(replace(facet, start=start, end=end))
    return shown.decode("utf-8"), [_record(facet) for facet in placed]


def _record(found: Facet) -> dict:
    feature = {
        "link": {"$type": "app.bsky.richtext.facet#link", "uri": found.value},
        "mention": {"$type": "app.bsky.richtext.facet#mention", "did": found.value},
        "tag": {"$type": "app.bsky.richtext.facet#tag", "tag": found.value},
    }[found.kind]
    return {"index": {"byteStart": found.start, "byteEnd": found.end}, "features": [feature]}
