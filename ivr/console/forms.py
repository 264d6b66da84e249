"""What people type into the console's forms, read into dates and instants, or refused.

The commands' own readers (``scalars``, ``hours_table``) do the reading; here the years are
held to a span the calendars and the clock arithmetic can serve, so that a week or a time
far off gets a message on the page rather than an overflow deep inside.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from ivr.menufile import scalars
from ivr.server.app import CLOCK_YEARS
from ivr.views import hours_table

YEARS = range(CLOCK_YEARS[0], CLOCK_YEARS[1] + 1)
"""The years a tester's clock may name, so the phone and ``--test-clock`` agree."""


def _in_years(day: date, text: str) -> None:
    if day.year not in YEARS:
        raise ValueError(f"'{text}' is outside {YEARS.start}-{YEARS.stop - 1}")


def week(text: str) -> date:
    """The Monday of an ISO week written as 2026-W52."""
    monday = hours_table.days_of_week(text)[0]
    _in_years(monday, text)
    return monday


def day(text: str) -> date:
    """A date written as 2026-12-23."""
    found = scalars.day(text)
    _in_years(found, text)
    return found


def moment(text: str, zone: ZoneInfo) -> datetime:
    """A local time written as 2026-11-24 15:00 (or 2026-11-24T15:00), as an aware instant."""
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        parsed = None
    if parsed is not None:
        _in_years(parsed.date(), text)
    return scalars.instant(text, zone)
