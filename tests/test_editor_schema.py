"""The shipped JSON Schema is the generated one, accepts every sample pick and rejects schema-level mistakes."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import ROOT, VALID_PICK
from generator.editor_schema import front_matter_schema
from generator.frontmatter import split

SHIPPED = ROOT / "schema" / "pick.schema.json"


def front_matter(text: str) -> dict:
    """The front matter as an editor's YAML 1.2 reader sees it: dates are strings."""
    lines = text.split("\n")
    end = lines.index("---", 1)
    data = yaml.safe_load("\n".join(lines[1:end]))

    def plain(value):
        if isinstance(value, date | datetime):
            return value.isoformat()
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    return plain(data)


def test_shipped_schema_is_generated_from_the_loader_fields() -> None:
    assert json.loads(SHIPPED.read_text("utf-8")) == front_matter_schema()


@pytest.mark.parametrize("path", sorted((ROOT / "picks").rglob("*.md")), ids=lambda p: p.stem)
def test_every_sample_pick_validates(path: Path) -> None:
    split(path.read_bytes())  # the loader reads it too
    jsonschema.validate(front_matter(path.read_text("utf-8")), front_matter_schema())


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        pytest.param(
            "title: What needs to go right for an induction head?\n", "", "'title' is a required", id="missing"
        ),
        pytest.param("    year: 2024", "    year: twenty", "is not of type 'integer'", id="wrong-type"),
        pytest.param(
            "authors: [Aaditya K. Singh, Ted Moskovitz]",
            "authors: Aaditya",
            "is not of type 'array'",
            id="authors-string",
        ),
        pytest.param("tags:", "tagz:", "Additional properties are not allowed ('tagz'", id="unknown-field"),
        pytest.param('    arxiv: "2404.07129"\n', "", "is not valid under any of the given schemas", id="no-paper-id"),
        pytest.param('arxiv: "2404.07129"', "arxiv: 2401.10000", "is not of type 'string'", id="unquoted-arxiv"),
    ],
)
def test_schema_rejects_schema_level_mistakes(old: str, new: str, words: str) -> None:
    assert old in VALID_PICK
    with pytest.raises(jsonschema.ValidationError, match=None) as caught:
        jsonschema.validate(front_matter(VALID_PICK.replace(old, new, 1)), front_matter_schema())
    assert words in str(caught.value)
