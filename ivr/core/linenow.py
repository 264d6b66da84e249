"""The line as callers get it at an instant: one home for every view that says so.

``ivr lines``, the ``ivr serve`` banner and the console's overview and line page show each
schedule open or closed and until when, the switch in force and whom a call rings, and ``ivr
report`` the seconds of speech before each desk rings; they all derive it from ``line_now``,
which decides with the engine's own functions (``moments``, ``calltime``), so no view can
say what callers do not get. A switch forces only the schedules it is for: one marked
``switch: ignore`` (another service's hours) keeps its own. Times are the line's local
wall-clock times, naive. Pure: the moment is an argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from ivr.core import calltime
from ivr.core.hours import Schedule
from ivr.core.model import Announcement, Line, Switch
from ivr.core.moments import changes, is_open, switch_in_force

LOOKAHEAD_DAYS = 14


@dataclass(frozen=True)
class ScheduleNow:
    """One schedule at an instant: open or not, forced by the switch or not, and the local
    time it next changes (None when not within ``LOOKAHEAD_DAYS``)."""

    name: str
    open: bool
    forced: bool
    until: datetime | None


@dataclass(frozen=True)
class LineNow:
    """What a call gets at an instant, and what the next change of it is."""

    schedules: tuple[ScheduleNow, ...]
    switch: Switch | None
    announcements: tuple[Announcement, ...]
    """Said at the start of a call now."""
    paths: tuple[calltime.DeskPath, ...]
    """Every key path that rings a desk now, with the seconds of speech before it rings."""

    @property
    def desks(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Each desk a call rings now, with the key paths that lead there ('' at once)."""
        desks: dict[str, list[str]] = {}
        for path in self.paths:
            desks.setdefault(path.desk, []).append(" ".join(path.keys))
        return tuple((desk, tuple(keys)) for desk, keys in desks.items())


def schedules_now(line: Line, now: datetime) -> tuple[ScheduleNow, ...]:
    """Each schedule at the aware instant ``now``, as the engine decides it."""
    local = now.astimezone(line.zone).replace(tzinfo=None)
    switch = switch_in_force(line, now)
    states = []
    for name, schedule in line.schedules.items():
        if switch is not None and schedule.switched:
            ends = switch.until.astimezone(line.zone).replace(tzinfo=None)
            states.append(ScheduleNow(name, switch.state == "open", True, ends))
        else:
            states.append(ScheduleNow(name, is_open(line, None, name, local), False,
                                      _next_change(line, schedule, local)))
    return tuple(states)


def line_now(line: Line, now: datetime) -> LineNow:
    """The line at the aware instant ``now``: schedules, switch, announcements, desks."""
    local = now.astimezone(line.zone)
    return LineNow(schedules_now(line, now), switch_in_force(line, now),
                   tuple(a for a in line.announcements if a.in_force(local)),
                   tuple(calltime.desk_paths(line, now)))


def _next_change(line: Line, schedule: Schedule, local: datetime) -> datetime | None:
    """When ``schedule`` next opens or closes after ``local``, within ``LOOKAHEAD_DAYS``.

    Only the minutes at which a call's situation may change (``moments.changes``, as
    ``ivr explore`` cuts the calendar) can change it; a 24:00 end meeting a 00:00 start
    changes nothing.
    """
    opened = line.calendar.is_open(schedule, local)
    for offset in range(LOOKAHEAD_DAYS):
        day = local.date() + timedelta(days=offset)
        for edge in changes(line, day):
            at = datetime.combine(day, time()) + timedelta(minutes=edge)
            if at > local and line.calendar.is_open(schedule, at) != opened:
                return at
    return None
