"""A JSON Schema of pick front matter for editors, generated from the loader's field definitions."""

from __future__ import annotations

from typing import Any

from ..core.schema import DATE_PATTERN, DATETIME_PATTERN, PAPER_FIELDS, PAPER_IDS, PICK_FIELDS, FieldSpec

SCHEMA_ID = "https://daily-picks.github.io/daily-picks/schema/pick.schema.json"


def _property(spec: FieldSpec) -> dict[str, Any]:
    text: dict[str, Any] = {"type": "string", "minLength": 1}
    kinds: dict[str, dict[str, Any]] = {
        "string": text,
        "integer": {"type": "integer"},
        "boolean": {"type": "boolean"},
        "date": {"type": "string", "anyOf": [{"pattern": DATE_PATTERN}, {"pattern": DATETIME_PATTERN}]},
        "strings": {"type": "array", "items": text, "minItems": 1},
        "papers": {"type": "array", "items": {"$ref": "#/definitions/paper"}, "minItems": 1},
    }
    prop = {"description": spec.description, **kinds[spec.kind]}
    if spec.pattern:
        prop["pattern"] = spec.pattern
    return prop


def _object(specs: tuple[FieldSpec, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {spec.name: _property(spec) for spec in specs},
        "required": [spec.name for spec in specs if spec.required],
        "additionalProperties": False,
    }


def front_matter_schema() -> dict[str, Any]:
    """The schema editors use to check a pick's front matter while it is typed (draft-07: what editor tools read)."""
    paper = _object(PAPER_FIELDS)
    paper["anyOf"] = [{"required": [name]} for name in PAPER_IDS]
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "Daily Picks pick front matter",
        **_object(PICK_FIELDS),
        "definitions": {"paper": paper},
    }
