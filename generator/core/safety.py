"""Characters no output can carry: what XML 1.0 forbids, found in front matter and bodies."""

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
