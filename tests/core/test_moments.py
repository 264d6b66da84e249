"""What a call depends on at a moment (the engine's view), and where in a day it may change."""

import dataclasses
from datetime import date

import pytest
from conftest import EVERY_KIND, utc

from ivr.core.model import Switch
from ivr.core.moments import Situation, changes, situation
from ivr.menufile.format import load_line


@pytest.fixture
def line(write_menu):
    return load_line(write_menu(EVERY_KIND))


def test_changes_are_the_edges_of_the_day(line):
    """A weekday changes at midnight and the office's edges; a Saturday only at midnight."""
    assert changes(line, date(2026, 11, 24)) == [0, 480, 1020, 1440]
    assert changes(line, date(2026, 11, 28)) == [0, 1440]


def test_situation_on_a_weekday_morning(line):
    """Tuesday 10:00 Stockholm: the office is open and next opens tomorrow (Wednesday) at 8."""
    assert situation(line, utc("2026-11-24T09:00Z")) == Situation(
        open=(True,), next_openings=((1, 480, 2),), switch=None, announcements=())


def test_a_closing_switch_is_part_of_the_situation_and_its_end_a_change(line):
    """Switched closed until 12:00: closed now, opening at 12:00, and 12:00 is an edge."""
    switched = dataclasses.replace(line, switch=Switch("closed", utc("2026-11-24T11:00Z")))
    assert situation(switched, utc("2026-11-24T09:00Z")) == Situation(
        open=(False,), next_openings=((0, 720, 1),), switch="closed", announcements=())
    assert 720 in changes(switched, date(2026, 11, 24))
