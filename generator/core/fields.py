"""Typed values from front-matter nodes: text, lists, numbers, booleans and dates."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from datetime import date, datetime, time

from .errors import Invalid
from .frontmatter import Mapping, Node, Scalar, Sequence
from .safety import control_character, direction_control
from .schema import DATE_PATTERN, DATETIME_PATTERN, PLACEHOLDER_PATTERN, FieldSpec

_INTEGER = re.compile(r"^[0-9]+$")
_PLACEHOLDER = re.compile(PLACEHOLDER_PATTERN)


def check_fields(node: Mapping, specs: tuple[FieldSpec, ...], prefix: str, problems: list[Invalid]) -> dict:
    """Convert every known field, recording missing, unknown and mistyped ones."""
    known = {spec.name: spec for spec in specs}
    values: dict = {}
    for key, value in node.items.items():
        line = node.key_lines[key]
        spec = known.get(key)
        if spec is None:
            hint = _closest(key, known)
            problems.append(
                Invalid(line, prefix + key, "unknown field" + (f" (did you mean '{hint}'?)" if hint else ""))
            )
            continue
        try:
            values[key] = _CONVERT[spec.kind](value)
        except Invalid as exc:
            problems.append(Invalid(exc.line, prefix + key + exc.field, exc.message))
    for spec in specs:
        if spec.required and spec.name not in node.items:
            problems.append(Invalid(node.line, prefix + spec.name, "required field is missing"))
    return values


def _closest(key: str, known: dict) -> str | None:
    match = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return match[0] if match else None


def _string(node: Node) -> str:
    if not isinstance(node, Scalar):
        raise Invalid(node.line, "", "expected text, not a " + ("list" if isinstance(node, Sequence) else "mapping"))
    if found := control_character(node.text):  # a YAML escape such as "\a" written as text
        raise Invalid(node.line, "", found[1])
    if message := direction_control(node.text):
        raise Invalid(node.line, "", message)
    # Every front-matter value is one line in every output (an RIS record, a header, a post): a line break
    # written in YAML ("a\nb", a block scalar, U+2028) reads as the space a folded line would.
    text = " ".join(node.text.split())
    if node.is_null or not text:
        raise Invalid(node.line, "", "must not be empty")
    if _PLACEHOLDER.search(text):
        raise Invalid(node.line, "", f"still holds the template's placeholder ({text!r}): write the real value")
    return text


def _strings(node: Node) -> list[str]:
    if isinstance(node, Scalar) and node.is_null:
        raise Invalid(node.line, "", "must not be empty")
    if not isinstance(node, Sequence):
        raise Invalid(node.line, "", "expected a list, e.g. [first, second] or one '- item' per line")
    if not node.items:
        raise Invalid(node.line, "", "must not be an empty list")
    out = []
    for index, item in enumerate(node.items):
        try:
            out.append(_string(item))
        except Invalid as exc:
            raise Invalid(exc.line, f"[{index}]", exc.message) from None
    return out


def _integer(node: Node) -> int:
    if isinstance(node, Scalar) and _PLACEHOLDER.search(node.text):
        raise Invalid(node.line, "", f"still holds the template's placeholder ({node.text!r}): write the real value")
    if isinstance(node, Scalar) and not node.plain and _INTEGER.match(node.text):
        raise Invalid(node.line, "", f"write the number without quotes: {node.text}, not '{node.text}'")
    if not (isinstance(node, Scalar) and node.plain and _INTEGER.match(node.text)):
        shown = node.text if isinstance(node, Scalar) else "a list or mapping"
        raise Invalid(node.line, "", f"expected a whole number such as 2024, got '{shown}'")
    return int(node.text)


def _boolean(node: Node) -> bool:
    if isinstance(node, Scalar) and node.plain and node.text in ("true", "false"):
        return node.text == "true"
    shown = node.text if isinstance(node, Scalar) else "a list or mapping"
    raise Invalid(node.line, "", f"expected true or false, got '{shown}'")


def _date(node: Node) -> tuple[datetime, date]:
    text = _string(node)
    try:
        if re.match(DATE_PATTERN, text):
            day = date.fromisoformat(text)
            return datetime.combine(day, time(0)), day
        if re.match(DATETIME_PATTERN, text):
            moment = datetime.fromisoformat(text)  # Python 3.11 reads "Z" as UTC
            return moment, moment.date()
    except ValueError as exc:
        raise Invalid(node.line, "", f"'{text}' is not a real date: {exc}") from None
    if re.match(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?$", text):
        raise Invalid(node.line, "", f"'{text}' needs an offset, e.g. {text}Z or {text}+02:00")
    raise Invalid(node.line, "", f"'{text}' is not YYYY-MM-DD or an ISO 8601 date-time with offset")


def _papers(node: Node) -> Node:
    if not isinstance(node, Sequence) or not node.items:
        raise Invalid(node.line, "", "expected a list of at least one paper ('- title: ...')")
    return node


_CONVERT: dict[str, Callable[[Node], object]] = {
    "string": _string,
    "strings": _strings,
    "integer": _integer,
    "boolean": _boolean,
    "date": _date,
    "papers": _papers,
}
