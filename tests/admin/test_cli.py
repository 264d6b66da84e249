"""``ivr check`` and ``ivr serve``: clear messages and exit codes for admins."""

import pytest
import yaml
from click.testing import CliRunner
from conftest import MENUS, MINIMAL, ROOT

from ivr.admin.commands import main


def run(*args, env=None):
    return CliRunner().invoke(main, list(args), env=env or {})


def test_check_passes_the_shipped_menus():
    """Every shipped menu file is valid."""
    result = run("check", "--menus", str(MENUS))
    assert result.exit_code == 0, result.output


def test_check_reports_errors_compiler_style(tmp_path):
    """Problems print as file:line:col: error: key: message and exit 1."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.replace("1: bye", "1: by"))
    result = run("check", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:17:10: error: nodes.main.options.1: unknown node 'by'" in result.output


def test_check_empty_folder(tmp_path):
    """A folder without menu files is an error, not a silent pass."""
    result = run("check", "--menus", str(tmp_path))
    assert result.exit_code == 1 and "no menu files" in result.output


def test_serve_refuses_without_token():
    """Without TWILIO_AUTH_TOKEN, serve refuses unless --insecure."""
    result = run("serve", "--menus", str(MENUS), env={"TWILIO_AUTH_TOKEN": ""})
    assert result.exit_code == 2
    assert "TWILIO_AUTH_TOKEN is not set" in result.output


def test_serve_refuses_a_missing_menus_folder(tmp_path):
    """A missing menus folder stops serve with a message and exit 1."""
    result = run("serve", "--insecure", "--menus", str(tmp_path / "nope"),
                 env={"TWILIO_AUTH_TOKEN": ""})
    assert result.exit_code == 1
    assert "no such menus folder" in result.output
    assert "NOT verified" in result.output


def test_serve_refuses_a_folder_without_valid_lines(tmp_path):
    """A folder whose only file is broken cannot serve anything: exit 1 with its errors."""
    (tmp_path / "bad.yaml").write_text("name: [\n")
    result = run("serve", "--menus", str(tmp_path), env={"TWILIO_AUTH_TOKEN": "t"})
    assert result.exit_code == 1
    assert "no valid menu file" in result.output and "YAML syntax" in result.output


@pytest.mark.parametrize("command", ["serve", "check"])
def test_every_command_has_help(command):
    """Each command explains itself with --help."""
    result = run(command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


def test_check_prints_warnings_and_strict_fails_on_them():
    """Warnings print with the file position; they fail only with --strict."""
    result = run("check", "--menus", str(MENUS))
    assert result.exit_code == 0
    assert ("menus/orebro-carelock.yaml:9:11: warning: numbers.0: placeholder number "
            "+46701740610 is still in place") in result.output
    assert run("check", "--strict", "--menus", str(MENUS)).exit_code == 1


def test_pre_commit_hook_runs_ivr_check_on_menus():
    """.pre-commit-hooks.yaml offers ivr check on menu files, as pre-commit expects."""
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    by_id = {hook["id"]: hook for hook in hooks}
    assert by_id["ivr-check"]["entry"] == "ivr check"
    assert by_id["ivr-check-strict"]["entry"] == "ivr check --strict"
    assert all(h["language"] == "python" and h["files"] == r"^menus/.*\.ya?ml$"
               for h in hooks)


@pytest.mark.parametrize("command", ["schema", "graph", "hours", "switch", "explore"])
def test_admin_commands_have_help(command):
    """The admin commands explain themselves with --help."""
    result = run(command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


def test_test_clock_only_on_insecure_servers():
    """--test-clock lets callers set the time, so it is refused next to a real token."""
    result = run("serve", "--test-clock", "--menus", str(MENUS), env={"TWILIO_AUTH_TOKEN": "t"})
    assert result.exit_code == 2 and "only with --insecure" in result.output


def test_serve_names_a_missing_menus_folder_even_when_its_port_is_taken(tmp_path):
    """What the admin wrote is checked before the port: a taken port does not hide it."""
    import socket

    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = str(held.getsockname()[1])
        result = run("serve", "--insecure", "--port", port, "--menus", str(tmp_path / "nope"),
                     env={"TWILIO_AUTH_TOKEN": ""})
    assert result.exit_code == 1
    assert "no such menus folder" in result.output and "cannot listen" not in result.output
