"""Caller time on Kommunsupport after hours, through the webhooks: when the first key is
taken, when SOS Alarm starts ringing, and keys given during skippable speech.

Tuesday 2026-11-24 19:30 in Stockholm is 18:30 UTC: the line is closed, so a caller hears
the welcome and the closed notice (neither skippable), the daytime menu, 3, the business
systems menu, 1, the lock-or-outage choice, 2, the checks (skippable), the SOS menu and 1.
"""

from xml.etree import ElementTree

import pytest
from conftest import MINIMAL

from ivr.core import speechtime
from ivr.core.errors import MenuError
from ivr.menufile.format import load_line

LINE, SOS, AFTER_HOURS = "+4619212000", "+46701740607", "2026-11-24T18:30Z"
OUTAGE = ("3", "1", "2")
WELCOME_AND_NOTICE = 9.9
"""Seconds of the welcome and the closed notice, which no key cuts short."""


def ring_starts(call) -> float:
    return next(e["t"] for e in call.timeline if e["kind"] == "dial")


def keys(call) -> list[tuple[float, str]]:
    return [(e["t"], e["text"]) for e in call.timeline if e["kind"] == "keys"]


def test_the_closed_notice_is_heard_before_any_key_is_taken(place_call):
    """Keys pressed as the call starts are taken once the daytime menu listens, after the
    welcome and the closed notice, and reach the lock-or-outage choice, not a dial."""
    call = place_call(LINE, AFTER_HOURS, "3@0", "1@0")
    assert keys(call) == [(WELCOME_AND_NOTICE, "3"), (WELCOME_AND_NOTICE, "1")]
    assert call.dialed == []


def test_sos_alarm_rings_after_its_own_notice_for_a_caller_who_presses_at_once(place_call):
    """Pressing 3, 1, 2 and 1 at once, SOS Alarm rings after the unskippable notice and only
    'Du kopplas nu till S O S Alarm…'."""
    call = place_call(LINE, AFTER_HOURS, "3@0", "1@0", "2@0", "1@0")
    notice = "Du kopplas nu till S O S Alarm. Begär jourhavande datatekniker för Örebro kommun."
    assert ring_starts(call) == pytest.approx(
        WELCOME_AND_NOTICE + speechtime.seconds(notice, "sv-SE"), abs=0.05)
    assert call.dialed == [SOS]


def test_sos_alarm_rings_after_all_the_speech_for_a_caller_who_waits(place_call):
    """Listening to everything, SOS Alarm rings once every prompt has been said out in turn."""
    call = place_call(LINE, AFTER_HOURS, *OUTAGE, "1")
    said = [e for e in call.timeline if e["kind"] == "say"]
    assert ring_starts(call) == pytest.approx(sum(e["seconds"] for e in said), abs=0.2)
    assert [key for _, key in keys(call)] == [*OUTAGE, "1"]
    assert ring_starts(call) > keys(call)[-1][0] > keys(call)[-2][0] + 30  # the checks


def test_a_key_during_the_checks_is_taken_at_once(place_call):
    """A caller who has done the checks presses 1 three seconds into them and is put through."""
    call = place_call(LINE, AFTER_HOURS, *OUTAGE, "1@3")
    chose, pressed = keys(call)[-2][0], keys(call)[-1][0]
    assert pressed == pytest.approx(chose + 3)
    heard = [e for e in call.timeline if e["kind"] == "say" and chose <= e["t"] < pressed]
    assert len(heard) == 1 and heard[0]["text"].startswith("Jouren vid driftstopp")
    assert heard[0]["seconds"] == 3.0
    assert call.steps[3]["params"]["Digits"] == "2"
    assert call.steps[4]["params"]["Digits"] == "1" and call.dialed == [SOS]


def test_skippable_speech_is_said_inside_the_menus_gather(place_call):
    """The checks are <Say>s inside the SOS menu's <Gather>, so Twilio takes a key during them."""
    call = place_call(LINE, AFTER_HOURS, *OUTAGE, "-")
    root = ElementTree.fromstring(call.steps[3]["twiml"])
    assert [v.tag for v in root] == ["Gather", "Redirect"]
    said = [say.text for say in root.find("Gather").iter("Say")]
    assert said[0].startswith("Jouren vid driftstopp") and said[-1].startswith("Om ärendet")


def test_skippable_needs_a_menu_after_it(tmp_path):
    """A skippable say that leads to no menu is an error naming the node."""
    text = MINIMAL.replace("start: main", "start: hello") + (
        "  hello:\n    type: say\n    text: Hej.\n    then: bye\n    skippable: true\n")
    path = tmp_path / "line.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MenuError, match="nodes.hello.skippable: a skippable say must lead "
                                        "into a menu"):
        load_line(path)
