"""The theme's helpers: venue and year, long dates, author cut-off, URLs with and without directory URLs."""

from __future__ import annotations

from datetime import date

import pytest

from generator.core.listings import folder_url
from generator.core.model import Paper, long_date, venue_line
from generator.mkdocs.render import short_authors


def paper(venue: str | None = None, year: int = 2024, authors: tuple[str, ...] = ("Ada Lovelace",)) -> Paper:
    return Paper("A paper", authors, year, arxiv="2404.00001", venue=venue)


@pytest.mark.parametrize(
    ("venue", "year", "shown"),
    [
        pytest.param("NeurIPS 2024", 2024, "NeurIPS 2024", id="venue-holds-year"),
        pytest.param("TMLR", 2023, "TMLR, 2023", id="venue-without-year"),
        pytest.param("ICML 2023", 2024, "ICML 2023, 2024", id="other-year"),
        pytest.param(None, 2024, "Preprint, 2024", id="preprint"),
    ],
)
def test_venue_line_shows_the_year_once(venue: str | None, year: int, shown: str) -> None:
    assert venue_line(paper(venue, year)) == shown


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2024, 4, 1), "1 April 2024"),
        (date(2023, 12, 31), "31 December 2023"),
        (date(2024, 2, 29), "29 February 2024"),
    ],
)
def test_long_date_is_locale_free(day: date, text: str) -> None:
    assert long_date(day) == text


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (1, "A1 B"),
        (3, "A1 B, A2 B, A3 B"),
        (4, "A1 B, A2 B, A3 B et al."),
    ],
)
def test_short_authors_cuts_after_three(count: int, text: str) -> None:
    authors = tuple(f"B, A{i}" for i in range(1, count + 1))  # "Family, Given" shown as "Given Family"
    assert short_authors(paper(authors=authors)) == text


@pytest.mark.parametrize(
    ("folder", "directory_urls", "url"),
    [("", True, "./"), ("", False, "index.html"), ("tags/x", True, "tags/x/"), ("tags/x", False, "tags/x/index.html")],
)
def test_folder_url(folder: str, directory_urls: bool, url: str) -> None:
    assert folder_url(folder, directory_urls) == url


@pytest.mark.parametrize(
    ("number", "count", "window"),
    [
        (1, 1, [1]),
        (1, 5, [1, 2, 3, 4, 5]),
        (1, 50, [1, 2, 3, None, 50]),
        (25, 50, [1, None, 23, 24, 25, 26, 27, None, 50]),
        (5, 50, [1, 2, 3, 4, 5, 6, 7, None, 50]),
        (50, 50, [1, None, 48, 49, 50]),
        (4, 8, [1, 2, 3, 4, 5, 6, 7, 8]),
    ],
)
def test_pager_window_is_first_last_and_current_plus_minus_two(number: int, count: int, window: list) -> None:
    from generator.core.listings import Listing, ListingPage

    page = ListingPage(Listing("", "Latest", "", [], "newest-first", "home"), number, count)
    assert page.window == window
