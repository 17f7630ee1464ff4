"""Bounded cost for every pick (issue 33): each input dimension has a limit, refused at its line before anything
costly runs; only regular files inside picks/ are read; deep nesting is a finding, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import EXTENSIONS, VALID_PICK, mkdocs_build, pick_text, write_project
from generator.core import limits
from generator.core.body import BodyRenderer
from generator.core.loader import LoadSettings, load_picks

SETTINGS = LoadSettings("UTC", "interpretability", renderer=BodyRenderer(EXTENSIONS))
NAME = "2024-04-11-x.md"


def _errors(folder: Path, text: str | bytes) -> list[tuple[int, str, str]]:
    for old in folder.glob("*.md"):
        old.unlink()
    path = folder / NAME
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return [(e.line, e.field, e.message) for e in load_picks(folder, SETTINGS).errors]


def _paper(n: int, authors: int = 2) -> str:
    names = ", ".join(f"Author{chr(65 + i % 26)} Number{i}" for i in range(authors))
    return f'  - title: Paper {n}\n    authors: [{names}]\n    year: 2024\n    arxiv: "2404.{n:05d}"\n'


def _with_papers(count: int, authors: int = 2) -> str:
    papers = "".join(_paper(n + 1, authors) for n in range(count))
    return f"---\ntitle: Many\ndate: 2024-04-11\npapers:\n{papers}---\n\nA body.\n"


def _body(body: str) -> str:
    return pick_text(body=body)


BODY_LINE = 11  # the first body line of pick_text


@pytest.mark.parametrize(
    ("at_limit", "past_limit", "line", "field", "words"),
    [
        (
            _body("x" * limits.LINE_CHARS + "\n"),
            _body("x" * (limits.LINE_CHARS + 1) + "\n"),
            BODY_LINE,
            "body",
            "characters long",
        ),
        (
            pick_text(tags=[f"t{i}" for i in range(limits.TAGS)]),
            pick_text(tags=[f"t{i}" for i in range(limits.TAGS + 1)]),
            4,
            "tags",
            "21 tags, over the limit of 20",
        ),
        (
            pick_text(extra="mentions: [" + ", ".join(f'"@h{i}"' for i in range(limits.MENTIONS)) + "]\n"),
            pick_text(extra="mentions: [" + ", ".join(f'"@h{i}"' for i in range(limits.MENTIONS + 1)) + "]\n"),
            4,
            "mentions",
            "over the limit of 20",
        ),
        (_with_papers(limits.PAPERS), _with_papers(limits.PAPERS + 1), 45, "papers", "11 papers"),
        (_with_papers(1, limits.AUTHORS), _with_papers(1, limits.AUTHORS + 1), 6, "papers[0].authors", "501 authors"),
        (
            _body("- " * limits.NESTING + "deep\n"),
            _body("- " * (limits.NESTING + 1) + "deep\n"),
            BODY_LINE,
            "body",
            "list or quote markers",
        ),
        (
            _body('<div markdown="1">\n' * limits.NESTING + "x\n" + "</div>\n" * limits.NESTING),
            _body('<div markdown="1">\n' * (limits.NESTING + 1) + "x\n" + "</div>\n" * (limits.NESTING + 1)),
            BODY_LINE + limits.NESTING,
            "body",
            "HTML blocks nested",
        ),
        (
            _body("```\n" + ("y" * 99 + "\n") * (limits.CODE_CHARS // 100) + "```\n"),
            _body("```\n" + ("y" * 99 + "\n") * (limits.CODE_CHARS // 100 + 1) + "```\n"),
            BODY_LINE,
            "body",
            "code block is over",
        ),
        (
            _body('```python hl_lines="1 3"\na\nb\nc\n```\n'),
            _body('```python hl_lines="1-100000"\na\nb\nc\n```\n'),
            BODY_LINE,
            "body",
            "hl_lines names a line past",
        ),
        (
            _body("a &lt; b " * 10 + "<b>x</b> " * (limits.TAG_LIKE // 2) + "\n"),
            _body("<b>x</b> " * (limits.TAG_LIKE // 2 + 1) + "\n"),
            BODY_LINE,
            "body",
            "'<' in one paragraph",
        ),
    ],
    ids=["line", "tags", "mentions", "papers", "authors", "markers", "html-nesting", "code", "hl_lines", "tag-like"],
)
def test_each_dimension_admits_its_limit_and_refuses_past_it_at_its_line(
    tmp_path: Path, at_limit: str, past_limit: str, line: int, field: str, words: str
) -> None:
    assert [e for e in _errors(tmp_path, at_limit) if words in e[2]] == []
    errors = _errors(tmp_path, past_limit)
    assert [(found, name) for found, name, message in errors if words in message] == [(line, field)], errors


def test_a_file_over_the_size_limit_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    padding = limits.FILE_BYTES - len(VALID_PICK.encode())
    lines = ("word " * 19 + "word\n") * (padding // 100)
    assert _errors(tmp_path, VALID_PICK + lines + "x" * (padding - len(lines) - 1) + "\n") == []
    errors = _errors(tmp_path, VALID_PICK + "x" * padding + "\n")
    assert errors == [(1, "file", "is over 100,000 bytes, the limit of a pick: shorten it or split it in two")]


def test_only_regular_files_inside_the_folder_are_read(tmp_path: Path) -> None:
    picks, outside = tmp_path / "picks", tmp_path / "outside"
    picks.mkdir()
    outside.mkdir()
    (outside / "secret.md").write_text(VALID_PICK, "utf-8")
    (picks / "2024-04-11-away.md").symlink_to(outside / "secret.md")
    (picks / "2024-04-12-zero.md").symlink_to("/dev/zero")
    (picks / "_real.md").write_text(pick_text(date="2024-04-13", arxiv="2404.00013"), "utf-8")
    (picks / "2024-04-13-inside.md").symlink_to(picks / "_real.md")  # a link inside the folder is fine
    os.mkfifo(picks / "2024-04-14-pipe.md")
    result = load_picks(picks, SETTINGS)
    found = {Path(e.path).name: (e.line, e.field, e.message) for e in result.errors}
    assert (
        found["2024-04-11-away.md"][:2] == (1, "file") and "outside the picks folder" in found["2024-04-11-away.md"][2]
    )
    assert "outside the picks folder" in found["2024-04-12-zero.md"][2]
    assert "is not a regular file" in found["2024-04-14-pipe.md"][2]
    assert [p.id for p in result.picks] == ["2024-04-13-inside"]


MARKER = st.sampled_from(["- ", "* ", "1. ", "> ", "  ", '<div markdown="1">\n', "</div>\n", "\n"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(MARKER, max_size=400), text=st.sampled_from(["deep", "", "**bold**"]))
@example(parts=["- "] * 400, text="deep")  # hundreds of markers on one line: a RecursionError before
@example(parts=['<div markdown="1">\n'] * 300, text="deep")
@example(parts=["> "] * 300, text="deep")
@example(parts=['<div markdown="1">\n'] * 2, text="deep")  # found: two unclosed blocks drop what follows
@example(parts=["</div>\n"], text="deep")
def test_deep_nesting_is_refused_at_its_line_or_rendered_whole_never_a_traceback(tmp_path: Path, parts, text) -> None:
    body = "".join(parts) + text + "\n"
    result = load_picks(_write(tmp_path, _body(body)), SETTINGS)
    if result.picks:
        [pick] = result.picks
        assert text.strip("*") in pick.html  # nothing cut: what was written is in the page
    else:
        assert result.errors and all(e.line >= 1 and e.field for e in result.errors)


@pytest.mark.parametrize("step", [2, 4])
def test_a_list_nested_line_by_line_past_the_limit_is_refused(tmp_path: Path, step: int) -> None:
    body = "\n".join(" " * (step * level) + "- level" for level in range(100)) + "\n"
    errors = _errors(tmp_path, _body(body))
    first = next(level for level in range(100) if step * level > 4 * limits.NESTING)
    assert (BODY_LINE + first, "body", f"indented more than {4 * limits.NESTING} spaces: nest less deeply") in errors


def _write(folder: Path, text: str) -> Path:
    for old in folder.glob("*.md"):
        old.unlink()
    (folder / NAME).write_text(text, "utf-8")
    return folder


def test_a_refused_nesting_fails_the_build_by_line_not_by_traceback(tmp_path: Path) -> None:
    config = write_project(tmp_path, {NAME: _body("- " * 400 + "deep\n")}, markdown_extensions=EXTENSIONS)
    result = mkdocs_build(config)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert f"picks/{NAME}:{BODY_LINE}: error: body: more than {limits.NESTING} list or quote markers" in result.stderr


@pytest.mark.parametrize(("lines", "refused"), [("1 2", False), ("3", True)])
def test_hl_lines_of_a_fence_never_closed_count_the_lines_to_the_end(tmp_path: Path, lines: str, refused: bool) -> None:
    # An unclosed fence runs to the end of the body: its lines are the rest of the file (here two).
    errors = _errors(tmp_path, _body(f'```python hl_lines="{lines}"\na = 1\nb = 2\n'))
    past = [(line, field) for line, field, message in errors if "hl_lines names a line past the block's 2" in message]
    assert past == ([(BODY_LINE, "body")] if refused else [])


CODE_OVER = f"this code block is over {limits.CODE_CHARS:,} characters: link the code instead"
TAGS_OVER = f"more than {limits.TAG_LIKE} '<' in one paragraph: write &lt; or split the paragraph"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # A code block counts each line and its line end: exactly the limit is admitted, one more is not.
        ("```\n" + ("y" * 99 + "\n") * 200 + "```", []),
        ("```\n" + ("y" * 99 + "\n") * 199 + "y" * 100 + "\n```", [(1, CODE_OVER)]),
        # Said once however long the block runs on, and what the block holds is code, never HTML to weigh.
        ("```\n" + ("y" * 99 + "\n") * 250 + "<div>\n" * 20 + "```", [(1, CODE_OVER)]),
        # After a block closes, what follows is checked again.
        (
            "```\ncode\n```\n\n" + "- " * (limits.NESTING + 1) + "deep",
            [(5, "more than 10 list or quote markers on one line: nest less deeply")],
        ),
        (
            "~~~~\n```\nstill code\n~~~~\n" + " " * (4 * limits.NESTING + 1) + "x",
            [(5, "indented more than 40 spaces: nest less deeply")],
        ),
        (" " * (4 * limits.NESTING) + "x", []),  # exactly the indentation allowed
        # '<' counted per paragraph: a blank line starts the count again, the error names the paragraph's line.
        ("<" * 150 + "\n" + "<" * 51, [(1, TAGS_OVER)]),
        ("a\n\n" + "<" * 200 + "\n\n" + "<" * 201, [(5, TAGS_OVER)]),
        ("<" * 200 + "\n" + "<", [(1, TAGS_OVER)]),  # crossing the limit by the last '<' of a line
        # HTML blocks: well nested is nothing to say; a stray closing tag is named in lower case.
        ('<div markdown="1">\n<details>\nx\n</details>\n</div>', []),
        (
            "<DIV>\n</Div>\n</Section>",
            [(3, "</section> closes no <section> opened above it: remove it or open the element")],
        ),
        ("<div/> </div>", [(1, "</div> closes no <div> opened above it: remove it or open the element")]),
    ],
    ids=[
        "code-at-limit",
        "code-past-limit",
        "code-said-once",
        "after-a-fence",
        "longer-fence",
        "indent-at-limit",
        "tags-in-a-paragraph",
        "tags-per-paragraph",
        "tags-crossing-at-a-line-end",
        "html-nested",
        "html-stray-close",
        "html-self-closing",
    ],
)
def test_each_body_limit_at_its_exact_edge(body: str, expected: list[tuple[int, str]]) -> None:
    assert list(limits.body_limits(body)) == expected


@pytest.mark.parametrize("name", ["2024-04-12-zero.md", "2024-04-14-pipe.md"])
def test_a_device_or_a_pipe_is_named_for_what_it_is(tmp_path: Path, name: str) -> None:
    picks = tmp_path / "picks"
    picks.mkdir()
    if name.endswith("zero.md"):
        (picks / name).symlink_to("/dev/zero")
    else:
        os.mkfifo(picks / name)
    found = [(e.line, e.field, e.message) for e in load_picks(picks, SETTINGS).errors]
    message = "is not a regular file (a device, a pipe or a folder): a pick is a Markdown file"
    if name.endswith("zero.md"):  # a link out of the folder is refused before what it leads to is asked
        assert found == [(1, "file", "is a link to /dev/zero, outside the picks folder: copy the pick in instead")]
    else:
        assert found == [(1, "file", message)]
