"""Loading menu files: what admins write is accepted, and every mistake is located."""

import pytest
from conftest import MINIMAL

from ivr.core.errors import MenuError
from ivr.core.hours import TimeRange
from ivr.menufile.format import load_line


def problems_of(path) -> list[str]:
    with pytest.raises(MenuError) as info:
        load_line(path, "menus/line.yaml")
    return [str(p) for p in info.value.problems]


def test_minimal_line_loads(write_menu):
    """The smallest valid line loads, with menu defaults filled from the line's messages."""
    line = load_line(write_menu(MINIMAL))
    assert line.id == "line" and line.start == "main"
    menu = line.nodes["main"]
    assert (menu.max_no_input, menu.max_invalid, menu.timeout) == (3, 3, 6)
    assert menu.no_input == (("Inget val.",),)


def test_yaml_traps_read_as_meant(write_menu):
    """Unquoted 8:00, NO and +46… mean what the admin meant, not YAML 1.1's guesses."""
    line = load_line(write_menu(MINIMAL.replace('["+46101234567"]', "+46101234567") + """\
calendar:
  holidays:
    country: NO
schedules:
  desk:
    mon-fri: [8:00-12:00, 13:00-16:00]
"""))
    assert line.numbers == ("+46101234567",)
    assert line.schedules["desk"].weekly[0] == (TimeRange(480, 720), TimeRange(780, 960))
    assert line.calendar.holiday(__import__("datetime").date(2026, 5, 17)) is not None


@pytest.mark.parametrize(("change", "expected"), [
    pytest.param(('["+46101234567"]', '["0701234567"]'),
                 "menus/line.yaml:2:11: error: numbers.0: '0701234567' is not an E.164 number; "
                 "write + and the country code, without the leading 0 (+46701234567)",
                 id="not-e164"),
    pytest.param(('["+46101234567"]', '["+46 10 123 45 67"]'),
                 "menus/line.yaml:2:11: error: numbers.0: '+46 10 123 45 67' has spaces or "
                 "dashes; write it as +46101234567", id="spaces-in-number"),
    pytest.param(("Europe/Stockholm", "Europe/Stokholm"),
                 "menus/line.yaml:5:11: error: timezone: 'Europe/Stokholm' is not a known "
                 "IANA time zone (did you mean 'Europe/Stockholm'?)", id="bad-zone"),
    pytest.param(("start: main", "start: mian"),
                 "menus/line.yaml:11:8: error: start: unknown node 'mian' (did you mean "
                 "'main'?)", id="start-unknown"),
    pytest.param(("start: main\n", ""),
                 "menus/line.yaml:1:1: error: start: is missing", id="start-missing"),
    pytest.param(("      1: bye", "      1: by"),
                 "menus/line.yaml:17:10: error: nodes.main.options.1: unknown node 'by' (did "
                 "you mean 'bye'?)", id="unknown-target"),
    pytest.param(("      1: bye", "      1: bye\n      1: main"),
                 "menus/line.yaml:18:7: error: nodes.main.options.1: written twice (lines 17 "
                 "and 18); YAML would keep only the second, so remove or rename one",
                 id="digit-twice"),
    pytest.param(("  bye:\n", "  main:\n"),
                 ("menus/line.yaml:17:10: error: nodes.main.options.1: unknown node 'bye'; the "
                  "nodes are ['main']",
                  "menus/line.yaml:18:3: error: nodes.main: written twice (lines 13 and 18); "
                  "YAML would keep only the second, so remove or rename one"),
                 id="node-twice-and-its-target-gone"),
    pytest.param(("      1: bye", "      12: bye"),
                 "menus/line.yaml:17:7: error: nodes.main.options.12: '12' is not one key of "
                 "a phone keypad (0-9, * or #)", id="two-digit-key"),
    pytest.param(("    prompt: Tryck 1.", "    promt: Tryck 1."),
                 ("menus/line.yaml:14:5: error: nodes.main.prompt: is missing",
                 "menus/line.yaml:15:5: error: nodes.main.promt: unknown key (did you mean "
                 "'prompt'?); allowed keys are ['goodbye', 'invalid', 'max_invalid', "
                 "'max_no_input', 'no_input', 'on_limit', 'options', 'prompt', 'reprompt', "
                 "'timeout']"), id="unknown-key"),
    pytest.param(("type: hangup", "type: hangpu"),
                 "menus/line.yaml:19:11: error: nodes.bye.type: 'hangpu' is not allowed (did "
                 "you mean 'hangup'?); allowed are dial, hangup, menu, route, say",
                 id="unknown-type"),
    pytest.param(("    prompt: Tryck 1.", "    prompt: Tryck 1.\n    timeout: 0"),
                 "menus/line.yaml:16:14: error: nodes.main.timeout: 0 is out of range; use 1 "
                 "to 60", id="timeout-range"),
    pytest.param(("    text: Hej då.", "    text: Hej {name}."),
                 "menus/line.yaml:20:11: error: nodes.bye.text: has a stray { or }; "
                 "placeholders look like {opens:tes-desk} or {tel:+4619213606}",
                 id="stray-brace"),
    pytest.param(("    text: Hej då.", "    text: Öppnar {opens:desk}."),
                 "menus/line.yaml:20:11: error: nodes.bye.text: unknown schedule 'desk'; there "
                 "are no schedules", id="opens-unknown-schedule"),
    pytest.param(("language: sv-SE", "language: swedish"),
                 "menus/line.yaml:3:11: error: language: 'swedish' is not a language tag; "
                 "write it like sv-SE or nb-NO", id="language"),
])
def test_each_mistake_is_located_and_explained(write_menu, change, expected):
    """Each mistake → a problem naming file, line, column, key path, and the fix."""
    expected = [expected] if isinstance(expected, str) else list(expected)
    assert problems_of(write_menu(MINIMAL.replace(*change))) == expected


def test_every_problem_is_reported_at_once(write_menu):
    """Several mistakes in one file come out together, in file order."""
    text = (MINIMAL.replace("Europe/Stockholm", "Mars/Olympus")
            .replace("      1: bye", "      1: nowhere")
            .replace("    text: Hej då.", "    text: Hej då.\n    colour: blue"))
    found = problems_of(write_menu(text))
    assert len(found) == 3
    assert [p.split(": error: ")[1].split(":")[0] for p in found] == [
        "timezone", "nodes.main.options.1", "nodes.bye.colour"]


@pytest.mark.parametrize(("schedule", "expected"), [
    pytest.param("mon-fri: [08:00-12:00, 11:00-13:00]",
                 "schedules.desk.mon-fri: 08:00-12:00 and 11:00-13:00 overlap", id="overlap"),
    pytest.param("mon-fri: 22:00-07:00",
                 "schedules.desk.mon-fri: '22:00-07:00' ends before it starts; a range cannot "
                 "cross midnight, so write it as two ranges (22:00-24:00 and 00:00-07:00)",
                 id="crosses-midnight"),
    pytest.param("mon-fri: 08:00-17:00\n    fri: 08:00-16:00",
                 "schedules.desk.fri: fri is given more than once", id="day-twice"),
    pytest.param("weekdays: 08:00-17:00",
                 "schedules.desk.weekdays: 'weekdays' is not a day; use mon … sun, a span like "
                 "mon-fri, or holidays", id="bad-day"),
    pytest.param("mon: 8-17",
                 "schedules.desk.mon: '8-17' is not a time range; write it as 07:00-17:00",
                 id="bad-time"),
    pytest.param("switch: off\n    mon: 08:00-17:00",
                 "schedules.desk.switch: 'off' is not allowed; allowed are ignore",
                 id="bad-switch"),
])
def test_schedule_mistakes(write_menu, schedule, expected):
    """Schedules: overlaps, midnight crossings, repeated days and bad times are caught."""
    found = problems_of(write_menu(MINIMAL + f"schedules:\n  desk:\n    {schedule}\n"))
    assert [p.split(": error: ", 1)[1] for p in found] == [expected]


def test_say_loop_is_an_error(write_menu):
    """Say/route nodes that lead back to themselves would never end the call."""
    text = MINIMAL.replace("start: main", "start: a") + """\
  a:
    type: say
    text: A.
    then: b
  b:
    type: say
    text: B.
    then: a
"""
    found = problems_of(write_menu(text))
    assert len(found) == 1 and "say/route nodes loop forever (a → b → a)" in found[0]


def test_unknown_holiday_country(write_menu):
    """A country the holidays package does not know is named as such."""
    found = problems_of(write_menu(MINIMAL + "calendar:\n  holidays:\n    country: XX\n"))
    assert found == ["menus/line.yaml:23:5: error: calendar.holidays: the holidays package "
                     "does not know this calendar: Country XX not available"]


def test_override_needs_dates(write_menu):
    """An override without dates, or ending before it starts, is refused."""
    text = MINIMAL + """\
calendar:
  overrides:
    - name: Personaldag
      holiday: true
    - from: 2026-12-30
      to: 2026-12-23
      name: Baklänges
      holiday: true
"""
    found = problems_of(write_menu(text))
    assert [p.split(": error: ", 1)[1] for p in found] == [
        "calendar.overrides.0: needs a date, or both from and to",
        "calendar.overrides.1: ends (2026-12-23) before it starts (2026-12-30)"]


def test_empty_options_are_refused(write_menu):
    """A menu without options would leave the caller nowhere to go."""
    found = problems_of(write_menu(MINIMAL.replace("      1: bye\n", "      {}\n")
                                   .replace("    options:\n      {}", "    options: {}")))
    assert any("nodes.main.options: needs at least 1 entry" in p for p in found)
