"""The simulator's call clock: speech, waits, keys during speech, ringing."""

import pytest

from ivr.sim.caller import Caller, scripted
from ivr.sim.clock import clock, split_press

SAY = '<Say language="sv-SE">Gör följande kontroller innan du ringer.</Say>'


class Pages:
    """A server answering fixed TwiML per path."""

    base = "http://localhost"

    def __init__(self, pages):
        self.pages = pages

    def post(self, url, params):
        return 200, f"<Response>{self.pages[url[len(self.base):].split('?')[0]]}</Response>"


def timeline(pages, presses, dial=()):
    call = Caller(Pages(pages), to="+4619212000", keypad=scripted(list(presses)),
                  dial_statuses=list(dial)).run()
    return call, [(e["t"], e["kind"]) for e in call.timeline]


@pytest.mark.parametrize(("press", "split"), [
    pytest.param("1", ("1", None), id="after-the-speech"),
    pytest.param("1@0", ("1", 0.0), id="at-once"),
    pytest.param("31@2.5", ("31", 2.5), id="seconds-in"),
])
def test_a_press_says_when(press, split):
    """'KEY@S' is pressed S seconds after the Gather starts; 'KEY' when its speech ends."""
    assert split_press(press) == split


def test_clock_reads_minutes_and_seconds():
    """Times read as the call clock shows them."""
    assert [clock(s) for s in (0, 48.4, 65, 750)] == ["0:00", "0:48", "1:05", "12:30"]


def test_keys_after_the_speech_wait_for_it():
    """A key pressed when the prompt ends is taken when its estimated speech is over."""
    call, events = timeline({"/voice": f'<Gather action="/g">{SAY}</Gather>',
                             "/g": "<Hangup/>"}, ["1"])
    said = call.timeline[0]["seconds"]
    assert said > 2 and events == [(0.0, "say"), (said, "keys"), (said, "hangup")]


def test_a_key_during_the_speech_stops_it():
    """A key pressed two seconds into a Gather's speech is taken then; the rest is unheard."""
    call, events = timeline({"/voice": f'<Gather action="/g">{SAY}{SAY}</Gather>',
                             "/g": "<Hangup/>"}, ["1@2"])
    assert events == [(0.0, "say"), (2.0, "keys"), (2.0, "hangup")]
    assert call.timeline[0]["seconds"] == 2.0 and call.seconds == 2.0


def test_silence_waits_the_timeout_and_no_answer_rings_out():
    """No input waits the Gather's timeout; a number that does not answer rings its timeout."""
    call, events = timeline({"/voice": '<Gather timeout="6" action="/g"/>'
                             '<Dial timeout="40"><Number>+46701740607</Number></Dial>'},
                            ["-"], dial=["no-answer"])
    assert events == [(0.0, "silence"), (6.0, "dial"), (46.0, "hangup")]
    assert call.timeline[1]["number"] == "+46701740607" and call.seconds == 46.0
    assert call.timeline[1]["outcome"] == "no-answer"


def test_a_pause_moves_the_clock_by_its_length():
    """<Pause length="3"> puts the next prompt three seconds later and adds to the call's
    length; a bare <Pause> is Twilio's one second."""
    call, events = timeline({"/voice": f'<Pause length="3"/>{SAY}<Pause/><Hangup/>'}, [])
    said = call.timeline[1]["seconds"]
    assert events == [(0.0, "pause"), (3.0, "say"), (3.0 + said, "pause"),
                      (4.0 + said, "hangup")]
    assert call.seconds == round(4.0 + said, 1)


def test_a_pause_inside_a_gather_is_heard_before_the_key():
    """A <Pause> in a Gather's prompt delays a key pressed when the prompt ends."""
    call, events = timeline({"/voice": f'<Gather action="/g"><Pause length="2"/>{SAY}</Gather>',
                             "/g": "<Hangup/>"}, ["1"])
    said = call.timeline[1]["seconds"]
    assert events == [(0.0, "pause"), (2.0, "say"), (2.0 + said, "keys"),
                      (2.0 + said, "hangup")]



def test_a_key_after_the_gather_stopped_waiting_is_no_input():
    """A key later than the speech and the timeout comes too late: the Gather heard nothing."""
    pages = {"/voice": f'<Gather timeout="6" action="/g">{SAY}</Gather><Say>Hej då.</Say>',
             "/g": "<Hangup/>"}
    call, _ = timeline(pages, ["4"])
    said = call.timeline[0]["seconds"]
    call, events = timeline(pages, [f"4@{said + 7}"])
    assert events[:2] == [(0.0, "say"), (said, "silence")] and call.timeline[1]["seconds"] == 6
    assert "keys" not in [kind for _, kind in events]
    assert timeline(pages, [f"4@{said + 5}"])[1][1] == (said + 5, "keys")


def test_hash_ends_the_wait_and_the_speech_at_once():
    """'#' (finishOnKey) two seconds in stops the speech and the wait then, with no digits."""
    call, events = timeline({"/voice": f'<Gather timeout="6" action="/g">{SAY}</Gather>'
                             '<Hangup/>', "/g": "<Say>Fel.</Say>"}, ["#@2"])
    assert events == [(0.0, "say"), (2.0, "keys"), (2.0, "hangup")]
    assert call.timeline[1]["text"] == "#" and call.seconds == 2.0
