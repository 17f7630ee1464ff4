"""What a pick's pull request shows is what the site shows (issue 32): the body's structure against GitHub's own
renderer (cmarkgfm, GitHub's fork of cmark, as an oracle in tests only), or check warns at the line."""

from __future__ import annotations

from pathlib import Path

import cmarkgfm
import lxml.html
import pytest
from cmarkgfm.cmark import Options
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import EXTENSIONS, VALID_PICK
from generator.core.body import BodyRenderer
from generator.core.loader import LoadSettings, load_picks
from generator.core.preview import preview_differences

RENDERER = BodyRenderer(EXTENSIONS)


def github(body: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(body, options=Options.CMARK_OPT_UNSAFE)


def skeleton(html: str) -> list[str]:
    """The elements, nested: what a reader sees as structure. Highlighting's wrappers and spans are left out, and
    so are paragraphs inside list items: a "loose" list (GitHub makes every item loose when one is) differs from a
    tight one in spacing only."""
    root = lxml.html.fragment_fromstring(html or "<p></p>", create_parent="div")
    for wrapper in root.xpath("//div[contains(@class, 'highlight')] | //pre//span | //li/p"):
        wrapper.drop_tag()
    out: list[str] = []

    def walk(element, depth: int) -> None:
        for child in element:
            if isinstance(child.tag, str):
                out.append("  " * depth + child.tag)
                walk(child, depth + 1)

    walk(root, 0)
    return out


WORDS = st.sampled_from(
    ["alpha", "beta", "snake_case_word", "https://example.org/x", "~~gone~~", "~once~", "*em*", "_em_", "**bold**"]
    + ["`co~de~`", "x\\"]
)
LINE = st.lists(WORDS, min_size=1, max_size=4).map(" ".join)
PARAGRAPH = st.lists(LINE, min_size=1, max_size=2).map("\n".join)


@st.composite
def a_list(draw: st.DrawFn) -> str:
    marker = draw(st.sampled_from(["- ", "* ", "1. ", "10. "]))
    items = []
    for _ in range(draw(st.integers(1, 3))):
        text = marker + draw(LINE)
        for _ in range(draw(st.integers(0, 2))):
            indent = draw(st.sampled_from([2, len(marker), 4]))
            text += "\n" + " " * indent + draw(st.sampled_from(["- ", "1. "])) + draw(LINE)
        items.append(text)
    return draw(st.sampled_from(["\n", "\n\n"])).join(items)


BLOCK = st.one_of(
    PARAGRAPH,
    a_list(),
    st.just("| a | b |\n|---|---|\n| 1 | 2 |"),
    st.just("```python\nx = 1\n```"),
    st.just("line one  \nline two"),
)
BODY = st.lists(st.tuples(BLOCK, st.sampled_from(["\n", "\n\n"])), min_size=1, max_size=4).map(
    lambda blocks: "".join(block + gap for block, gap in blocks)
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=BODY)
@example(body="Notable findings:\n- first\n- second\n")  # issue 32: a run-on paragraph on the site
@example(body="- a\n  - nested by two\n  - spaces\n- b\n")
@example(body="See https://example.org/x and ~~this~~.\n")
@example(body="| a | b |\n|---|---|\n| 1 | 2 |\n```python\nx = 1\n```\n")  # found: a fence read as a table row
@example(body="1. alpha\n  - alpha\n")  # found: nested on the site, a second list on GitHub
@example(body="1. alpha\n   - alpha\n    - alpha\n")  # found: the site counts levels of two spaces
@example(body="- alpha\n* alpha\n")  # found: GitHub starts a new list when the bullet changes
@example(body="line one  \nline two\n10. alpha\n")  # found: only 1. interrupts a paragraph on GitHub
@example(body="* alpha\nline one  \nline two\n- alpha\n")  # found: a lazy line keeps the list going
@example(body="- alpha\n```python\nx = 1\n```\n")  # found: the fence inside the item on the site only
def test_the_site_shows_the_structure_github_shows_or_check_says_where(body: str) -> None:
    ours = RENDERER.render(body)
    assert not ours.problems
    if skeleton(ours.html) != skeleton(github(body)):
        assert list(preview_differences(body)), (body, skeleton(github(body)), skeleton(ours.html))


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("Text\n```\ncode\n```\n", 2, "add a blank line before it"),
        ("```\ncode\n```\nText\n", 4, "add a blank line"),
        ("Text\n| a | b |\n|---|---|\n", 2, "a table right under text"),
        ("| a | b |\n|---|---|\n| 1 | 2 |\nText\n", 4, "GitHub makes it a row"),
        ("1. one\n  - two\n", 2, "indent this item by 3 spaces"),
        ("1. alpha\n   - alpha\n    - alpha\n", 3, "indent this item by 5 spaces"),
        ("10. one\n    - two\n", 2, "its marker is too wide"),
        ("- one\n     - two\n", 2, "indent this item by 2 spaces"),
        ("- one\n* two\n", 2, "GitHub starts a new list here"),
        ("one\\\ntwo\n", 1, "end the line with two spaces instead"),
        ("a ~struck~ word\n", 1, "write ~~text~~ to strike"),
        ("Text\n2. two\n", 2, "only 1 starts a list there"),
    ],
)
def test_each_difference_is_named_at_its_line(body: str, line: int, words: str) -> None:
    [(found_line, message)] = preview_differences(body)
    assert found_line == line and words in message


@pytest.mark.parametrize(
    "body",
    [
        "Text\n\n```\ncode with ~tildes~ and a \\\n```\n\nText\n",
        "1. one\n   - nested at the text's column\n",
        "- one\n  - two\n",
        "`~code~` and ~~struck~~\n",
        "line one  \nline two\n",
        "Notable findings:\n- first\n",
    ],
)
def test_what_reads_the_same_on_both_gets_no_warning(body: str) -> None:
    assert list(preview_differences(body)) == []
    assert skeleton(RENDERER.render(body).html) == skeleton(github(body))


def test_check_reports_a_difference_at_the_files_line(tmp_path: Path) -> None:
    (tmp_path / "2024-04-11-x.md").write_text(VALID_PICK + "\n1. one\n  - two\n", "utf-8")
    result = load_picks(tmp_path, LoadSettings("UTC", "interpretability"))
    [warning] = [f for f in result.findings if f.severity == "warning"]
    assert (warning.line, warning.field) == (21, "body") and "indent this item by 3 spaces" in warning.message
    assert result.picks  # a warning: the pick is still published
