"""The sanitizer's own allowlists, not nh3's defaults: every tag, scheme and comment nh3 would let through by
default and picks may not use is removed (in-process, one call of ``clean`` per case)."""

from __future__ import annotations

import nh3
import pytest

from generator.core.sanitize import ALLOWED_TAGS, REMOVED_WITH_CONTENT, clean


@pytest.mark.parametrize("tag", sorted(nh3.ALLOWED_TAGS - ALLOWED_TAGS))
def test_a_tag_nh3_allows_by_default_is_removed_and_its_text_kept(tag: str) -> None:
    assert clean(f"<{tag}>words</{tag}>") == "words"


@pytest.mark.parametrize("tag", sorted(REMOVED_WITH_CONTENT))
def test_a_tag_of_code_or_markup_goes_with_its_content(tag: str) -> None:
    assert clean(f"before<{tag}>secret</{tag}>after") == "beforeafter"


@pytest.mark.parametrize("url", ["ftp://e.org/x", "tel:123", "sms:123", "irc://e.org", "ssh://e.org", "data:,x"])
def test_a_link_with_a_scheme_nh3_allows_by_default_loses_its_address(url: str) -> None:
    assert clean(f'<a href="{url}">link</a>') == "<a>link</a>"


def test_allowed_schemes_keep_their_address_and_comments_go() -> None:
    for url in ("https://e.org/x", "http://e.org/x", "mailto:a@e.org"):
        assert clean(f'<a href="{url}">link</a>') == f'<a href="{url}">link</a>'
    assert clean("one<!-- a comment -->two") == "onetwo"


def test_what_removals_says_when_it_cannot_name_the_change() -> None:
    from generator.core.sanitize import ALLOWED_SUMMARY, removals

    assert removals('<a href="\x01javascript:x">y</a>') == [
        "the HTML sanitizer would change this HTML; " + ALLOWED_SUMMARY
    ]
    assert removals("a<!-- an author's note -->b") == []  # a comment is dropped without a word, as HTML hides it
