"""What a call depends on at a moment: the one place that reads the calendar, the switch and
the announcements for a call.

The engine decides with these functions, and ``situation`` gathers everything they give at
an instant; ``changes`` lists the minutes of a day at which any of it may change. Explore
cuts the calendar with them, so an input the engine reads here cannot be merged away there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ivr.core.hours import MINUTES_PER_DAY
from ivr.core.model import Line, Switch


def switch_in_force(line: Line, now: datetime) -> Switch | None:
    """The line's manual switch if it holds at the aware instant ``now``."""
    return line.switch if line.switch is not None and line.switch.in_force(now) else None


def is_open(line: Line, switch: Switch | None, schedule_name: str, local: datetime) -> bool:
    """Whether a schedule is open at ``local``, unless an admin's switch forces it."""
    schedule = line.schedules[schedule_name]
    if switch and schedule.switched:
        return switch.state == "open"
    return line.calendar.is_open(schedule, local)


def next_opening(line: Line, switch: Switch | None, schedule_name: str,
                 local: datetime) -> tuple[date, int] | None:
    """When a schedule opens next after ``local``; a closing switch pushes that past its end."""
    schedule, calendar = line.schedules[schedule_name], line.calendar
    if switch and switch.state == "closed" and schedule.switched:
        until = switch.until.astimezone(line.zone)
        if calendar.is_open(schedule, until):
            return until.date(), until.hour * 60 + until.minute
        return calendar.next_opening(schedule, until)
    return calendar.next_opening(schedule, local)


@dataclass(frozen=True)
class Situation:
    """Everything time-dependent a call's answers depend on; equal situations, equal calls.

    Next openings are (days ahead, minute, weekday), as they are read aloud.
    """

    open: tuple[bool, ...]
    next_openings: tuple[tuple[int, int, int] | None, ...]
    switch: str | None
    announcements: tuple[bool, ...]


def situation(line: Line, now: datetime) -> Situation:
    """The situation of a call on ``line`` at the aware instant ``now``."""
    local, switch = now.astimezone(line.zone), switch_in_force(line, now)
    openings = []
    for name in line.schedules:
        nxt = next_opening(line, switch, name, local)
        openings.append(nxt and ((nxt[0] - local.date()).days, nxt[1], nxt[0].weekday()))
    return Situation(tuple(is_open(line, switch, name, local) for name in line.schedules),
                     tuple(openings), switch.state if switch else None,
                     tuple(a.in_force(local) for a in line.announcements))


def changes(line: Line, day: date) -> list[int]:
    """The minutes of local ``day`` (0 and 1440 included) at which the situation may change:
    each schedule's range edges, announcements starting or ending, the switch ending."""
    edges = {0, MINUTES_PER_DAY}
    for schedule in line.schedules.values():
        for r in line.calendar.ranges(schedule, day):
            edges |= {r.start, r.end}
    moments = [m for a in line.announcements for m in (a.starts, a.ends)]
    if line.switch:
        moments.append(line.switch.until.astimezone(line.zone).replace(tzinfo=None))
    edges |= {m.hour * 60 + m.minute for m in moments if m.date() == day}
    return sorted(edges)
