"""Compiled templates are kept under .cache/picks/templates/; an edited template is never served stale."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from conftest import ROOT, mkdocs_build, pick_text, write_project


def test_an_edited_template_is_used_by_the_next_build(tmp_path: Path) -> None:
    config_file = write_project(tmp_path, {"2024-04-11-x.md": pick_text("A pick")})
    shutil.copytree(ROOT / "theme", tmp_path / "theme")
    config = yaml.safe_load(config_file.read_text("utf-8"))
    config["theme"]["custom_dir"] = "theme"
    config_file.write_text(yaml.safe_dump(config), "utf-8")
    page = tmp_path / "site" / "picks" / "2024-04-11-x" / "index.html"

    assert mkdocs_build(config_file).returncode == 0
    assert list((tmp_path / ".cache" / "picks" / "templates").iterdir())  # the cache was written
    assert "EDITED-TEMPLATE" not in page.read_text("utf-8")

    pick_template = tmp_path / "theme" / "pick.html"
    edited = pick_template.read_text("utf-8").replace("{% block content %}", "{% block content %}EDITED-TEMPLATE", 1)
    pick_template.write_text(edited, "utf-8")
    chrome = tmp_path / "theme" / "main.html"
    chrome.write_text(chrome.read_text("utf-8").replace("{% block announce %}", "{% block announce %}EDITED-MAIN"))
    assert mkdocs_build(config_file).returncode == 0
    html = page.read_text("utf-8")
    assert "EDITED-TEMPLATE" in html and "EDITED-MAIN" in html
