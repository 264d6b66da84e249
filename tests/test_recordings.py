"""Recorded prompts (``play: URL``): a <Play> whose words and length the line keeps for the
transcript, the clock and the warnings."""

import json
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from conftest import MINIMAL

from ivr.core.errors import MenuError
from ivr.menufile.format import load_line
from ivr.sim import ivrsim

RECORDED = MINIMAL.replace("start: main", "start: hello").replace(
    "    prompt: Tryck 1.\n",
    "    prompt:\n      - play: https://example.org/meny.mp3\n        seconds: 9\n"
    "      - Tryck 1.\n") + (
    "  hello:\n    type: say\n    text:\n      play: https://example.org/valkommen.mp3\n"
    "      text: Välkommen till växeln.\n    then: main\n")


def call(write_menu, text=RECORDED):
    path = write_menu(text)
    result = CliRunner().invoke(ivrsim.main, ["--menus", str(path.parent), "--menu", "line",
                                           "--press", "1", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_recordings_are_played_and_the_menus_own_is_inside_its_gather(write_menu):
    """A recording is a <Play>; in a menu's prompt it plays inside the <Gather>."""
    root = ElementTree.fromstring(call(write_menu)["steps"][0]["twiml"])
    assert root[0].tag == "Play" and root[0].text == "https://example.org/valkommen.mp3"
    gather = root.find("Gather")
    assert [(v.tag, v.text) for v in gather] == [("Play", "https://example.org/meny.mp3"),
                                                 ("Say", "Tryck 1.")]


def test_the_transcript_and_clock_use_the_words_and_stated_length(write_menu):
    """The sim shows a recording's words, timed by its estimate or its stated seconds."""
    timeline = call(write_menu)["timeline"]
    said = [(e["t"], e["text"], e["seconds"]) for e in timeline if e["kind"] == "say"]
    assert said[0][1] == "Välkommen till växeln." and said[0][2] > 1
    assert said[1] == (said[0][2], "https://example.org/meny.mp3", 9.0)


@pytest.mark.parametrize(("recording", "message"), [
    pytest.param("play: https://example.org/a.mp3",
                 "a recording needs 'text' (what it says) or 'seconds'", id="no-text"),
    pytest.param("play: valkommen.mp3\n      text: Hej.",
                 "'valkommen.mp3' is not an http(s) address", id="not-a-url"),
])
def test_a_recording_needs_an_address_and_its_words_or_length(write_menu, recording, message):
    """A recording without words or length, or without an address, is an error."""
    text = RECORDED.replace(
        "play: https://example.org/valkommen.mp3\n      text: Välkommen till växeln.", recording)
    with pytest.raises(MenuError) as raised:
        load_line(write_menu(text))
    assert message in str(raised.value)
