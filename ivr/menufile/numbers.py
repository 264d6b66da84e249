"""Who answers which number: one line per number, however many files claim it.

A number claimed by two files is an admin's mistake: ``ivr check`` reports it with both
files and lines, and a running server leaves the number with the line that had it (kept in
the state directory, so a restarted worker agrees with its siblings) instead of handing it
to whichever file sorts first.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from ivr.core.errors import Problem
from ivr.core.model import Line
from ivr.menufile.folder import write_atomically
from ivr.menufile.reader import YamlMapping, YamlSequence, load


def assign(lines: Iterable[Line], owners: dict[str, str],
           ) -> tuple[dict[str, Line], list[tuple[str, Line, Line]]]:
    """Numbers → lines, and the conflicts as (number, owner, refused claimant).

    ``owners`` (number → line id) says who had each number; a number with no owner still
    claiming it goes to the first claimant, in the order given.
    """
    claims: dict[str, list[Line]] = {}
    for line in lines:
        for number in line.numbers:
            claims.setdefault(number, []).append(line)
    numbers, conflicts = {}, []
    for number, claimants in claims.items():
        owner = next((c for c in claimants if c.id == owners.get(number)), claimants[0])
        numbers[number] = owner
        conflicts += [(number, owner, other) for other in claimants if other is not owner]
    return numbers, conflicts


class Owners:
    """The number → line id record in the state directory, shared by every worker (with
    no state directory, this process's memory)."""

    def __init__(self, state: Path | None) -> None:
        self.path = Path(state) / "owners.json" if state is not None else None
        self._memory: dict[str, str] = {}

    def read(self) -> dict[str, str]:
        if self.path is None:
            return dict(self._memory)
        try:
            recorded = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return recorded if isinstance(recorded, dict) else {}

    def write(self, numbers: dict[str, Line]) -> None:
        record = {number: line.id for number, line in sorted(numbers.items())}
        if self.path is None:
            self._memory = record
        elif record != self.read():
            write_atomically(self.path, json.dumps(record, indent=1).encode())


def conflicts(lines: list[tuple[Path, Line]]) -> list[Problem]:
    """An error for each file claiming a number an earlier file already claims."""
    first: dict[str, tuple[Path, Line]] = {}
    problems = []
    for path, line in lines:
        for number in line.numbers:
            if number not in first:
                first[number] = (path, line)
                continue
            other = first[number][0]
            o_line, o_col = _where(other, number)
            problems.append(Problem(
                str(path), *_where(path, number), "numbers",
                f"{number} is already answered by {other}:{o_line}:{o_col}; a number "
                "belongs to one line, so remove it from one of the files"))
    return problems


def _where(path: Path, number: str) -> tuple[int, int]:
    """Line and column where ``path`` writes ``number`` (1:1 when it cannot be found)."""
    document, _ = load(path, str(path))
    written = document.get("numbers") if isinstance(document, YamlMapping) else None
    for value in written if isinstance(written, YamlSequence) else [written]:
        if value is not None and str(value).replace(" ", "") == number:
            return value.line, value.column
    return 1, 1
