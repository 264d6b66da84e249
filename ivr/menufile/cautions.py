"""Warnings about a valid line: things that load fine but are probably not what was meant.

Errors stop a file from being served (``menufile``); warnings are doubts an admin should
look at before a caller finds them: nodes no call can reach, a part of the menu no call can
ever leave, stand-in numbers still in place, a route branch that no time of the week takes,
an announcement whose window has passed, a schedule nothing uses, a menu whose prompt and
keys disagree (``promptkeys``), the caller-time doubts of ``listening``, keys that change
meaning with the hour (``habits``); and the line's switch file (``ivr switch``), unusable or
ended. ``ivr check`` prints them; ``--strict`` fails on them.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from ivr.core.errors import IvrError, MenuError, Problem
from ivr.core.hours import MINUTES_PER_DAY
from ivr.core.model import Line
from ivr.core.nodes import (
    RouteNode,
    ends_here,
    successors,
)
from ivr.menufile import habits, listening, promptkeys, switchfile
from ivr.menufile.folder import menu_paths
from ivr.menufile.format import load_line
from ivr.menufile.reader import Scalar, Value, YamlMapping, YamlSequence


def reachable(line: Line) -> set[str]:
    seen, todo = set(), [line.start]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(successors(line.nodes[name]))
    return seen


def _can_end(line: Line) -> set[str]:
    ending = {name for name, node in line.nodes.items() if ends_here(node)}
    changed = True
    while changed:
        changed = False
        for name, node in line.nodes.items():
            if name not in ending and any(s in ending for s in successors(node)):
                ending.add(name)
                changed = True
    return ending


def _day_profiles(line: Line):
    """Every kind of day the calendar can produce: weekdays, holidays, each override."""
    for weekday in range(7):
        yield {name: s.weekly[weekday] for name, s in line.schedules.items()}
    yield {name: s.holidays for name, s in line.schedules.items()}
    for override in line.calendar.overrides:
        for base in ({n: s.holidays for n, s in line.schedules.items()},
                     *({n: s.weekly[d] for n, s in line.schedules.items()} for d in range(7))):
            yield {**base, **(override.hours or {})}


def _branch_taken(line: Line, route: RouteNode, index: int) -> bool:
    names = [r.when for r in route.routes[: index + 1]]
    for profile in _day_profiles(line):
        points = {0} | {edge for n in names for r in profile[n] for edge in (r.start, r.end)}
        for minute in points - {MINUTES_PER_DAY}:
            opened = [any(minute in r for r in profile[n]) for n in names]
            if opened[-1] and not any(opened[:-1]):
                return True
    return False


def warnings(line: Line, document: Value, now: datetime) -> list[Problem]:
    """Every warning for ``line``, located by the values of its loaded ``document``."""
    nodes = document.get("nodes") if isinstance(document, YamlMapping) else None
    found: list[Problem] = []

    def warn(where, key: str, message: str) -> None:
        line_no, column = where if isinstance(where, tuple) else (1, 1)
        found.append(Problem(line.source, line_no, column, key, message, "warning"))

    def node_at(name: str):
        return nodes.key_at.get(name) if isinstance(nodes, YamlMapping) else None

    seen, ending = reachable(line), _can_end(line)
    for name in line.nodes:
        if name not in seen:
            warn(node_at(name), f"nodes.{name}", "no call can reach this node")
        elif name not in ending:
            warn(node_at(name), f"nodes.{name}", "calls that get here can loop forever: no "
                 "path from here hangs up")
        node = line.nodes[name]
        if isinstance(node, RouteNode) and name in seen:
            for index, route in enumerate(node.routes):
                if not _branch_taken(line, node, index):
                    warn(node_at(name), f"nodes.{name}.routes.{index}",
                         f"no time of the week takes this branch ('{route.when}' is never "
                         "open when the branches before it are closed)")
    for number, key, where in _scalars(document, ""):
        if number in line.placeholders and not key.startswith("placeholders"):
            warn(where, key, f"placeholder number {number} is still in place; replace it "
                 "with the real one and remove it from 'placeholders'")
    used = listening.schedules_used(line)
    schedules = document.get("schedules") if isinstance(document, YamlMapping) else None
    for name in line.schedules:
        if name not in used:
            where = schedules.key_at.get(name) if isinstance(schedules, YamlMapping) else None
            warn(where, f"schedules.{name}", "nothing uses this schedule: no route's 'when' "
                 "and no {opens:…} names it")
    local = now.astimezone(line.zone).replace(tzinfo=None)
    for index, announcement in enumerate(line.announcements):
        if announcement.ends <= local:
            written = document.get("announcements") if isinstance(document, YamlMapping) else None
            where = written[index] if isinstance(written, YamlSequence) else None
            warn((getattr(where, "line", 1), getattr(where, "column", 1)),
                 f"announcements.{index}",
                 f"ended {announcement.ends:%Y-%m-%d %H:%M}; remove it")
    for where, key, doubt in listening.read_badly(line, document):
        warn(where, key, doubt)
    return sorted(found + promptkeys.mismatches(line, document)
                  + listening.caller_time(line, document, now)
                  + habits.changed_meanings(line, document))


def switch_problems(line: Line, folder: Path, now: datetime) -> list[Problem]:
    """The line's switch file (``ivr switch``), if any: unusable is an error, ended a doubt."""
    return _switch(switchfile.path_for(folder, line.id), line, now)


def _switch(path: Path, line: Line | None, now: datetime) -> list[Problem]:
    """The switch in ``path`` of ``line`` (None: its menu file does not load, so the end is
    told in UTC): unusable is an error, ended a doubt."""
    try:
        current = switchfile.read(path)
    except MenuError as exc:
        return exc.problems
    except IvrError as exc:
        return [Problem(str(path), 1, 1, "", str(exc).removeprefix(f"{path}: "))]
    if current is None or current.in_force(now):
        return []
    if current.until > now:  # set for a moment after now: only a hand could write that
        return [Problem(str(path), 1, 1, "since", f"this switch is not in force: it says it "
                        f"was set at {_told(current.since or now, line)}, after now; remove "
                        f"it with ivr switch {path.stem} off", "warning")]
    return [Problem(str(path), 1, 1, "until", f"this switch ended {_told(current.until, line)}"
                    f"; remove it with ivr switch {path.stem} off", "warning")]


def _told(moment: datetime, line: Line | None) -> str:
    """``moment`` in the line's zone (UTC when its menu does not load, or at the calendar's
    very end, where a zone's offset would overflow)."""
    try:
        return f"{moment.astimezone(line.zone):%Y-%m-%d %H:%M}" if line else \
            f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    except OverflowError:
        return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def is_switch_file(path: Path) -> bool:
    """Whether ``path`` is where ``ivr switch`` keeps a line's switch (``switches/LINE.yaml``
    in a menus folder), so that it is checked as a switch, not as a menu."""
    return path.parent.name == switchfile.FOLDER and path.suffix == ".yaml"


def named_switch(path: Path, now: datetime) -> list[Problem]:
    """A switch file named on its own (``ivr check menus/switches/LINE.yaml``): checked as
    the switch of the line its name gives, a warning when the folder has no such line."""
    if not os.path.lexists(path):
        return [Problem(str(path), 1, 1, "", "no such switch file")]
    folder = path.parent.parent
    lines = {p.stem: p for p in menu_paths(folder)}
    if path.stem not in lines:
        return [_stray(path, folder, set(lines))]
    try:
        line: Line | None = load_line(lines[path.stem])
    except IvrError:  # the line's own errors are its file's to report
        line = None
    return _switch(path, line, now)


def stray_switches(folder: Path, line_ids: set[str]) -> list[Problem]:
    """Switch files naming no line in the folder (a renamed or removed line's)."""
    return [_stray(path, folder, line_ids)
            for path in sorted((Path(folder) / switchfile.FOLDER).glob("*.yaml"))
            if path.stem not in line_ids]


def _stray(path: Path, folder: Path, line_ids: set[str]) -> Problem:
    return Problem(str(path), 1, 1, "", f"no line '{path.stem}' in {folder}: this switch does "
                   f"nothing; the lines are {', '.join(sorted(line_ids)) or 'none'}", "warning")


def _scalars(value, key: str):
    """(text, key path, position) of every scalar in the document, with placeholders inside."""
    if isinstance(value, Scalar):
        yield str(value), key, (value.line, value.column)
        for piece in str(value).split("{tel:")[1:]:
            number = piece.split("}")[0].split()  # '{tel:+46… 0200-44 30 00}': the number
            yield (number[0] if number else ""), key, (value.line, value.column)
    elif isinstance(value, YamlMapping):
        for child_key, child in value.items():
            yield from _scalars(child, f"{key}.{child_key}" if key else child_key)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _scalars(child, f"{key}.{index}")
