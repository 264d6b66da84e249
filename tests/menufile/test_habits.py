"""`ivr check` warns where the keys a caller learns by day mean something else at night."""

import pytest
from click.testing import CliRunner
from conftest import MENUS, MINIMAL

from ivr.admin.commands import main

HOURS = MINIMAL.split("start:")[0] + """\
schedules:
  office:
    mon-fri: 08:00-17:00
start: welcome
nodes:
  welcome:
    type: route
    routes:
      - when: office
        goto: day
    otherwise: night
  day:
    type: menu
    prompt: För TES, tryck 3.
    options:
      3: tes
  tes:
    type: dial
    numbers: "+4619213606"
    fallback: bye
  night:
    type: menu
    prompt: För driftstopp, tryck 3.
    options:
      3: on-call
  on-call:
    type: menu
    prompt: För jouren, tryck 1. För att höra detta igen, tryck 9.
    options:
      1: sos
      9: on-call
  sos:
    type: dial
    numbers: "+4619214944"
    fallback: bye
  bye:
    type: hangup
    text: Hej då.
"""


def warned(write_menu, text):
    result = CliRunner().invoke(main, ["check", str(write_menu(text))])
    return [row for row in result.output.splitlines() if "callers press by day's habit" in row]


def test_a_key_that_rings_by_day_and_opens_another_menu_at_night_is_a_warning(write_menu):
    """3 rings TES by day but opens the on-call menu at night: one warning, at the night
    menu's option, naming the keys before it, both meanings and the other menu."""
    rows = warned(write_menu, HOURS)
    assert len(rows) == 1
    assert rows[0].endswith(
        "warning: nodes.night.options.3: after the keys (none yet), key 3 leads to menu "
        "'on-call' here but to a ringing number in menu 'day', which the same keys reach at "
        "other hours: callers press by day's habit at night, so give the key one meaning")
    assert ":35:7:" in rows[0]  # where `3: on-call` is written


def test_the_hours_own_numbers_and_a_repeat_are_one_meaning(write_menu):
    """Two menus the hours choose between, each putting the caller through on 1 (to the
    number of that hour) and repeating on 9: no warning."""
    text = HOURS.replace("      3: on-call", "      3: sos").replace(
        "    prompt: För TES, tryck 3.\n    options:\n      3: tes",
        "    prompt: För TES, tryck 3. Tryck 9 igen.\n    options:\n      3: tes\n      9: day")
    text = text.replace("    prompt: För driftstopp, tryck 3.\n    options:\n      3: sos",
                        "    prompt: För driftstopp, tryck 3. Tryck 9 igen.\n    options:\n"
                        "      3: sos\n      9: night")
    assert warned(write_menu, text) == []


@pytest.mark.parametrize("line", sorted(p.stem for p in MENUS.glob("*.yaml")))
def test_the_shipped_lines_keep_their_keys_at_every_hour(line):
    result = CliRunner().invoke(main, ["check", str(MENUS / f"{line}.yaml")])
    assert "callers press by day's habit" not in result.output


def test_a_dense_line_is_walked_once_per_node_not_per_key_path(write_menu, monkeypatch):
    """60 menus met together by hour, 12 keys each, half into routes to other menus: each
    node's stops are worked out once and each set of menus met together is looked at once,
    not the millions of key paths (which took minutes), and each warning is given once."""
    from ivr.menufile import habits

    walked = []
    real = habits.stops
    monkeypatch.setattr(habits, "stops", lambda line, name: walked.append(name) or
                        real(line, name))

    menus = "".join(
        f"  m{i}:\n    type: menu\n    prompt: Tryck 1.\n    options:\n" + "".join(
            f'      "{key}": {"r" if n % 2 else "m"}{(i + n) % 60}\n'
            for n, key in enumerate("0123456789*#")) for i in range(60))
    routes = "".join(
        f"  r{i}:\n    type: route\n    routes:\n      - when: office\n        goto: m{i}\n"
        f"    otherwise: m{(i * 7) % 60}\n" for i in range(60))
    start = "  welcome:\n    type: route\n    routes:\n" + "".join(
        f"      - when: office\n        goto: m{i}\n" for i in range(60)) + \
        "    otherwise: bye\n"
    text = HOURS.split("nodes:")[0] + "nodes:\n" + start + menus + routes + \
        "  bye:\n    type: hangup\n    text: Hej då.\n"
    rows = warned(write_menu, text)
    assert rows and len(rows) == len(set(rows))
    assert len(walked) == len(set(walked)) <= 122
