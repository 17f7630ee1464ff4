"""README and CONTRIBUTING say what a newcomer will see: URLs, commands and sample output are run and compared."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from mkdocs.config import load_config

from conftest import ROOT, VALID_PICK, pick_text, write_picks
from generator.cli import main
from generator.core.loader import LoadSettings, load_picks

DOCS = {name: (ROOT / name).read_text("utf-8") for name in ("README.md", "CONTRIBUTING.md")}


@pytest.mark.parametrize("name", DOCS)
def test_preview_address_is_where_mkdocs_serve_puts_the_site(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITE_URL", raising=False)
    path = urlsplit(load_config(str(ROOT / "mkdocs.yml")).site_url).path
    assert re.findall(r"http://127\.0\.0\.1:8000\S*", DOCS[name]) == [f"http://127.0.0.1:8000{path}"]


def test_readme_sample_output_is_what_check_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    block = re.search(r"```console\n\$ \.venv/bin/(picks check \S+)\n(.*?)```", DOCS["README.md"], re.S)
    assert block, "README lost its sample `picks check` session"
    command, expected = block[1].split(), block[2]
    target = tmp_path / command[-1]
    target.parent.mkdir(parents=True)
    text = (ROOT / command[-1]).read_text("utf-8")
    target.write_text(text.replace("    year: 2024", "    year: soon", 1), "utf-8")  # the mistake README describes
    for name in ("mkdocs.yml", "docs", "theme"):
        (tmp_path / name).symlink_to(ROOT / name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SITE_URL", raising=False)
    assert CliRunner().invoke(main, command[1:]).output == expected


def test_pre_commit_is_installed_the_way_contributing_says() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["optional-dependencies"]
    assert (
        ".venv/bin/pip install -c constraints.txt -e '.[dev]' && .venv/bin/pre-commit install"
        in DOCS["CONTRIBUTING.md"]
    )
    assert any(requirement.startswith("pre-commit") for requirement in extras["dev"])


def test_three_papers_pass_as_contributing_says(tmp_path: Path) -> None:
    third = '  - title: Third\n    authors: [Grace Hopper]\n    year: 2023\n    arxiv: "2301.00003"\n'
    text = VALID_PICK.replace(
        "---\n\nClamping",
        third + "  - title: Second\n    authors: [Alan Turing]\n"
        '    year: 2023\n    arxiv: "2301.00002"\n---\n\nClamping',
        1,
    )
    write_picks(
        tmp_path, {"2024-04-11-three.md": text, "2024-04-12-one.md": pick_text(date="2024-04-12", arxiv="2404.00009")}
    )
    result = load_picks(tmp_path, LoadSettings("UTC", "picks"))
    assert result.findings == [] and [len(p.papers) for p in result.picks] == [3, 1]
    assert '| `papers` | list of papers | yes | one or more; two make an "x2 edition"' in DOCS["CONTRIBUTING.md"]


def test_quoting_arxiv_ids_is_what_check_requires(tmp_path: Path) -> None:
    write_picks(tmp_path, {"2024-04-11-x.md": VALID_PICK.replace('arxiv: "2404.07129"', "arxiv: 2404.07129")})
    assert [e.field for e in load_picks(tmp_path, LoadSettings("UTC", "picks")).errors] == ["papers[0].arxiv"]
    assert "Quote arXiv ids" in DOCS["README.md"]  # README calls it a rule, and check enforces it


def test_every_install_the_docs_suggest_keeps_the_pins() -> None:
    """An install without constraints.txt moves pinned packages (byte-exact goldens depend on them)."""
    installs = [found for text in DOCS.values() for found in re.findall(r"pip install[^`\n]*", text)]
    assert installs and all("-c constraints.txt" in found for found in installs), installs
    makefile = (ROOT / "Makefile").read_text("utf-8")
    project_installs = [line for line in makefile.splitlines() if "pip install" in line and "--upgrade pip" not in line]
    assert project_installs and all("-c constraints.txt" in line for line in project_installs)
