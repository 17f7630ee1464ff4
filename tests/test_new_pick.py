"""The text ``picks new`` writes, in-process: every title survives YAML, file names, and what the author is told."""

from __future__ import annotations

from datetime import date

import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.core.paper_ids import PaperRef
from generator.sources.metadata import PaperMetadata
from generator.sources.new_pick import X2_HEADLINE, draft_pick, pick_slug, yaml_quote

DAY = date(2026, 12, 4)
ARXIV = PaperRef("arxiv", "2406.11717")
DOI = PaperRef("doi", "10.5555/3600270.3601532")
BODY = "the body: a summary in your own words, then notable findings"
# What PyYAML reads in a double-quoted scalar as written: printable characters on one line.
TITLE_TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff\ufffe\uffff")
)


def _front(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


@given(TITLE_TEXT)
def test_any_title_from_the_apis_reads_back_the_same(title: str) -> None:
    assert yaml.safe_load(f"title: {yaml_quote(title)}")["title"] == title


def test_a_title_with_quotes_and_backslashes_lands_in_the_file_as_written() -> None:
    title = 'The "\\beta" heads: C:\\path and "quotes"'
    meta = PaperMetadata(ARXIV, title, ("Ada Lovelace",), 2024, doi="10.1/x\\y", venue='The "V" venue')
    front = _front(draft_pick(title=None, day=DAY, refs=[ARXIV], found={ARXIV: meta}, collection="c").text)
    assert front["title"] == front["papers"][0]["title"] == title
    assert (front["papers"][0]["doi"], front["papers"][0]["venue"]) == ("10.1/x\\y", 'The "V" venue')


def test_file_names_from_titles() -> None:
    assert pick_slug("Don’t stop: Gonçalo's heads") == "dont-stop-goncalos-heads"
    long = "Mechanistic interpretability of induction heads in small transformers trained on synthetic data"
    slug = pick_slug(long)
    assert 50 < len(slug) <= 60 and set(slug.split("-")) <= set(long.lower().split())  # whole words only
    assert pick_slug("x" * 30 + " " + "y" * 29) == "x" * 30 + "-" + "y" * 29  # 60 characters: kept
    assert pick_slug("x" * 30 + " " + "y" * 30) == "x" * 30  # 61: the last word goes
    assert pick_slug("???") == "pick"


def test_offline_one_paper_x2_and_none() -> None:
    one = draft_pick(title=None, day=DAY, refs=[ARXIV], found={}, collection="c")
    assert one.to_write == ["title: the pick's headline", "papers[0]: title, authors and year", BODY]
    assert (one.slug, one.slug_from_ids) == ("2406-11717", True) and one.text.endswith("- TODO\n")
    front = _front(one.text)
    assert (front["title"], front["papers"][0]["title"]) == (
        "TODO: the pick's headline",
        "TODO: the paper's full title",
    )
    two = draft_pick(title=None, day=DAY, refs=[ARXIV, DOI], found={}, collection="c")
    assert _front(two.text)["title"] == X2_HEADLINE and two.slug == "2406-11717-10-5555-3600270-3601532"
    assert two.to_write[:3] == [
        "title: the pick's headline",
        "papers[0]: title, authors and year",
        ("papers[1]: title, authors and year"),
    ]
    none = draft_pick(title=None, day=DAY, refs=[], found={}, collection="c")
    assert (none.slug, none.slug_from_ids) == ("pick", False)
    assert _front(none.text)["papers"][0]["url"] == "https://arxiv.org/abs/TODO"
    assert none.to_write[1] == "papers[0]: title, authors and year"


def test_online_the_title_names_the_file_and_a_doi_is_written_once() -> None:
    by_doi = PaperMetadata(DOI, "Locating facts", ("Kevin Meng",), 2022, doi=DOI.value)
    draft = draft_pick(title=None, day=DAY, refs=[DOI], found={DOI: by_doi}, collection="c")
    assert (draft.slug, draft.slug_from_ids, draft.to_write) == ("locating-facts", False, [BODY])
    assert draft.text.count("10.5555/3600270.3601532") == 1  # the id line; no second doi line
    by_arxiv = PaperMetadata(ARXIV, "T", ("A B",), 2024, doi="10.1/y")
    assert (
        _front(draft_pick(title="Mine", day=DAY, refs=[ARXIV], found={ARXIV: by_arxiv}, collection="c").text)["papers"][
            0
        ]["doi"]
        == "10.1/y"
    )
