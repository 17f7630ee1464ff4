"""Warn on text that looks mis-decoded, as text pasted from social posts often is."""

from __future__ import annotations

import re
import unicodedata

import ftfy
from ftfy.badness import is_bad

# Anything outside Latin, Greek and general punctuation; only such text needs the per-character check.
_OTHER_SCRIPT = re.compile("[^\x00-\u03ff\u1e00-\u1fff\u2000-\u2bff]")
# Scripts that legitimately appear alone inside Latin scientific prose (α-synuclein, the β term).
_ALLOWED_ALONE = ("LATIN", "GREEK")


def _script(char: str) -> str:
    """The script word of a letter or digit's Unicode name (``THAI`` for ``๐``), else ''."""
    if char.isascii() or unicodedata.category(char)[0] not in "LN":
        return ""
    return unicodedata.name(char, "").split(" ", 1)[0]


def _isolated_foreign(text: str) -> str | None:
    """A lone letter or digit of another script inside mostly-Latin text (``๐ Today's pick``)."""
    scripts = [_script(c) for c in text]
    latin = sum(c.isascii() and c.isalpha() for c in text) + scripts.count("LATIN")
    letters = sum(1 for c in text if c.isalpha() or unicodedata.category(c)[0] == "N")
    if not letters or latin / letters < 0.8:
        return None
    for index, script in enumerate(scripts):
        if script and script not in _ALLOWED_ALONE:
            before = scripts[index - 1] if index else ""
            after = scripts[index + 1] if index + 1 < len(scripts) else ""
            if before != script and after != script:
                return text[index]
    return None


def mojibake_warning(text: str) -> str | None:
    """A warning message with the repaired text when known, or None for clean text."""
    if text.isascii():
        return None
    if is_bad(text):
        fixed = ftfy.fix_encoding(text)
        if fixed != text:
            return f"looks mis-decoded (mojibake); did you mean '{fixed.strip()}'?"
        return "looks mis-decoded (mojibake)"
    if _OTHER_SCRIPT.search(text) and (char := _isolated_foreign(text)) is not None:
        name = unicodedata.name(char, f"U+{ord(char):04X}")
        return (
            f"the lone character '{char}' ({name}) in Latin text looks like a mis-decoded emoji or symbol; "
            "retype or remove it"
        )
    return None
