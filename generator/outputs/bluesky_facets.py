"""Bluesky rich text: the links, mentions and tags of a post's text as facets with UTF-8 byte offsets."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

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


def facet_records(text: str, did_of: Callable[[str], str | None]) -> list[dict]:
    """The text's facets as app.bsky.richtext.facet records (lexicons/app/bsky/richtext/facet.json)."""
    return [_record(found) for found in facets(text, did_of)]


def _record(found: Facet) -> dict:
    feature = {
        "link": {"$type": "app.bsky.richtext.facet#link", "uri": found.value},
        "mention": {"$type": "app.bsky.richtext.facet#mention", "did": found.value},
        "tag": {"$type": "app.bsky.richtext.facet#tag", "tag": found.value},
    }[found.kind]
    return {"index": {"byteStart": found.start, "byteEnd": found.end}, "features": [feature]}
