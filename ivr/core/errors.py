"""The one error family of ivr, and the problem reports admins read.

A ``Problem`` is one mistake in one menu file, located the way compilers locate theirs
(``menus/x.yaml:14:7: nodes.main.options.3: …``) so editors and CI can point at it. Loading
collects every problem in a file before raising ``MenuError``, so an admin fixes them all in
one pass instead of one per run.
"""

from __future__ import annotations

from dataclasses import dataclass


class IvrError(Exception):
    """Base of every error ivr raises on purpose; anything else is a bug."""


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake (or, with ``severity='warning'``, one doubt) at one place in a file."""

    file: str
    line: int
    column: int
    key: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.key}: " if self.key else ""
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {where}{self.message}"


class MenuError(IvrError):
    """A menu file that cannot be served; carries every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
