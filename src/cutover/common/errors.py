"""Typed errors of cutover: every way a plan can be wrong, with where it is wrong.

The core raises these; only the command line turns them into messages and exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from cutover.common.text import display_message, display_text

#: A path into the plan document: keys and list indexes, as pydantic reports them.
DocPath = tuple[str | int, ...]


class SourceLocation(NamedTuple):
    """A place in a plan file; line and column count from 1 (0 means unknown)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        """Return ``file:line:column`` as editors and CI annotations expect (one line)."""
        file = display_text(self.file)
        if self.line <= 0:
            return file
        return f"{file}:{self.line}:{self.column or 1}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem in a plan file: a stable kebab-case code, one sentence and its location."""

    code: str
    message: str
    location: SourceLocation

    def __post_init__(self) -> None:
        """A message is one visible line, whatever plan text it quotes (common.text)."""
        object.__setattr__(self, "message", display_message(self.message))

    def __str__(self) -> str:
        """Render as ``file:line:col: error[code]: message``."""
        return f"{self.location}: error[{self.code}]: {self.message}"


class CutoverError(Exception):
    """Base of every error cutover raises on purpose."""


class PlanError(CutoverError):
    """A plan cannot be scheduled; carries every diagnostic found, not just the first."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        """Keep the diagnostics sorted by where they are in the file."""
        self.diagnostics = sorted(
            diagnostics, key=lambda d: (d.location.file, d.location.line, d.location.column)
        )
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class UsageError(CutoverError):
    """The command was misused: a bad option value, a missing file, an unknown format."""
