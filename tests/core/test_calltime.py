"""Paths to a ringing desk and menu waits, derived from the engine at one instant."""

from conftest import MENUS, utc

from ivr.core import calltime
from ivr.menufile.format import load_line

KOMMUNSUPPORT = load_line(MENUS / "orebro-kommunsupport.yaml")
BRUKARSTOTTE = load_line(MENUS / "brukarstotte.yaml")


def test_day_paths_ring_each_desk():
    """Tuesday 10:00: 4 rings IT, 3 1 rings TES, each after its menus' speech."""
    paths = calltime.desk_paths(KOMMUNSUPPORT, utc("2026-11-24T09:00Z"))
    assert [(p.keys, p.desk, p.menus) for p in paths] == [
        (("4",), "it-desk", ("main-menu",)),
        (("3", "1"), "tes-desk", ("main-menu", "business-systems"))]
    assert all(p.pressing < p.first_time <= p.listening for p in paths)


def test_lunch_rings_no_desk_only_the_lock_line():
    """At 12:30 both desks are at lunch: no desk rings; 3 1 (TES closed), 1 (a lock) and 1
    put a broken lock through to Carelock's day line."""
    paths = calltime.desk_paths(KOMMUNSUPPORT, utc("2026-11-24T11:30Z"))
    assert [(p.keys, p.number) for p in paths] == [(("3", "1", "1", "1"), "+4619213606")]


def test_first_time_caller_presses_when_the_option_is_named():
    """Brukarstøtte names 'Kritisk feil? Trykk 1' first: a first-time caller presses at once."""
    critical = calltime.desk_paths(BRUKARSTOTTE, utc("2026-11-24T09:00Z"))[0]
    assert critical.keys == ("1",) and critical.first_time < 10 < 60 < critical.listening


def test_skippable_speech_counts_until_the_options():
    """After hours, the SOS menu's options come after the skippable checks, none unskippable."""
    waits = {w.menu: w for w in calltime.menu_waits(KOMMUNSUPPORT, utc("2026-11-24T18:30Z"))}
    assert waits["sos-menu"].keys == ("3", "1", "2") and waits["sos-menu"].unskippable == 0
    assert waits["sos-menu"].options_start > 30
