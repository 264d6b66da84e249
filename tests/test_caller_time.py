"""Caller time on Kommunsupport after hours, through the webhooks: when the first key is
taken, when SOS Alarm starts ringing, and keys given during skippable speech.

Tuesday 2026-11-24 19:30 in Stockholm is 18:30 UTC: the line is closed, so a caller hears
the after-hours notice (skippable), the after-hours menu, 3, the checks (skippable), the SOS
menu and 1.
"""

from xml.etree import ElementTree

import pytest
from conftest import MINIMAL

from ivr.core import speechtime
from ivr.core.errors import MenuError
from ivr.menufile.format import load_line

LINE, SOS, AFTER_HOURS = "+4619212000", "+46701740607", "2026-11-24T18:30Z"


def ring_starts(call) -> float:
    return next(e["t"] for e in call.timeline if e["kind"] == "dial")


def keys(call) -> list[tuple[float, str]]:
    return [(e["t"], e["text"]) for e in call.timeline if e["kind"] == "keys"]


def test_the_first_key_is_taken_at_once_after_hours(place_call):
    """The after-hours notice is skippable: a key pressed as the call starts is taken at 0:00."""
    call = place_call(LINE, AFTER_HOURS, "3@0", "1@0")
    assert keys(call) == [(0.0, "3"), (0.0, "1")]
    assert call.dialed == [SOS]


def test_sos_alarm_rings_after_its_own_notice_for_a_caller_who_presses_at_once(place_call):
    """Pressing 3 and 1 at once, SOS Alarm rings after only 'Du kopplas nu till SOS Alarm…'."""
    call = place_call(LINE, AFTER_HOURS, "3@0", "1@0")
    notice = "Du kopplas nu till SOS Alarm. Begär jourhavande datatekniker för Örebro kommun."
    assert ring_starts(call) == speechtime.seconds(notice, "sv-SE") == 5.4


def test_sos_alarm_rings_after_all_the_speech_for_a_caller_who_waits(place_call):
    """Listening to everything, SOS Alarm rings at 1:27: every prompt said out in turn."""
    call = place_call(LINE, AFTER_HOURS, "3", "1")
    said = [e for e in call.timeline if e["kind"] == "say"]
    assert ring_starts(call) == pytest.approx(sum(e["seconds"] for e in said), abs=0.2)
    assert ring_starts(call) == 87.0
    assert keys(call) == [(30.6, "3"), (81.6, "1")]


def test_a_key_during_the_checks_is_taken_at_once(place_call):
    """A caller who has done the checks presses 1 three seconds into them and is put through."""
    call = place_call(LINE, AFTER_HOURS, "3", "1@3")
    assert keys(call) == [(30.6, "3"), (33.6, "1")]
    heard = [e for e in call.timeline if e["kind"] == "say" and 30.6 <= e["t"] < 33.6]
    assert len(heard) == 1 and heard[0]["text"].startswith("Jouren vid driftstopp")
    assert heard[0]["seconds"] == 3.0
    assert call.steps[1]["params"]["Digits"] == "3"
    assert call.steps[2]["params"]["Digits"] == "1" and call.dialed == [SOS]


def test_skippable_speech_is_said_inside_the_menus_gather(place_call):
    """The checks are <Say>s inside the SOS menu's <Gather>, so Twilio takes a key during them."""
    call = place_call(LINE, AFTER_HOURS, "3", "-")
    root = ElementTree.fromstring(call.steps[1]["twiml"])
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
