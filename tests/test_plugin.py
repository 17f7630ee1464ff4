"""The plugin validates before MkDocs cleans site/, with the same messages as ``picks check``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import VALID_PICK, mkdocs_build
from generator.cli import main

GOOD = "2024-04-11-induction-heads.md"


def test_bad_pick_fails_build_and_keeps_last_good_site(
    make_project: Callable[..., Path], build: Callable[[Path], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_project({GOOD: VALID_PICK})
    site = build(config)
    before = {p.relative_to(site): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    assert Path("picks/2024-04-11-induction-heads/index.html") in before

    (config.parent / "picks" / GOOD).write_text(VALID_PICK.replace("    year: 2024", "    year: soon"), "utf-8")
    result = mkdocs_build(config)
    assert result.returncode != 0
    message = f"picks/{GOOD}:9: error: papers[0].year: expected a whole number such as 2024, got 'soon'"
    assert message in result.stderr
    after = {p.relative_to(site): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    assert after == before

    monkeypatch.chdir(config.parent)
    assert message in CliRunner().invoke(main, ["check"]).output  # same words from both doors


@pytest.mark.parametrize(
    ("options", "words"),
    [
        pytest.param({"order": "newest"}, "'order'", id="bad-order"),
        pytest.param(
            {"collections": {"interpretability": {"order": "sideways"}}}, "sideways", id="bad-collection-order"
        ),
        pytest.param({"timezone": "Mars/Olympus"}, "not an IANA time zone", id="bad-timezone"),
    ],
)
def test_wrong_option_stops_the_build(make_project: Callable[..., Path], options: dict, words: str) -> None:
    result = mkdocs_build(make_project({GOOD: VALID_PICK}, **options))
    assert result.returncode != 0
    assert words in result.stderr
    if "order" in str(options):
        assert "newest-first" in result.stderr and "oldest-first" in result.stderr


@pytest.mark.parametrize("site_url", [None, "/relative/"])
def test_feeds_need_an_absolute_site_url(make_project: Callable[..., Path], site_url: str | None) -> None:
    result = mkdocs_build(make_project({GOOD: VALID_PICK}, site_url=site_url))
    assert result.returncode != 0
    assert "site_url" in result.stderr
    if site_url is None:  # MkDocs itself rejects a relative site_url; a missing one is ours to explain
        assert "feeds need absolute links" in result.stderr


def test_project_nav_holds_only_the_listings() -> None:
    from mkdocs.config import load_config

    from conftest import ROOT
    from generator.mkdocs.pages import site_nav

    config = load_config(str(ROOT / "mkdocs.yml"))
    assert config.nav == [*site_nav(), {"About": "about.md"}]
