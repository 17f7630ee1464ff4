"""Findings about pick files: where, which field, what is wrong."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


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


class PicksInvalid(Exception):
    """Raised when picks have errors; carries every finding, errors and warnings."""

    def __init__(self, findings: Iterable[PickError]) -> None:
        self.findings = sorted(findings)
        errors = [f for f in self.findings if f.severity == "error"]
        super().__init__("\n".join(str(f) for f in errors))

    @property
    def errors(self) -> list[PickError]:
        return [f for f in self.findings if f.severity == "error"]


def count_line(findings: Iterable[PickError]) -> str:
    """``3 errors, 1 warning in 12 picks``-style summary of findings."""
    items = list(findings)
    errors = sum(f.severity == "error" for f in items)
    warnings = len(items) - errors
    plural = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"  # noqa: E731
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
