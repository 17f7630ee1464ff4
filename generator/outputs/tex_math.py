"""The inline math a title may keep: known commands, well-formed scripts and groups, nothing TeX reads otherwise."""

from __future__ import annotations

import re

# The commands papers' titles use, with how many arguments each takes; nothing that reads files or runs commands
# (\input, \write18, \def, \catcode...). Anything else is encoded as the text it is.
ARGUMENTS = {
    **dict.fromkeys(("frac",), 2),
    **dict.fromkeys(("sqrt", "hat", "tilde", "bar", "vec", "widehat", "widetilde", "overline", "left", "right"), 1),
    **dict.fromkeys(("mathbb", "mathcal", "mathbf", "mathrm", "mathit", "mathsf", "boldsymbol", "text"), 1),
}
SYMBOLS = frozenset(
    (
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
        "mid",
        "quad",
    )
)
MATH_COMMANDS = frozenset([*ARGUMENTS, *SYMBOLS])
_TOKEN = re.compile(r"\\([A-Za-z]+|[,;! ])|([A-Za-z0-9^_{}()\[\]+\-*/=<>|.,;:!'~])|\s+")
_DELIMITERS = set("()[]|./<>")
_TEXT = re.compile(r"^[A-Za-z0-9 .,;:!?'()\[\]/+=<>|-]*$")  # \text{...} is read in text mode: no scripts there


class _Refused(Exception):
    pass


def safe_math(math: str) -> bool:
    """Whether inline math (without its dollars) is in the subset a title keeps: known commands, each with its
    arguments, balanced groups, at most one superscript and one subscript per atom, \\left and \\right in pairs,
    and never ``^^`` (TeX's own encoding of any character: ``^^5c`` is a backslash)."""
    tokens, position = [], 0
    while position < len(math):
        found = _TOKEN.match(math, position)
        if found is None or (found.group(1) and found.group(1)[0].isalpha() and found.group(1) not in MATH_COMMANDS):
            return False
        if not found.group().isspace():
            tokens.append(found.group())
        position = found.end()
    try:
        end = _sequence(tokens, 0)
    except _Refused:
        return False
    return end == len(tokens)


def _sequence(tokens: list[str], i: int) -> int:
    """Atoms with their scripts up to a closing brace or the end; returns where it stopped."""
    open_lefts = 0
    while i < len(tokens) and tokens[i] != "}":
        if tokens[i] == "\\left":
            open_lefts += 1
        elif tokens[i] == "\\right":
            open_lefts -= 1
            if open_lefts < 0:
                raise _Refused
        i = _scripts(tokens, i if tokens[i] in ("^", "_") else _operand(tokens, i, atom=True))
    if open_lefts:
        raise _Refused
    return i


def _scripts(tokens: list[str], i: int) -> int:
    """The primes, superscript and subscript after an atom: one of each at most (TeX: "Double superscript")."""
    seen: set[str] = set()
    while i < len(tokens) and tokens[i] in ("^", "_", "'"):
        mark = tokens[i]
        if mark == "'":
            if "^" in seen:
                raise _Refused  # x^2' is a double superscript
            i += 1
            continue
        if mark in seen:
            raise _Refused
        seen.add(mark)
        i = _operand(tokens, i + 1)
    return i


def _operand(tokens: list[str], i: int, *, atom: bool = False) -> int:
    """One group, command with its arguments, or character; returns the index after it."""
    if i >= len(tokens) or tokens[i] in ("}", "^", "_"):
        raise _Refused  # a script or argument with nothing to take, or ^^
    token = tokens[i]
    if token == "{":
        end = _sequence(tokens, i + 1)
        if end >= len(tokens):
            raise _Refused
        return end + 1
    if not token.startswith("\\"):
        # ' and ~ are active characters in math (a prime, a tie): never a script or an argument, and ' only
        # after an atom (as a prime, in _scripts), ~ only as a space, with nothing attached to it.
        if token == "'" or (token == "~" and not atom) or (token == "~" and _next(tokens, i) in ("^", "_", "'")):
            raise _Refused
        return i + 1
    name = token[1:]
    if name in ("left", "right"):
        if not atom or i + 1 >= len(tokens) or tokens[i + 1] not in _DELIMITERS:
            raise _Refused
        return i + 2
    if name == "text":
        return _text_argument(tokens, i + 1)
    i += 1
    for _ in range(ARGUMENTS.get(name, 0)):
        i = _operand(tokens, i)
    return i


def _text_argument(tokens: list[str], i: int) -> int:
    if i >= len(tokens) or tokens[i] != "{" or "}" not in tokens[i:]:
        raise _Refused
    end = tokens.index("}", i)
    if not _TEXT.match("".join(tokens[i + 1 : end])):
        raise _Refused
    return end + 1


def _next(tokens: list[str], i: int) -> str | None:
    return tokens[i + 1] if i + 1 < len(tokens) else None
