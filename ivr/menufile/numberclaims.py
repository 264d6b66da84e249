"""Who answers which number: one line per number, however many files claim it.

A number claimed by two files is an admin's mistake: ``ivr check`` reports it with both
files and lines. Until it is fixed, every server decides alike, by a rule that depends on
the files alone, never on what one server happened to see first: the number goes to the
first file by name (the one ``ivr check`` names as answering it), and a line served only
from its last good version (its file is gone) yields to any line whose file is there.
Servers sharing a database add one fact that all of them see: which line claimed the
number first (``first``); that line keeps it as long as it is served, from its file or,
while the file is gone or broken, from its last good version: a file deleted and written
back must not hand its number to a copy on one server while another keeps it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ivr.core.errors import Problem
from ivr.core.model import Line
from ivr.menufile.reader import YamlMapping, YamlSequence, load


@dataclass(frozen=True)
class Conflict:
    """A line refused a number because another answers it (``owner``, its file's name)."""

    number: str
    owner: str
    refused: Line

    def __str__(self) -> str:
        return (f"number {self.number} is claimed by both {self.owner} and "
                f"{Path(self.refused.source).name}; {self.owner} keeps it")


def assign(lines: Iterable[Line], *, gone: frozenset[str] = frozenset(),
           first: dict[str, str] | None = None) -> tuple[dict[str, Line], list[Conflict]]:
    """Numbers → lines, and the conflicts, for ``lines`` in file-name order.

    ``gone`` are the ids of lines served from a last good version while their file is
    missing; ``first`` says, per number, which line claimed it first across the fleet.
    """
    claims: dict[str, list[Line]] = {}
    for line in lines:
        for number in line.numbers:
            claims.setdefault(number, []).append(line)
    numbers, conflicts = {}, []
    for number, claimants in claims.items():
        there = [c for c in claimants if c.id not in gone] or claimants
        earliest = (first or {}).get(number)
        owner = next((c for c in claimants if c.id == earliest), there[0])
        numbers[number] = owner
        conflicts += [Conflict(number, Path(owner.source).name, c)
                      for c in there if c is not owner]
    return numbers, conflicts


def conflicts(lines: list[tuple[Path, Line]],
              first: dict[str, str] | None = None) -> list[Problem]:
    """An error for each file claiming a number another file answers: the first file by
    name (in whatever order they were given), or the line ``first`` says claimed it first,
    as ``assign`` decides."""
    claims: dict[str, list[tuple[Path, Line]]] = {}
    for path, line in sorted(lines, key=lambda loaded: (loaded[0].name, str(loaded[0]))):
        for number in line.numbers:
            claims.setdefault(number, []).append((path, line))
    problems = []
    for number, claimants in claims.items():
        earliest = (first or {}).get(number)
        owner = next((c for c in claimants if c[1].id == earliest), claimants[0])
        o_line, o_col = _where(owner[0], number)
        since = (" (it claimed the number first, as the shared database records)"
                 if owner[1].id == earliest
                 else " (the first of the files by name: every server keeps it for that one)")
        problems += [Problem(
            str(path), *_where(path, number), "numbers",
            f"{number} is already answered by {owner[0]}:{o_line}:{o_col}{since}; a number "
            "belongs to one line, so remove it from one of the files")
            for path, _ in (c for c in claimants if c is not owner)]
    return problems


def _where(path: Path, number: str) -> tuple[int, int]:
    """Line and column where ``path`` writes ``number`` (1:1 when it cannot be found)."""
    document, _ = load(path, str(path))
    written = document.get("numbers") if isinstance(document, YamlMapping) else None
    for value in written if isinstance(written, YamlSequence) else [written]:
        if value is not None and str(value).replace(" ", "") == number:
            return value.line, value.column
    return 1, 1
