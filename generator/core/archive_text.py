"""A past post's text read back as a pick: its header, headline line, summary and findings list, handles, tags."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

import ftfy

from .mentions import HANDLE

# Numbering a thread's posts carry ("1/4", "(2/4)", "🧵 3/4"), at the start or end of a post.
_NUMBERING = re.compile(r"^\s*(?:🧵\s*)?\(?\d{1,2}\s*/\s*\d{1,2}\)?\s*|\s*\(?\d{1,2}\s*/\s*\d{1,2}\)?\s*(?:🧵)?\s*$")
# A line that only carries a link (the site's "🔗 …", "📄 …", "💻 …" lines): the papers are in the front matter.
_LINK_LINE = re.compile(r"^\W{0,4}\s*(?:https?://\S+\s*)+$")
_HASHTAG = re.compile(r"(?<![\w&/#])#(\w[\w-]*)")
_HASHTAGS_ONLY = re.compile(r"^(?:\s*#\w[\w-]*)+\s*$")
# An export that flattened a list keeps its bullets inline: "- first. - second - Third".
_BULLET = re.compile(r"^\s*(?:[-•*]|\d{1,2}[.)])\s+")
_INLINE_BULLET = re.compile(r"\s+[-•]\s+(?=[A-Z0-9\"“'(\[])")
FINDINGS = re.compile(r"^\s*notable findings\s*:\s*", re.IGNORECASE)
_BY = re.compile(r"(?:^|\s+)by\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Header:
    """What a post's opening line says: the collection title it names, the papers an "xN edition" counts, and the
    rest of that line (the headline and its authors, or nothing)."""

    collection_title: str
    count: int
    rest: str


def clean(text: str) -> str:
    """A post's text as written: HTML entities an archive escaped undone, mis-decoded UTF-8 repaired, NFC."""
    text = html.unescape(text)
    # fix_encoding only: fix_text would also rewrite correct text (quotes, ligatures, widths).
    return unicodedata.normalize("NFC", ftfy.fix_encoding(text)) if not text.isascii() else text


def header_patterns(header: str, header_x2: str) -> tuple[re.Pattern[str], ...]:
    """The configured headers (``post.header_x2``, then ``post.header``) as patterns, lenient where exports
    differ: any emoji or its mis-decoding (``๐``, ``ðŸ”\\x8d``) or none before the words, straight or curly
    apostrophes, any case, and any collection title (the caller checks it against the configured ones)."""

    def pattern(template: str) -> re.Pattern[str]:
        text = template.strip()
        first = re.search(r"[A-Za-z{]", text)
        text = text[first.start() :] if first else text  # the emoji is whatever precedes the first word
        out = []
        for part in re.split(r"(\{collection\}|\{count\})", text):
            if part == "{collection}":
                out.append(r"(?P<collection>[^:\n]{1,200}?)")
            elif part == "{count}":
                out.append(r"(?P<count>\d{1,2})")
            else:
                out.append(r"\s+".join(re.escape(w).replace("'", "['’`]") for w in part.split(" ")))
        return re.compile(rf"^[^\w\s]{{0,6}}\S?\s*{''.join(out)}[ \t]*", re.IGNORECASE)

    return pattern(header_x2), pattern(header)


def read_header(first_line: str, patterns: tuple[re.Pattern[str], ...]) -> Header | None:
    """The header a post opens with, or None when it opens with none."""
    for pattern in patterns:
        if found := pattern.match(first_line):
            groups = found.groupdict()
            title = " ".join((groups.get("collection") or "").split())
            return Header(title, max(int(groups.get("count") or 1), 1), first_line[found.end() :].strip())
    return None


def strip_numbering(text: str) -> str:
    """A thread post's text without its "2/4" numbering."""
    lines = text.strip().split("\n")
    if lines:
        lines[0] = _NUMBERING.sub("", lines[0], count=1) if re.match(r"^\s*(?:🧵\s*)?\(?\d", lines[0]) else lines[0]
        lines[-1] = _NUMBERING.sub("", lines[-1])
    return "\n".join(lines).strip()


def unflatten(line: str) -> list[str]:
    """The items of a list an export flattened onto one line (``- first - Second``); [] when it is no list."""
    if not _BULLET.match(line):
        return []
    items = _INLINE_BULLET.split(_BULLET.sub("", line, count=1))
    return [" ".join(item.split()) for item in items if item.strip()]


@dataclass
class Body:
    """The Markdown body built from a pick's posts, and what it found on the way."""

    headline: str = ""
    byline: str = ""
    markdown: str = ""
    handles: list[str] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)


def headline_and_byline(rest: str) -> tuple[str, str]:
    """A headline line as (title, authors), split at its last "by" (a title may hold one, "Learning by Doing";
    an author list does not); a line with no "by" is all headline."""
    found = list(_BY.finditer(rest))
    if found:
        return rest[: found[-1].start()].strip(" :–-"), rest[found[-1].end() :].strip()
    return rest.strip(" :–-"), ""


def build_body(header: Header, posts: list[str]) -> Body:
    """A pick's body from its thread's texts (header line already read): one paragraph a line, the findings a
    Markdown list after a blank line, link-only lines and hashtag-only lines left out, hashtags and handles
    collected."""
    body = Body()
    rest = header.rest
    lines: list[str] = []
    for number, text in enumerate(posts):
        text = strip_numbering(text)
        post_lines = text.split("\n")
        if number == 0:
            post_lines = post_lines[1:]  # the header line, read already
            if not rest and header.count == 1 and post_lines and _BY.search(post_lines[0]):
                rest = post_lines.pop(0).strip()  # the site's own format: the headline on the second line
        lines += post_lines
    if header.count == 1:
        body.headline, body.byline = headline_and_byline(rest)
    elif rest.strip(" !:"):
        lines.insert(0, rest)
    full = "\n".join([body.byline, *lines])
    body.handles = list(dict.fromkeys(f"@{h}" for h in HANDLE.findall(full)))
    body.hashtags = list(dict.fromkeys(_HASHTAG.findall(full)))
    blocks: list[str] = []
    items: list[str] = []
    for line in (line.strip() for line in lines):
        if not line or _LINK_LINE.match(line) or _HASHTAGS_ONLY.match(line):
            continue
        if FINDINGS.match(line):
            blocks.append("Notable findings:")
            line = FINDINGS.sub("", line)
            if not line:
                continue
            line = line if _BULLET.match(line) else f"- {line}"
        if found := unflatten(line):
            items += found
            continue
        if items:
            blocks.append("\n".join(f"- {_inert(item)}" for item in items))
            items = []
        blocks.append(_inert(line))
    if items:
        blocks.append("\n".join(f"- {_inert(item)}" for item in items))
    body.markdown = "\n\n".join(blocks) + "\n"
    return body


def _inert(line: str) -> str:
    """A line of prose as Markdown that reads the same: a leading # or > is a heading or a quote in Markdown."""
    line = line.replace("<", "&lt;")
    return "\\" + line if line[:1] in "#>+=" else line
