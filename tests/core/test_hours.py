"""Opening hours decided on local date and time, with holidays and overrides."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import utc

from ivr.core.hours import Calendar, Override, Schedule, TimeRange

STOCKHOLM = ZoneInfo("Europe/Stockholm")
LUNCH = (TimeRange(480, 720), TimeRange(780, 990))
DESK = Schedule("desk", (LUNCH,) * 5 + ((), ()), holidays=())
NIGHT = Schedule("night", ((TimeRange(0, 480), TimeRange(930, 1440)),) * 5
                 + ((TimeRange(0, 1440),),) * 2, holidays=(TimeRange(0, 1440),))
SWEDEN = Calendar(country="SE", categories=("public", "de_facto"), language="sv")


def local(text: str) -> datetime:
    return utc(text).astimezone(STOCKHOLM)


@pytest.mark.parametrize(("at", "is_open"), [
    pytest.param("2026-11-24T06:59Z", False, id="07:59"),
    pytest.param("2026-11-24T07:00Z", True, id="08:00"),
    pytest.param("2026-11-24T10:59Z", True, id="11:59"),
    pytest.param("2026-11-24T11:00Z", False, id="12:00"),
    pytest.param("2026-11-24T12:00Z", True, id="13:00"),
    pytest.param("2026-11-24T15:29Z", True, id="16:29"),
    pytest.param("2026-11-24T15:30Z", False, id="16:30"),
    pytest.param("2026-11-28T09:00Z", False, id="saturday"),
    pytest.param("2026-12-24T09:00Z", False, id="julafton"),
    pytest.param("2026-06-19T08:00Z", False, id="midsommarafton"),
])
def test_desk_hours(at, is_open):
    """Start included, end excluded; weekends and holidays closed."""
    assert SWEDEN.is_open(DESK, local(at)) is is_open


@pytest.mark.parametrize(("at", "opens"), [
    pytest.param("2026-11-24T11:30Z", (date(2026, 11, 24), 780), id="lunch-today-13:00"),
    pytest.param("2026-11-24T16:00Z", (date(2026, 11, 25), 480), id="evening-tomorrow"),
    pytest.param("2026-11-27T16:00Z", (date(2026, 11, 30), 480), id="friday-monday"),
    pytest.param("2026-12-23T16:00Z", (date(2026, 12, 28), 480), id="over-christmas"),
])
def test_next_opening(at, opens):
    """The next opening skips lunch, nights, weekends and holidays."""
    assert SWEDEN.next_opening(DESK, local(at)) == opens


def test_next_opening_ignores_midnight_continuation():
    """A range ending 24:00 and the next starting 00:00 are one stretch, not an opening."""
    friday_evening = local("2026-11-27T14:00Z")
    assert SWEDEN.next_opening(NIGHT, friday_evening) == (date(2026, 11, 27), 930)
    assert SWEDEN.next_opening(NIGHT, local("2026-11-30T08:00Z")) == (date(2026, 11, 30), 930)


@pytest.mark.parametrize(("at", "is_open"), [
    pytest.param("2026-03-29T00:59Z", True, id="spring-01:59-cet"),
    pytest.param("2026-03-29T01:00Z", True, id="spring-03:00-cest"),
    pytest.param("2026-03-30T05:59Z", True, id="mon-after-spring-07:59-cest"),
    pytest.param("2026-03-30T06:00Z", False, id="mon-after-spring-08:00-cest"),
    pytest.param("2026-10-25T00:30Z", True, id="autumn-02:30-first"),
    pytest.param("2026-10-25T01:30Z", True, id="autumn-02:30-second"),
])
def test_dst_changes_keep_wall_clock_hours(at, is_open):
    """Around both DST changes the local time of day decides, without arithmetic."""
    assert SWEDEN.is_open(NIGHT, local(at)) is is_open


@pytest.mark.parametrize(("at", "is_open"), [
    # Monday 2026-03-30, the first weekday of summer time (UTC+2)
    pytest.param("2026-03-30T05:59Z", False, id="spring-mon-07:59"),
    pytest.param("2026-03-30T06:00Z", True, id="spring-mon-08:00"),
    pytest.param("2026-03-30T09:59Z", True, id="spring-mon-11:59"),
    pytest.param("2026-03-30T10:00Z", False, id="spring-mon-12:00"),
    pytest.param("2026-03-30T10:59Z", False, id="spring-mon-12:59"),
    pytest.param("2026-03-30T11:00Z", True, id="spring-mon-13:00"),
    pytest.param("2026-03-30T14:29Z", True, id="spring-mon-16:29"),
    pytest.param("2026-03-30T14:30Z", False, id="spring-mon-16:30"),
    # Monday 2026-10-26, the first weekday of winter time (UTC+1)
    pytest.param("2026-10-26T06:59Z", False, id="autumn-mon-07:59"),
    pytest.param("2026-10-26T07:00Z", True, id="autumn-mon-08:00"),
    pytest.param("2026-10-26T10:59Z", True, id="autumn-mon-11:59"),
    pytest.param("2026-10-26T11:00Z", False, id="autumn-mon-12:00"),
    pytest.param("2026-10-26T11:59Z", False, id="autumn-mon-12:59"),
    pytest.param("2026-10-26T12:00Z", True, id="autumn-mon-13:00"),
    pytest.param("2026-10-26T15:29Z", True, id="autumn-mon-16:29"),
    pytest.param("2026-10-26T15:30Z", False, id="autumn-mon-16:30"),
    # Friday 2026-03-27 and 2026-10-23, the last weekdays before each change
    pytest.param("2026-03-27T06:59Z", False, id="before-spring-fri-07:59"),
    pytest.param("2026-03-27T07:00Z", True, id="before-spring-fri-08:00"),
    pytest.param("2026-10-23T05:59Z", False, id="before-autumn-fri-07:59"),
    pytest.param("2026-10-23T06:00Z", True, id="before-autumn-fri-08:00"),
])
def test_desk_edges_on_weekdays_around_dst(at, is_open):
    """Every edge of a lunch-split weekday a minute before and at it, either side of a change.

    The offsets differ by an hour on the two Mondays, so a clock that used UTC minutes (or
    the offset of the wrong day) would open or close an hour off at every edge.
    """
    assert SWEDEN.is_open(DESK, local(at)) is is_open


@pytest.mark.parametrize(("at", "opens"), [
    pytest.param("2026-03-28T20:00Z", (date(2026, 3, 30), 480), id="over-spring-change"),
    pytest.param("2026-10-24T20:00Z", (date(2026, 10, 26), 480), id="over-autumn-change"),
])
def test_next_opening_over_a_dst_weekend(at, opens):
    """From a Saturday evening the desk next opens at 08:00 local on the Monday after."""
    assert SWEDEN.next_opening(DESK, local(at)) == opens


def test_overrides_change_hours_and_make_holidays():
    """An override can shorten a day for one schedule, or make days holidays."""
    calendar = Calendar(country="SE", overrides=(
        Override(date(2026, 12, 23), date(2026, 12, 23), "Dag före julafton",
                 hours={"desk": (TimeRange(480, 720),)}),
        Override(date(2026, 11, 24), date(2026, 11, 25), "Personaldagar", holiday=True),
    ))
    assert calendar.is_open(DESK, local("2026-12-23T10:59Z"))
    assert not calendar.is_open(DESK, local("2026-12-23T11:00Z"))
    assert calendar.holiday(date(2026, 11, 25)) == "Personaldagar"
    assert not calendar.is_open(DESK, local("2026-11-25T09:00Z"))
    assert calendar.is_open(DESK, local("2026-11-26T09:00Z"))


def test_holiday_names_in_the_line_language():
    """Holiday names come from the holidays package, in Swedish for a Swedish line."""
    assert SWEDEN.holiday(date(2026, 12, 24)) == "Julafton"
    assert SWEDEN.holiday(date(2026, 12, 23)) is None
