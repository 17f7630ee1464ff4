"""Handles a pick credits: written with their @, and the body's own @handles named in ``mentions`` or warned."""

from __future__ import annotations

import re
from collections.abc import Iterator

# What X and Mastodon would link in a post: "@" after anything but a letter, digit, _ or /, then a handle
# (user, or user@host on Mastodon). Code spans and fenced blocks are code, never a mention.
HANDLE = re.compile(r"(?<![A-Za-z0-9_/@])@(\w+(?:[.-]\w+)*(?:@\w+(?:[.-]\w+)+)?)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+).+?\1")


def mention_problem(mention: str) -> str | None:
    """Why a ``mentions`` entry is not a handle, or None."""
    if not mention.startswith("@"):
        # A person's name ("Nora Belrose") or a Bluesky domain handle is looked up in people.yml; one bare word
        # is a handle written without its @.
        if " " in mention or "." in mention:
            return None
        return f"write the handle with its @: '@{mention.lstrip('＠')}' (or a person's full name from people.yml)"
    if not HANDLE.fullmatch(mention):
        return f"'{mention}' is not a handle such as @name or @name@server.social"
    return None


def unlisted_handles(body: str, mentions: tuple[str, ...]) -> Iterator[tuple[int, str]]:
    """(line in the body, handle) for each @handle of the body that ``mentions`` does not list: posts make it
    plain text, so it credits nobody."""
    listed = {m.lower() for m in mentions}
    fence: str | None = None
    for number, line in enumerate(body.split("\n"), start=1):
        opening = _FENCE.match(line)
        if opening and (fence is None or opening.group(1)[0] == fence[0]):
            fence = None if fence else opening.group(1)
            continue
        if fence:
            continue
        for found in HANDLE.finditer(_CODE_SPAN.sub(" ", line)):
            if found.group().lower() not in listed:
                yield number, found.group()
