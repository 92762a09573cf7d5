"""The one error type of asco-cal.

Every problem a user can cause (a bad YAML file, an impossible time, an unknown
time zone, a bad filter) is an :class:`AscoCalError` that knows *where* it is:
file, line, column and the field path (``sessions[2].end``).  The loader
collects all of them and raises one :class:`InvalidInput` holding the list, so
users fix everything in one go.  Only ``cli.py`` turns these into exit codes, by
class: :class:`UsageError` is a wrong command line (2), anything else bad input
(1).  Each problem may carry a ``code`` saying what kind it is (``overlap``,
``unknown-key``...), for counting and capping warnings without reading text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Location:
    """A place in an input file; line and column are 1-based."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


class AscoCalError(Exception):
    """A problem the user can fix, with its location and field path.

    ``str(error)`` is the one-line message shown to users, e.g.
    ``sessions.yaml:12:10: sessions[2].end: ends before it starts (11:00 < 11:30)``.
    """

    def __init__(
        self,
        message: str,
        *,
        location: Location | None = None,
        field: str | None = None,
        severity: Severity = "error",
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.location = location
        self.field = field
        self.severity: Severity = severity

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        parts: list[str] = []
        if self.location is not None:
            parts.append(str(self.location))
        if self.severity == "warning":
            parts.append("warning")
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def sort_key(self) -> tuple[str, int, int]:
        loc = self.location
        if loc is None:
            return ("", 0, 0)
        return (loc.file, loc.line or 0, loc.column or 0)


class UsageError(AscoCalError):
    """A wrong command-line value (``--map``, ``--timezone``, a filter): exit code 2."""


class InvalidInput(AscoCalError):
    """Several problems found at once; ``problems`` holds errors and warnings."""

    def __init__(self, problems: Iterable[AscoCalError]) -> None:
        self.problems = tuple(sorted(problems, key=AscoCalError.sort_key))
        errors = [p for p in self.problems if p.is_error]
        n = len(errors)
        super().__init__(f"{n} error{'s' if n != 1 else ''} found")

    @property
    def errors(self) -> tuple[AscoCalError, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def warnings(self) -> tuple[AscoCalError, ...]:
        return tuple(p for p in self.problems if not p.is_error)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
