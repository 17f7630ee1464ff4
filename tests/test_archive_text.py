"""The recognisers ``picks import`` reads past posts with, over the families of text exports really give."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from generator.core.archive_text import (
    Header,
    build_body,
    clean,
    header_patterns,
    headline_and_byline,
    read_header,
    strip_numbering,
    unflatten,
)
from generator.core.paper_ids import PaperRef
from generator.sources.importer import named_authors, title_match
from generator.sources.metadata import PaperMetadata

PATTERNS = header_patterns("🔍 Today's pick in {collection}:", "🔍 Today's pick in {collection}: x{count} edition!")
# Collection titles as curators write them: words, "&", digits, hyphens; no colon (it ends the title).
TITLES = (
    st.lists(
        st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéü0123456789-", min_size=1, max_size=12),
        min_size=1,
        max_size=6,
    )
    .map(" ".join)
    .filter(lambda t: not t[0].isdigit())
)
JOINERS = st.sampled_from(["&", "and", "of", "for"])


def _mis_decoded(text: str, how: str) -> str:
    """How exports mangle the header's emoji: UTF-8 read as Latin-1 or Windows-1252, as TIS-620, or dropped."""
    if how == "latin-1":
        return text.encode("utf-8").decode("latin-1")
    if how == "cp1252":
        return text.encode("utf-8").decode("cp1252", errors="ignore")
    if how == "tis-620":
        return text.replace("🔍", "๐", 1)
    if how == "none":
        return text.replace("🔍 ", "", 1)
    if how == "html":
        return text.replace("&", "&amp;").replace("'", "&#39;")
    return text


HOW = st.sampled_from(["as-is", "latin-1", "cp1252", "tis-620", "none", "html"])


@given(TITLES, JOINERS, TITLES, HOW, st.sampled_from(["'", "’"]))
@example("Interpretability", "&", "Analysis of LMs", "latin-1", "'")
@example("Interpretability", "&", "Analysis of LMs", "tis-620", "’")
@example(  # found: a title longer than the 120 characters the pattern first allowed
    "A0 0000 0000000 000000000000 000000000000 000000000000",
    "and",
    "A0 0000000 000000000000 000000000000 000000000000 000000000000",
    "as-is",
    "'",
)
def test_a_header_is_recognised_whatever_the_export_did_to_it(one: str, joiner: str, two: str, how: str, quote: str):
    title = f"{one} {joiner} {two}"
    line = _mis_decoded(f"🔍 Today{quote}s pick in {title}: Some paper title by A. Author", how)
    header = read_header(clean(line), PATTERNS)
    assert header is not None and header.collection_title == " ".join(title.split())
    assert header.count == 1 and header.rest == "Some paper title by A. Author"


@given(TITLES, st.integers(2, 9), HOW)
def test_an_x_edition_header_counts_its_papers(title: str, count: int, how: str) -> None:
    line = _mis_decoded(f"🔍 Today's pick in {title}: x{count} edition!", how)
    header = read_header(clean(line), PATTERNS)
    assert header is not None and (header.collection_title, header.count, header.rest) == (title, count, "")


@pytest.mark.parametrize(
    "line",
    [
        "Today I read a pick in a shop: great",
        "RT @x: 🔍 Today's pick in Interpretability: y",  # a repost of someone's pick, not the account's header
        "Thanks for the pick in Interpretability!",
        "",
    ],
)
def test_other_openings_are_no_header(line: str) -> None:
    assert read_header(clean(line), PATTERNS) is None


# A finding as curators write one: a capital or a digit first, words with commas, hyphens inside words, periods.
FINDING = st.tuples(
    st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
    st.lists(
        st.sampled_from(["heads", "pre-training", "are", "3x", "faster,", "(PTH)", "redundant.", "a", "-like"]),
        min_size=0,
        max_size=12,
    ),
).map(lambda t: " ".join([t[0] + "x", *t[1]]))


@given(st.lists(FINDING, min_size=1, max_size=8), st.sampled_from(["-", "•"]), st.sampled_from([" ", "  "]))
@example(["The effects are additive.", "Competition might emerge", "Three subcircuits"], "-", " ")
def test_a_flattened_list_becomes_its_items_again(items: list[str], bullet: str, space: str) -> None:
    line = f"{bullet} " + f"{space}{bullet} ".join(items)
    assert unflatten(line) == [" ".join(item.split()) for item in items]


@given(st.lists(FINDING, min_size=1, max_size=6))
def test_findings_after_a_paragraph_are_a_list_after_a_blank_line(items: list[str]) -> None:
    body = build_body(
        Header("c", 1, "A title by A. Author"), ["header", "A summary.\nNotable findings: - " + " - ".join(items)]
    )
    assert body.markdown == "A summary.\n\nNotable findings:\n\n" + "".join(f"- {' '.join(i.split())}\n" for i in items)


def test_prose_that_markdown_would_read_as_markup_stays_prose() -> None:
    body = build_body(Header("c", 1, "T"), ["h", "#1 result: heads\n> not a quote\n<b>not markup</b>"])
    assert body.markdown == "\\#1 result: heads\n\n\\> not a quote\n\n&lt;b>not markup&lt;/b>\n"


def _paper(title: str, *authors: str) -> PaperMetadata:
    return PaperMetadata(PaperRef("arxiv", "2402.00002"), title, authors, 2024)


@pytest.mark.parametrize(
    ("named", "authors", "matches"),
    [
        pytest.param(["A. Lovelace"], ("Ada Lovelace",), True, id="initial-and-family"),
        pytest.param(["Ada Lovelace"], ("Ada Lovelace", "C. Babbage"), True, id="whole-name"),
        pytest.param(["B. Lovelace"], ("Ada Lovelace",), False, id="same-surname-other-initial"),
        pytest.param(["Lovelace"], ("Ada Lovelace",), False, id="surname-alone"),
        pytest.param([], ("Ada Lovelace",), False, id="no-author-named"),
        pytest.param(["S. C. Y. Chan"], ("Stephanie C. Y. Chan",), True, id="several-initials"),
    ],
)
def test_a_title_search_result_needs_an_author_the_post_names(named: list[str], authors: tuple, matches: bool) -> None:
    found = title_match("A Withdrawn Result", named, [_paper("A withdrawn result.", *authors)])
    assert (found is not None) == matches


def test_a_title_search_needs_the_whole_title_and_one_answer() -> None:
    assert title_match("A withdrawn", ["A. Lovelace"], [_paper("A withdrawn result", "Ada Lovelace")]) is None
    twins = [_paper("Same title", "Ada Lovelace"), _paper("Same title", "Ada Lovelace")]
    assert title_match("Same title", ["A. Lovelace"], twins) is None


def test_the_people_a_byline_names() -> None:
    assert named_authors("@aadityasingh T. Moskovitz, F. Hill, S. C. Y. Chan and A. M. Saxe (@gatsbyunit)") == [
        "T. Moskovitz",
        "F. Hill",
        "S. C. Y. Chan",
        "A. M. Saxe",
    ]


def test_a_thread_opens_with_its_first_post_even_when_a_reply_is_dated_before_it() -> None:
    from datetime import UTC, datetime

    from generator.sources.past_posts import Post, threads

    root = Post("a", datetime(2024, 1, 1, 10, tzinfo=UTC), "header")
    early = Post("b", datetime(2024, 1, 1, 9, tzinfo=UTC), "reply", parent="a")
    late = Post("c", datetime(2024, 1, 1, 11, tzinfo=UTC), "reply", parent="b")
    [thread], skipped = threads([late, early, root])
    assert [p.id for p in thread.posts] == ["a", "b", "c"] and skipped == []


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("2/4 Second post.", "Second post."),
        ("(3/4) Third post.", "Third post."),
        ("🧵 1/3 First post.", "First post."),
        ("Last words.\n4/4", "Last words."),
        ("Last words. (4/4)", "Last words."),
        ("3 heads form in 2/3 of the runs.", "3 heads form in 2/3 of the runs."),  # a fraction in prose stays
        ("2024 was the year.", "2024 was the year."),
    ],
)
def test_a_thread_posts_numbering_is_dropped_and_nothing_else(text: str, left: str) -> None:
    assert strip_numbering(text) == left


@pytest.mark.parametrize(
    ("rest", "headline", "byline"),
    [
        ("Learning by Doing by A. Author, B. Other", "Learning by Doing", "A. Author, B. Other"),
        (": What needs to go right – by A. K. Singh", "What needs to go right", "A. K. Singh"),
        ("by @aadityasingh T. Moskovitz", "", "@aadityasingh T. Moskovitz"),
        ("A title with no authors -", "A title with no authors", ""),
    ],
)
def test_a_headline_line_splits_at_its_last_by(rest: str, headline: str, byline: str) -> None:
    assert headline_and_byline(rest) == (headline, byline)


def test_the_bodies_of_the_curators_formats() -> None:
    # The site's own posts (picks post): the headline on the line after the header, the pick's link after it.
    own = build_body(
        Header("c", 1, ""),
        [
            "🔍 Today's pick in c:\nA title by A. Author, B. Other\n🔗 https://e.org/p/\nSummary line.\n1/2",
            "Notable findings:\n- One thing. - Two things\nA closing remark.\n2/2",
        ],
    )
    assert (own.headline, own.byline) == ("A title", "A. Author, B. Other")
    assert own.markdown == "Summary line.\n\nNotable findings:\n\n- One thing.\n- Two things\n\nA closing remark.\n"
    # An x2 header with words after it on its line; findings written on the marker's own line, without a bullet.
    x2 = build_body(
        Header("c", 2, "Two works on RNNs:"), ["header\nThe first one.", "Notable findings: Both transfer."]
    )
    assert (
        x2.headline == ""
        and x2.markdown == "Two works on RNNs:\n\nThe first one.\n\nNotable findings:\n\n- Both transfer.\n"
    )
