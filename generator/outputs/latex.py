"""LaTeX encoding for BibTeX prose fields: titles, authors and venues."""

from __future__ import annotations

import logging
import re

from pylatexenc.latexencode import RULE_DICT, UnicodeToLatexConversionRule, UnicodeToLatexEncoder
from text_unidecode import unidecode

from .tex_math import MATH_COMMANDS, safe_math

__all__ = ["MATH_COMMANDS", "encode", "encode_title", "safe_math"]


def _romanise(char: str) -> str:
    # pdfLaTeX cannot set characters LaTeX has no name for (CJK, say): write their romanisation.
    return re.sub(r"[^A-Za-z0-9 ]", "", unidecode(char))


# pylatexenc logs a warning per romanised character; _romanise already handles them.
logging.getLogger("pylatexenc.latexencode").setLevel(logging.ERROR)
_ENCODER = UnicodeToLatexEncoder(
    conversion_rules=[
        # BibTeX counts braces even after a backslash, so \{ would unbalance a field.
        UnicodeToLatexConversionRule(RULE_DICT, {ord("{"): r"\textbraceleft", ord("}"): r"\textbraceright"}),
        "defaults",
    ],
    replacement_latex_protection="braces-all",
    unknown_char_policy=_romanise,
)
# Inline math the author meant: $...$ with no space inside either dollar and no digit after the closing one,
# so "$O(n^2)$" stays math while "$5 and $10" stays two dollar signs.
_MATH = re.compile(r"\$(?=\S)([^$]*?\S)\$(?![0-9])")
_ASCII_SPECIAL = re.compile(r'["#$%&<>\\^_{}~\x0b\x0c]')
_WORD = re.compile(r"[A-Za-z]+")
_ACRONYM_PLURAL = re.compile(r"^([A-Z]+)(s?)$")


def encode(text: str) -> str:
    """Text for a BibTeX prose field, safe for classic BibTeX and pdfLaTeX."""
    if text.isascii() and not _ASCII_SPECIAL.search(text):
        return text  # most names and words: nothing to encode, and pylatexenc is slow
    return _ENCODER.unicode_to_latex(text)


def _protect_word(word: str) -> str:
    if not any(c.isupper() for c in word[1:]):
        return word
    if acronym := _ACRONYM_PLURAL.match(word):
        return "{" + acronym.group(1) + "}" + acronym.group(2)
    return "{" + word + "}"


def _encode_title_text(text: str) -> str:
    out, last = [], 0
    for word in _WORD.finditer(text):
        out += [encode(text[last : word.start()]), _protect_word(word.group())]
        last = word.end()
    out.append(encode(text[last:]))
    return "".join(out)


def encode_title(title: str) -> str:
    """A title: acronyms and inner capitals braced (``{GPT}-2``, ``{LM}s``), safe math kept, the rest encoded."""
    out, last = [], 0
    for math in _MATH.finditer(title):
        if not safe_math(math.group(1)):
            continue
        out += [_encode_title_text(title[last : math.start()]), math.group()]
        last = math.end()
    out.append(_encode_title_text(title[last:]))
    return "".join(out)
