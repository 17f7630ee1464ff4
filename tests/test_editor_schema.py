"""The shipped JSON Schema is the generated one, accepts every sample pick and rejects schema-level mistakes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import ROOT, VALID_PICK
from generator.core.frontmatter import split
from generator.outputs.editor_schema import front_matter_schema

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


def test_there_are_sample_picks_to_validate() -> None:
    """The test below is parametrized over picks/: an empty folder would leave it with nothing to check."""
    assert len(sorted((ROOT / "picks").rglob("*.md"))) >= 10


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


REMARK = ROOT / "node_modules" / ".bin" / "remark"


@pytest.mark.skipif(
    not REMARK.exists() and not os.environ.get("DAILY_PICKS_CI"), reason="editor tools not installed (npm ci)"
)
def test_editor_lint_uses_the_schema(tmp_path: Path) -> None:
    """What VS Code's remark extension shows while typing: the same .remarkrc.json and schema, run by remark-cli."""
    for name in (".remarkrc.json", "schema/pick.schema.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, tmp_path / name)
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    picks = tmp_path / "picks"
    picks.mkdir()
    (picks / "2024-04-11-good.md").write_text(VALID_PICK, "utf-8")
    bad = VALID_PICK.replace("tags:", "tagz:").replace("    year: 2024", "    year: soon")
    (picks / "2024-04-12-bad.md").write_text(bad, "utf-8")
    run = subprocess.run(
        [str(REMARK), "--no-color", "--no-stdout", "picks/"],
        cwd=tmp_path,
        capture_output=True,
        encoding="utf-8",
        check=False,
    )
    report = run.stderr
    good_part, bad_part = report.split("picks/2024-04-12-bad.md")
    assert "warning" not in good_part, report
    assert "additionalProperties" in bad_part and "year/type" in bad_part, report
