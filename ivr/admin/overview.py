"""What each line is doing now, for ``ivr lines`` and the ``ivr serve`` banner.

Facts only, computed from the loaded lines and an injected instant: which file, which
numbers, open or closed now and until when (each schedule, after holidays, overrides and a
manual switch), and the stand-in numbers still in use. Printing is the CLI's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from ivr.core.hours import Schedule
from ivr.core.model import Line
from ivr.core.nodes import DialNode
from ivr.core.text import Tel
from ivr.menufile.phonecheck import pieces

LOOKAHEAD_DAYS = 14


@dataclass(frozen=True)
class ScheduleNow:
    """One schedule at an instant: open or not, and the local time that changes (if near)."""

    name: str
    open: bool
    until: datetime | None


def schedules_now(line: Line, now: datetime) -> list[ScheduleNow]:
    """Each schedule's state at ``now``; a switch in force decides them all until it ends."""
    local = now.astimezone(line.zone).replace(tzinfo=None)
    if line.switch and line.switch.in_force(now):
        until = line.switch.until.astimezone(line.zone).replace(tzinfo=None)
        return [ScheduleNow(name, line.switch.state == "open", until) for name in line.schedules]
    return [ScheduleNow(name, line.calendar.is_open(s, local), _next_change(line, s, local))
            for name, s in line.schedules.items()]


def _next_change(line: Line, schedule: Schedule, local: datetime) -> datetime | None:
    """When ``schedule`` next opens or closes after ``local``, within ``LOOKAHEAD_DAYS``.

    Only the edges of ranges can change it; a 24:00 end meeting a 00:00 start changes nothing.
    """
    is_open = line.calendar.is_open(schedule, local)
    minute = local.hour * 60 + local.minute
    for offset in range(LOOKAHEAD_DAYS):
        day = local.date() + timedelta(days=offset)
        edges = sorted({edge for r in line.calendar.ranges(schedule, day)
                        for edge in (r.start, r.end)})
        for edge in edges:
            at = datetime.combine(day, time()) + timedelta(minutes=edge)
            if (offset or edge > minute) and line.calendar.is_open(schedule, at) != is_open:
                return at
    return None


def placeholders_in_use(line: Line) -> list[str]:
    """The listed stand-in numbers the line still answers, dials or reads aloud."""
    used = set(line.numbers)
    for node in line.nodes.values():
        if isinstance(node, DialNode):
            used |= set(node.numbers)
        for value in vars(node).values():
            if isinstance(value, tuple):
                used |= {p.number for p in pieces(value) if isinstance(p, Tel)}
    return [number for number in line.placeholders if number in used]


def as_dict(line: Line, path: str, now: datetime) -> dict:
    """One line's facts as ``ivr lines --json`` prints them (times local, ISO)."""
    switched = line.switch if line.switch and line.switch.in_force(now) else None
    return {
        "file": path, "line": line.id, "name": line.name, "numbers": list(line.numbers),
        "zone": line.zone.key, "language": line.language,
        "schedules": [{"name": s.name, "open": s.open,
                       "until": s.until.isoformat(timespec="minutes") if s.until else None}
                      for s in schedules_now(line, now)],
        "switch": {"state": switched.state, "until": switched.until.astimezone(line.zone)
                   .isoformat(timespec="minutes"), "say": switched.say} if switched else None,
        "placeholders": placeholders_in_use(line),
    }
