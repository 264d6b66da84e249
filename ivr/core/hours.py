"""Opening hours: weekly ranges, public holidays, dated overrides, decided in local time.

Everything is decided on the line's *local date* and *local time of day*: an aware instant is
converted once with ``zoneinfo`` and never shifted by hand, so the spring gap and the autumn
fold need no special case. Holidays come from the ``holidays`` package; overrides add what a
calendar cannot know (the day before a holiday, a staff day, a planned outage). Pure: no
clock, no files, no web.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import holidays as holidays_package

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60
LOOKAHEAD_DAYS = 31
"""How far ahead ``next_opening`` looks; a schedule closed longer than that has no answer."""


@dataclass(frozen=True, order=True)
class TimeRange:
    """Minutes since local midnight, start included, end excluded (24:00 is 1440)."""

    start: int
    end: int

    def __contains__(self, minute: int) -> bool:
        return self.start <= minute < self.end

    def __str__(self) -> str:
        return f"{clock(self.start)}-{clock(self.end)}"


def clock(minute: int) -> str:
    """'08:00' for 480; 1440 reads '24:00'."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


@dataclass(frozen=True)
class Schedule:
    """Named weekly hours: ranges per weekday (Monday first), and what holidays get.

    ``switched`` is False for another service's hours (a line may name them to give the
    right number to ring): the line's manual switch does not change those.
    """

    name: str
    weekly: tuple[tuple[TimeRange, ...], ...]
    holidays: tuple[TimeRange, ...] = ()
    switched: bool = True


@dataclass(frozen=True)
class Override:
    """A dated change: the days count as holidays, and/or some schedules get other hours."""

    first: date
    last: date
    name: str
    holiday: bool = False
    hours: Mapping[str, tuple[TimeRange, ...]] | None = None

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


class Calendar:
    """Which days are holidays for a line, and which hours each schedule has on a day."""

    def __init__(self, *, country: str | None = None, subdivision: str | None = None,
                 categories: tuple[str, ...] = ("public",), language: str | None = None,
                 overrides: tuple[Override, ...] = ()) -> None:
        self.overrides = overrides
        self._public = (
            holidays_package.country_holidays(
                country, subdiv=subdivision, categories=categories, language=language)
            if country else {}
        )

    def holiday(self, day: date) -> str | None:
        """The holiday's name if ``day`` is one (public, or made one by an override)."""
        for override in reversed(self.overrides):
            if override.holiday and override.covers(day):
                return override.name
        return self._public.get(day)

    def ranges(self, schedule: Schedule, day: date) -> tuple[TimeRange, ...]:
        """The hours ``schedule`` keeps on ``day``: an override, else holiday or weekday."""
        for override in reversed(self.overrides):
            if override.hours and schedule.name in override.hours and override.covers(day):
                return override.hours[schedule.name]
        if self.holiday(day) is not None:
            return schedule.holidays
        return schedule.weekly[day.weekday()]

    def is_open(self, schedule: Schedule, local: datetime) -> bool:
        """Whether ``schedule`` is open at the local wall-clock time ``local``."""
        minute = local.hour * 60 + local.minute
        return any(minute in r for r in self.ranges(schedule, local.date()))

    def next_opening(self, schedule: Schedule, local: datetime) -> tuple[date, int] | None:
        """The local date and minute the schedule next opens after ``local``, if within reach.

        Ranges that touch across midnight (a 24:00 end and a 00:00 start) are one stretch:
        their 00:00 is not an opening.
        """
        minute = local.hour * 60 + local.minute
        open_at_midnight = False
        for offset in range(LOOKAHEAD_DAYS + 1):
            day = local.date() + timedelta(days=offset)
            for r in sorted(self.ranges(schedule, day)):
                if offset == 0 and r.start <= minute:
                    continue
                if r.start == 0 and open_at_midnight:
                    continue
                return day, r.start
            open_at_midnight = any(r.end == MINUTES_PER_DAY for r in self.ranges(schedule, day))
        return None
