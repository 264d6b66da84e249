"""The effective hours of a line, day by day: what it will do next week, at a glance.

Each schedule's ranges per date after holidays and overrides, with the holiday or override
that shaped the day named beside it; a manual switch in force is named above the table and
changes the hours of the days it covers, and announcements are noted on the days they run.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from ivr.core.hours import DAY_NAMES, MINUTES_PER_DAY, TimeRange
from ivr.core.model import Line
from ivr.core.text import Text


def days_of_week(week: str) -> tuple[date, int]:
    """'2026-W52' → (its Monday, 7)."""
    try:
        year, number = week.upper().split("-W")
        return date.fromisocalendar(int(year), int(number), 1), 7
    except ValueError:
        raise ValueError(f"'{week}' is not an ISO week; write it as 2026-W52") from None


def rows(line: Line, first: date, days: int, now: datetime | None = None) -> list[list[str]]:
    """Header and one row per day: date, weekday, each schedule's hours, notes.

    With ``now``, a manual switch in force changes the hours of the days it covers (from
    now until it ends), and the note says so; announcements are noted on the days they run.
    """
    header = ["date", "day", *line.schedules, "note"]
    out = [header]
    switched = line.switch if now and line.switch and line.switch.in_force(now) else None
    for offset in range(days):
        day = first + timedelta(days=offset)
        span = _span(line, switched, now, day) if switched and now else None
        hours = []
        for schedule in line.schedules.values():
            ranges = list(line.calendar.ranges(schedule, day))
            if span and switched and schedule.switched:
                ranges = _switch(ranges, span, switched.state)
            hours.append(" ".join(map(str, ranges)) or "closed")
        notes = []
        holiday = line.calendar.holiday(day)
        if holiday:
            notes.append(f"holiday: {holiday}")
        notes += [f"override: {o.name}" for o in line.calendar.overrides
                  if o.hours and o.covers(day)]
        if span and switched:
            notes.append(f"switched {switched.state} {span}")
        notes += [f"announcement {when}: «{_said(a.text)}»" for a in line.announcements
                  if (when := _running(a.starts, a.ends, day))]
        out.append([day.isoformat(), DAY_NAMES[day.weekday()], *hours, "; ".join(notes)])
    return out


def _span(line: Line, switched, now: datetime, day: date) -> TimeRange | None:
    """The part of ``day`` (local minutes) from now until the switch ends, if any."""
    start = now.astimezone(line.zone).replace(tzinfo=None)
    return _minutes(start, switched.until.astimezone(line.zone).replace(tzinfo=None), day)


def _minutes(start: datetime, end: datetime, day: date) -> TimeRange | None:
    midnight = datetime.combine(day, time())
    low = max(start, midnight) - midnight
    high = min(end, midnight + timedelta(days=1)) - midnight
    if high <= low:
        return None
    return TimeRange(int(low.total_seconds()) // 60, -(-int(high.total_seconds()) // 60))


def _switch(ranges: Sequence[TimeRange], span: TimeRange, state: str) -> list[TimeRange]:
    """``ranges`` with ``span`` forced closed (cut out) or open (joined in)."""
    if state == "closed":
        kept = [part for r in ranges for part in (TimeRange(r.start, min(r.end, span.start)),
                                                  TimeRange(max(r.start, span.end), r.end))]
        return [r for r in kept if r.start < r.end]
    merged: list[TimeRange] = []
    for r in sorted([*ranges, span]):
        if merged and r.start <= merged[-1].end:
            merged[-1] = TimeRange(merged[-1].start, max(merged[-1].end, r.end))
        else:
            merged.append(r)
    return merged


def _running(starts: datetime, ends: datetime, day: date) -> str | None:
    """'all day', or the minutes of ``day`` an announcement runs; None when it does not."""
    minutes = _minutes(starts, ends, day)
    if minutes is None:
        return None
    return "all day" if (minutes.start, minutes.end) == (0, MINUTES_PER_DAY) else str(minutes)


def _said(text: Text, limit: int = 40) -> str:
    words = " ".join(p for paragraph in text for p in paragraph if isinstance(p, str))
    return words if len(words) <= limit else words[:limit - 1] + "…"


def render(line: Line, first: date, days: int, now: datetime) -> str:
    """The table as aligned text, with the line, its zone and any switch in force."""
    table = rows(line, first, days, now)
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines = [f"{line.name} ({line.zone.key}), {first} to {first + timedelta(days=days - 1)}"]
    if line.switch and line.switch.in_force(now):
        until = line.switch.until.astimezone(line.zone)
        lines.append(f"switched {line.switch.state} until {until:%Y-%m-%d %H:%M}")
    if not line.schedules:
        lines.append("no schedules: the line answers the same at every hour")
    for row in table:
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths,
                                                                         strict=True)).rstrip())
    return "\n".join(lines) + "\n"
