"""Each config key that names an input, an output or a count, at its default and set to something else, through the
real ``mkdocs build`` and the ``picks`` commands (issue 37, point 2d). Expected values are written out here."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import feedparser
import lxml.html
import pytest
import yaml
from click.testing import CliRunner

from conftest import mkdocs_build, pick_text, write_project
from generator.cli import main

# 52 picks, one a day from 1 March 2024: more than a listing page (20) and a feed (50) hold by default.
PICKS = {
    f"{day}-p{n}.md": pick_text(f"Pick {n}", day, arxiv=f"2403.{n:05d}")
    for n, day in enumerate((str(date(2024, 3, 1) + timedelta(days)) for days in range(52)), start=1)
}
X2 = pick_text("Two at once", "2024-05-01", arxiv="2405.00001").replace(
    "---\n\n", '  - title: Other\n    authors: [Grace Hopper]\n    year: 2024\n    arxiv: "2405.00002"\n---\n\n', 1
)


def _build(root: Path, folder: str = "picks", **options: object) -> Path:
    config = write_project(root, {}, **options)
    for name, text in {**PICKS, "2024-05-01-x2.md": X2}.items():
        (root / folder / name).parent.mkdir(parents=True, exist_ok=True)
        (root / folder / name).write_text(text, "utf-8")
    written = yaml.safe_load(config.read_text("utf-8"))
    if "dir" not in options:
        del written["plugins"][1]["picks"]["dir"]  # the default, as a config that never names it
    config.write_text(yaml.safe_dump(written, sort_keys=False, allow_unicode=True), "utf-8")
    (root / "people.yml").write_text('"Grace Hopper":\n  mastodon: "@grace@people.example"\n', "utf-8")
    (root / "team.yml").write_text('"Grace Hopper":\n  mastodon: "@hopper@team.example"\n', "utf-8")
    result = mkdocs_build(config)
    assert result.returncode == 0, result.stderr
    return root / "site"


def _cards(site: Path, path: str) -> int:
    return len(lxml.html.parse(str(site / path / "index.html")).getroot().cssselect(".pick-card"))


def _post(root: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["post", "2024-05-01-x2", "--to", "mastodon"])
    assert result.exit_code == 0, result.output
    return result.output


def test_every_name_and_count_at_its_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _build(tmp_path)
    assert _cards(site, "") == 20 and _cards(site, "page/2") == 20 and _cards(site, "page/3") == 13  # per_page 20
    assert len(feedparser.parse((site / "feed.xml").read_bytes()).entries) == 50  # feed.rss, feed.limit 50
    assert len(feedparser.parse((site / "atom.xml").read_bytes()).entries) == 50  # feed.atom
    assert len(json.loads((site / "feed.json").read_text("utf-8"))["items"]) == 50  # feed.json
    entries = re.findall(r"^@\w+\{", (site / "picks.bib").read_text("utf-8"), re.MULTILINE)
    assert len(entries) == 54  # bibtex: every paper, the x2 edition's two
    post = _post(tmp_path, monkeypatch)
    assert post.startswith("🔍 Today's pick in Interpretability & Analysis of LMs: x2 edition!\n")  # header_x2
    assert "@grace@people.example" in post  # people: people.yml


def test_every_name_and_count_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _build(
        tmp_path,
        "posts/archive",
        dir="posts/archive",
        per_page=7,
        feed={"rss": "rss.xml", "atom": "updates.atom", "json": "updates.json", "limit": 5},
        bibtex="refs/all.bib",
        people="team.yml",
        post={"header_x2": "Two papers today in {collection} ({count})"},
    )
    assert _cards(site, "") == 7 and _cards(site, "page/8") == 4  # 53 picks, 7 a page
    assert len(feedparser.parse((site / "rss.xml").read_bytes()).entries) == 5
    assert len(feedparser.parse((site / "updates.atom").read_bytes()).entries) == 5
    assert len(json.loads((site / "updates.json").read_text("utf-8"))["items"]) == 5
    assert (site / "refs/all.bib").exists()
    assert not any((site / name).exists() for name in ("feed.xml", "atom.xml", "feed.json", "picks.bib"))
    post = _post(tmp_path, monkeypatch)
    assert post.startswith("Two papers today in Interpretability & Analysis of LMs (2)\n")
    assert "@hopper@team.example" in post and "@grace@people.example" not in post
