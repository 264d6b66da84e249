"""Announcements and the manual switch, at the edges of their windows."""

import pytest
from click.testing import CliRunner
from conftest import MINIMAL, utc
from freezegun import freeze_time

from ivr.admin.cli import main
from ivr.core.engine import Ask, Speak, Start, step
from ivr.core.model import Switch
from ivr.menufile.format import load_line
from ivr.menufile.switchfile import attach, path_for, write

DESK_LINE = MINIMAL.replace("start: main", "start: pick") + """\
  pick:
    type: route
    routes:
      - when: desk
        goto: main
    otherwise: closed
  closed:
    type: say
    text: Stängt, öppnar {opens:desk}.
schedules:
  desk:
    mon-fri: 08:00-16:00
announcements:
  - from: 2026-12-01 09:00
    to: 2026-12-01 14:00
    text: Uppgradering av TES pågår.
"""


def said(line, at):
    return [a.text for a in step(line, None, Start(), utc(at)).actions if isinstance(a, Speak)]


@pytest.fixture
def line(write_menu):
    return load_line(write_menu(DESK_LINE))


@pytest.mark.parametrize(("at", "announced"), [
    pytest.param("2026-12-01T07:59Z", False, id="08:59"),
    pytest.param("2026-12-01T08:00Z", True, id="09:00"),
    pytest.param("2026-12-01T12:59Z", True, id="13:59"),
    pytest.param("2026-12-01T13:00Z", False, id="14:00"),
])
def test_announcement_window(line, at, announced):
    """The announcement is said from its start, included, to its end, excluded."""
    assert ("Uppgradering av TES pågår." in said(line, at)) is announced


def switched(line, state, until, say=None):
    return attach(line, _folder(line, state, until, say))


def _folder(line, state, until, say):
    from pathlib import Path

    folder = Path(line.source).parent
    write(path_for(folder, line.id), Switch(state, utc(until), say), utc("2026-11-24T00:00Z"))
    return folder


@pytest.mark.parametrize(("at", "in_force"), [
    pytest.param("2026-11-24T13:59Z", True, id="a-minute-before-until"),
    pytest.param("2026-11-24T14:00Z", False, id="at-until"),
])
def test_closed_switch_until_its_end(line, at, in_force):
    """A closing switch says its message and takes the closed path, until it ends."""
    line = switched(line, "closed", "2026-11-24T14:00Z", "Akut driftstopp.")
    words = said(line, at)
    assert (words[:1] == ["Akut driftstopp."]) is in_force
    assert (words[-1:] == ["Stängt, öppnar klockan 15."]) is in_force


def test_open_switch_opens_every_schedule(line):
    """An opening switch puts callers through at night."""
    line = switched(line, "open", "2026-11-25T06:00Z")
    turn = step(line, None, Start(), utc("2026-11-24T22:00Z"))
    assert isinstance(turn.actions[-1], Ask)


@freeze_time("2026-11-24T09:00:00Z")
def test_switch_command_sets_shows_and_clears(write_menu):
    """ivr switch writes a switch, shows it, and turns it off."""
    path = write_menu(DESK_LINE)
    menus = ["--menus", str(path.parent)]
    runner = CliRunner()
    result = runner.invoke(main, ["switch", *menus, "line", "closed", "--until",
                                  "2026-11-24 15:00", "--say", "Driftstopp."])
    assert result.exit_code == 0, result.output
    assert path_for(path.parent, "line").exists()
    shown = runner.invoke(main, ["switch", *menus, "line"]).output
    assert shown == "line: closed until 2026-11-24 15:00, saying: Driftstopp.\n"
    assert runner.invoke(main, ["switch", *menus, "line", "off"]).exit_code == 0
    assert not path_for(path.parent, "line").exists()


@pytest.mark.parametrize(("args", "message"), [
    pytest.param(["closed"], "a switch needs --until", id="no-until"),
    pytest.param(["closed", "--until", "2026-11-24 08:00"], "in the past", id="past"),
    pytest.param(["closed", "--until", "2026-12-24 08:00"], "more than 7 days", id="too-far"),
    pytest.param(["shut", "--until", "2026-11-24 15:00"], "'shut' is not one of",
                 id="bad-state"),
])
@freeze_time("2026-11-24T09:00:00Z")
def test_switch_refuses_switches_that_would_not_end(write_menu, args, message):
    """Every switch must end, soon, in the future: otherwise exit 2 naming the option."""
    path = write_menu(DESK_LINE)
    result = CliRunner().invoke(main, ["switch", "--menus", str(path.parent), "line", *args])
    assert result.exit_code == 2 and message in result.output
