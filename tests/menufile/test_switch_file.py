"""The switch file is written safely, and a bad one never blocks ``ivr switch``."""

import os
import stat
import threading
from datetime import timedelta

import pytest
from click.testing import CliRunner
from conftest import MINIMAL, utc
from freezegun import freeze_time

from ivr.admin.commands import main
from ivr.core.errors import IvrError
from ivr.core.model import Switch
from ivr.menufile.switchfile import path_for, read, write
from ivr.server.lastgood import LastGood

NOW = utc("2026-11-24T09:00Z")


def switch(folder, *args):
    return CliRunner().invoke(main, ["switch", "--menus", str(folder), "line", *args])


@pytest.fixture
def folder(write_menu):
    return write_menu(MINIMAL).parent


def test_concurrent_writers_never_corrupt_the_file(tmp_path):
    """Many writers at once: every read sees one whole switch, never a mix."""
    path = tmp_path / "switches" / "line.yaml"
    errors = []

    def writer(i):
        for j in range(20):
            try:
                write(path, Switch("closed", NOW + timedelta(hours=1), f"Meddelande {i}-{j}."),
                      NOW)
                read(path)
            except Exception as exc:  # any failure at all is what this test looks for
                errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and read(path).say.startswith("Meddelande")
    assert [p.name for p in path.parent.iterdir()] == ["line.yaml"]


@pytest.mark.parametrize("say", ["---", "a: b", "'quoted' \"both\" # not a comment", "Ja: nej"])
def test_any_printable_message_is_kept_exactly(tmp_path, say):
    """YAML-looking messages are written by the YAML library and read back unchanged."""
    path = tmp_path / "line.yaml"
    write(path, Switch("closed", NOW + timedelta(hours=1), say), NOW)
    assert read(path).say == say


@freeze_time("2026-11-24T09:00:00Z")
@pytest.mark.parametrize("say", ["Rad ett\nrad två", "nul\x00", "bell\x07"])
def test_control_characters_in_say_are_refused(folder, say):
    """A message with a control character is refused naming --say, and nothing is written."""
    result = switch(folder, "closed", "--until", "2026-11-24 15:00", "--say", say)
    assert result.exit_code == 2 and "--say" in result.output
    assert not path_for(folder, "line").exists()


@freeze_time("2026-11-24T09:00:00Z")
@pytest.mark.parametrize("say", ["Vi öppnar {opens:line-open}.", "Ring {tel:+4619212000}",
                                 "Ring { tel : 112 }"])
def test_a_placeholder_in_say_is_refused_as_it_would_be_read_out(folder, say):
    """A menu's {opens:…} or {tel:…} is not filled in a switch message: refused, saying so."""
    result = switch(folder, "closed", "--until", "2026-11-24 15:00", "--say", say)
    assert result.exit_code == 2 and "write the time or the number out" in result.output
    assert not path_for(folder, "line").exists()


@freeze_time("2026-11-24T09:00:00Z")
def test_corrupt_switch_is_replaced_with_a_warning(folder):
    """A corrupt switch file does not block ivr switch: it warns and writes a good one."""
    target = path_for(folder, "line")
    target.parent.mkdir()
    target.write_text("state: [closed\n", encoding="utf-8")
    checked = CliRunner().invoke(main, ["check", "--menus", str(folder)])
    assert checked.exit_code == 1 and "switches/line.yaml:2:1: error: YAML syntax" in (
        checked.output)
    result = switch(folder, "closed", "--until", "2026-11-24 15:00")
    assert result.exit_code == 0, result.output
    assert "Warning" in result.output and read(target).state == "closed"


def test_switch_is_not_in_force_before_it_was_set():
    """A call at a moment before the switch was set (ivr-sim --at) is not affected."""
    switch = Switch("closed", NOW + timedelta(hours=2), None, since=NOW)
    assert not switch.in_force(NOW - timedelta(minutes=1))
    assert switch.in_force(NOW) and not switch.in_force(NOW + timedelta(hours=2))


@freeze_time("2026-11-24T09:00:00Z")
def test_until_with_an_offset_is_echoed_in_local_time(folder):
    """--until given in UTC is echoed as the line's local time."""
    result = switch(folder, "closed", "--until", "2026-11-24 13:00+00:00")
    assert "closed until 2026-11-24 14:00 (Europe/Stockholm)" in result.output


@pytest.mark.parametrize("since", ["since: '2026-11-24T09:00:00+00:00'\n", ""],
                         ids=["since", "file-time"])
def test_a_hand_written_switch_cannot_last_past_seven_days(folder, since):
    """A switch file ending more than 7 days after it was set is refused, and ivr check says so."""
    target = path_for(folder, "line")
    target.parent.mkdir()
    target.write_text(f"state: closed\n{since}until: '2099-01-01T00:00:00+00:00'\n",
                      encoding="utf-8")
    written = NOW.timestamp()
    os.utime(target, (written, written))
    with pytest.raises(IvrError, match="more than 7 days after the switch was set"):
        read(target)
    with freeze_time("2026-11-24T09:00:00Z"):
        checked = CliRunner().invoke(main, ["check", "--menus", str(folder)])
    assert checked.exit_code == 1 and "more than 7 days" in checked.output


def test_a_seven_day_switch_is_kept(folder):
    """A switch ending exactly 7 days after it was set is in force."""
    target = path_for(folder, "line")
    target.parent.mkdir()
    target.write_text("state: closed\nsince: '2026-11-24T09:00:00+00:00'\n"
                      "until: '2026-12-01T09:00:00+00:00'\n", encoding="utf-8")
    assert read(target).in_force(NOW)


@freeze_time("2026-11-24T09:00:00Z")
def test_switch_and_kept_versions_are_readable_by_other_users(folder, tmp_path):
    """A switch written by one user, a kept last good version and the note of a file gone
    are 0644: the service, running as another user, can read them."""
    assert switch(folder, "closed", "--until", "2026-11-24 15:00").exit_code == 0
    assert stat.S_IMODE(path_for(folder, "line").stat().st_mode) == 0o644
    kept = LastGood(tmp_path / "state")
    kept.check("line", (folder / "line.yaml").read_bytes(), "line.yaml")
    kept.gone("line", NOW, timedelta(hours=1))
    for name in ("line.yaml", "line.gone"):
        assert stat.S_IMODE((tmp_path / "state" / "menus" / name).stat().st_mode) == 0o644
