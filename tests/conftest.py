"""Shared fixtures: pick text, throw-away MkDocs projects and real builds."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from generator.pages import site_nav

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PICKS = Path(__file__).parent / "fixtures" / "sample-picks"  # a frozen copy: picks/ grows with every PR

VALID_PICK = """\
---
title: What needs to go right for an induction head?
date: 2024-04-11
tags: [induction heads, training dynamics]
mentions: ["@aadityasingh"]
papers:
  - title: What needs to go right for an induction head?
    authors: [Aaditya K. Singh, Ted Moskovitz]
    year: 2024
    arxiv: "2404.07129"
    venue: ICML 2024
---

Clamping parts of a network during training shows how induction heads form.

Notable findings:

- Induction heads are additive and redundant.
"""


def pick_text(
    title: str = "A pick",
    date: str = "2024-04-11",
    *,
    arxiv: str = "2404.07129",
    tags: list[str] | None = None,
    extra: str = "",
    body: str = "A summary paragraph.\n",
    paper_title: str | None = None,
    authors: str = "[Ada Lovelace, Alan Turing]",
) -> str:
    """A valid pick file; tests vary one thing at a time."""
    tag_line = f"tags: [{', '.join(tags)}]\n" if tags else ""
    return (
        f"---\ntitle: {yaml_quote(title)}\ndate: {date}\n{tag_line}{extra}papers:\n"
        f"  - title: {yaml_quote(paper_title or title)}\n    authors: {authors}\n    year: 2024\n"
        f'    arxiv: "{arxiv}"\n---\n\n{body}'
    )


def yaml_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_picks(folder: Path, picks: dict[str, str]) -> None:
    for name, text in picks.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def write_project(
    root: Path, picks: dict[str, str], site_url: str | None = "https://example.org/picks/", **options: object
) -> Path:
    """Write a MkDocs project using the real theme/ overrides under ``root``; return its mkdocs.yml."""
    write_picks(root / "picks", picks)
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "about.md").write_text("# About\n\nA test site.\n", encoding="utf-8")
    plugin: dict[str, object] = {
        "dir": "picks",
        "default_collection": "interpretability",
        "collections": {"interpretability": {"title": "Interpretability & Analysis of LMs"}},
    }
    plugin.update(options)
    config: dict[str, object] = {
        "site_name": "Test Picks",
        "docs_dir": "docs",
        "theme": {
            "name": "material",
            "custom_dir": str(ROOT / "theme"),
            "font": False,
            "features": ["content.code.copy"],
        },
        "nav": [*site_nav(), {"About": "about.md"}],
        "plugins": ["search", {"picks": plugin}],
    }
    if site_url is not None:
        config["site_url"] = site_url
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    """``write_project`` in this test's own folder."""
    return lambda picks, **kwargs: write_project(tmp_path, picks, **kwargs)


def mkdocs_build(config_file: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run the real ``mkdocs build --strict`` on a project."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file), *extra],
        capture_output=True,
        text=True,
        cwd=config_file.parent,
        check=False,
    )


@pytest.fixture
def build() -> Callable[..., Path]:
    """Build a project; fail the test with MkDocs' output if the build fails. Returns site/."""

    def run(config_file: Path) -> Path:
        result = mkdocs_build(config_file)
        assert result.returncode == 0, result.stderr
        return config_file.parent / "site"

    return run


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def assert_matches_golden(golden: Path, actual: bytes) -> None:
    """``actual`` equals the golden file; ``UPDATE_GOLDEN=1`` rewrites it and fails, and is refused under CI."""
    if os.environ.get("UPDATE_GOLDEN"):
        if os.environ.get("CI") or os.environ.get("DAILY_PICKS_CI"):
            pytest.fail("UPDATE_GOLDEN is refused under CI: goldens are rewritten on a developer's machine")
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(actual)
        pytest.fail(f"rewrote {golden.name}; review `git diff` and run again without UPDATE_GOLDEN")
    assert actual == golden.read_bytes(), f"{golden.name} differs (UPDATE_GOLDEN=1 rewrites it on purpose)"
