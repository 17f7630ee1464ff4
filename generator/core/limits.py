"""Every input dimension of a pick has a limit, checked at its line before anything costly runs (CONTRIBUTING)."""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator
from pathlib import Path

from .errors import Invalid
from .frontmatter import Mapping, Sequence

FILE_BYTES = 100_000  # the longest real pick is about 6 KB
LINE_CHARS = 4_000  # a long URL or a long paragraph written as one line fits
TAGS = 20
PAPERS = 10
AUTHORS = 500  # per paper; a collaboration of thousands is cited by its first authors and "et al."
MENTIONS = 20
NESTING = 10  # list, quote and HTML block levels in a body
CODE_CHARS = 20_000  # one fenced block: longer code belongs in a repository the pick links
HIGHLIGHTED_LINES = 200  # hl_lines numbers beyond a block's own lines cost memory for nothing
TAG_LIKE = 200  # "<" per paragraph: each is a possible tag the literal-tag check must weigh

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_MARKERS = re.compile(r"^(?:\s*(?:[-*+]|[0-9]{1,9}[.)]|>)(?=\s|$))+")
_MARKER = re.compile(r"(?:[-*+]|[0-9]{1,9}[.)]|>)(?=\s|$)")
_BLOCK_TAG = re.compile(r"<(/?)(div|details|blockquote|figure|section|ul|ol|li|table)\b[^>]*?(/?)>", re.IGNORECASE)
_NUMBERS = re.compile(r"[0-9]+")


def read_pick_file(path: Path, roots: list[Path]) -> bytes:
    """The file's bytes: a regular file inside one of ``roots`` (no link out of them, no device or pipe), at most
    FILE_BYTES long, read no further than that."""
    resolved = path.resolve()
    if path.is_symlink() and not any(resolved.is_relative_to(root) for root in roots):
        raise Invalid(1, "file", f"is a link to {resolved}, outside the picks folder: copy the pick in instead")
    mode = resolved.stat().st_mode
    if not stat.S_ISREG(mode):
        raise Invalid(1, "file", "is not a regular file (a device, a pipe or a folder): a pick is a Markdown file")
    with resolved.open("rb") as handle:
        data = handle.read(FILE_BYTES + 1)
    if len(data) > FILE_BYTES:
        raise Invalid(1, "file", f"is over {FILE_BYTES:,} bytes, the limit of a pick: shorten it or split it in two")
    return data


def long_lines(lines: tuple[str, ...]) -> Iterator[Invalid]:
    for number, line in enumerate(lines, start=1):
        if len(line) > LINE_CHARS:
            yield Invalid(number, "", f"this line is {len(line):,} characters long, over {LINE_CHARS:,}: break it")


def body_limits(body: str) -> Iterator[tuple[int, str]]:
    """(line in the body, message) for each limit the body passes: nesting, code blocks, hl_lines, tag-like
    text. A body with any of these is not rendered, so no pick costs more than its limits allow."""
    lines = body.split("\n")
    fence: tuple[str, int, int] | None = None  # (marker, first line, characters so far)
    opened: list[tuple[str, int]] = []  # HTML blocks open at this point, with the lines they open on
    tag_like, paragraph = 0, 1
    for number, line in enumerate(lines, start=1):
        opening = _FENCE.match(line)
        if fence is not None:
            marker, first, size = fence
            if opening and opening.group(1)[0] == marker[0] and len(opening.group(1)) >= len(marker):
                fence = None
            elif size + len(line) + 1 > CODE_CHARS and size <= CODE_CHARS:
                fence = (marker, first, CODE_CHARS + 1)
                yield first, f"this code block is over {CODE_CHARS:,} characters: link the code instead"
            else:
                fence = (marker, first, size + len(line) + 1)
            continue
        if opening:
            fence = (opening.group(1), number, 0)
            yield from _highlighted(opening.group(2), number, lines[number:])
            continue
        if not line.strip():
            tag_like, paragraph = 0, number + 1
        if len(line) - len(line.lstrip(" ")) > 4 * NESTING:
            yield number, f"indented more than {4 * NESTING} spaces: nest less deeply"
        markers = _MARKERS.match(line)
        if markers and len(_MARKER.findall(markers.group())) > NESTING:
            yield number, f"more than {NESTING} list or quote markers on one line: nest less deeply"
        for found in _BLOCK_TAG.finditer(line):
            name = found.group(2).lower()
            if found.group(3):
                continue
            if not found.group(1):
                opened.append((name, number))
                if len(opened) == NESTING + 1:
                    yield number, f"HTML blocks nested more than {NESTING} deep: nest less deeply"
            elif opened and opened[-1][0] == name:
                opened.pop()
            else:
                yield number, f"</{name}> closes no <{name}> opened above it: remove it or open the element"
                return
        tag_like += line.count("<")
        if TAG_LIKE < tag_like <= TAG_LIKE + line.count("<"):
            yield paragraph, f"more than {TAG_LIKE} '<' in one paragraph: write &lt; or split the paragraph"
    if opened:  # Python-Markdown drops what follows an unclosed block: refused rather than silently cut
        name, line = opened[0]
        yield line, f"this <{name}> is never closed: close it with </{name}>"


def _highlighted(info: str, number: int, rest: list[str]) -> Iterator[tuple[int, str]]:
    """hl_lines of a fence may name only lines the block has (each costs highlighting work and memory)."""
    found = re.search(r"hl_lines=(\"[^\"]*\"|'[^']*'|\S+)", info)
    if found is None:
        return
    size = next((i for i, line in enumerate(rest) if _FENCE.match(line)), len(rest))
    numbers = [int(n) for n in _NUMBERS.findall(found.group(1))]
    if any(n > min(size, HIGHLIGHTED_LINES) for n in numbers):
        yield number, f"hl_lines names a line past the block's {size}: highlight only lines it has"


def front_limits(fm: Mapping) -> Iterator[Invalid]:
    """Counts of the list fields: tags, mentions, papers, and each paper's authors."""
    for name, limit in (("tags", TAGS), ("mentions", MENTIONS), ("papers", PAPERS)):
        node = fm.items.get(name)
        if isinstance(node, Sequence) and len(node.items) > limit:
            message = f"{len(node.items)} {name}, over the limit of {limit}: keep the most telling"
            yield Invalid(node.items[limit].line, name, message)
    papers = fm.items.get("papers")
    for index, paper in enumerate(papers.items if isinstance(papers, Sequence) else ()):
        authors = paper.items.get("authors") if isinstance(paper, Mapping) else None
        if isinstance(authors, Sequence) and len(authors.items) > AUTHORS:
            message = f"{len(authors.items)} authors, over {AUTHORS}: list the first {AUTHORS} (readers see et al.)"
            yield Invalid(authors.items[AUTHORS].line, f"papers[{index}].authors", message)
