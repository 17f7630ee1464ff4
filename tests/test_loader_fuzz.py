"""The loader never crashes on arbitrary input: every file either loads or yields findings."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import VALID_PICK
from generator.core.loader import LoadSettings, load_picks

NAME = "2024-04-11-induction-heads.md"
LINES = VALID_PICK.splitlines(keepends=True)
YAML_BITS = st.sampled_from(
    [
        "---\n",
        "title: x\n",
        "date: 2024-04-11\n",
        "papers:\n",
        "  - title: t\n",
        "    authors: [a]\n",
        "    year: 1\n",
        '    arxiv: "2404.07129"\n',
        "tags: [a, b]\n",
        "&a ",
        "*a",
        "!!python/name:os.system ",
        "[",
        "]",
        "{",
        "}",
        ": ",
        "- ",
        "'",
        '"',
        "\t",
        "\r\n",
        "\ufeff",
        "\x00",
        "\x07",
        "<script>",
        "javascript:",
        "\xff",
        "é",
        "๐",
        "?",
        "|\n",
    ]
)


def _load(data: bytes):
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / NAME).write_bytes(data)
        result = load_picks(Path(folder), LoadSettings("UTC", "interpretability", frozenset({"interpretability"})))
        assert result.files == 1
        assert len(result.picks) == 1 or result.errors, "a file that did not load must say why"
        for finding in result.findings:
            assert finding.line >= 1 and finding.field and finding.message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    _load(data)


@settings(max_examples=400, deadline=None)
@given(st.lists(YAML_BITS, max_size=40))
def test_random_front_matter_pieces(pieces: list[str]) -> None:
    _load(("---\n" + "".join(pieces) + "\n---\nbody\n").encode("utf-8", "surrogatepass"))


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(LINES) - 1), st.integers(0, len(LINES) - 1), YAML_BITS)
def test_mutated_valid_pick(drop: int, at: int, insert: str) -> None:
    lines = list(LINES)
    del lines[drop]
    lines.insert(at, insert)
    _load("".join(lines).encode("utf-8", "surrogatepass"))


# The fuzz tests above would pass a loader that accepted everything; these mutations must be refused.
REQUIRED = [
    i for i, line in enumerate(LINES) if line.lstrip(" -").startswith(("title:", "date:", "papers:", "authors:"))
]
CLOSING = LINES.index("---\n", 1)
TOP_LEVEL = [i for i, line in enumerate(LINES[1:CLOSING], start=1) if line[:1].isalpha()] + [CLOSING]
BAD_LINES = st.sampled_from(["bogus: 1\n", "title: again\n", "date: soon\n", "tags: []\n", "draft: maybe\n"])


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(REQUIRED))
def test_dropping_a_required_line_is_refused(drop: int) -> None:
    lines = list(LINES)
    del lines[drop]
    assert _errors("".join(lines).encode("utf-8")), LINES[drop]


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(TOP_LEVEL), BAD_LINES)
def test_inserting_a_bad_field_is_refused(at: int, bad: str) -> None:
    lines = list(LINES)
    lines.insert(at, bad)
    assert _errors("".join(lines).encode("utf-8")), bad


def _errors(data: bytes) -> list:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / NAME).write_bytes(data)
        result = load_picks(Path(folder), LoadSettings("UTC", "interpretability", frozenset({"interpretability"})))
        assert result.picks == [] or not result.errors
        return result.errors
