"""``ivr-sim`` as testers use it: pick a line and a time, press keys, read JSON."""

import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import MENUS, MINIMAL

from ivr.admin.commands import main as ivr_main
from ivr.sim.ivrsim import main


def sim(*args, input=None):
    return CliRunner().invoke(main, ["--menus", str(MENUS), *args], input=input)


def explore(*args):
    return CliRunner().invoke(ivr_main, ["explore", "--menus", str(MENUS), *args])


def sim_json(*args):
    result = sim(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_tes_desk_at_ten(tmp_path):
    """The issue's example: 3 1 on a Tuesday at 10:00 dials the TES desk."""
    call = sim_json("--menu", "orebro-kommunsupport", "--at", "2026-11-24 10:00",
                    "--press", "3", "1")
    assert call["dialed"] == ["+46701740605"]
    assert call["ended"] == "hangup"
    assert set(call) == {"said", "dialed", "ended", "steps", "timeline", "seconds"}
    assert [step["url"].split("?")[0] for step in call["steps"]] == [
        "http://localhost/voice", "http://localhost/gather", "http://localhost/gather",
        "http://localhost/dial"]
    assert call["steps"][0]["twiml"].startswith("<?xml")


def test_sos_alarm_at_half_past_seven():
    """The same line at 19:30 with 3, 1 (systems), 2 (an outage) and 1 dials SOS Alarm."""
    call = sim_json("--at", "2026-11-24 19:30", "--press", "3", "1", "2", "1")
    assert call["dialed"] == ["+46701740607"]


def test_calls_by_number_like_twilio():
    """--to calls a number; the line is picked by the server from To."""
    call = sim_json("--to", "+46701740610", "--at", "2026-11-24 23:00", "--press", "1",
                    "--dial-status", "no-answer,completed")
    assert call["dialed"] == ["+4619105410", "+4620240000"]


def test_menu_by_path(tmp_path):
    """--menu may name a file anywhere."""
    path = tmp_path / "test.yaml"
    path.write_text(MINIMAL)
    call = sim_json("--menu", str(path), "--press", "-", "-", "-")
    assert call["said"][-1] == "Hej då." and call["ended"] == "hangup"


def test_script_running_out_is_the_caller_hanging_up():
    """Fewer keys than Gathers: the caller hangs up, and the run still exits 0."""
    assert sim_json("--at", "2026-11-24 10:00", "--press")["ended"] == "caller"


def test_interactive_keys_from_the_keypad():
    """Without --press, keys are read from the terminal; Enter at a Dial answers it."""
    result = sim("--at", "2026-11-24 10:00", input="x\n4\n\n")
    assert result.exit_code == 0
    assert "only 0-9, * and # are keys" in result.output
    assert "[dial] +46701740606 → completed" in result.output


def test_text_transcript_shows_the_call():
    """The text transcript shows what is said, keys, dials and who hung up."""
    result = sim("--at", "2026-11-24 10:00", "--press", "4")
    assert result.output.splitlines()[0] == (
        "Calling +4619212000 at 2026-11-24 10:00+01:00 Europe/Stockholm")
    assert " 0:12 [keys] 4" in result.output and "[hangup] the line hangs up" in result.output


@pytest.mark.parametrize(("args", "message"), [
    pytest.param(["--press", "3", "x"], "Invalid value for '--press': x: not keypad keys",
                 id="bad-key"),
    pytest.param(["3", "1"], "unexpected 3 1; script keys with --press", id="keys-no-press"),
    pytest.param(["--dial-status", "ringing"], "Invalid value for '--dial-status'",
                 id="bad-dial-status"),
    pytest.param(["--at", "tomorrow"], "Invalid value for '--at': 'tomorrow' is not a time",
                 id="bad-time"),
    pytest.param(["--at", "2026-03-29 02:30"], "2026-03-29 02:30 does not exist in "
                 "Europe/Stockholm", id="spring-gap"),
    pytest.param(["--menu", "nope"], "Invalid value for '--menu': no menu file", id="no-menu"),
    pytest.param(["--menu", "orebro-carelock", "--to", "2000"], "give --menu or --to, not "
                 "both", id="menu-and-to"),
])
def test_bad_arguments_exit_2_naming_the_option(args, message):
    """Wrong arguments exit 2 with a message naming what is wrong, no traceback."""
    result = sim(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_bad_menu_exits_1_with_every_problem(tmp_path):
    """A broken menu file is reported compiler-style, exit 1, no traceback."""
    path = tmp_path / "broken.yaml"
    path.write_text(MINIMAL.replace("1: bye", "1: by").replace("Europe/Stockholm", "Mars"))
    result = sim("--menu", str(path), "--press")
    assert result.exit_code == 1
    assert "broken.yaml:5:11: error: timezone: 'Mars' is not a known IANA time zone" in (
        result.output)
    assert "error: nodes.main.options.1: unknown node 'by'" in result.output
    assert "Traceback" not in result.output


def test_autumn_fold_needs_an_offset():
    """02:30 on the autumn change happens twice: refused naming both offsets; one picks it."""
    result = sim("--at", "2026-10-25 02:30", "--press", "4")
    assert result.exit_code == 2
    assert ("2026-10-25 02:30 happens twice in Europe/Stockholm (the clocks go back): add the "
            "offset, 2026-10-25 02:30+02:00 or 2026-10-25 02:30+01:00") in result.output
    later = sim("--at", "2026-10-25 02:30+01:00", "--press", "4")
    assert later.exit_code == 0, later.output
    assert later.output.splitlines()[0] == (
        "Calling +4619212000 at 2026-10-25 02:30+01:00 Europe/Stockholm")


def test_an_offset_the_zone_does_not_use_is_refused():
    """--at with +05:00 on a Stockholm line in November is refused, naming +01:00."""
    result = sim("--at", "2026-11-24 10:15+05:00", "--press", "4")
    assert result.exit_code == 2
    assert ("Invalid value for '--at': Europe/Stockholm is at +01:00 on 2026-11-24 10:15, "
            "not +05:00") in result.output


def test_header_shows_the_offset_in_summer():
    """The header names the offset the call plays at: +02:00 in summer."""
    result = sim("--at", "2026-06-10 10:15", "--press", "4")
    assert result.output.splitlines()[0] == (
        "Calling +4619212000 at 2026-06-10 10:15+02:00 Europe/Stockholm")


def test_json_without_keys_or_terminal_is_json_alone():
    """--json with no --press and no terminal: stdout parses as JSON, the caller hangs up."""
    result = sim("--at", "2026-11-24 10:00", "--json", input="")
    assert result.exit_code == 0, result.output
    call = json.loads(result.stdout)
    assert call["ended"] == "caller" and "keys (0-9" not in result.output


def test_keys_typed_together_go_to_one_gather_after_another():
    """Typing 31 at once is 3 for the main menu, then 1 for the next, nothing dropped."""
    result = sim("--at", "2026-11-24 10:00", input="31\n\n")
    assert "[keys] 3" in result.output and "[keys] 1" in result.output
    assert "[dial] +46701740605 → completed" in result.output


def test_interactive_dial_asks_for_its_outcome():
    """An interactive Dial asks what the number does; 'busy' takes the fallback."""
    result = sim("--at", "2026-11-24 10:00", input="4\nbusy\n")
    assert "+46701740606 rings: outcome (completed, busy" in result.output
    assert "[dial] +46701740606 → busy" in result.output
    assert result.exit_code == 0


def test_ctrl_c_is_the_caller_hanging_up():
    """Ctrl-C at the keypad: the caller hangs up and the run exits 0, not 'Aborted!'."""
    import builtins

    def interrupted(*_):
        raise KeyboardInterrupt

    original, builtins.input = builtins.input, interrupted
    try:
        result = sim("--at", "2026-11-24 10:00")
    finally:
        builtins.input = original
    assert result.exit_code == 0
    assert "[hangup] the caller hangs up" in result.output and "Aborted" not in result.output


@pytest.mark.parametrize(("at", "dialed"), [
    pytest.param("2026-11-24 9:05", ["+46701740605"], id="one-digit-hour"),
    pytest.param("2026-11-24T09:05", ["+46701740605"], id="iso-t"),
])
def test_at_takes_one_digit_hours(at, dialed):
    """--at "2026-11-24 9:05" is accepted as YAML accepts 8:00."""
    assert sim_json("--at", at, "--press", "3", "1")["dialed"] == dialed


def test_at_with_only_a_date_asks_for_a_time():
    """--at 2026-11-24 is refused asking for a time of day, not read as midnight."""
    result = sim("--at", "2026-11-24", "--press", "4")
    assert result.exit_code == 2
    assert "'2026-11-24' is a date without a time of day; add one" in result.output


def test_version_and_exit_codes_in_help():
    """ivr-sim --version prints the version; --help documents every exit code."""
    from importlib.metadata import version

    assert version("ivr") in sim("--version").output
    help_text = sim("--help").output
    for code in ("0  the call ran", "1  the menu file", "2  a wrong argument",
                 "3  no server answers", "4  the server refused"):
        assert code in help_text


def test_explore_follows_every_dial_outcome():
    """ivr explore --dial-status all shows a Dial's fallbacks (busy told apart from no answer)
    beside answered."""
    result = explore("orebro-carelock", "--from", "2026-12-21", "--days", "1",
                 "--depth", "0", "--dial-status", "all", "--json")
    assert result.exit_code == 0, result.output
    paths = [path for stretch in json.loads(result.stdout)["stretches"]
             for path in stretch["paths"]]
    day = [p for p in paths if p["dialed"][:1] == ["+4619213606"]]
    assert {tuple(p["keys"]) for p in day} == {("completed/canceled",), ("busy",),
                                               ("no-answer/failed",)}
    fallback = next(p for p in day if p["keys"] == ["no-answer/failed"])
    assert fallback["outcome"] != "dial +4619213606"
    plain = explore("orebro-carelock", "--from", "2026-12-21", "--days", "1",
                "--depth", "0", "--json")
    assert not any("busy" in " ".join(p["keys"]) for s in json.loads(plain.stdout)["stretches"]
                   for p in s["paths"])


@pytest.mark.parametrize("how", [("--menu", "orebro-carelock"), ("--to", "+46701740610")],
                         ids=["by-menu", "by-number"])
def test_a_call_in_process_writes_nothing_and_starts_no_thread(tmp_path, monkeypatch, how):
    """An in-process ivr-sim call leaves the folder as it was and starts no background check."""
    folder = tmp_path / "menus"
    shutil.copytree(MENUS, folder)
    monkeypatch.delenv("IVR_STATE", raising=False)
    monkeypatch.chdir(tmp_path)

    def no_thread(*args):
        raise AssertionError("a background check was started")

    monkeypatch.setattr("ivr.server.registry.every", no_thread)
    before = sorted(tmp_path.rglob("*"))
    result = CliRunner().invoke(main, ["--menus", str(folder), *how, "--press", "-", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["said"]
    assert sorted(tmp_path.rglob("*")) == before


def test_explore_writes_nothing_beside_the_menus(tmp_path, monkeypatch):
    """ivr explore builds its app in memory: no state folder, no last good copies."""
    folder = tmp_path / "menus"
    shutil.copytree(MENUS, folder)
    monkeypatch.delenv("IVR_STATE", raising=False)
    before = sorted(tmp_path.rglob("*"))
    result = CliRunner().invoke(ivr_main, ["explore", "--menus", str(folder), "intraphone",
                                           "--days", "1", "--depth", "0"])
    assert result.exit_code == 0, result.output
    assert sorted(tmp_path.rglob("*")) == before


def test_calling_a_number_in_a_missing_folder_is_an_error(tmp_path):
    """--to with a menus folder that is not there exits 1 and says which option to fix."""
    result = CliRunner().invoke(main, ["--menus", str(tmp_path / "nope"), "--to",
                                       "+46701740610", "--press"])
    assert result.exit_code == 1 and "no such menus folder; pass --menus DIR" in result.output


def test_ctrl_c_stops_a_scripted_call_with_one_line(monkeypatch):
    """Ctrl-C during a scripted call: one line and exit 130, not click's 'Aborted!'."""
    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr("ivr.sim.caller.Caller.run", interrupted)
    result = sim("--menu", "orebro-kommunsupport", "--press", "3")
    assert result.exit_code == 130
    assert "call interrupted (Ctrl-C)" in result.stderr and "Aborted" not in result.output


def test_the_text_transcript_shows_the_last_menu_when_the_keys_run_out():
    """The retry offer the caller heard before hanging up is in the text, as in the JSON."""
    args = ("--menu", "orebro-carelock", "--at", "2026-11-24 19:30", "--press", "1",
            "--dial-status", "no-answer")
    text = sim(*args).output
    offer = "Ingen svarade på 019, 21 49 44. Tryck 1 för att försöka igen."
    assert f"« {offer}\n" in text
    assert text.index(offer) < text.index("[hangup] the caller hangs up")
    assert offer in sim_json(*args)["said"]


def test_a_menu_whose_number_another_line_answers_says_so_and_exits_5(tmp_path):
    """--menu vaxeln, whose number Kommunsupport claims first: the call runs to the line
    that answers, a warning names it, and the exit is 5, as for an unanswered --to."""
    menus = tmp_path / "menus"
    shutil.copytree(MENUS, menus)
    (menus / "vaxeln.yaml").write_text((MENUS / "orebro-kommunsupport.yaml").read_text(
        encoding="utf-8").replace("name: ", "name: Växeln, ", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["--menus", str(menus), "--menu", "vaxeln",
                                       "--press", "4"])
    assert result.exit_code == 5
    assert (f"warning: +4619212000, the first number of {menus / 'vaxeln.yaml'}, is answered "
            "by orebro-kommunsupport (orebro-kommunsupport.yaml)") in result.stderr
    own = CliRunner().invoke(main, ["--menus", str(menus), "--menu", "orebro-kommunsupport",
                                    "--press", "4"])
    assert own.exit_code == 0 and "warning" not in own.stderr
