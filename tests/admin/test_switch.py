"""Announcements and the manual switch, at the edges of their windows."""

import pytest
from click.testing import CliRunner
from conftest import MINIMAL, utc
from freezegun import freeze_time

from ivr.admin.commands import main
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
    pytest.param(["shut", "--until", "2026-11-24 15:00"], "'shut'", id="bad-state"),
    pytest.param(["off", "--say", "Driftstopp."], "'off' ends the switch at once",
                 id="off-saying"),
    pytest.param(["off", "--until", "2026-11-24 15:00"], "takes no --until or --say",
                 id="off-until"),
])
@freeze_time("2026-11-24T09:00:00Z")
def test_switch_refuses_switches_that_would_not_end(write_menu, args, message):
    """Every switch must end, soon, in the future, and 'off' takes nothing to ignore:
    otherwise exit 2 naming the option."""
    path = write_menu(DESK_LINE)
    result = CliRunner().invoke(main, ["switch", "--menus", str(path.parent), "line", *args])
    assert result.exit_code == 2 and message in result.output


def test_a_switch_file_named_alone_is_checked_as_that_lines_switch(write_menu):
    """`ivr check menus/switches/LINE.yaml` reads the file as LINE's switch, not as a menu
    (which it would fail for lacking name, nodes and messages): fine while in force, a
    doubt once ended, an error when unusable, a doubt when the folder has no such line."""
    path = write_menu(DESK_LINE)
    switch = path_for(path.parent, "line")
    runner = CliRunner()
    with freeze_time("2026-11-24T09:00:00Z"):
        runner.invoke(main, ["switch", "--menus", str(path.parent), "line", "closed",
                             "--until", "2026-11-24 15:00"])
        kept = runner.invoke(main, ["check", str(switch)])
    assert kept.exit_code == 0 and "is missing" not in kept.output
    assert "1 switch file(s) checked" in kept.output
    with freeze_time("2026-11-24T15:30:00Z"):
        ended = runner.invoke(main, ["check", "--strict", str(switch)])
    assert ended.exit_code == 1
    assert (f"{switch}:1:1: warning: until: this switch ended 2026-11-24 15:00; remove it "
            "with ivr switch line off") in ended.output
    stray = switch.with_name("other.yaml")
    stray.write_text(switch.read_text())
    with freeze_time("2026-11-24T09:00:00Z"):
        alone = runner.invoke(main, ["check", str(stray)])
    assert alone.exit_code == 0
    assert f"no line 'other' in {path.parent}: this switch does nothing; the lines are line" \
        in alone.output
    switch.write_text("state: shut\n")
    both = runner.invoke(main, ["check", str(switch), str(path)])
    assert both.exit_code == 1
    assert both.output.count("state: 'shut' is not allowed") == 1
    assert "1 file(s) checked" in both.output


def test_a_missing_switch_file_named_is_an_error(tmp_path):
    missing = tmp_path / "switches" / "line.yaml"
    result = CliRunner().invoke(main, ["check", str(missing)])
    assert result.exit_code == 1
    assert f"{missing}:1:1: error: no such switch file" in result.output


def test_the_summary_of_switch_files_named_alone_counts_them_once(write_menu):
    """Switch files named alone are summed up as what they are: checked, and how many have
    problems; not as menu files with no errors and switch files with problems besides."""
    path = write_menu(DESK_LINE)
    switch = path_for(path.parent, "line")
    switch.parent.mkdir(parents=True, exist_ok=True)
    switch.write_text("state: shut\nuntil: tomorrow\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(switch)])
    assert result.exit_code == 1
    assert result.stderr.strip() == "1 switch file(s) checked: 1 with problems"


def test_switching_a_line_whose_number_a_copy_answers_warns(write_menu, monkeypatch):
    """A switch set on a line whose number another file answers (a copy sorting first)
    does not reach that number's callers: ivr switch says so and names the file that does."""
    monkeypatch.delenv("IVR_DATABASE_URL", raising=False)
    path = write_menu(DESK_LINE)
    copy = path.with_name("a-copy.yaml")
    copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    with freeze_time("2026-11-24T09:00:00Z"):
        result = CliRunner().invoke(main, ["switch", "--menus", str(path.parent), path.stem,
                                           "closed", "--until", "2026-11-24 15:00"])
    assert result.exit_code == 0
    number = load_line(path).numbers[0]
    assert (f"Warning: {number} is answered by {copy}, not by {path.stem}: its callers do "
            "not get this switch") in result.stderr
    with freeze_time("2026-11-24T09:00:00Z"):
        own = CliRunner().invoke(main, ["switch", "--menus", str(path.parent), "a-copy",
                                        "closed", "--until", "2026-11-24 15:00"])
    assert own.exit_code == 0 and "Warning" not in own.stderr


def test_a_hand_written_switch_at_the_calendars_end_is_a_doubt_not_a_crash(write_menu):
    """since and until in year 9999 (a switch no command writes): `ivr check`, of the folder
    or of the file alone, says it is not in force, in UTC where the zone would overflow."""
    path = write_menu(DESK_LINE)
    switch = path_for(path.parent, "line")
    switch.parent.mkdir(exist_ok=True)
    switch.write_text("state: open\nsince: '9999-12-31T23:59:59+00:00'\n"
                      "until: '9999-12-31T23:59:59+00:00'\n")
    for args in (["check", "--menus", str(path.parent)], ["check", str(switch)]):
        result = CliRunner().invoke(main, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            result.exception)
        assert ("warning: since: this switch is not in force: it says it was set at "
                "9999-12-31 23:59 UTC, after now") in result.output
