"""Caller-time warnings of ``ivr check``: long waits, many menus, words read badly, and
the per-line limits."""

import time

import pytest
from click.testing import CliRunner
from conftest import FIRST_KINDS, MENUS, MINIMAL, utc

from ivr.admin.commands import main
from ivr.core import calltime
from ivr.menufile.cautions import warnings
from ivr.menufile.format import load_with_document

NOW = utc("2026-11-24T09:00Z")
SENTENCE = "Det här är en mening som tar en stund att säga för den som ringer. "
GREETING = (MINIMAL.replace("start: main", "start: hello") +
            f"  hello:\n    type: say\n    text: {SENTENCE * 14}\n    then: main\n")
"""A line whose greeting is about 60 seconds of speech no key can cut short."""
walk = calltime.walk


def warned(path) -> list[str]:
    return [f"{p.key}: {p.message}" for p in warnings(*load_with_document(path), NOW)]


def check(path, *args):
    return CliRunner().invoke(main, ["check", str(path), *args])


def test_strict_fails_on_a_sixty_second_unskippable_greeting(write_menu):
    """A 60 s greeting before the menu fails --strict, pointing at the greeting (the say to
    shorten or mark skippable), naming the menu and the limits."""
    result = check(write_menu(GREETING), "--strict")
    assert result.exit_code == 1
    assert "nodes.hello: 5" in result.output and "no key can cut short" in result.output
    assert "before menu 'main' (as the call starts), said by 'hello'" in result.output
    assert "mark 'hello' 'skippable: true'" in result.output
    assert "caller_time.unskippable (30 s)" in result.output
    assert "caller_time.options_after (15 s)" in result.output


def test_strict_passes_when_the_greeting_is_skippable_and_the_limit_allows_it(write_menu):
    """Skippable, with options_after raised for this line, the same greeting passes."""
    text = GREETING.replace("    then: main\n", "    then: main\n    skippable: true\n")
    text += "caller_time:\n  options_after: 90\n"
    assert check(write_menu(text), "--strict").exit_code == 0


def test_a_chain_of_skippable_says_into_a_menu_is_said_while_it_listens(write_menu):
    """Two says in a row, the first skippable, lead into the menu: accepted, and both are
    said inside its wait for a key (no unskippable warning)."""
    text = GREETING.replace("    then: main\n", "    then: more\n    skippable: true\n")
    text += f"  more:\n    type: say\n    text: {SENTENCE}\n    then: main\n"
    text += "caller_time:\n  options_after: 120\n"
    assert check(write_menu(text), "--strict").exit_code == 0


def test_a_skippable_say_that_reaches_no_menu_names_its_chain(write_menu):
    """Through other says to a hang-up: refused, naming the says it passes."""
    text = GREETING.replace("    then: main\n", "    then: more\n    skippable: true\n")
    text += f"  more:\n    type: say\n    text: {SENTENCE}\n"
    result = check(write_menu(text))
    assert result.exit_code == 1
    assert "nodes.hello.skippable: a skippable say must lead into a menu" in result.output
    assert "(through more)" in result.output


def test_strict_passes_on_a_plain_line(write_menu):
    """A short line with nothing doubtful passes --strict."""
    assert check(write_menu(MINIMAL), "--strict").exit_code == 0


def test_many_menus_and_a_long_way_to_a_desk(write_menu):
    """Three menus before a desk, and 60 s of speech, each warn at the dial node."""
    menus = "".join(f"  m{i}:\n    type: menu\n    prompt: {SENTENCE * 2}Tryck 1.\n"
                    f"    options:\n      1: m{i + 1}\n" for i in range(3))
    text = MINIMAL.replace("start: main", "start: m0") + menus + (
        "  m3:\n    type: dial\n    numbers: \"+46101234567\"\n    fallback: bye\n")
    found = [w for w in warned(write_menu(text)) if w.startswith("nodes.m3")]
    assert found[0].startswith("nodes.m3: keys 1 1 1 pass 3 menus before this desk rings")
    assert len(found) == 1
    text += "caller_time:\n  menus_to_desk: 3\n  seconds_to_desk: 10\n"
    found = [w for w in warned(write_menu(text)) if w.startswith("nodes.m3")]
    assert len(found) == 1 and "a first-time caller pressing 1 1 1 hears 2" in found[0]


@pytest.mark.parametrize(("text", "doubt"), [
    pytest.param("Mejla it-helpdesk@orebro.se.", "e-mail address", id="mail"),
    pytest.param("Se www.orebro.se.", "web address", id="url"),
    pytest.param("Ring 0192120000.", "more than four digits", id="digits"),
    pytest.param("Kontakta KS.", "KS in capitals", id="capitals"),
])
def test_prompts_speech_synthesis_reads_badly(write_menu, text, doubt):
    """Raw addresses, long digit runs and capitals in a prompt are pointed at."""
    found = warned(write_menu(MINIMAL.replace("Tryck 1.", f"{text} Tryck 1.")))
    assert [w for w in found if doubt in w][0].startswith("nodes.main.prompt: ")


def test_tel_numbers_and_heard_abbreviations_pass(write_menu):
    """{tel:…} is read in groups, and a listed abbreviation has been heard right."""
    text = MINIMAL.replace("Tryck 1.", "\"KS, {tel:+4619212000}. Tryck 1.\"")
    assert warned(write_menu(text + "caller_time:\n  abbreviations: [KS]\n")) == []


def test_the_shipped_lines_keep_the_doubts_the_readme_names():
    """Each caller-time doubt a shipped line keeps is listed in docs/caller-time.md with its
    reason."""
    readme = (MENUS.parent / "docs" / "caller-time.md").read_text(encoding="utf-8")
    for path in MENUS.glob("*.yaml"):
        for warning in warnings(*load_with_document(path), NOW):
            if "placeholder" not in warning.message:
                assert f"`{path.stem}` `{warning.key}`" in readme, warning


def chain(menus: int) -> str:
    """A line of ``menus`` menus, each with keys 1-9 all leading to the next, then a dial."""
    options = "".join(f"      {key}: NEXT\n" for key in range(1, 10))
    nodes = "".join(f"  m{i}:\n    type: menu\n    prompt: Tryck 1.\n    options:\n"
                    + options.replace("NEXT", f"m{i + 1}") for i in range(menus))
    return MINIMAL.replace("start: main", "start: m0") + nodes + (
        f"  m{menus}:\n    type: dial\n    numbers: \"+46101234567\"\n    fallback: bye\n")


def test_a_chain_of_twelve_menus_of_nine_keys_checks_and_reports_at_once(write_menu):
    """Keys leading to the same node are one way: 12 menus of 9 keys check and report fast."""
    path = write_menu(chain(12))
    started = time.perf_counter()
    result = check(path)
    report = CliRunner().invoke(main, ["report", "--menus", str(path.parent), "line",
                                       "--at", "2026-11-24 10:00"])
    assert time.perf_counter() - started < 1.0
    assert result.exit_code == 0 and "pass 12 menus" in result.output
    assert report.exit_code == 0 and "1 1 1 1 1 1 1 1 1 1 1 1" in report.output


def test_menus_whose_keys_part_and_meet_again_are_timed_up_to_a_limit_and_warned(write_menu):
    """Twelve menus whose keys 1 and 2 part and meet again: the walk stops and check warns."""
    nodes = "".join(
        f"  m{i}:\n    type: menu\n    prompt: Tryck 1.\n    options:\n"
        f"      1: a{i}\n      2: b{i}\n" + "".join(
            f"  {side}{i}:\n    type: menu\n    prompt: Tryck 1.\n    options:\n"
            f"      1: m{i + 1}\n" for side in "ab") for i in range(12))
    text = MINIMAL.replace("start: main", "start: m0") + nodes + (
        "  m12:\n    type: dial\n    numbers: \"+46101234567\"\n    fallback: bye\n")
    started = time.perf_counter()
    found = [w for w in warned(write_menu(text)) if "ways through the menus" in w]
    assert time.perf_counter() - started < 10
    assert len(found) == 1 and found[0].startswith("nodes.m0: keys from here lead to more")


def test_abbreviations_must_be_words_in_capitals(write_menu):
    """A number or true among caller_time.abbreviations is an error at its place."""
    result = check(write_menu(MINIMAL + "caller_time:\n  abbreviations: [KS, 1, true]\n"))
    assert result.exit_code == 1
    assert "caller_time.abbreviations.1: '1' is not a word in capitals" in result.output
    assert "caller_time.abbreviations.2: 'true' is not a word in capitals" in result.output


def test_an_answer_over_twilios_64_kb_is_an_error(write_menu):
    """Five long says in a row before the menu make one TwiML answer of about 70 kB, which
    Twilio refuses (error 11750): ivr check says so at the node the answer ends at."""
    paragraph = ("Över ön går älgen och hör på. " * 100)[:2900]
    long_say = "".join(f"\n      - {paragraph}" for _ in range(4))
    says = "".join(f"  s{i}:\n    type: say\n    text:{long_say}\n    then: "
                   f"{'main' if i == 4 else f's{i + 1}'}\n" for i in range(5))
    result = check(write_menu(MINIMAL.replace("start: main", "start: s0") + says))
    assert result.exit_code == 1
    assert "error: nodes.main: the answer as a call reaches this node (as the call starts) " \
           "is about 72 kB of TwiML" in result.output
    assert "Twilio refuses an answer over 64 kB (its error 11750)" in result.output


def test_a_long_but_admissible_answer_passes_the_size_check(write_menu):
    """Four such says (about 55 kB) are under the limit: no size error."""
    paragraph = ("Över ön går älgen och hör på. " * 100)[:2900]
    long_say = "".join(f"\n      - {paragraph}" for _ in range(4))
    says = "".join(f"  s{i}:\n    type: say\n    text:{long_say}\n    then: "
                   f"{'main' if i == 3 else f's{i + 1}'}\n" for i in range(4))
    result = check(write_menu(MINIMAL.replace("start: main", "start: s0") + says))
    assert "64 kB" not in result.output


def test_each_situation_the_line_reads_is_walked_once_and_each_branch_still_timed(
        write_menu, monkeypatch):
    """The week's moments differ only in whether 'office' is open: two walks, not one per
    moment, and the long speech of the closed branch is still found (as check was 30 s on a
    921 kB line for walking every moment alike)."""
    text = FIRST_KINDS.replace("    otherwise: closed\n", "    otherwise: late\n") + (
        f"  late:\n    type: say\n    text: {SENTENCE * 14}\n    then: main\n")
    walks = []
    monkeypatch.setattr(calltime, "walk", lambda line, now: walks.append(now) or walk(line, now))
    found = warned(write_menu(text))
    assert len(walks) == 2
    assert any("no key can cut short" in w and "said by 'welcome', 'late'" in w for w in found)


def test_a_line_that_reads_no_schedule_is_walked_once(write_menu, monkeypatch):
    """MINIMAL routes on nothing and says no opening time: one walk for the whole week."""
    walks = []
    monkeypatch.setattr(calltime, "walk", lambda line, now: walks.append(now) or walk(line, now))
    warned(write_menu(MINIMAL.replace("messages:", "schedules:\n  office:\n"
                                      "    mon-fri: 08:00-17:00\nmessages:")))
    assert len(walks) == 1
