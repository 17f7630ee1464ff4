"""The third pass over untrusted picks (issue 33): look-alike digits and text-direction controls, as classes."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import VALID_PICK
from generator.core.loader import LoadSettings, load_picks

SETTINGS = LoadSettings("UTC", "interpretability")
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Every decimal digit Unicode knows outside ASCII (fullwidth, Arabic-Indic, Devanagari, mathematical bold...):
# Python's `\d` and int() accept them all, so an id or a date written in them looks like another.
FOREIGN_DIGITS = sorted(
    chr(code)
    for code in range(0x80, 0x110000)
    if unicodedata.category(chr(code)) == "Nd" and not (0xD800 <= code <= 0xDFFF)
)
DIRECTION_CONTROLS = [chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]


def _errors(tmp_path: Path, text: str, name: str = "2024-04-11-x.md") -> list[tuple[int, str, str]]:
    for old in tmp_path.glob("*.md"):
        old.unlink()
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = load_picks(tmp_path, SETTINGS)
    return [(error.line, error.field, error.message) for error in result.errors]


def _look_alike(text: str, digit: str, position: int) -> str:
    """``text`` with its ``position``-th ASCII digit replaced by ``digit`` of the same value in another script."""
    places = [i for i, c in enumerate(text) if c.isascii() and c.isdigit()]
    at = places[position % len(places)]
    same = chr(ord(digit) - unicodedata.decimal(digit) + int(text[at]))  # Nd digits come in runs 0-9
    return text[:at] + same + text[at + 1 :]


def test_the_foreign_digits_are_a_large_class() -> None:
    assert len(FOREIGN_DIGITS) > 600 and "\uff11" in FOREIGN_DIGITS and "\u0661" in FOREIGN_DIGITS


@pytest.mark.parametrize(("field", "ascii", "rest"), [("arxiv", "2404.07129", ""), ("doi", "10.1234", "/abc")])
@FAST
@given(digit=st.sampled_from(FOREIGN_DIGITS), position=st.integers(0, 20))
@example(digit="\uff10", position=0)  # fullwidth: the second copy of 2404.07129 the attack corpus sent
def test_a_paper_id_is_ascii_digits_only(
    tmp_path: Path, field: str, ascii: str, rest: str, digit: str, position: int
) -> None:
    written = _look_alike(ascii, digit, position) + rest
    text = VALID_PICK.replace('arxiv: "2404.07129"', f"{field}: {json.dumps(written, ensure_ascii=False)}")
    assert [(line, name) for line, name, _ in _errors(tmp_path, text)] == [(10, f"papers[0].{field}")]


@FAST
@given(digit=st.sampled_from(FOREIGN_DIGITS), position=st.integers(0, 20))
def test_a_file_names_date_is_ascii_digits_only(tmp_path: Path, digit: str, position: int) -> None:
    name = _look_alike("2024-04-11", digit, position) + "-x.md"
    errors = _errors(tmp_path, VALID_PICK, name)
    assert [(line, field) for line, field, _ in errors] == [(1, "file name")], errors
    assert "is not YYYY-MM-DD-slug.md" in errors[0][2]


@FAST
@given(digit=st.sampled_from(FOREIGN_DIGITS), position=st.integers(0, 20))
def test_a_year_and_a_date_are_ascii_digits_only(tmp_path: Path, digit: str, position: int) -> None:
    year = VALID_PICK.replace("year: 2024", f"year: {_look_alike('2024', digit, position)}")
    assert [(line, field) for line, field, _ in _errors(tmp_path, year)] == [(9, "papers[0].year")]
    date = VALID_PICK.replace("date: 2024-04-11", f"date: {_look_alike('2024-04-11', digit, position)}")
    assert [(line, field) for line, field, _ in _errors(tmp_path, date)] == [(3, "date")]


# Each front-matter text field, with the line it sits on in VALID_PICK and the field check names.
TEXT_FIELDS = {
    "title": ("title: What needs", "title: {}What needs", 2, "title"),
    "tag": ("tags: [induction heads,", "tags: [induc{}tion heads,", 4, "tags[0]"),
    "mention": ('mentions: ["@aadityasingh"]', 'mentions: ["@aaditya{}singh"]', 5, "mentions[0]"),
    "paper title": ("  - title: What needs", "  - title: What{} needs", 7, "papers[0].title"),
    "author": ("authors: [Aaditya K. Singh,", "authors: [Aaditya K. Sin{}gh,", 8, "papers[0].authors[0]"),
    "venue": ("venue: ICML 2024", "venue: ICML {}2024", 11, "papers[0].venue"),
}


@pytest.mark.parametrize("control", DIRECTION_CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_text_direction_controls_are_refused_at_their_line(tmp_path: Path, field: str, control: str) -> None:
    before, after, line, name = TEXT_FIELDS[field]
    text = VALID_PICK.replace(before, after.format(control), 1)
    assert text != VALID_PICK
    [(found_line, found_field, message)] = _errors(tmp_path, text)
    assert (found_line, found_field) == (line, name)
    assert f"text-direction control U+{ord(control):04X}" in message and "delete it" in message


def test_direction_marks_of_right_to_left_names_stay(tmp_path: Path) -> None:
    text = VALID_PICK.replace("Ted Moskovitz", "\u05d3\u05d5\u05d3 \u05dc\u05d5\u05d9\u200f")
    assert _errors(tmp_path, text) == []
