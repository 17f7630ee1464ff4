"""Where GitHub's preview of a pick and the site would show its body differently: warnings at their lines.

The site's Markdown matches GitHub's (GFM) for lists right under a paragraph, two-space nested lists, bare URLs,
~~strike~~ and tables (mkdocs.yml's extensions); what is left is written the same way on both once a blank line
or an indent is added, and each warning says which.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_DELIMITER_ROW = re.compile(r"^ {0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_ITEM = re.compile(r"^( *)([-*+]|[0-9]{1,9}[.)])( +|$)")
_TRAILING_BACKSLASHES = re.compile(r"(\\+)$")
_CODE_SPAN = re.compile(r"(`+).+?\1")
_SINGLE_TILDES = re.compile(r"(?<![~\\])~(?=[^\s~])[^~]*?(?<=[^\s~\\])~(?!~)")


def preview_differences(body: str) -> Iterator[tuple[int, str]]:
    """(line in the body, 1-based; message) for each place GitHub's preview would differ from the site."""
    lines = body.split("\n")
    fence: str | None = None
    in_table = False
    parents: list[tuple[int, int]] = []  # (indent, marker width with its space) of the list items above
    markers: dict[int, str] = {}  # indent → the marker of the list items there (-, *, + or . or ) of a number)
    for index, line in enumerate(lines):
        number, previous = index + 1, lines[index - 1] if index else ""
        following = lines[index + 1] if index + 1 < len(lines) else ""
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
                if line.strip() == opening.group(1) and following.strip():
                    yield number + 1, "GitHub ends the fenced block above here, the site reads on: add a blank line"
            continue
        if opening:
            fence = opening.group(1)
            if previous.strip() and index:
                yield (
                    number,
                    "a fenced block right under text: GitHub shows it apart, the site inside that text; "
                    "add a blank line before it",
                )
            continue
        if not line.strip():
            in_table, parents = False, parents if following.startswith(" ") else []
            continue
        if _DELIMITER_ROW.match(following) and "|" in line + following and not in_table:
            in_table = True
            if previous.strip() and index:
                yield number, "a table right under text: add a blank line before it (GitHub and the site differ)"
            continue
        if in_table and "|" not in line:
            yield number, "a line right under a table: GitHub makes it a row, the site a paragraph; add a blank line"
            in_table = False
        numbered = _ITEM.match(line)
        if numbered and numbered.group(2)[:-1] not in ("", "1") and previous.strip() and not parents and index:
            yield (
                number,
                f"GitHub reads '{numbered.group(2)}' under a line of text as more of that text (only 1 "
                "starts a list there), the site as a list: add a blank line before it",
            )
        yield from _list_nesting(line, number, parents)
        yield from _marker_change(line, number, markers, blank_above=not previous.strip())
        if "~" in line and _SINGLE_TILDES.search(_CODE_SPAN.sub(" ", line)):
            yield number, "GitHub strikes ~text~ through, the site shows the tildes: write ~~text~~ to strike"
        trailing = _TRAILING_BACKSLASHES.search(line)
        if trailing and len(trailing.group(1)) % 2 and following.strip():
            yield (
                number,
                "a backslash at the end of a line is a line break on GitHub, not on the site: "
                "end the line with two spaces instead",
            )


def _list_nesting(line: str, number: int, parents: list[tuple[int, int]]) -> Iterator[tuple[int, str]]:
    """A list item under another, at an indent where GitHub and the site disagree about nesting it. GitHub
    (CommonMark) nests from the column the item's text starts in to 3 spaces past it; the site counts levels of
    two spaces (mdx_truly_sane_lists) and nests exactly one level deeper. Checked against cmarkgfm."""
    item = _ITEM.match(line)
    if item is None:
        return
    indent, marker = len(item.group(1)), item.group(2)
    while parents and indent <= parents[-1][0]:
        parents.pop()
    if parents:
        above, width = parents[-1]
        github = above + width <= indent <= above + width + 3
        site = indent // 2 == above // 2 + 1
        if github != site:
            both = [k for k in range(above + width, above + width + 4) if k // 2 == above // 2 + 1]
            if both:
                yield (
                    number,
                    f"indent this item by {both[0]} spaces to nest it under the item above (at "
                    f"{indent}, GitHub and the site nest it differently)",
                )
            else:
                yield (
                    number,
                    "GitHub and the site cannot nest a list under this item alike (its marker is too "
                    "wide): make the sub-points a list of their own, or number with one digit",
                )
    parents.append((indent, len(marker) + 1))


def _marker_change(line: str, number: int, markers: dict[int, str], *, blank_above: bool) -> Iterator[tuple[int, str]]:
    """An item whose marker differs from the item above at its indent: GitHub starts a new list, the site not
    (after a blank line the site too starts a new list when bullets turn to numbers or back)."""
    item = _ITEM.match(line)
    if item is None:
        if not line.startswith(" ") and blank_above:
            markers.clear()  # a paragraph ends every list above it (a line right under an item continues it)
        return
    indent, kind = len(item.group(1)), item.group(2)[-1]
    for deeper in [i for i in markers if i > indent]:
        del markers[deeper]
    before = markers.get(indent, kind)
    if before != kind and (not blank_above or (before in ".)") == (kind in ".)")):
        yield (
            number,
            f"'{kind}' after items marked '{before}': GitHub starts a new list here, the site "
            "does not; mark every item of one list the same way",
        )
    markers[indent] = kind
