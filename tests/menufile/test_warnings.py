"""``ivr check`` warnings: valid files that are probably not what the admin meant."""

import pytest
from conftest import MENUS, MINIMAL, utc

from ivr.menufile.cautions import warnings
from ivr.menufile.format import load_with_document

NOW = utc("2026-11-24T09:00Z")


def warned(path) -> list[str]:
    return [f"{p.line}:{p.column}: {p.key}: {p.message}"
            for p in warnings(*load_with_document(path), NOW)]


def test_clean_line_has_no_warnings(write_menu):
    """A line with nothing doubtful gets no warnings."""
    assert warned(write_menu(MINIMAL)) == []


def test_unreachable_node(write_menu):
    """A node no path from the start reaches is named."""
    text = MINIMAL + "  orphan:\n    type: hangup\n"
    assert warned(write_menu(text)) == ["21:3: nodes.orphan: no call can reach this node"]


def test_loop_without_exit(write_menu):
    """A menu whose limit leads back into itself can never end the call."""
    text = MINIMAL.replace("      1: bye\n", "      1: main\n    on_limit: main\n")
    found = warned(write_menu(text))
    assert "13:3: nodes.main: calls that get here can loop forever: no path from here hangs up" \
        in found


def test_placeholder_still_in_place(write_menu):
    """A number listed as a placeholder and still used is pointed at where it is used."""
    text = MINIMAL + 'placeholders: ["+46101234567"]\n'
    assert warned(write_menu(text)) == [
        "2:11: numbers.0: placeholder number +46101234567 is still in place; replace it with "
        "the real one and remove it from 'placeholders'"]


def test_placeholder_read_aloud_is_found_too(write_menu):
    """A placeholder inside {tel:…} counts as used."""
    text = (MINIMAL.replace("Tryck 1.", "Tryck 1 eller ring {tel:+46701740605}.")
            + 'placeholders: ["+46701740605"]\n')
    assert [w.split(": ")[1] for w in warned(write_menu(text))] == ["nodes.main.prompt"]


def test_route_branch_never_taken(write_menu):
    """A branch whose schedule is only open while an earlier branch is open is dead."""
    text = MINIMAL.replace("start: main", "start: pick") + """\
  pick:
    type: route
    routes:
      - when: wide
        goto: main
      - when: narrow
        goto: bye
    otherwise: main
schedules:
  wide:
    mon-fri: 07:00-17:00
  narrow:
    mon-fri: 08:00-16:00
"""
    found = warned(write_menu(text))
    assert found == ["21:3: nodes.pick.routes.1: no time of the week takes this branch "
                     "('narrow' is never open when the branches before it are closed)"]


def test_branch_open_on_holidays_only_is_taken(write_menu):
    """A branch only holidays reach is alive: holidays are a kind of day too."""
    text = MINIMAL.replace("start: main", "start: pick") + """\
  pick:
    type: route
    routes:
      - when: days
        goto: main
      - when: holiday-hours
        goto: bye
    otherwise: main
schedules:
  days:
    mon-sun: 07:00-17:00
  holiday-hours:
    holidays: 07:00-17:00
"""
    assert warned(write_menu(text)) == []


@pytest.mark.parametrize(("ends", "expected"), [
    pytest.param("2026-11-24 10:01", [], id="ends-in-a-minute"),
    pytest.param("2026-11-24 10:00", ["announcements.0"], id="ended-just-now"),
])
def test_announcement_whose_window_passed(write_menu, ends, expected):
    """An announcement that has ended is flagged; one still running is not (10:00 local)."""
    text = MINIMAL + f"""\
announcements:
  - from: 2026-11-24 08:00
    to: {ends}
    text: Uppgradering pågår.
"""
    assert [w.split(": ")[1] for w in warned(write_menu(text))] == expected


KEPT = {
    "brukarstotte": ["nodes.desk"],
    "intraphone": ["messages.apology", "nodes.long-outage", "nodes.long-outage.prompt.1"],
    "orebro-carelock": ["nodes.evening.prompt.3"],
    "orebro-kommunsupport": ["nodes.after-hours.text", "nodes.lock-offer", "nodes.sos-menu",
                             "nodes.sos-alarm"],
}
"""The caller-time doubts the shipped lines keep, each explained in the README."""


def test_shipped_menus_warn_only_about_placeholders_and_the_kept_caller_time_doubts():
    """The shipped lines have no doubt left but stand-in numbers and those the README names."""
    for path in MENUS.glob("*.yaml"):
        others = [w.split(": ")[1] for w in warned(path) if "placeholder number" not in w]
        assert others == KEPT[path.stem], path
