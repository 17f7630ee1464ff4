"""Mis-decoded text warns with file, line, field and the repair; clean non-ASCII text never warns."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import VALID_PICK, write_picks
from generator.core.loader import LoadSettings, load_picks
from generator.core.mojibake import mojibake_warning

GOOD = "2024-04-11-induction-heads.md"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        pytest.param("GonÃ§alo Paulo", "did you mean 'Gonçalo Paulo'?", id="utf8-read-as-latin1"),
        pytest.param("naÃ¯ve cafÃ©", "did you mean 'naïve café'?", id="accents"),
        pytest.param("๐ Today's pick in Interpretability", "'๐' (THAI DIGIT ZERO)", id="lone-thai-digit"),
    ],
)
def test_mojibake_warns(text: str, words: str) -> None:
    message = mojibake_warning(text)
    assert message is not None and words in message


@pytest.mark.parametrize(
    "text",
    [
        "Gonçalo Paulo",
        "Łukasz Kaiser",
        "李华",
        "Li Hua (李华) and Ada",
        "Café naïve",
        "the β term of α-synuclein",
        "🎉 Today's pick",
        "Привет, мир",
        "plain ASCII",
    ],
)
def test_clean_text_never_warns(text: str) -> None:
    assert mojibake_warning(text) is None


def test_loader_names_file_line_and_field(tmp_path: Path) -> None:
    text = VALID_PICK.replace("Ted Moskovitz", "GonÃ§alo Paulo").replace("Clamping", "๐ Today's pick: clamping")
    write_picks(tmp_path, {GOOD: text})
    result = load_picks(tmp_path, LoadSettings())
    assert result.errors == [] and len(result.picks) == 1  # warnings never block a pick
    found = [(Path(w.path).name, w.line, w.field, w.severity) for w in result.findings]
    assert found == [(GOOD, 8, "authors", "warning"), (GOOD, 14, "body", "warning")]
    assert "did you mean 'authors: [Aaditya K. Singh, Gonçalo Paulo]'?" in result.findings[0].message


def test_a_line_that_names_no_field_is_reported_as_front_matter(tmp_path: Path) -> None:
    """An author on its own list line: the line itself names no key, so the warning says the front matter."""
    block = VALID_PICK.replace("authors: [Aaditya K. Singh, Ted Moskovitz]", "authors:\n      - GonÃ§alo Paulo")
    write_picks(tmp_path, {GOOD: block})
    [warning] = load_picks(tmp_path, LoadSettings()).findings
    assert (warning.line, warning.field) == (9, "front matter")


LONE = "the lone character '{}' ({}) in Latin text looks like a mis-decoded emoji or symbol; retype or remove it"


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("abcd ๐", LONE.format("๐", "THAI DIGIT ZERO")),  # 4 of 5 letters Latin: mostly Latin, exactly
        ("éééé ๐", LONE.format("๐", "THAI DIGIT ZERO")),  # accented letters are Latin too
        ("abcd 12 ๐", None),  # digits count as letters: 4 of 7 is not mostly Latin
        ("๐ latin words here ๑", LONE.format("๐", "THAI DIGIT ZERO")),  # the first one, at the very start
        ("Latin words here ๐", LONE.format("๐", "THAI DIGIT ZERO")),  # at the very end
        ("Latin words here ๐๑", None),  # two together are text in that script, not a stray glyph
        ("Latin words here ก๐", None),  # a letter and a digit of one script are one script
        ("🎉 🎉", None),  # no letter at all
        ("â€", "looks mis-decoded (mojibake)"),  # bad, and no repair known
    ],
)
def test_where_a_stray_character_is_and_is_not(text: str, warning: str | None) -> None:
    assert mojibake_warning(text) == warning


def test_the_repair_fixes_the_encoding_and_nothing_else() -> None:
    """Curly quotes, ligatures and fullwidth letters the author wrote stay as written in the suggestion
    (ftfy's full fix_text would straighten, expand and narrow them: a different text)."""
    warning = mojibake_warning("Ã©tude of â€œheadsâ€\x9d: ﬁne ＡＩ")
    assert warning == "looks mis-decoded (mojibake); did you mean 'étude of “heads”: ﬁne ＡＩ'?"
