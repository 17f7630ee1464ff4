"""The rendered-body cache: a hit gives exactly what rendering gives, and nothing stale survives a change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import EXTENSIONS, ROOT, VALID_PICK, mkdocs_build, write_project
from generator.core.body import BodyRenderer

BODY = "Hello *world*.\n{: .tip }\n\n- a\n- b\n"


def test_a_hit_is_what_rendering_gives_and_renders_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    uncached = BodyRenderer(EXTENSIONS).render(BODY)
    first = BodyRenderer(EXTENSIONS, cache_dir=tmp_path)
    assert first.render(BODY) == uncached
    first.save()
    again = BodyRenderer(EXTENSIONS, cache_dir=tmp_path)
    monkeypatch.setattr(BodyRenderer, "_render", lambda self, body: pytest.fail("rendered although cached"))
    hit = again.render(BODY)
    assert hit == uncached and hit.toc == uncached.toc and hit.first_paragraph == "Hello world."


def test_changed_text_or_settings_miss(tmp_path: Path) -> None:
    renderer = BodyRenderer(EXTENSIONS, cache_dir=tmp_path)
    renderer.render(BODY)
    renderer.save()
    edited = BodyRenderer(EXTENSIONS, cache_dir=tmp_path).render(BODY.replace("world", "there"))
    assert "there" in edited.html
    without_attr_list = BodyRenderer([e for e in EXTENSIONS if e != "attr_list"], cache_dir=tmp_path).render(BODY)
    assert 'class="tip"' in BodyRenderer(EXTENSIONS, cache_dir=tmp_path).render(BODY).html
    assert 'class="tip"' not in without_attr_list.html and "{: .tip }" in without_attr_list.html


def test_a_corrupt_cache_is_only_slower(tmp_path: Path) -> None:
    (tmp_path / "bodies.sqlite").write_bytes(b"not a database")
    renderer = BodyRenderer(EXTENSIONS, cache_dir=tmp_path)
    assert "<em>world</em>" in renderer.render(BODY).html
    renderer.save()


def _page(site: Path) -> str:
    return (site / "picks" / "2024-04-11-x" / "index.html").read_text("utf-8")


def test_builds_never_serve_a_stale_body(tmp_path: Path) -> None:
    pick = VALID_PICK.replace("Clamping parts", "Clamping {: #kept } parts")
    config = write_project(tmp_path, {"2024-04-11-x.md": pick}, markdown_extensions=EXTENSIONS)
    assert mkdocs_build(config).returncode == 0
    assert (tmp_path / ".cache" / "picks" / "bodies.sqlite").exists()
    cold = _page(tmp_path / "site")
    assert mkdocs_build(config).returncode == 0
    assert _page(tmp_path / "site") == cold  # warm build, same bytes
    (tmp_path / "picks" / "2024-04-11-x.md").write_text(pick.replace("Clamping", "Freezing"), "utf-8")
    assert mkdocs_build(config).returncode == 0
    assert "Freezing" in _page(tmp_path / "site") and "Clamping" not in _page(tmp_path / "site")
    text = config.read_text("utf-8").replace("- attr_list\n", "")
    config.write_text(text, "utf-8")  # a config change re-renders the same body differently
    assert mkdocs_build(config).returncode == 0
    assert "{: #kept }" in _page(tmp_path / "site")


def test_a_changed_template_is_never_hidden_by_a_cache(tmp_path: Path) -> None:
    """Bodies come from the cache, the chrome is rendered once per folder: a template edit still shows."""
    config = write_project(tmp_path, {"2024-04-11-x.md": VALID_PICK}, markdown_extensions=EXTENSIONS)
    settings = yaml.safe_load(config.read_text("utf-8"))
    settings["theme"]["custom_dir"] = str(shutil.copytree(ROOT / "theme", tmp_path / "theme"))
    config.write_text(yaml.safe_dump(settings, sort_keys=False), "utf-8")
    assert mkdocs_build(config).returncode == 0
    assert mkdocs_build(config).returncode == 0  # warm: every body from the cache
    content = tmp_path / "theme" / "partials" / "pick-content.html"
    content.write_text(content.read_text("utf-8").replace('class="pick__body"', 'class="pick__body edited"'), "utf-8")
    # Material's footer includes this partial: part of the chrome the plugin renders once per folder.
    (tmp_path / "theme" / "partials" / "copyright.html").write_text("<p>Edited footer</p>\n", "utf-8")
    assert mkdocs_build(config).returncode == 0
    page = _page(tmp_path / "site")
    assert 'class="pick__body edited"' in page and "Edited footer" in page


def test_a_hit_keeps_headings_and_problems_and_a_cache_saves_twice(tmp_path: Path) -> None:
    text = '## A heading\n\nText <span onclick="x()">here</span>.\n'
    uncached = BodyRenderer(EXTENSIONS).render(text)
    assert uncached.toc and uncached.problems  # the case this test is about
    first = BodyRenderer(EXTENSIONS, cache_dir=tmp_path)
    first.render(text)
    first.save()
    first.render(BODY)
    first.save()  # a second save in the same run keeps that body too
    again = BodyRenderer(EXTENSIONS, cache_dir=tmp_path)
    hit = again.render(text)
    assert (hit.html, hit.toc, hit.problems, hit.first_paragraph) == (
        uncached.html,
        uncached.toc,
        uncached.problems,
        uncached.first_paragraph,
    )
    assert again._cache.get(BODY) is not None


@pytest.mark.parametrize("package", ["markdown", "pymdown-extensions", "pygments", "nh3", "python-slugify"])
def test_a_new_version_of_a_library_the_html_depends_on_misses(package: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.core import body_cache

    before = body_cache.BodyCache(Path("unused.sqlite"), {}).key(BODY)
    real = body_cache.version
    monkeypatch.setattr(body_cache, "version", lambda name: "999.0" if name == package else real(name))
    upgraded = body_cache.BodyCache(Path("unused.sqlite"), {}).key(BODY)
    assert upgraded != before

    def uninstalled(name: str) -> str:
        if name == package:
            raise body_cache.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(body_cache, "version", uninstalled)
    assert body_cache.BodyCache(Path("unused.sqlite"), {}).key(BODY) not in (before, upgraded)


def test_settings_holding_python_objects_still_key_the_cache(tmp_path: Path) -> None:
    from pymdownx.superfences import fence_code_format

    configs = {"pymdownx.superfences": {"custom_fences": [{"name": "x", "class": "x", "format": fence_code_format}]}}
    renderer = BodyRenderer(EXTENSIONS, configs, cache_dir=tmp_path)  # as mkdocs.yml's !!python/name values give
    assert "<em>world</em>" in renderer.render(BODY).html
