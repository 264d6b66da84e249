"""The state machine, step by step, with time as an argument and no web in sight."""

import pytest
from conftest import MINIMAL, utc

from ivr.core.engine import Ask, Connect, DialOutcome, End, Keys, Silence, Speak, Start, step
from ivr.core.state import State
from ivr.menufile.format import load_line

NOW = utc("2026-11-24T09:00Z")

LINE = MINIMAL.replace("      1: bye\n", "      1: bye\n      2: desk\n") + """\
  desk:
    type: dial
    say: Kopplar.
    numbers: ["+4619213606", "+4619214944"]
    fallback: sorry
    then: thanks
  sorry:
    type: say
    text: Ingen svarar.
    then: bye
  thanks:
    type: hangup
    text: Tack för samtalet.
"""


@pytest.fixture
def line(write_menu):
    return load_line(write_menu(LINE))


def texts(turn):
    return [a.text for a in turn.actions if isinstance(a, Speak)]


def test_start_asks_the_first_menu(line):
    """A new call walks to the first node that waits and asks its prompt."""
    turn = step(line, None, Start(), NOW)
    assert turn.actions == (Ask((Speak("Tryck 1."),), 6, State("main")),)


def test_a_valid_key_moves_on(line):
    """A key the menu offers leads to its node."""
    turn = step(line, State("main"), Keys("1"), NOW)
    assert turn.actions == (Speak("Hej då."), End())


@pytest.mark.parametrize(("event", "counter"), [
    pytest.param(Silence(), "no_input", id="silence"), pytest.param(Keys("9"), "invalid",
                                                                   id="wrong-key")])
def test_three_strikes_then_goodbye(line, event, counter):
    """Silence and wrong keys each get a message and a re-prompt, then a goodbye at 3."""
    state = State("main")
    for expected in (1, 2):
        turn = step(line, state, event, NOW)
        state = turn.actions[-1].state
        assert getattr(state, counter) == expected
        assert isinstance(turn.actions[-1], Ask)
    turn = step(line, state, event, NOW)
    assert texts(turn) == ["Hej då."] and turn.actions[-1] == End()


def test_silence_and_wrong_keys_are_counted_apart(line):
    """Two silences and two wrong keys still leave the caller in the menu."""
    state = State("main")
    for event in (Silence(), Keys("9"), Silence(), Keys("8")):
        state = step(line, state, event, NOW).actions[-1].state
    assert (state.no_input, state.invalid) == (2, 2)
    assert texts(step(line, state, Keys("1"), NOW)) == ["Hej då."]


def test_dial_tries_numbers_in_order_then_falls_back(line):
    """Busy, no-answer and failed move to the next number, then to the fallback node."""
    turn = step(line, State("main"), Keys("2"), NOW)
    assert texts(turn) == ["Kopplar."]
    assert turn.actions[-1] == Connect("+4619213606", 20, State("desk"))
    turn = step(line, State("desk"), DialOutcome("busy"), NOW)
    assert turn.actions == (Connect("+4619214944", 20, State("desk", attempt=1)),)
    turn = step(line, State("desk", attempt=1), DialOutcome("no-answer"), NOW)
    assert texts(turn) == ["Ingen svarar.", "Hej då."] and turn.actions[-1] == End()


@pytest.mark.parametrize("status", ["completed", "answered"])
def test_dial_answered_goes_to_then(line, status):
    """An answered call goes on to the dial's 'then' node, which says its own last word."""
    turn = step(line, State("desk"), DialOutcome(status), NOW)
    assert texts(turn) == ["Tack för samtalet."] and turn.actions[-1] == End()


def test_a_busy_last_number_goes_to_busy_when_the_dial_has_one(write_menu):
    """With `busy:`, the last number busy is told as busy; no answer still falls back."""
    line = load_line(write_menu(LINE.replace("    fallback: sorry\n",
                                             "    fallback: sorry\n    busy: engaged\n")
                                + """\
  engaged:
    type: say
    text: Det är upptaget.
    then: bye
"""))
    last = State("desk", attempt=1)
    assert texts(step(line, last, DialOutcome("busy"), NOW)) == ["Det är upptaget.", "Hej då."]
    assert texts(step(line, last, DialOutcome("no-answer"), NOW)) == ["Ingen svarar.", "Hej då."]
    assert step(line, State("desk"), DialOutcome("busy"), NOW).actions == (
        Connect("+4619214944", 20, State("desk", attempt=1)),)


def test_dial_canceled_ends_quietly(line):
    """A canceled dial (the caller hung up while it rang) ends without going to 'then'."""
    assert step(line, State("desk"), DialOutcome("canceled"), NOW).actions == (End(),)


def test_unknown_node_restarts(line):
    """A state naming a node that is gone restarts at the start node."""
    turn = step(line, State("gone"), Keys("1"), NOW)
    assert turn.restarted and turn.actions[-1].state == State("main")


def test_now_must_be_aware(line):
    """The engine refuses a naive time: the line's zone could not be applied."""
    with pytest.raises(ValueError):
        step(line, None, Start(), NOW.replace(tzinfo=None))
