"""The effective hours of a line, day by day: what it will do next week, at a glance.

Each schedule's ranges per date after holidays and overrides, with the holiday or override
that shaped the day named beside it; a manual switch in force is named above the table.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ivr.hours import DAY_NAMES
from ivr.model import Line


def days_of_week(week: str) -> tuple[date, int]:
    """'2026-W52' → (its Monday, 7)."""
    try:
        year, number = week.upper().split("-W")
        return date.fromisocalendar(int(year), int(number), 1), 7
    except ValueError:
        raise ValueError(f"'{week}' is not an ISO week; write it as 2026-W52") from None


def rows(line: Line, first: date, days: int) -> list[list[str]]:
    """Header and one row per day: date, weekday, each schedule's hours, notes."""
    header = ["date", "day", *line.schedules, "note"]
    out = [header]
    for offset in range(days):
        day = first + timedelta(days=offset)
        hours = [" ".join(map(str, line.calendar.ranges(s, day))) or "closed"
                 for s in line.schedules.values()]
        notes = []
        holiday = line.calendar.holiday(day)
        if holiday:
            notes.append(f"holiday: {holiday}")
        notes += [f"override: {o.name}" for o in line.calendar.overrides
                  if o.hours and o.covers(day)]
        out.append([day.isoformat(), DAY_NAMES[day.weekday()], *hours, "; ".join(notes)])
    return out


def render(line: Line, first: date, days: int, now: datetime) -> str:
    """The table as aligned text, with the line, its zone and any switch in force."""
    table = rows(line, first, days)
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
