"""Characters no output can carry safely: what XML 1.0 forbids, and text-direction controls in front matter."""

from __future__ import annotations

import re

# XML 1.0 cannot carry these, so feeds could not either.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


# A numeric character reference (&#1; &#xB;) that a Markdown body hands on to HTML, where it becomes the character.
_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


def control_character(text: str, *, references: bool = False) -> tuple[int, str] | None:
    """(offset, message) for the first character an XML feed could not carry, or None.

    With ``references`` (Markdown bodies), a character reference to one counts as the character itself.
    """
    found = []
    if bad := CONTROL_CHARS.search(text):
        found.append((bad.start(), ord(bad.group()), "the control character"))
    if references and "&#" in text:
        for ref in _CHARACTER_REFERENCE.finditer(text):
            code = int(ref.group(1), 16) if ref.group(1) else int(ref.group(2))
            if code == 0 or code > 0x10FFFF or CONTROL_CHARS.match(chr(code)):
                found.append((ref.start(), code, f"the character reference {ref.group()!r} to"))
                break
    if not found:
        return None
    offset, code, what = min(found)
    return offset, f"holds {what} U+{code:04X}, which XML feeds cannot carry; delete it"


# Embeddings, overrides and isolates (U+202A-202E, U+2066-2069) reorder what a reader sees: a title or a handle
# can show one text and be another ("Trojan Source"). Front matter never needs them; the marks U+200E/200F stay.
DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def direction_control(text: str) -> str | None:
    """The message for the first text-direction control in front-matter text, or None."""
    if bad := DIRECTION_CONTROLS.search(text):
        code = ord(bad.group())
        return f"holds the text-direction control U+{code:04X}, which makes text read other than it is; delete it"
    return None
