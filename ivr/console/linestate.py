"""A line's state at a moment: each schedule open or closed, and when that next changes.

What the overview shows: the schedules after holidays and overrides, the manual switch in
force (which decides every schedule until it ends), the announcements said now or soon, and
the earliest of all those changes. Times are the line's local wall-clock times. Pure: the
moment is an argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from ivr.hours import LOOKAHEAD_DAYS, Calendar, Schedule
from ivr.model import Line, Switch


@dataclass(frozen=True)
class ScheduleState:
    """One schedule now: open or not, forced by the switch or not, and until when."""

    name: str
    open: bool
    forced: bool
    until: datetime | None
    """Local time of the next change; None when none comes within the look-ahead."""


@dataclass(frozen=True)
class LineState:
    schedules: tuple[ScheduleState, ...]
    switch: Switch | None
    announcements: tuple[tuple[str, datetime, datetime], ...]
    """(said now / from …, starts, ends) of announcements in force or still to come."""
    next_change: tuple[datetime, str] | None


def _stretches(calendar: Calendar, schedule: Schedule, first: datetime,
               days: int) -> list[tuple[datetime, datetime]]:
    """Open stretches from ``first``'s date on, ranges that touch at midnight joined."""
    out: list[tuple[datetime, datetime]] = []
    for offset in range(days):
        day = first.date() + timedelta(days=offset)
        midnight = datetime.combine(day, time())
        for r in sorted(calendar.ranges(schedule, day)):
            start, end = midnight + timedelta(minutes=r.start), midnight + timedelta(minutes=r.end)
            if out and out[-1][1] >= start:
                out[-1] = (out[-1][0], max(out[-1][1], end))
            else:
                out.append((start, end))
    return out


def schedule_at(calendar: Calendar, schedule: Schedule, local: datetime) -> tuple[bool,
                                                                               datetime | None]:
    """Whether ``schedule`` is open at naive local ``local``, and when that next changes."""
    days = LOOKAHEAD_DAYS + 1
    horizon = datetime.combine(local.date() + timedelta(days=days), time())
    for start, end in _stretches(calendar, schedule, local, days):
        if end <= local:
            continue
        if start <= local:
            return True, (end if end < horizon else None)
        return False, start
    return False, None


def state(line: Line, now: datetime) -> LineState:
    """The line at the aware instant ``now``."""
    local = now.astimezone(line.zone).replace(tzinfo=None)
    switch = line.switch if line.switch and line.switch.in_force(now) else None
    until = switch.until.astimezone(line.zone).replace(tzinfo=None) if switch else None
    schedules = []
    for name, schedule in line.schedules.items():
        if switch:
            schedules.append(ScheduleState(name, switch.state == "open", True, until))
        else:
            is_open, until_change = schedule_at(line.calendar, schedule, local)
            schedules.append(ScheduleState(name, is_open, False, until_change))
    changes = [(s.until, f"{s.name} {'closes' if s.open else 'opens'}")
               for s in schedules if s.until and not s.forced]
    if switch:
        changes.append((until, f"the switch ({switch.state}) ends"))
    announcements = []
    for a in line.announcements:
        if a.ends <= local:
            continue
        current = a.starts <= local
        announcements.append(("said now" if current else "to come", a.starts, a.ends))
        changes.append((a.ends, "an announcement ends") if current
                       else (a.starts, "an announcement starts"))
    return LineState(tuple(schedules), switch, tuple(announcements),
                     min(changes, key=lambda change: change[0]) if changes else None)
