"""Hostile strings in every front-matter field and body position: check refuses the pick, or every output
(pages with Material's chrome, feeds, BibTeX through real bibtex, RIS, CSL-JSON, posts, email) is inert and whole."""

from __future__ import annotations

import email
import email.policy
import json
import os
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import feedparser
import lxml.html
import pytest
import rispy
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree
from test_untrusted import _assert_inert
from test_untrusted_classes import _live

from conftest import EXTENSIONS, mkdocs_build, write_project, yaml_quote
from generator.cli import main
from generator.core.body import BodyRenderer
from generator.core.loader import LoadSettings, load_picks
from generator.core.people import People
from generator.core.sanitize import safe_class, safe_id
from generator.outputs.posts import NETWORKS, posts

PIECES = [
    *("<", ">", '"', "'", "&", "{", "}", "\\", "$", "%", "#", "@", "＠", "/", "=", ":", ";", " ", "\n", "\u2028", "`"),
    *(
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "&#1;",
        "&#xB;",
        "}, note={x",
        "\\input{/etc/passwd}",
    ),
    *("ER  - ", "TY  - ", "@misc{evil,", "__config", "md-dialog", "//evil.example/x", "javascript:alert(1)", "<s>"),
    *("<think>", "word", "Vec<String>", "\r\n", "$\\write18{id}$", "@someone", "[x](//evil)", "{#__drawer}"),
]
HOSTILE = st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join)
RENDERER = BodyRenderer(EXTENSIONS)
DAYS = range(8, 14)  # 8-13 April 2024: all in the digest week 2024-W15


FRONT = ("title", "paper", "author", "venue", "tag", "summary", "mention")
BODY = ("heading", "attr", "link_title", "url", "code", "admonition", "text")
PLAIN = {"mention": "@aadityasingh", "url": "https://example.org/a", "attr": "method", "tag": "topic"}


@st.composite
def hostile_pick(draw: st.DrawFn, day: int) -> str:
    """A pick with hostile text in one to three positions (so that many are accepted), plain text elsewhere."""
    chosen = draw(st.sets(st.sampled_from(FRONT + BODY), min_size=1, max_size=3))
    return pick_with(day, {name: draw(HOSTILE) for name in chosen})


def pick_with(day: int, hostile: dict[str, str]) -> str:
    """The pick of ``day`` with the ``hostile`` texts in their positions and plain text everywhere else."""
    text = {name: hostile.get(name, PLAIN.get(name, f"Plain {name}")) for name in FRONT + BODY}
    q = yaml_quote
    body = (
        f"{text['text']}\n\n## {text['heading']}\n\n## Method {{: #{text['attr']} }}\n\n"
        f'See [the link]({text["url"]} "{text["link_title"]}") and '
        f'![an image](figure.png "{text["link_title"]}").\n\n'
        f'```\n{text["code"]}\n```\n\n!!! note "{text["admonition"]}"\n    Body.\n'
    )
    return (
        f"---\ntitle: {q(text['title'])}\ndate: 2024-04-{day:02d}\ntags: [{q(text['tag'])}, probe]\n"
        f"mentions: [{q(text['mention'])}]\nsummary: {q(text['summary'])}\npapers:\n"
        f"  - title: {q(text['paper'])}\n    authors: [{q(text['author'])}, Ada Lovelace]\n    year: 2024\n"
        f'    arxiv: "2404.{day:05d}"\n    venue: {q(text["venue"])}\n---\n\n{body}'
    )


BATCH = st.tuples(*(hostile_pick(day) for day in DAYS))


def _accepted(folder: Path, texts: tuple[str, ...]) -> dict[str, str]:
    """Each pick on its own through check: the refused ones are out, the rest make the site."""
    accepted = {}
    for day, text in zip(DAYS, texts, strict=True):
        name = f"2024-04-{day:02d}-hostile.md"
        one = folder / "one"
        shutil.rmtree(one, ignore_errors=True)
        one.mkdir(parents=True)
        (one / name).write_text(text, "utf-8")
        result = load_picks(one, LoadSettings("UTC", "interpretability", renderer=RENDERER))
        if result.picks:
            accepted[name] = text
        else:
            assert result.errors and all(e.line >= 1 and e.field for e in result.errors)
    return accepted


def _check_pages(site: Path) -> None:
    for path in site.rglob("*.html"):
        if "assets" in path.parts:
            continue
        page = lxml.html.fromstring(path.read_bytes())
        [config] = page.xpath('//script[@id="__config"]')  # Material's configuration: one, whole, ours
        assert json.loads(config.text)["base"]
        for drawer in ("__drawer", "__search"):
            assert len(page.xpath(f'//*[@id="{drawer}"]')) == 1, (path, drawer)
        for content in page.cssselect(".md-content"):
            _assert_inert(content, only_allowed_tags=False)
        for body in page.cssselect(".pick__body"):
            for element in body.iterdescendants():
                if not isinstance(element.tag, str):
                    continue
                assert element.get("id") is None or safe_id(element.get("id")), (path, element.get("id"))
                assert all(safe_class(c) for c in (element.get("class") or "").split()), (path, element.get("class"))
        assert not page.xpath("//script[not(@src) and not(@id='__config')][contains(., 'alert')]")


def _check_feeds(site: Path, count: int) -> None:
    strict = etree.XMLParser(recover=False, resolve_entities=False)
    tag_feeds = ["tags/probe/feed.xml"] if count else []
    for name in ("feed.xml", "atom.xml", "digest/feed.xml", *tag_feeds):
        etree.fromstring((site / name).read_bytes(), strict)
    for name in ("feed.xml", "atom.xml", *tag_feeds):
        parsed = feedparser.parse((site / name).read_bytes())
        assert not parsed.bozo and len(parsed.entries) == count, name
        for entry in parsed.entries:
            for part in entry.get("content", []):
                _assert_inert(lxml.html.fragment_fromstring(part.value, create_parent="div"))
    assert len(json.loads((site / "feed.json").read_text("utf-8"))["items"]) == count


def _check_citations(site: Path, count: int, work: Path) -> None:
    text = (site / "picks.bib").read_text("utf-8")
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == [] and len(library.entries) == count
    assert len(rispy.loads((site / "picks.ris").read_text("utf-8"))) == count
    assert len(json.loads((site / "picks.json").read_text("utf-8"))) == count
    if count == 0:
        return
    work.mkdir()
    (work / "picks.bib").write_text(text, "utf-8")
    (work / "doc.aux").write_text("\\citation{*}\n\\bibstyle{plain}\n\\bibdata{picks}\n", "ascii")
    run = subprocess.run(
        ["bibtex", "doc"], cwd=work, capture_output=True, encoding="utf-8", errors="replace", check=False
    )
    assert run.returncode == 0 and "error message" not in run.stdout, run.stdout
    assert (work / "doc.bbl").read_text(encoding="utf-8", errors="replace").count("\\bibitem") == count


def _check_posts(folder: Path) -> None:
    settings_ = LoadSettings("UTC", "interpretability", renderer=RENDERER)
    for pick in load_picks(folder / "picks", settings_).picks:
        for network in ("x", "bluesky", "mastodon", "linkedin"):
            thread = posts(pick, network, collection="C", url="https://e.org/p/", people=People())
            counted = NETWORKS[network]
            assert thread and all(counted.length(post) <= counted.limit for post in thread)
            text = "\n".join(thread)
            allowed = {m for m in pick.mentions if network == "x"}
            assert _live(text) <= allowed, (network, text)


def _check_email(folder: Path, count: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(main, ["email", "2024-W15", "--out", "mail"])
    if count == 0:  # every pick refused: an empty week is an error of its own, and nothing is written
        assert result.exit_code == 1 and "no published picks in 2024-W15" in result.output, result.output
        assert not (folder / "mail").exists()
        return
    assert result.exit_code == 0, result.output
    message = email.message_from_bytes((folder / "mail/2024-W15.eml").read_bytes(), policy=email.policy.strict)
    for name, value in message.items():
        assert "\n" not in str(value) and "\r" not in str(value), name
    [html_part] = [p for p in message.walk() if p.get_content_type() == "text/html"]
    page = lxml.html.fromstring(html_part.get_content())
    assert not page.xpath("//script | //style | //iframe | //*[@*[starts-with(name(), 'on')]]")
    assert len(page.xpath("//a[contains(@href, '/picks/2024-04-')][contains(@href, '-hostile/')]")) >= count


@pytest.mark.skipif(not shutil.which("bibtex") and not os.environ.get("DAILY_PICKS_CI"), reason="bibtex missing")
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(batch=BATCH)
# Found by a developer's run (issue 32): every pick of the batch refused, so the week has nothing to mail.
@example(batch=tuple(pick_with(day, {"text": "<script>alert(1)</script>"}) for day in DAYS))
def test_hostile_picks_are_refused_or_inert_in_every_output(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, batch: tuple[str, ...]
) -> None:
    folder = tmp_path_factory.mktemp("hostile")
    accepted = _accepted(folder, batch)
    config = write_project(
        folder, accepted, markdown_extensions=EXTENSIONS, digest={"every": "week", "sender": "p@example.org"}
    )
    result = mkdocs_build(config)
    assert result.returncode == 0, result.stderr
    site = folder / "site"
    _check_pages(site)
    _check_feeds(site, len(accepted))
    _check_citations(site, len(accepted), folder / "tex")
    _check_posts(folder)
    _check_email(folder, len(accepted), monkeypatch)
    assert len(list((site / "picks").glob("2024-04-*-hostile/index.html"))) == len(accepted)
