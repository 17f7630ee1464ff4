"""Findings about pick files: where, which field, what is wrong."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True, order=True)
class PickError:
    """One problem in one pick file, at one line and field."""

    path: str
    line: int
    field: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.field}: {self.message}"


class Invalid(Exception):
    """A problem found while reading one file, at a line and field; the loader records it and goes on."""

    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__(message)
        self.line, self.field, self.message = line, field, message


def count_line(findings: Iterable[PickError]) -> str:
    """``3 errors, 1 warning``: the count line that ends a report."""
    items = list(findings)
    errors = sum(f.severity == "error" for f in items)
    warnings = sum(f.severity == "warning" for f in items)
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
