"""LaTeX encoding for BibTeX prose fields: titles, authors and venues."""

from __future__ import annotations

import logging
import re

from pylatexenc.latexencode import RULE_DICT, UnicodeToLatexConversionRule, UnicodeToLatexEncoder
from text_unidecode import unidecode


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
# The printable ASCII characters pylatexenc rewrites (checked by a test against the encoder itself).
# The math a title may keep as written: the commands papers' titles use, nothing that reads files or runs
# commands (\\input, \\write18, \[0-9]ef, \\catcode...). Anything else is encoded as the text it is.
MATH_COMMANDS = frozenset(
    [
        "alpha",
        "beta",
        "gamma",
        "delta",
        "epsilon",
        "varepsilon",
        "zeta",
        "eta",
        "theta",
        "vartheta",
        "iota",
        "kappa",
        "lambda",
        "mu",
        "nu",
        "xi",
        "pi",
        "rho",
        "sigma",
        "tau",
        "upsilon",
        "phi",
        "varphi",
        "chi",
        "psi",
        "omega",
        "Gamma",
        "Delta",
        "Theta",
        "Lambda",
        "Xi",
        "Pi",
        "Sigma",
        "Upsilon",
        "Phi",
        "Psi",
        "Omega",
        "mathbb",
        "mathcal",
        "mathbf",
        "mathrm",
        "mathit",
        "mathsf",
        "boldsymbol",
        "text",
        "frac",
        "sqrt",
        "sum",
        "prod",
        "int",
        "log",
        "exp",
        "min",
        "max",
        "sin",
        "cos",
        "infty",
        "ell",
        "partial",
        "nabla",
        "cdot",
        "times",
        "leq",
        "geq",
        "le",
        "ge",
        "neq",
        "approx",
        "sim",
        "propto",
        "in",
        "notin",
        "subset",
        "subseteq",
        "cup",
        "cap",
        "to",
        "rightarrow",
        "leftarrow",
        "mapsto",
        "ldots",
        "cdots",
        "dots",
        "top",
        "prime",
        "hat",
        "tilde",
        "bar",
        "vec",
        "widehat",
        "widetilde",
        "overline",
        "left",
        "right",
        "mid",
        "quad",
    ]
)
_MATH_TOKEN = re.compile(r"\\([A-Za-z]+|[,;! ])|([A-Za-z0-9\s^_{}()\[\]+\-*/=<>|.,;:!'~])")
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


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def safe_math(math: str) -> bool:
    """Whether inline math (without its dollars) uses only the documented subset, with balanced braces."""
    position = 0
    while position < len(math):
        token = _MATH_TOKEN.match(math, position)
        if token is None or (token.group(1) and token.group(1)[0].isalpha() and token.group(1) not in MATH_COMMANDS):
            return False
        position = token.end()
    return _balanced(math)


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
