"""What every shipped line must keep: a routine citation per node, and text a voice reads well."""

import re

import phonenumbers
import pytest
import yaml
from conftest import MENUS

from ivr.core import spoken
from ivr.core.nodes import DialNode
from ivr.core.text import Tel
from ivr.menufile.format import load_line

SHIPPED = sorted(MENUS.glob("*.yaml"))
IDS = [path.stem for path in SHIPPED]


def _node_keys(text: str):
    """(line index, node name) of each node key under the top-level 'nodes:'."""
    lines = text.splitlines()
    start = lines.index("nodes:")
    for index in range(start + 1, len(lines)):
        match = re.fullmatch(r"  ([A-Za-z0-9][\w-]*):", lines[index])
        if match:
            yield index, match[1], lines


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_every_node_has_a_comment_citing_the_routine(path):
    """Each node is preceded by a comment, so the routine's owner can review it line by line."""
    for index, name, lines in _node_keys(path.read_text(encoding="utf-8")):
        assert lines[index - 1].startswith("  #"), f"{path.name}: node {name} has no comment"


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_country_reads_as_a_string_to_yaml_1_1_tools(path):
    """A holiday country is quoted, so PyYAML and other YAML 1.1 tools never read NO as false."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    holidays = document.get("calendar", {}).get("holidays")
    if holidays:
        assert isinstance(holidays["country"], str)


_SPOKEN = ("text", "prompt", "say", "reprompt", "no_input", "invalid", "goodbye")


def _pieces(line):
    """Every piece of every text the line can say: literal strings and placeholders."""
    for node in line.nodes.values():
        for text in (getattr(node, name, None) for name in _SPOKEN):
            for paragraph in text or ():
                yield from paragraph


def _numbers(line):
    """Every E.164 number the line answers on, dials or says."""
    yield from (n for n in line.numbers if n.startswith("+"))
    for node in line.nodes.values():
        if isinstance(node, DialNode):
            yield from node.numbers
    yield from (piece.number for piece in _pieces(line) if isinstance(piece, Tel))


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_every_number_is_valid_or_a_listed_placeholder(path):
    """A number that is not a listed stand-in is valid by libphonenumber's rules."""
    line = load_line(path)
    for number in _numbers(line):
        assert (number in line.placeholders
                or phonenumbers.is_valid_number(phonenumbers.parse(number))), number


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_spoken_text_has_no_digit_dashes_clock_faces_or_112_as_a_number(path):
    """No "019-…" read as minus, no "08:00", no "112" read as a hundred and twelve."""
    line = load_line(path)
    for text in [*(p for p in _pieces(line) if isinstance(p, str)), line.apology]:
        assert not re.search(r"\d-\d", text), text
        assert not re.search(r"\d\d:\d\d", text), text
        assert not re.search(r"\b112\b", text), text


ROUTINES_WRITE = {
    "+4619213606": "019-21 36 06", "+4619214944": "019-21 49 44",
    "+4619105410": "019-10 54 10", "+4620240000": "020-24 00 00",
    "+46346885555": "0346-88 55 55", "+46200443000": "0200-44 30 00",
    "+4770162446": "70 16 24 46",
}
"""Each number a line says, as its routine writes it."""


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_every_spoken_number_is_grouped_as_the_routine_writes_it(path):
    """A caller noting a number down writes what the routine writes (the dash said as a pause)."""
    line = load_line(path)
    for piece in _pieces(line):
        if isinstance(piece, Tel):
            heard = spoken.phone_number(piece.number, line.language, piece.written)
            assert heard == ROUTINES_WRITE[piece.number].replace("-", ", ")


ROUTINE_000_OPENING = ("Syfte: Att användare vet vart man vänder sig för att få support, göra "
                       "felanmälan och vid driftstopp")
"""The first words of the Örebro routine, which has no title of its own."""


@pytest.mark.parametrize("name", ["orebro-kommunsupport", "orebro-carelock"])
def test_orebro_headers_quote_the_routines_real_opening(name):
    """Both Örebro files name their source by the routine's opening words, not a made-up title."""
    lines = (MENUS / f"{name}.yaml").read_text(encoding="utf-8").splitlines()
    header = " ".join(line.lstrip("# ") for line in lines[:lines.index("")])
    assert f'"{ROUTINE_000_OPENING}' in header
    assert "Vart vänder jag mig" not in header


@pytest.mark.parametrize("path", sorted(MENUS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_menu_that_gives_up_says_where_to_turn(path):
    """No menu of a shipped line ends a silent or lost caller's call with the bare goodbye:
    each one either goes on (on_limit) to words of help or has its own last words (the
    number again, the portal, the keys for next time)."""
    nodes = yaml.safe_load(path.read_text(encoding="utf-8"))["nodes"]
    bare = [name for name, node in nodes.items()
            if node["type"] == "menu" and "on_limit" not in node and "goodbye" not in node]
    assert bare == []
