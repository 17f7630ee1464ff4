"""Small rules of the core found by mutation testing: slugs, ids, names, tags, years, titles, the Markdown hook."""

from __future__ import annotations

import pytest

from conftest import EXTENSIONS
from generator.core.body import BodyRenderer
from generator.core.errors import Invalid
from generator.core.literal_tags import LiteralTagsExtension
from generator.core.model import TAG_SLUG_LIMIT, display_name, split_name, tag_problem
from generator.core.paper_ids import earliest_year
from generator.core.sanitize import heading_slug
from generator.outputs.latex import encode_title


def test_a_heading_slug_is_cut_at_a_word_and_at_most_56_characters() -> None:
    assert heading_slug("a" * 50 + " wordlonger") == "a" * 50  # not "aaa…a-wordl"
    assert heading_slug("ab " * 20) == "-".join(["ab"] * 19)  # 56 characters, the next word left out
    assert heading_slug("x" * 60) == "x" * 56
    assert heading_slug("9 lives") == "section-9-lives"  # an id must start with a letter
    assert heading_slug("!!!") == "section"


def test_ids_and_classes_an_author_may_write_are_kept_and_only_those() -> None:
    rendered = BodyRenderer(EXTENSIONS).render("Kept\n{: #my-section .tip }\n\nDropped\n{: .evil #__toc }\n")
    assert rendered.html == '<p class="tip" id="my-section">Kept</p>\n<p>Dropped</p>'  # no empty class left
    assert [(line, message.split(" on ")[0]) for line, message in rendered.problems] == [
        (5, "the class 'evil'"),
        (5, "the id '__toc'"),
    ]


def test_names_with_particles_suffixes_and_no_particle() -> None:
    assert split_name("Anna Maria van Berg") == ("van Berg", "Anna Maria")
    assert split_name("Ludwig van der Berg") == ("van der Berg", "Ludwig")
    assert split_name("bell hooks") == ("hooks", "bell")
    assert split_name("King, Jr., Martin Luther") == ("King, Jr.", "Martin Luther")
    assert display_name("King, Jr., Martin Luther") == "Martin Luther King, Jr."


def test_a_tag_of_the_longest_address_is_fine_and_one_more_is_not() -> None:
    assert tag_problem("a" * TAG_SLUG_LIMIT) is None
    tag = "a" * (TAG_SLUG_LIMIT + 1)
    assert tag_problem(tag) == f"'{'a' * 30}...' is too long: its address would be 61 characters (at most 60)"


def test_a_january_arxiv_id_may_be_from_the_year_before_and_no_earlier() -> None:
    assert (earliest_year("2401.00001"), earliest_year("2402.00001"), earliest_year("2312.00001")) == (2023, 2024, 2023)


def test_a_title_keeps_safe_math_after_unsafe_math() -> None:
    encoded = encode_title(r"$\input{x}$ and $x^2$")
    assert encoded.endswith(" and $x^2$") and r"$\input" not in encoded


def test_an_invalid_reads_as_its_message() -> None:
    assert str(Invalid(3, "title", "must not be empty")) == "must not be empty"


def test_the_literal_tags_pattern_replaces_markdowns_own_and_is_reset_between_bodies() -> None:
    renderer = BodyRenderer(EXTENSIONS)
    patterns = renderer._markdown.inlinePatterns
    extension = next(e for e in renderer._markdown.registeredExtensions if isinstance(e, LiteralTagsExtension))
    assert patterns["html"] is extension.processor
    assert sum(1 for p in patterns if type(p) is type(extension.processor)) == 1
    first = renderer.render("An unclosed <b>bold\n")
    assert renderer.render("Plain text.\n").html == BodyRenderer(EXTENSIONS).render("Plain text.\n").html
    assert first.html != ""


@pytest.mark.parametrize("bad", ["", "9x", "md-x", "pick-x", "x" * 65])
def test_only_safe_ids_are_safe(bad: str) -> None:
    from generator.core.sanitize import safe_id

    assert not safe_id(bad) and safe_id("my-section")
