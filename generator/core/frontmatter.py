"""Split a pick file into YAML front matter and body, and read the YAML safely."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .errors import Invalid
from .safety import control_character

# The base resolver tags every plain scalar as a string: we type values ourselves from the text as written,
# so 2401.10000 stays "2401.10000". libyaml is ~15x faster; the pure-Python composer gives the same nodes.
try:
    from yaml import CBaseLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import BaseLoader as _Loader  # type: ignore[assignment]

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {"str", "int", "float", "bool", "null", "timestamp", "seq", "map"}
_MAX_DEPTH = 16
_KEY = re.compile(r"^[\s-]*([A-Za-z_][\w-]*)\s*:")


@dataclass(frozen=True)
class Scalar:
    """A YAML scalar kept as the text the author wrote; ``plain`` means unquoted."""

    text: str
    plain: bool
    line: int

    @property
    def is_null(self) -> bool:
        return self.plain and self.text in ("", "~", "null", "Null", "NULL")


@dataclass(frozen=True)
class Sequence:
    items: tuple[Node, ...]
    line: int


@dataclass(frozen=True)
class Mapping:
    items: dict[str, Node]
    line: int
    key_lines: dict[str, int]


Node = Scalar | Sequence | Mapping


@dataclass(frozen=True)
class Document:
    """A pick file's front matter and body, with the line the body starts on."""

    front_matter: Mapping
    body: str
    body_line: int
    lines: tuple[str, ...]  # the whole file, line ends normalised; lines[0] is line 1

    def field_at(self, line: int) -> str:
        """The field a line of the file belongs to, as well as a line can tell."""
        if line >= self.body_line:
            return "body"
        key = _KEY.match(self.lines[line - 1])
        return key.group(1) if key else "front matter"


def split(raw: bytes) -> Document:
    """Decode, split off the ``---`` front matter and read it; raise Invalid."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise Invalid(line, "encoding", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})") from None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[0].rstrip() != "---":
        raise Invalid(1, "front matter", "the file must start with a '---' line, then YAML, then '---'")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise Invalid(1, "front matter", "no closing '---' line after the front matter")
    front = "\n".join(lines[1:end])
    for number, line in enumerate(lines[1:end] if control_character(front) else (), start=2):
        if found := control_character(line):
            key = _KEY.match(line)
            raise Invalid(number, key.group(1) if key else "front matter", found[1])
    fm = compose(front, first_line=2)
    rest = "\n".join(lines[end + 1 :])
    body = rest.lstrip("\n")
    return Document(fm, body.rstrip("\n"), end + 2 + len(rest) - len(body), tuple(lines))


def compose(text: str, first_line: int) -> Mapping:
    """Parse YAML to nodes only: no constructors run, so no tag can execute anything."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        if (opened := _unclosed_quote(text.split("\n"), line - first_line)) is not None:
            number, key, quote = opened  # YAML read on past the line: name the quote, not where it ended up
            message = f"the {quote} that opens this value is not closed on its line: close it ({quote}...{quote})"
            raise Invalid(first_line + number, key, message) from None
        raise Invalid(line, "front matter", _syntax_message(exc, text)) from None
    except yaml.YAMLError as exc:
        raise Invalid(first_line, "front matter", f"YAML error: {exc}") from None
    if root is None:
        raise Invalid(first_line, "front matter", "the front matter is empty")
    node = _convert(root, first_line, set(), 0, "front matter")
    if not isinstance(node, Mapping):
        raise Invalid(node.line, "front matter", "the front matter must be a mapping of 'field: value' lines")
    return node


def _syntax_message(exc: yaml.MarkedYAMLError, text: str) -> str:
    """PyYAML's complaint in an author's words where we know the usual cause."""
    mark = exc.problem_mark
    lines = text.split("\n")
    source = lines[mark.line] if mark and mark.line < len(lines) else ""  # the mark may sit past the end
    column = mark.column if mark else 0
    found = source[column : column + 1]
    indent = source[: len(source) - len(source.lstrip())]
    if "\t" in indent:
        tab = source.index("\t") + 1
        return f"tabs cannot indent YAML; use spaces (tab at column {tab})"
    if found in ("@", "`"):
        return f'quote values that start with {found}, e.g. "{found}name" ({found} cannot start a plain YAML value)'
    problem = exc.problem or ""
    key, colon, value = source.strip().partition(": ")
    if "mapping values are not allowed" in problem and colon and ": " in value:
        # A second ": " inside a plain value: YAML reads it as another mapping.
        quoted = '"' + value.strip().replace("\\", "\\\\").replace('"', '\\"') + '"'
        return f"quote the value, which holds ': ': {key}: {quoted}"
    if "expected '-' indicator" in problem or "did not find expected key" in problem:
        at = mark.line if mark else 0
        if (sibling := _sibling_indent(lines, at)) is not None and len(indent) != sibling:
            return f"this line is indented {len(indent)} space(s); the fields beside it are indented {sibling}"
        expected = _list_indent(lines, at)
        if expected is not None and len(indent) != expected:
            return f"this line is indented {len(indent)} space(s); the items of the list above are indented {expected}"
    return f"YAML syntax error at column {column + 1}: {problem or exc}"


_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)?(?:([A-Za-z_][\w-]*):\s+)?(["'])(.*)$""")


def _unclosed_quote(lines: list[str], at: int) -> tuple[int, str, str] | None:
    """(line index, field, quote) of the first value up to line ``at`` that opens a quote and leaves it open."""
    for index, line in enumerate(lines[: at + 1]):
        found = _QUOTED_VALUE.match(line)
        if found is None:
            continue
        quote, rest = found.group(2), found.group(3)
        # Inside "...", \" is a quote and \\ a backslash; inside '...', '' is a quote.
        rest = re.sub(r"\\.", "", rest) if quote == '"' else rest.replace("''", "")
        if quote not in rest:
            return index, found.group(1) or "front matter", quote
    return None


def _sibling_indent(lines: list[str], at: int) -> int | None:
    """Where the fields of the mapping a field line sits in start: the indent of the field above it, or, under a
    '- key:' line, the column of that key. None when line ``at`` is no field or follows no field."""
    if at >= len(lines) or not _KEY.match(lines[at]) or lines[at].lstrip().startswith("- "):
        return None
    above = next((line for line in reversed(lines[:at]) if line.strip()), "")
    if not _KEY.match(above) or not above.startswith(" "):
        return None
    stripped = above.lstrip(" ")
    if stripped.startswith("- "):
        return len(above) - len(stripped) + 2
    return len(above) - len(stripped)


def _list_indent(lines: list[str], at: int) -> int | None:
    """The indentation of the nearest '- ' item above line ``at``: where a list's next item must start."""
    for line in reversed(lines[:at]):
        stripped = line.lstrip(" ")
        if stripped.startswith("- "):
            return len(line) - len(stripped)
        if stripped and not line.startswith(" "):
            return None
    return None


# An unquoted value followed by " #x": YAML ends the value there and reads the rest as a comment.
_CUT_BY_COMMENT = re.compile(r"""^\s*(?:-\s+|(?:-\s+)?[A-Za-z_][\w-]*:\s+)(?![\s"'\[{#|>&*!])[^#]*?\S\s+#\S""")


def cut_by_comment(line: str) -> bool:
    """Whether YAML would silently drop the end of this line's value (``title: Primer #1`` reads "Primer")."""
    return bool(_CUT_BY_COMMENT.match(line))


def _convert(node: yaml.Node, first_line: int, seen: set[int], depth: int, where: str, at: int = 0) -> Node:
    line = first_line + node.start_mark.line
    if id(node) in seen:  # composed aliases reuse the anchored node; refusing them stops alias bombs
        raise Invalid(at or line, where, "YAML anchors and aliases (& and *) are not allowed in picks")
    seen.add(id(node))
    tag = node.tag or ""
    if not (tag.startswith(_CORE) and tag[len(_CORE) :] in _ALLOWED_TAGS):
        shown = "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag
        raise Invalid(line, where, f"the YAML tag {shown} is not allowed")
    if depth > _MAX_DEPTH:
        raise Invalid(line, where, "the front matter is nested too deeply")
    if isinstance(node, yaml.ScalarNode):
        return Scalar(node.value, not node.style, line)
    if isinstance(node, yaml.SequenceNode):
        return Sequence(tuple(_convert(n, first_line, seen, depth + 1, where, line) for n in node.value), line)
    items: dict[str, Node] = {}
    key_lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key_line = first_line + key_node.start_mark.line
        if not isinstance(key_node, yaml.ScalarNode):
            raise Invalid(key_line, where, "a field name must be plain text")
        key = key_node.value
        if not key.strip():
            raise Invalid(key_line, where, "a field name is missing before ':'")
        if key in items:
            raise Invalid(key_line, key, f"duplicate field (first given on line {key_lines[key]})")
        key_lines[key] = key_line
        items[key] = _convert(value_node, first_line, seen, depth + 1, key, key_line)
    return Mapping(items, line, key_lines)
