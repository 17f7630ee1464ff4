"""Messages that lead to the fix (issue 32): each names the line the author must change, and following it works."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import VALID_PICK, pick_text
from generator.core.loader import LoadSettings, load_picks
from generator.core.people import People
from generator.outputs.posts import posts

SETTINGS = LoadSettings("UTC", "interpretability")


def _findings(tmp_path: Path, text: str) -> list[tuple[int, str, str, str]]:
    for old in tmp_path.glob("*.md"):
        old.unlink()
    (tmp_path / "2024-04-11-x.md").write_text(text, "utf-8")
    return [(f.line, f.severity, f.field, f.message) for f in load_picks(tmp_path, SETTINGS).findings]


@pytest.mark.parametrize(
    ("before", "after", "line", "field"),
    [
        ("title: What needs to go right for an induction head?", 'title: "What needs to go right', 2, "title"),
        ("  - title: What needs to go right", "  - title: 'What needs to go right", 7, "title"),
        ("venue: ICML 2024", 'venue: "ICML 2024', 11, "venue"),
    ],
)
def test_an_unclosed_quote_is_named_at_the_line_it_opens(tmp_path: Path, before, after, line, field) -> None:
    text = VALID_PICK.replace(before, after, 1)
    [(found, severity, named, message)] = _findings(tmp_path, text)
    assert (found, severity, named) == (line, "error", field) and "is not closed on its line" in message
    quote = "'" if "'" in after else '"'
    lines = text.split("\n")
    lines[line - 1] += quote  # closing it at the end of its line, as the message says, is the whole fix
    assert _findings(tmp_path, "\n".join(lines)) == []


@pytest.mark.parametrize("spaces", [3, 5, 2])
def test_a_field_indented_unlike_its_siblings_is_told_their_indent(tmp_path: Path, spaces: int) -> None:
    text = VALID_PICK.replace("    year: 2024", " " * spaces + "year: 2024")
    [(line, severity, field, message)] = _findings(tmp_path, text)
    assert (line, field) == (9, "front matter")
    assert message == f"this line is indented {spaces} space(s); the fields beside it are indented 4"
    assert _findings(tmp_path, text.replace(" " * spaces + "year: 2024", "    year: 2024")) == []


@pytest.mark.parametrize(("year", "warned"), [(2042, True), (2026, True), (2025, False), (2024, False)])
def test_a_year_long_after_the_arxiv_id_is_a_warning(tmp_path: Path, year: int, warned: bool) -> None:
    found = _findings(tmp_path, VALID_PICK.replace("year: 2024", f"year: {year}"))
    expected = [(9, "warning", "papers[0].year")] if warned else []
    assert [f[:3] for f in found] == expected
    if warned:
        assert found[0][3].startswith(f"{year} is more than a year after 2024, when arXiv 2404.07129 was first")


@pytest.mark.parametrize(
    ("mention", "error"),
    [
        ('"andyarditi"', "write the handle with its @: '@andyarditi'"),
        ('"＠andyarditi"', "write the handle with its @: '@andyarditi'"),
        ('"@"', "is not a handle"),
        ('"@andy arditi"', "is not a handle"),
        ('"Andy Arditi"', None),  # a person's name, looked up in people.yml
        ('"@andyarditi"', None),
        ('"@nanda@sigmoid.social"', None),
    ],
)
def test_a_mention_is_a_handle_with_its_at(tmp_path: Path, mention: str, error: str | None) -> None:
    found = _findings(tmp_path, VALID_PICK.replace('mentions: ["@aadityasingh"]', f"mentions: [{mention}]"))
    errors = [f for f in found if f[1] == "error"]
    if error is None:
        assert errors == []
    else:
        [(line, _, field, message)] = errors
        assert (line, field) == (5, "mentions[0]") and error in message


def test_a_body_handle_outside_mentions_is_warned_and_one_inside_stays_live(tmp_path: Path) -> None:
    body = "Thanks @wesg52 and @aadityasingh for the pointers.\n\n`@not_code` and mail@example.org stay.\n"
    text = pick_text(extra='mentions: ["@aadityasingh"]\n', body=body)
    found = _findings(tmp_path, text)
    assert found == [
        (
            12,
            "warning",
            "body",
            '@wesg52 will be plain text in posts, not a mention: add "@wesg52" to mentions to credit them',
        )
    ]
    [pick] = load_picks(tmp_path, SETTINGS).picks
    thread = "\n".join(posts(pick, "x", collection="C", url="https://e.org/p/", people=People()))
    assert "@aadityasingh for" in thread  # the author's own mention, live where it stands
    assert "@\u2060wesg52" in thread and "@wesg52" not in thread  # anyone else's, plain text
