"""Who answers which number: one line per number, however many files claim it.

A number claimed by two files is an admin's mistake: ``ivr check`` reports it with both
files and lines, and a running server leaves the number with the line that had it (kept in
the state directory, so a restarted worker agrees with its siblings) instead of handing it
to whichever file sorts first.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ivr.core.errors import Problem
from ivr.core.model import Line
from ivr.menufile.folder import write_atomically
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


def assign(lines: Iterable[Line], record: dict[str, dict],
           ) -> tuple[dict[str, Line], list[Conflict], dict[str, dict]]:
    """Numbers → lines, the conflicts, and the new record to keep.

    ``record`` says, per number, which line had it and which lines were refused it. A
    number stays with the line that had it. While that line is not served (its file is
    missing for a moment in a deploy that deletes then writes, or a checkout), a line that
    was refused the number does not take it; a number its line no longer claims, or that no
    line had, goes to the first claimant in the order given.
    """
    lines = list(lines)
    served = {line.id for line in lines}
    claims: dict[str, list[Line]] = {}
    for line in lines:
        for number in line.numbers:
            claims.setdefault(number, []).append(line)
    numbers, conflicts, kept = {}, [], {}
    for number, claimants in claims.items():
        had = record.get(number, {})
        owner_id, refused = had.get("line"), set(had.get("refused", ()))
        owner = next((c for c in claimants if c.id == owner_id), None)
        if owner is None and owner_id is not None and owner_id not in served:
            waiting = [c for c in claimants if c.id in refused]
            if waiting:
                kept[number] = had
                conflicts += [Conflict(number, f"{owner_id} (not served now)", c)
                              for c in waiting]
                claimants = [c for c in claimants if c.id not in refused]
        if owner is None and not claimants:
            continue
        owner = owner or claimants[0]
        numbers[number] = owner
        others = [c for c in claimants if c is not owner]
        conflicts += [Conflict(number, Path(owner.source).name, c) for c in others]
        kept.setdefault(number, {"line": owner.id, "refused": sorted(c.id for c in others)})
    return numbers, conflicts, kept


class Owners:
    """Who had which number, and who was refused it, in the state directory, shared by
    every worker (with no state directory, this process's memory)."""

    def __init__(self, state: Path | None) -> None:
        self.path = Path(state) / "owners.json" if state is not None else None
        self._memory: dict[str, dict] = {}

    def read(self) -> dict[str, dict]:
        if self.path is None:
            return dict(self._memory)
        try:
            recorded = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(recorded, dict):
            return {}
        return {number: {"line": had} if isinstance(had, str) else had
                for number, had in recorded.items() if isinstance(had, str | dict)}

    def write(self, record: dict[str, dict]) -> None:
        record = dict(sorted(record.items()))
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
