"""A line's state at a moment: open or closed, until when, switch and announcements first."""

from datetime import datetime

import pytest
from conftest import MINIMAL, utc

from ivr.console.linestate import state
from ivr.core.model import Switch
from ivr.menufile.format import load_line

LINE = MINIMAL + """\
calendar:
  holidays:
    country: SE
  overrides:
    - date: 2026-12-23
      name: Dag före julafton
      hours: {desk: 08:00-12:00}
schedules:
  desk:
    mon-fri: [08:00-12:00, 13:00-16:00]
  night:
    mon-fri: [00:00-08:00, 16:00-24:00]
    sat-sun: 00:00-24:00
    holidays: 00:00-24:00
announcements:
  - from: 2026-12-01 09:00
    to: 2026-12-01 14:00
    text: Uppgradering pågår.
"""


@pytest.fixture
def line(write_menu):
    return load_line(write_menu(LINE))


def desk(line, at):
    found = state(line, utc(at)).schedules[0]
    assert found.name == "desk"
    return found.open, found.until


@pytest.mark.parametrize("at,expected", [
    ("2026-11-25T06:59Z", (False, datetime(2026, 11, 25, 8, 0))),   # Wed 07:59, a minute before
    ("2026-11-25T07:00Z", (True, datetime(2026, 11, 25, 12, 0))),   # Wed 08:00, opening
    ("2026-11-25T10:59Z", (True, datetime(2026, 11, 25, 12, 0))),   # 11:59, a minute before lunch
    ("2026-11-25T11:00Z", (False, datetime(2026, 11, 25, 13, 0))),  # 12:00, lunch
    ("2026-11-25T15:00Z", (False, datetime(2026, 11, 26, 8, 0))),   # 16:00, closing
    ("2026-11-27T15:30Z", (False, datetime(2026, 11, 30, 8, 0))),   # Friday evening → Monday
    ("2026-12-23T11:30Z", (False, datetime(2026, 12, 24, 8, 0))),   # the override's short day
    ("2026-12-25T09:00Z", (False, datetime(2026, 12, 28, 8, 0))),   # Juldagen, Annandag jul
], ids=["before-open", "open", "before-lunch", "lunch", "close", "weekend", "override",
        "christmas"])
def test_desk_open_or_closed_and_next_change(line, at, expected):
    """Each edge, a minute before and at it, across lunch, a weekend, an override and Christmas."""
    assert desk(line, at) == expected


def test_ranges_that_touch_at_midnight_are_one_stretch(line):
    """Night runs Friday 16:00 through the weekend to Monday 08:00: one change, not three."""
    night = state(line, utc("2026-11-27T20:00Z")).schedules[1]
    assert night.open and night.until == datetime(2026, 11, 30, 8, 0)


def test_changes_are_local_times_across_the_dst_change(line):
    """On the autumn change's Monday the desk still opens at 08:00 local time."""
    assert desk(line, "2026-10-26T06:00Z") == (False, datetime(2026, 10, 26, 8, 0))
    assert desk(line, "2026-10-26T07:00Z") == (True, datetime(2026, 10, 26, 12, 0))


def test_a_switch_decides_every_schedule_until_it_ends(line):
    """Closed by the switch until 15:00: every schedule reads closed, the next change is its end."""
    switched = line.__class__(**{**line.__dict__, "switch": Switch(
        "closed", utc("2026-11-25T14:00Z"), "Driftstörning.")})
    found = state(switched, utc("2026-11-25T09:00Z"))
    assert [(s.open, s.forced) for s in found.schedules] == [(False, True), (False, True)]
    assert found.next_change == (datetime(2026, 11, 25, 15, 0), "the switch (closed) ends")
    after = state(switched, utc("2026-11-25T14:00Z"))
    assert after.switch is None and after.schedules[0].open


def test_announcements_said_now_or_to_come(line):
    """An announcement ahead is the next change; during it, its end is."""
    before = state(line, utc("2026-12-01T06:30Z"))
    assert before.announcements[0][0] == "to come"
    assert before.next_change == (datetime(2026, 12, 1, 8, 0), "desk opens")
    during = state(line, utc("2026-12-01T08:30Z"))
    assert during.announcements[0][0] == "said now"
    assert during.next_change == (datetime(2026, 12, 1, 12, 0), "desk closes")
    lunch = state(line, utc("2026-12-01T11:30Z"))
    assert lunch.next_change == (datetime(2026, 12, 1, 13, 0), "desk opens")
    assert state(line, utc("2026-12-01T12:30Z")).next_change == (
        datetime(2026, 12, 1, 14, 0), "an announcement ends")
    assert state(line, utc("2026-12-01T13:00Z")).announcements == ()


def test_always_open_schedule_has_no_next_change(write_menu):
    """A schedule open around the clock has no change within the look-ahead."""
    line = load_line(write_menu(MINIMAL + "schedules:\n  all:\n    mon-sun: 00:00-24:00\n"))
    found = state(line, utc("2026-11-25T09:00Z"))
    assert found.schedules[0].open and found.schedules[0].until is None
    assert found.next_change is None
