"""Characters no output can carry: what XML 1.0 forbids, found in front matter and bodies."""

from __future__ import annotations

import re

# XML 1.0 cannot carry these, so feeds could not either.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def control_character(text: str) -> tuple[int, str] | None:
    """(offset, message) for the first character an XML feed could not carry, or None."""
    if bad := CONTROL_CHARS.search(text):
        return bad.start(), f"holds the control character U+{ord(bad.group()):04X}, which XML feeds cannot carry"
    return None
