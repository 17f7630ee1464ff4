"""The loader: every kind of bad pick names its file, line and field; good picks load exactly."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import SAMPLE_PICKS, VALID_PICK, assert_matches_golden, pick_text, write_picks
from generator.core.loader import LoadSettings, load_picks, order_picks

SETTINGS = LoadSettings("UTC", "interpretability", frozenset({"interpretability", "classics"}))
GOOD = "2024-04-11-induction-heads.md"


def replace(old: str, new: str, text: str = VALID_PICK) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


BAD_PICKS = [
    # (file name, text, line, field, words in the message)
    pytest.param(
        GOOD,
        replace('arxiv: "2404.07129"', "arxiv: 2401.10000"),
        10,
        "papers[0].arxiv",
        'quote the id: arxiv: "2401.10000" (editors and other YAML tools read an unquoted 2401.10000 as the number '
        "2401.1)",
        id="unquoted-arxiv-number",
    ),
    pytest.param(
        GOOD,
        replace('arxiv: "2404.07129"', "arxiv: 2406.11717"),
        10,
        "papers[0].arxiv",
        "read an unquoted 2406.11717 as the number 2406.11717)",  # not 2406.12, as the old message rounded it
        id="unquoted-arxiv-number-exact",
    ),
    pytest.param(
        GOOD,
        replace("tags: [", "tags:\n\t- x\nother: ["),
        5,
        "front matter",
        "tabs cannot indent YAML; use spaces (tab at column 1)",
        id="tab",
    ),
    pytest.param(
        GOOD,
        replace('mentions: ["@aadityasingh"]', "mentions: @aadityasingh"),
        5,
        "front matter",
        'quote values that start with @, e.g. "@name"',
        id="unquoted-handle",
    ),
    pytest.param(
        GOOD,
        replace("    year: 2024", '    year: "2024"'),
        9,
        "papers[0].year",
        "write the number without quotes: 2024, not '2024'",
        id="quoted-year",
    ),
    pytest.param(
        GOOD,
        replace("title: What needs to go right for an induction head?\ndate", "date"),
        2,
        "title",
        "required field is missing",
        id="missing-title",
    ),
    pytest.param(
        GOOD,
        replace("title: What needs to go right for an induction head?\n", 'title: ""\n'),
        2,
        "title",
        "must not be empty",
        id="empty-title",
    ),
    pytest.param(GOOD, replace("date: 2024-04-11\n", ""), 2, "date", "required field is missing", id="missing-date"),
    pytest.param(
        GOOD,
        replace("    year: 2024", "    year: twenty twenty-four"),
        9,
        "papers[0].year",
        "expected a whole number",
        id="year-as-words",
    ),
    pytest.param(
        GOOD,
        replace("mentions:", "draft: maybe\nmentions:"),
        5,
        "draft",
        "expected true or false, got 'maybe'",
        id="draft-maybe",
    ),
    pytest.param(
        GOOD,
        replace("mentions:", "draft: [yes]\nmentions:"),
        5,
        "draft",
        "expected true or false, got 'a list or mapping'",
        id="draft-list",
    ),
    pytest.param(
        GOOD,
        replace("authors: [Aaditya K. Singh, Ted Moskovitz]", "authors: Aaditya K. Singh"),
        8,
        "papers[0].authors",
        "expected a list",
        id="authors-one-string",
    ),
    pytest.param(
        GOOD,
        replace("authors: [Aaditya K. Singh, Ted Moskovitz]", "authors: []"),
        8,
        "papers[0].authors",
        "empty list",
        id="authors-empty",
    ),
    pytest.param(
        GOOD, replace("tags:", "tagz:"), 4, "tagz", "unknown field (did you mean 'tags'?)", id="unknown-field"
    ),
    pytest.param(
        GOOD, replace("    venue:", "    venu:"), 11, "papers[0].venu", "unknown field", id="unknown-paper-field"
    ),
    pytest.param(
        "2024-02-30-x.md",
        VALID_PICK,
        1,
        "file name",
        "real date",
        id="impossible-date-in-name",
    ),
    pytest.param(
        GOOD, replace("date: 2024-04-11", "date: 2024-02-30"), 3, "date", "is not a real date", id="impossible-date"
    ),
    pytest.param(GOOD, replace("date: 2024-04-11", "date: 2024-13-01"), 3, "date", "is not a real date", id="month-13"),
    pytest.param(
        GOOD,
        replace("date: 2024-04-11", "date: 2024-04-12"),
        3,
        "date",
        "does not match the date 2024-04-11 in the file name",
        id="date-differs-from-name",
    ),
    pytest.param(
        GOOD,
        replace("date: 2024-04-11", "date: 2024-04-11T10:00:00"),
        3,
        "date",
        "needs an offset",
        id="datetime-without-offset",
    ),
    pytest.param("induction-heads.md", VALID_PICK, 1, "file name", "is not YYYY-MM-DD-slug.md", id="bad-file-name"),
    pytest.param(
        "2024-04-11-Induction_Heads.md", VALID_PICK, 1, "file name", "is not YYYY-MM-DD-slug.md", id="file-name-slug"
    ),
    pytest.param(
        GOOD,
        replace('arxiv: "2404.07129"', 'arxiv: "2404.7129"'),
        10,
        "papers[0].arxiv",
        "is not an arXiv id",
        id="bad-arxiv",
    ),
    pytest.param(
        GOOD, replace('arxiv: "2404.07129"', 'doi: "11.1234/x"'), 10, "papers[0].doi", "is not a DOI", id="bad-doi"
    ),
    pytest.param(
        GOOD,
        replace('arxiv: "2404.07129"', 'url: "javascript:alert(1)"'),
        10,
        "papers[0].url",
        "is not an http(s) URL",
        id="javascript-url",
    ),
    pytest.param(
        GOOD,
        replace('arxiv: "2404.07129"', 'url: "data:text/html,hi"'),
        10,
        "papers[0].url",
        "is not an http(s) URL",
        id="data-url",
    ),
    pytest.param(
        GOOD,
        replace("    venue: ICML 2024\n", "    venue: ICML 2024\n    code: ftp://x.org/a\n"),
        12,
        "papers[0].code",
        "is not an http(s) URL",
        id="code-not-http",
    ),
    pytest.param(
        GOOD,
        replace('    arxiv: "2404.07129"\n', ""),
        7,
        "papers[0]",
        "at least one of arxiv, doi or url",
        id="paper-without-id",
    ),
    pytest.param(
        GOOD,
        replace("papers:\n", "papers: []\n").split("  - title")[0] + "---\nbody\n",
        6,
        "papers",
        "at least one paper",
        id="papers-empty",
    ),
    pytest.param(
        GOOD,
        replace("tags: [induction heads, training dynamics]", "tags: [induction heads"),
        5,
        "front matter",
        "YAML syntax error",
        id="yaml-syntax",
    ),
    pytest.param(
        GOOD,
        replace("mentions:", "title: again\nmentions:"),
        5,
        "title",
        "duplicate field (first given on line 2)",
        id="duplicate-key",
    ),
    pytest.param(
        GOOD,
        "---\n- just\n- a list\n---\nbody\n",
        2,
        "front matter",
        "must be a mapping",
        id="front-matter-not-mapping",
    ),
    pytest.param(
        GOOD,
        "# No front matter\n\nJust text.\n",
        1,
        "front matter",
        "must start with a '---' line",
        id="no-front-matter",
    ),
    pytest.param(GOOD, "---\ntitle: x\n", 1, "front matter", "no closing '---'", id="unclosed-front-matter"),
    pytest.param(
        GOOD,
        replace("title: What", "title: Caf\xe9 What").encode("latin-1"),
        2,
        "encoding",
        "not valid UTF-8",
        id="invalid-utf8",
    ),
    pytest.param(
        GOOD,
        replace("mentions:", "evil: !!python/object/apply:os.system [touch /tmp/pwned]\nmentions:"),
        5,
        "evil",
        "the YAML tag !!python/object/apply:os.system is not allowed",
        id="python-tag",
    ),
    pytest.param(
        GOOD,
        replace("mentions:", 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: [*b,*b]\nmentions:'),
        6,
        "b",
        "anchors and aliases",
        id="alias",
    ),
    pytest.param(
        GOOD, VALID_PICK + "\n<script>alert(1)</script>\n", 20, "body", "<script> is not allowed", id="script"
    ),
    pytest.param(GOOD, VALID_PICK + "\n<iframe src='https://x.org'></iframe>\n", 20, "body", "<iframe>", id="iframe"),
    pytest.param(GOOD, VALID_PICK + "\n<object data='x.swf'></object>\n", 20, "body", "<object>", id="object"),
    pytest.param(GOOD, VALID_PICK + "\n<embed src='x.swf'>\n", 20, "body", "<embed>", id="embed"),
    pytest.param(
        GOOD, VALID_PICK + '\n<img src="x.png" onerror="alert(1)">\n', 20, "body", "onerror=", id="event-handler"
    ),
    pytest.param(
        GOOD,
        VALID_PICK + "\n[click](javascript:alert(1))\n",
        20,
        "body",
        "javascript: URL",
        id="javascript-markdown-link",
    ),
    pytest.param(
        GOOD,
        VALID_PICK + '\n<a href="JavaScript:alert(1)">x</a>\n',
        20,
        "body",
        "javascript: URL",
        id="javascript-html-link",
    ),
    pytest.param(
        GOOD, replace("title: What", "title: What\x07"), 2, "title", "control character U+0007", id="control-char-title"
    ),
    pytest.param(
        GOOD,
        replace("title: What needs to go right for an induction head?", 'title: "Bell \\a"'),
        2,
        "title",
        "control character U+0007",
        id="control-char-yaml-escape",
    ),
    pytest.param(
        GOOD, VALID_PICK + "\nbell \x0b here\n", 20, "body", "control character U+000B", id="control-char-body"
    ),
    pytest.param(
        GOOD,
        replace("mentions:", "collection: sports\nmentions:"),
        5,
        "collection",
        "'sports' is not declared",
        id="unknown-collection",
    ),
]


@pytest.mark.parametrize(("name", "text", "line", "field", "words"), BAD_PICKS)
def test_bad_pick_is_reported_with_file_line_and_field(
    tmp_path: Path, name: str, text: str | bytes, line: int, field: str, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    result = load_picks(tmp_path, SETTINGS)
    assert result.picks == []
    [error] = result.errors  # the expected finding, and no other
    assert (error.path, error.line, error.field) == (os.path.relpath(path), line, field), result.errors
    assert words in error.message


def test_python_tag_never_runs(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    evil = replace("mentions:", f"x: !!python/object/apply:os.system ['touch {marker}']\nmentions:")
    write_picks(tmp_path / "picks", {GOOD: evil})
    assert load_picks(tmp_path / "picks", SETTINGS).errors
    assert not marker.exists()


def test_alias_bomb_fails_fast(tmp_path: Path) -> None:
    levels = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    levels += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    write_picks(tmp_path, {GOOD: replace("mentions:", "\n".join(levels) + "\nmentions:")})
    result = load_picks(tmp_path, SETTINGS)  # a billion laughs, refused without expanding (bench/run.py times it)
    assert [e.field for e in result.errors] == ["a1"]


def test_every_problem_in_every_file_is_reported(tmp_path: Path) -> None:
    text = replace("    year: 2024", "    year: soon", replace("tags:", "tagz:"))
    write_picks(tmp_path, {GOOD: text, "2024-04-12-other.md": replace("date: 2024-04-11", "date: 2024-04-12\nx: 1")})
    fields = sorted((Path(e.path).name, e.field) for e in load_picks(tmp_path, SETTINGS).errors)
    assert fields == [(GOOD, "papers[0].year"), (GOOD, "tagz"), ("2024-04-12-other.md", "x")]


def test_same_id_in_two_folders_is_an_error(tmp_path: Path) -> None:
    write_picks(tmp_path, {GOOD: VALID_PICK, f"2024/{GOOD}": VALID_PICK})
    result = load_picks(tmp_path, SETTINGS)
    [error] = result.errors
    assert (error.path, error.line, error.field) == (os.path.relpath(tmp_path / "2024" / GOOD), 1, "file name")
    assert "already used by" in error.message


def test_same_paper_in_two_picks_is_a_warning(tmp_path: Path) -> None:
    other = replace("date: 2024-04-11", "date: 2024-05-01", replace('"2404.07129"', '"2404.07129v2"'))
    write_picks(tmp_path, {GOOD: VALID_PICK, "2024-05-01-again.md": other})
    result = load_picks(tmp_path, SETTINGS)
    assert result.errors == [] and len(result.picks) == 2
    [warning] = result.findings
    assert (Path(warning.path).name, warning.line, warning.field, warning.severity) == (
        "2024-05-01-again.md",
        7,
        "papers[0]",
        "warning",
    )
    assert "2024-04-11-induction-heads" in warning.message


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda t: t.encode("utf-8-sig"), id="bom"),
        pytest.param(lambda t: t.replace("\n", "\r\n").encode(), id="crlf"),
        pytest.param(lambda t: t.replace("\n", "\r\n").encode("utf-8-sig"), id="bom-and-crlf"),
    ],
)
def test_bom_and_crlf_are_fine(tmp_path: Path, encode) -> None:
    (tmp_path / GOOD).write_bytes(encode(VALID_PICK))
    result = load_picks(tmp_path, SETTINGS)
    assert result.findings == []
    [pick] = result.picks
    assert pick.title == "What needs to go right for an induction head?"
    assert "\r" not in pick.body and pick.body.startswith("Clamping")


@pytest.mark.parametrize("written", ["2401.10000v2", "hep-th/9711200"])
def test_unquoted_arxiv_id_that_is_no_number_keeps_its_text(tmp_path: Path, written: str) -> None:
    write_picks(tmp_path, {GOOD: replace('arxiv: "2404.07129"', f"arxiv: {written}")})
    [pick] = load_picks(tmp_path, SETTINGS).picks
    assert pick.papers[0].arxiv == written


def test_cut_by_comment_is_a_warning(tmp_path: Path) -> None:
    write_picks(tmp_path, {GOOD: replace("title: What needs to go right for an induction head?", "title: Primer #1")})
    result = load_picks(tmp_path, SETTINGS)
    [warning] = result.findings
    assert (warning.severity, warning.line, warning.field) == ("warning", 2, "title")
    assert "quote the value" in warning.message and result.picks[0].title == "Primer"


def test_dates_become_utc_instants(tmp_path: Path) -> None:
    write_picks(
        tmp_path,
        {
            GOOD: VALID_PICK,
            "2024-04-12-late.md": pick_text(date="2024-04-12T23:30:00-07:00"),
        },
    )
    picks = load_picks(tmp_path, LoadSettings("Europe/Rome", "interpretability", None)).picks
    instants = {p.id: p.instant for p in picks}
    assert instants[GOOD[:-3]] == datetime(2024, 4, 10, 22, 0, tzinfo=UTC)  # midnight in Rome (UTC+2)
    assert instants["2024-04-12-late"] == datetime(2024, 4, 13, 6, 30, tzinfo=UTC)
    assert all(i.tzinfo is UTC for i in instants.values())


def test_drafts_and_underscore_files(tmp_path: Path) -> None:
    write_picks(
        tmp_path,
        {
            GOOD: VALID_PICK,
            "2024-04-12-draft.md": pick_text(date="2024-04-12", extra="draft: true\n"),
            "_template.md": "not a pick",
            "_drafts/2024-04-13-x.md": "not a pick either",
            ".hidden/2024-04-13-y.md": "nor this",
        },
    )
    assert [p.id for p in load_picks(tmp_path, SETTINGS).picks] == [GOOD[:-3]]
    with_drafts = LoadSettings("UTC", "interpretability", None, include_drafts=True)
    assert [p.id for p in load_picks(tmp_path, with_drafts).picks] == [GOOD[:-3], "2024-04-12-draft"]


def test_order_is_total_and_toggle_is_exact_reverse(tmp_path: Path) -> None:
    write_picks(
        tmp_path,
        {
            "2024-04-11-b.md": pick_text("b", arxiv="2404.00002"),
            "2024-04-11-a.md": pick_text("a", arxiv="2404.00001"),
            "2024-04-11-c.md": pick_text("c", date="2024-04-11T01:00:00+05:00", arxiv="2404.00003"),
        },
    )
    picks = load_picks(tmp_path, SETTINGS).picks
    oldest = [p.id for p in order_picks(picks, "oldest-first")]
    assert oldest == ["2024-04-11-c", "2024-04-11-a", "2024-04-11-b"]  # by instant, then by id
    assert [p.id for p in order_picks(picks, "newest-first")] == oldest[::-1]


def test_summary_defaults_to_first_paragraph(tmp_path: Path) -> None:
    write_picks(
        tmp_path,
        {
            GOOD: VALID_PICK,
            "2024-04-12-teaser.md": pick_text(date="2024-04-12", extra='summary: "Own teaser."\n'),
        },
    )
    summaries = {p.id: p.summary for p in load_picks(tmp_path, SETTINGS).picks}
    assert summaries == {
        GOOD[:-3]: "Clamping parts of a network during training shows how induction heads form.",
        "2024-04-12-teaser": "Own teaser.",
    }


GOLDEN = Path(__file__).parent / "golden" / "sample-picks.json"


def _as_json(pick) -> dict:
    return {
        "id": pick.id,
        "title": pick.title,
        "instant": pick.instant.isoformat(),
        "collection": pick.collection,
        "tags": list(pick.tags),
        "mentions": list(pick.mentions),
        "summary": pick.summary,
        "papers": [
            {k: v for k, v in vars(p).items() if v is not None and k not in ("line", "lines")} for p in pick.papers
        ],
    }


def test_sample_picks_match_golden() -> None:
    """A frozen copy of the sample picks loads without findings, exactly as recorded (UPDATE_GOLDEN=1 rewrites)."""
    result = load_picks(SAMPLE_PICKS, SETTINGS)
    assert result.findings == []
    loaded = [_as_json(p) for p in result.picks]
    for item in loaded:
        for paper in item["papers"]:
            paper["authors"] = list(paper["authors"])
    assert_matches_golden(GOLDEN, (json.dumps(loaded, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    assert len(loaded) == 15


def test_pinned_key_used_twice_is_an_error(tmp_path: Path) -> None:
    pinned = replace("    venue: ICML 2024", "    venue: ICML 2024\n    key: Singh2024")
    other = pick_text(date="2024-05-01", arxiv="2405.00001", extra="").replace(
        '    arxiv: "2405.00001"', '    arxiv: "2405.00001"\n    key: singh2024'
    )
    write_picks(tmp_path, {GOOD: pinned, "2024-05-01-other.md": other})
    result = load_picks(tmp_path, SETTINGS)
    [error] = result.errors
    assert (Path(error.path).name, error.line, error.field) == ("2024-05-01-other.md", 5, "papers[0].key")
    assert "already pinned" in error.message
    assert [p.source.name for p in result.picks] == [GOOD]  # the file with the error is left out


def test_a_field_without_its_own_line_is_reported_at_its_paper(tmp_path: Path) -> None:
    """Messages about a field a paper does not write (a DOI the check asks for) point at the paper's first line."""
    (tmp_path / "2024-04-11-x.md").write_text(VALID_PICK, "utf-8")
    [pick] = load_picks(tmp_path, LoadSettings("UTC", "interpretability")).picks
    [paper] = pick.papers
    assert paper.line_of("arxiv") == 10 and paper.line_of("doi") == paper.line == 7


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        pytest.param(
            "title: x\npapers:\n  - title: a\n \t\tauthors: [b]\n",
            5,
            "tabs cannot indent YAML; use spaces (tab at column 2)",  # the first tab
            id="tabs",
        ),
        pytest.param(
            "title: `code` heads\n",
            2,
            'quote values that start with `, e.g. "`name" (` cannot start a plain YAML value)',
            id="backtick",
        ),
        pytest.param(
            "mentions: @ada\n",
            2,
            'quote values that start with @, e.g. "@name" (@ cannot start a plain YAML value)',
            id="at",
        ),
        pytest.param(
            'title: Foo: "bar" \\baz\n',
            2,
            'quote the value, which holds \': \': title: "Foo: \\"bar\\" \\\\baz"',
            id="colon-quotes-backslash",
        ),
        pytest.param(
            "title: x\npapers:\n  - title: a\n    authors: [b]\n - title: c\n",
            6,
            "this line is indented 1 space(s); the items of the list above are indented 2",
            id="list-indent",
        ),
        pytest.param(
            "title: [unclosed\ndate: 2024-01-01\n",
            3,
            "YAML syntax error at column 5: did not find expected ',' or ']'",
            id="generic",
        ),
        pytest.param(
            "papers:\n  - title: a\n  authors: [b]\n  - x\n",
            4,
            "this line is indented 2 space(s); the fields beside it are indented 4",  # a field of the item above
            id="same-indent-as-the-list",
        ),
        pytest.param(
            "title: x\n  date: 2024\n",
            3,
            "YAML syntax error at column 7: mapping values are not allowed in this context",  # no ': ' in a value
            id="indented-key",
        ),
        pytest.param(
            'title: "a: b" x: y\n',
            2,
            "YAML syntax error at column 15: did not find expected key",  # ': ' in the value, another problem
            id="quoted-then-more",
        ),
        pytest.param(
            "papers:\n  - title: a\n    authors: [b\n    year: 2\n",
            5,
            "YAML syntax error at column 9: did not find expected ',' or ']'",  # in a list, not an indentation slip
            id="unclosed-inside-a-list",
        ),
    ],
)
def test_yaml_syntax_errors_in_an_authors_words(front: str, line: int, message: str) -> None:
    from generator.core.errors import Invalid
    from generator.core.frontmatter import split

    with pytest.raises(Invalid) as caught:
        split(f"---\n{front}---\n".encode())
    assert (caught.value.line, caught.value.message) == (line, message)


PAPERS = VALID_PICK[VALID_PICK.index("papers:") : VALID_PICK.index("---", 4)]
FIELD_MESSAGES = [
    # (front-matter edit of VALID_PICK, line, field, the whole message)
    (
        ("title: What needs to go right for an induction head?", "title: [What]"),
        2,
        "title",
        "expected text, not a list",
    ),
    (
        ("title: What needs to go right for an induction head?", "title: {a: b}"),
        2,
        "title",
        "expected text, not a mapping",
    ),
    (("title: What needs to go right for an induction head?", 'title: "  "'), 2, "title", "must not be empty"),
    (("tags: [induction heads, training dynamics]", "tags:"), 4, "tags", "must not be empty"),
    (
        ("tags: [induction heads, training dynamics]", "tags: circuits"),
        4,
        "tags",
        "expected a list, e.g. [first, second] or one '- item' per line",
    ),
    (("tags: [induction heads, training dynamics]", "tags: []"), 4, "tags", "must not be an empty list"),
    (("tags: [induction heads, training dynamics]", 'tags: [ok, "", x]'), 4, "tags[1]", "must not be empty"),
    (
        ("    year: 2024", "    year: [2024]"),
        9,
        "papers[0].year",
        "expected a whole number such as 2024, got 'a list or mapping'",
    ),
    (
        ("date: 2024-04-11", "date: 11 April 2024"),
        3,
        "date",
        "'11 April 2024' is not YYYY-MM-DD or an ISO 8601 date-time with offset",
    ),
    (
        (VALID_PICK[VALID_PICK.index("papers:") : VALID_PICK.index("---", 4)], "papers: []\n"),
        6,
        "papers",
        "expected a list of at least one paper ('- title: ...')",
    ),
    (
        ("    venue: ICML 2024\n", "    venu: ICML 2024\n"),
        11,
        "papers[0].venu",
        "unknown field (did you mean 'venue'?)",
    ),
    (("mentions:", "zzzzzz: 1\nmentions:"), 5, "zzzzzz", "unknown field"),
    ((PAPERS, "papers: some text\n"), 6, "papers", "expected a list of at least one paper ('- title: ...')"),
    (("    year: 2024\n", ""), 7, "papers[0].year", "required field is missing"),
]


@pytest.mark.parametrize(("edit", "line", "field", "message"), FIELD_MESSAGES)
def test_each_field_problem_in_its_own_words(tmp_path: Path, edit, line: int, field: str, message: str) -> None:
    (tmp_path / GOOD).write_text(replace(*edit), "utf-8")
    result = load_picks(tmp_path, SETTINGS)
    assert [(e.line, e.field, e.message) for e in result.errors] == [(line, field, message)]


def test_a_date_alone_is_midnight_and_z_is_utc(tmp_path: Path) -> None:
    write_picks(
        tmp_path,
        {"2024-04-11-a.md": pick_text("A", "2024-04-11"), "2024-04-12-b.md": pick_text("B", "2024-04-12T07:00:00Z")},
    )
    a, b = load_picks(tmp_path, LoadSettings("UTC", "interpretability")).picks
    assert a.instant == datetime(2024, 4, 11, tzinfo=UTC) and b.instant == datetime(2024, 4, 12, 7, tzinfo=UTC)


def _nested(depth: int, kind: str) -> str:
    return "a: " + ("[" * depth + "x" + "]" * depth if kind == "list" else "{b: " * depth + "x" + "}" * depth)


FRONT_MATTER_PROBLEMS = [
    # (front matter, line, field, the whole message), the front matter starting on line 2 as in a pick file
    ("", 2, "front matter", "the front matter is empty"),
    ("# a comment only\n", 2, "front matter", "the front matter is empty"),
    ("- a\n- b\n", 2, "front matter", "the front matter must be a mapping of 'field: value' lines"),
    ("a: &x 1\nb:\n  *x\n", 3, "b", "YAML anchors and aliases (& and *) are not allowed in picks"),
    ("a: &x 1\nb: [\n  *x]\n", 3, "b", "YAML anchors and aliases (& and *) are not allowed in picks"),
    ("a: !foo 1\n", 2, "a", "the YAML tag !foo is not allowed"),
    ("a: !!python/name:os.system 1\n", 2, "a", "the YAML tag !!python/name:os.system is not allowed"),
    ("? [a]\n: 1\n", 2, "front matter", "a field name must be plain text"),
    ('" ": 1\n', 2, "front matter", "a field name is missing before ':'"),
    (_nested(16, "list"), 2, "a", "the front matter is nested too deeply"),
    (_nested(16, "mapping"), 2, "b", "the front matter is nested too deeply"),
]


@pytest.mark.parametrize(("text", "line", "field", "message"), FRONT_MATTER_PROBLEMS)
def test_each_front_matter_problem_in_its_own_words(text: str, line: int, field: str, message: str) -> None:
    from generator.core.errors import Invalid
    from generator.core.frontmatter import compose

    with pytest.raises(Invalid) as raised:
        compose(text, 2)
    assert (raised.value.line, raised.value.field, raised.value.message) == (line, field, message)


def test_nesting_up_to_the_limit_is_fine_and_a_yaml_error_without_a_place_is_named() -> None:
    from generator.core.errors import Invalid
    from generator.core.frontmatter import compose

    assert compose(_nested(15, "list"), 2).items["a"].line == 2
    assert compose(_nested(15, "mapping"), 2).items["a"].line == 2
    with pytest.raises(Invalid) as raised:
        compose("a: b\x07\n", 2)  # the reader refuses it before any mark is known
    assert (raised.value.line, raised.value.field) == (2, "front matter")
    assert raised.value.message.startswith("YAML error: unacceptable character #x0007")


def test_every_paper_is_checked_whatever_the_one_before_it(tmp_path: Path) -> None:
    papers = "papers:\n  - just a title\n  - title: No id\n    authors: [A B]\n    year: 2024\n"
    (tmp_path / GOOD).write_text(replace(PAPERS, papers), "utf-8")
    assert [(e.line, e.field, e.message) for e in load_picks(tmp_path, SETTINGS).errors] == [
        (7, "papers[0]", "a paper must be a mapping with title, authors, year and arxiv/doi/url"),
        (8, "papers[1]", "a paper needs at least one of arxiv, doi or url"),
    ]


def test_which_files_are_picks(tmp_path: Path) -> None:
    from generator.core.loader import find_pick_files

    for name in (
        "picks/2024/a.md",
        "picks/_drafts/b.md",
        "picks/.git/c.md",
        "picks/_d.md",
        "picks/.e.md",
        "picks/notes.txt",
        "picks/2024/sub/f.md",
        "one/_named.md",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", "utf-8")
    found = find_pick_files([tmp_path / "one" / "_named.md", tmp_path / "picks"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "one/_named.md",  # a file named on the command line is read whatever its name
        "picks/2024/a.md",
        "picks/2024/sub/f.md",
    ]


def test_a_file_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    (tmp_path / GOOD).symlink_to(tmp_path / "gone.md")
    result = load_picks(tmp_path, SETTINGS)
    assert [(e.line, e.field, e.message) for e in result.errors] == [
        (1, "file", "cannot be read: No such file or directory")
    ]
    assert result.picks == []


def test_a_scheduled_pick_is_noted_in_the_sites_time_zone(tmp_path: Path) -> None:
    write_picks(tmp_path, {GOOD: replace("date: 2024-04-11", "date: 2024-04-11T07:00:00Z")})
    settings = LoadSettings("Europe/Paris", "interpretability", now=datetime(2024, 4, 1, tzinfo=UTC))
    [note] = load_picks(tmp_path, settings).findings
    assert (note.line, note.field, note.severity) == (3, "date", "note")
    assert note.message.startswith("scheduled for 2024-04-11 09:00 CEST: ")


COMMENT_WARNING = "YAML reads ' #' and what follows as a comment, so the value stops before it; quote the value"
PICK_PROBLEMS = [
    # (file name, edit of VALID_PICK, [(line, field, message, severity)]) for problems outside the field checks
    (GOOD, ("title: What needs", "title: Best #1 needs"), [(2, "title", COMMENT_WARNING, "warning")]),
    (GOOD, ("title: What needs to go right for an induction head?", 'title: "C # quoted"'), []),  # quoted: no comment
    (GOOD, ("redundant.\n", "redundant.\nsummary: see #1 here"), []),  # the body is not YAML, to its last line
    (
        GOOD,
        ("---\n\nClamping parts", "---\n\n\n\nClamping \x0b parts"),
        [(16, "body", "holds the control character U+000B, which XML feeds cannot carry; delete it", "error")],
    ),
    (
        GOOD,
        ("Clamping parts", "Clamping \x0b parts"),
        [(14, "body", "holds the control character U+000B, which XML feeds cannot carry; delete it", "error")],
    ),
    (
        GOOD,
        ("Clamping parts", "TODO parts"),
        [(14, "body", "still holds the template's placeholder (TODO): write this part", "error")],
    ),
    (
        GOOD,
        ("tags: [induction heads, training dynamics]", "tags: [ok, '!!!']"),
        [(4, "tags[1]", "'!!!' has no letter or digit to make its page's address from (tags/<slug>/)", "error")],
    ),
    ("2024-04-11-" + "x" * 89 + ".md", ("", ""), []),  # an id of exactly 100 characters
    (
        "2024-04-11-" + "x" * 90 + ".md",
        ("", ""),
        [
            (
                1,
                "file name",
                f"'2024-04-11-{'x' * 29}...' is too long: the id (file name without .md) becomes a folder; at most 100",
                "error",
            )
        ],
    ),
]


@pytest.mark.parametrize(("name", "edit", "found"), PICK_PROBLEMS)
def test_each_pick_problem_at_its_line_in_its_words(tmp_path: Path, name: str, edit, found) -> None:
    (tmp_path / name).write_text(replace(*edit) if edit[0] else VALID_PICK, "utf-8")
    result = load_picks(tmp_path, SETTINGS)
    assert [(f.line, f.field, f.message, f.severity) for f in result.findings] == found


_SYNTAX = "YAML syntax error at column 5: did not find expected ',' or ']'"
_BROKEN = replace("title: What needs to go right for an induction head?", "title: [x")
FILE_SHAPES = [
    # (the file's bytes, [(line, field, message)]): how a file is cut into front matter and body
    pytest.param(_BROKEN.encode(), [(3, "front matter", _SYNTAX)], id="lf"),
    pytest.param(_BROKEN.replace("\n", "\r\n").encode(), [(3, "front matter", _SYNTAX)], id="crlf-same-lines"),
    pytest.param(_BROKEN.replace("\n", "\r").encode(), [(3, "front matter", _SYNTAX)], id="cr-same-lines"),
    pytest.param(VALID_PICK.replace("---\n", "--- \n", 1).encode(), [], id="opening-with-trailing-space"),
    pytest.param(VALID_PICK.replace("\n---\n\n", "\n--- \n\n", 1).encode(), [], id="closing-with-trailing-space"),
    pytest.param(VALID_PICK.replace("\n---\n\n", "\n...\n\n", 1).encode(), [], id="closing-with-yaml-document-end"),
    pytest.param(b"---\n---\nbody\n", [(2, "front matter", "the front matter is empty")], id="empty"),
    pytest.param(
        b"--\ntitle: x\n---\n",
        [(1, "front matter", "the file must start with a '---' line, then YAML, then '---'")],
        id="no-opening",
    ),
    pytest.param(
        b"---\ntitle: x\nbody\n", [(1, "front matter", "no closing '---' line after the front matter")], id="no-closing"
    ),
    pytest.param(
        replace("mentions:", "  \x07\nmentions:").encode(),
        [(5, "front matter", "holds the control character U+0007, which XML feeds cannot carry; delete it")],
        id="control-character-on-a-line-without-a-key",
    ),
]


@pytest.mark.parametrize(("raw", "found"), FILE_SHAPES)
def test_a_file_is_cut_into_front_matter_and_body(tmp_path: Path, raw: bytes, found: list) -> None:
    (tmp_path / GOOD).write_bytes(raw)
    assert [(f.line, f.field, f.message) for f in load_picks(tmp_path, SETTINGS).findings] == found


def test_the_body_keeps_its_first_indent_and_its_last_letter() -> None:
    from generator.core.frontmatter import split

    text = VALID_PICK.replace("---\n\nClamping", "---\n\n    code block\n\nClamping").replace("redundant.", "on X")
    body = split(text.encode()).body
    assert body.startswith("    code block\n") and body.endswith("- Induction heads are additive and on X")
    assert split(VALID_PICK.replace("Clamping", "X-rays of").encode()).body.startswith("X-rays of")


def test_a_pick_keeps_its_headings_for_its_page(tmp_path: Path) -> None:
    (tmp_path / GOOD).write_text(VALID_PICK.replace("Notable findings:", "## Notable findings"), "utf-8")
    [pick] = load_picks(tmp_path, SETTINGS).picks
    assert [(entry["name"], entry["id"]) for entry in pick.toc] == [("Notable findings", "notable-findings")]


def test_cross_checks_name_the_other_file_and_look_at_every_pinned_key(tmp_path: Path) -> None:
    write_picks(tmp_path, {"2024/" + GOOD: VALID_PICK, "2025/" + GOOD: VALID_PICK})
    [duplicate] = [f for f in load_picks(tmp_path, SETTINGS).findings if f.field == "file name"]
    assert (
        duplicate.message
        == f"the id '2024-04-11-induction-heads' is already used by {os.path.relpath(tmp_path / '2024' / GOOD)}"
    )


def test_a_pinned_key_clashes_only_with_another_paper(tmp_path: Path) -> None:
    pinned = replace("    venue: ICML 2024", "    venue: ICML 2024\n    key: Singh2024")
    again = pinned.replace("date: 2024-04-11", "date: 2024-05-01")  # the same paper, the same key: a warning only
    second = (
        '  - title: Another paper\n    authors: [A B]\n    year: 2024\n    arxiv: "2405.00002"\n    key: singh2024\n'
    )
    other = pick_text(date="2024-06-01", arxiv="2406.00001", extra="").replace("---\n\n", second + "---\n\n", 1)
    own = pick_text(date="2024-07-01", arxiv="2407.00001").replace(
        "    year: 2024\n", "    year: 2024\n    key: Own2024\n"
    )
    write_picks(
        tmp_path,
        {GOOD: pinned, "2024-05-01-again.md": again, "2024-06-01-other.md": other, "2024-07-01-own.md": own},
    )
    findings = load_picks(tmp_path, SETTINGS).findings
    assert [(Path(f.path).name, f.field, f.severity) for f in findings] == [
        ("2024-05-01-again.md", "papers[0]", "warning"),
        ("2024-06-01-other.md", "papers[1].key", "error"),  # its first paper has no key; the second is looked at
    ]
    assert (
        findings[1].message
        == "the BibTeX key 'singh2024' is already pinned for another paper in 2024-04-11-induction-heads"
    )


def test_an_undeclared_default_collection_is_named_with_what_is_declared(tmp_path: Path) -> None:
    (tmp_path / GOOD).write_text(VALID_PICK, "utf-8")
    [error] = load_picks(tmp_path, LoadSettings("UTC", "interpretability", frozenset())).findings
    assert (error.line, error.field, error.message) == (
        2,
        "collection",
        "'interpretability' is not declared in the config (declared: none)",
    )
    (tmp_path / GOOD).write_text(replace("mentions:", "collection: sports\nmentions:"), "utf-8")
    [error] = load_picks(tmp_path, SETTINGS).findings
    assert (error.line, error.message) == (
        5,
        "'sports' is not declared in the config (declared: classics, interpretability)",
    )
