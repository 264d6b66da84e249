"""``ivr-sim``'s words to a new tester: every failure explained once, in words, with an exit
code a script can trust, and JSON on stdout whenever --json is asked for."""

import json
import shlex
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import MENUS, ROOT

from ivr.sim.ivrsim import main


def sim(*args, input=None):
    return CliRunner().invoke(main, ["--menus", str(MENUS), *args], input=input)


def test_interactive_json_shows_the_prompts_on_stderr():
    """--json at a terminal: the «…» prompts reach the person on stderr; stdout is the JSON."""
    import os
    import pty

    main_fd, terminal = pty.openpty()
    os.write(main_fd, b"4\n\n")
    result = subprocess.run([sys.executable, "-m", "ivr.sim.ivrsim", "--menus", str(MENUS),
                             "--at", "2026-11-24 10:00", "--json"], stdin=terminal,
                            capture_output=True, text=True, timeout=30)
    os.close(terminal)
    os.close(main_fd)
    assert result.returncode == 0, result.stderr
    assert "« Välkommen till Kommunsupport" in result.stderr
    assert "keys (0-9" in result.stderr
    assert json.loads(result.stdout)["dialed"] == ["+46701740606"]


def test_a_number_no_line_answers_exits_5_without_server_logs():
    """--to a number no line answers: the call runs, exit 5, no server log in the output."""
    result = subprocess.run([sys.executable, "-m", "ivr.sim.ivrsim", "--menus", str(MENUS),
                             "--to", "+46812345678", "--press", "4"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 5
    assert "no line in" in result.stderr and "+46812345678" in result.stderr
    assert "WARNING" not in result.stderr and "ivr.web" not in result.stderr
    verbose = subprocess.run([sys.executable, "-m", "ivr.sim.ivrsim", "--menus", str(MENUS),
                              "--to", "+46812345678", "--press", "4", "--verbose"],
                             capture_output=True, text=True, timeout=30)
    assert "unknown number" in verbose.stderr


@pytest.mark.parametrize(("args", "message"), [
    pytest.param(["--from", "2026-01-01"], "No such option '--from'", id="from"),
    pytest.param(["--days", "3"], "No such option '--days'", id="days"),
    pytest.param(["--depth", "2"], "No such option '--depth'", id="depth"),
    pytest.param(["--caller-id", "abc"], "Invalid value for '--caller-id': 'abc' is not a "
                 "phone number; write it in E.164, like +46701740699", id="caller-id"),
    pytest.param(["--dial-status", "all"], "Invalid value for '--dial-status': 'all' is for "
                 "ivr explore, which follows every outcome; a call takes one outcome per Dial: "
                 "completed, busy, no-answer, failed, canceled", id="dial-status-all"),
    pytest.param(["--dial-status", "ringing,busy"], "Invalid value for '--dial-status': "
                 "ringing: not a Dial outcome; use completed, busy, no-answer, failed, "
                 "canceled", id="dial-status-words"),
    pytest.param(["--menus", "/nonexistent/nodir"], "Invalid value for '--menus': "
                 "/nonexistent/nodir: no such folder", id="menus-folder"),
    pytest.param(["--menu", "nope"], "the lines in", id="lines-as-words"),
])
def test_options_that_do_not_apply_are_refused_in_words(args, message):
    """Explore's options, a bad caller id, 'all' or a wrong outcome: exit 2, said in words."""
    result = CliRunner().invoke(main, [*(["--menus", str(MENUS)] if "--menus" not in args
                                         else []), *args, "--press", "3", "1"])
    assert result.exit_code == 2
    assert message in result.output
    assert "['" not in result.output and "Traceback" not in result.output


def test_unknown_line_lists_the_lines_as_words():
    """A line not in the folder: the message lists the lines there, comma-separated."""
    result = sim("--menu", "nope")
    assert "brukarstotte, intraphone, orebro-carelock, orebro-kommunsupport" in result.output


@pytest.mark.parametrize(("args", "code", "meaning"), [
    pytest.param(["--at", "tomorrow", "--press", "4"], 2, "a wrong argument", id="bad-at"),
    pytest.param(["--caller-id", "abc", "--press", "4"], 2, "a wrong argument",
                 id="bad-caller-id"),
    pytest.param(["--menu", "BROKEN", "--press", "4"], 1, "the menu file is broken",
                 id="broken-menu"),
])
def test_json_failures_are_json_on_stdout(tmp_path, args, code, meaning):
    """With --json, a failure prints {problem, exit_code, meaning} on stdout."""
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\n")
    args = [str(broken) if a == "BROKEN" else a for a in args]
    result = sim(*args, "--json")
    assert result.exit_code == code
    failure = json.loads(result.stdout)
    assert failure["exit_code"] == code and failure["meaning"] == meaning
    assert failure["problem"]


def test_readme_jq_example_dials():
    """docs/simulator.md's `| jq .dialed` example dials the number its comment shows."""
    readme = (ROOT / "docs" / "simulator.md").read_text(encoding="utf-8")
    line = next(x for x in readme.splitlines() if "| jq .dialed" in x)
    command, expected = line.split("| jq .dialed")
    args = shlex.split(command)[1:]
    result = sim(*args)
    assert result.exit_code == 0, result.output
    dialed = json.loads(result.stdout)["dialed"]
    assert dialed and json.dumps(dialed) in expected
