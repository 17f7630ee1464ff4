"""A body's HTML as outputs take it: plain-text blocks, links made absolute, the renderer's own settings."""

from __future__ import annotations

from pathlib import Path

from conftest import EXTENSIONS
from generator.core.body import BodyRenderer, _plain_toc, absolute_html, first_paragraph, text_blocks
from generator.core.sanitize import heading_slug


def test_text_blocks_of_every_kind_and_nothing_else() -> None:
    html = (
        "Loose text<h2>Head two</h2><p>Para \n graph</p><pre>code</pre><ul><li>one</li><li>two</li></ul>"
        "<ol><li>first</li></ol><blockquote><p>Quoted</p></blockquote><h3>Three</h3>"
        "<table><tr><td>cell</td></tr></table><h4>Four</h4><p> </p>"
    )
    assert text_blocks(html) == ["Head two", "Para graph", "- one\n- two", "- first", "Quoted", "Three", "Four"]
    assert text_blocks(" \n") == []


def test_absolute_html_resolves_links_and_keeps_everything_else() -> None:
    page = "https://e.org/picks/p/"
    html = 'Lead <a href="x/">x</a> tail<p>One</p><p>Two <img src="../img/f.png" alt="f"></p>'
    assert absolute_html(html, page) == (
        'Lead <a href="https://e.org/picks/p/x/">x</a> tail<p>One</p>'
        '<p>Two <img src="https://e.org/picks/img/f.png" alt="f"></p>'
    )
    assert absolute_html("<p>Only</p><p>two</p>", page) == "<p>Only</p><p>two</p>"
    assert absolute_html("  \n", page) == ""


def test_the_renderer_keeps_its_settings_to_itself(tmp_path: Path) -> None:
    configs = {"toc": {"permalink": False}, "tables": {}}
    renderer = BodyRenderer(EXTENSIONS, configs, cache_dir=tmp_path)
    assert configs == {"toc": {"permalink": False}, "tables": {}}  # the caller's dict is not changed
    heading = "A heading far longer than fifty-six characters, cut at a word"
    rendered = renderer.render(f"## {heading}\n\n| a |\n|:-:|\n| b |\n")
    renderer.save()
    assert f'id="{heading_slug(heading)}"' in rendered.html  # the safe automatic id, at most 56 characters
    assert len(heading_slug(heading)) <= 56
    assert 'align="center"' in rendered.html and "style=" not in rendered.html  # forced: alignment as attribute
    assert [p.name for p in tmp_path.iterdir()] == ["bodies.sqlite"]


def test_the_first_paragraph_is_the_first_top_level_p() -> None:
    assert first_paragraph("<h2>Heading</h2><ul><li>item</li></ul><p>The <em>first</em>\n one.</p><p>Next</p>") == (
        "The first one."
    )
    assert first_paragraph("<ul><li>only a list</li></ul>") == ""
    assert first_paragraph("<blockquote><p>quoted</p></blockquote>") == ""  # not top level
    assert first_paragraph("") == ""
    assert first_paragraph('<p>See <img alt="the figure" src="f.png"> and <img src="g.png"> here</p>') == (
        "See the figure and here"  # an image reads as its alt text, nothing without one
    )


def test_a_heading_whose_id_is_refused_leaves_the_toc_and_its_children_take_its_place() -> None:
    def token(name: str, id_: str, *children: dict) -> dict:
        return {"level": 2, "id": id_, "name": name, "children": list(children)}

    toc = _plain_toc([token("One", "one"), token("Bad", "md-bad", token("Kid", "kid")), token("Two", "two")])
    assert [(t["name"], t["id"]) for t in toc] == [("One", "one"), ("Kid", "kid"), ("Two", "two")]
    assert _plain_toc([token('A "quoted" <b>', "a")])[0]["name"] == "A &quot;quoted&quot; &lt;b&gt;"
