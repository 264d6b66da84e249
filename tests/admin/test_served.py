"""``ivr lines`` and the ``ivr serve`` banner, run as an admin runs them."""

import json
import shutil
from datetime import datetime

import pytest
from click.testing import CliRunner
from conftest import MENUS, utc
from freezegun import freeze_time

from ivr.admin import commands, serve
from ivr.console import linestate
from ivr.menufile.format import load_line
from ivr.menufile.switchfile import attach
from ivr.sim import ivrsim as sim

NOON_TUESDAY = "2026-11-24T11:15Z"  # 12:15 in Stockholm and Oslo: the TES lunch


def run(*args, env=None):
    return CliRunner().invoke(commands.main, list(args), env=env or {})


@freeze_time(NOON_TUESDAY)
def test_lines_lists_every_line_with_its_state_now():
    """Each line: file, numbers, zone, language, each schedule open or closed until when."""
    result = run("lines", "--menus", str(MENUS))
    assert result.exit_code == 0, result.output
    assert f"orebro-kommunsupport: Kommunsupport, Örebro kommun ({MENUS}/orebro-kommunsupport" \
        ".yaml)" in result.output
    assert "  numbers       +4619212000, 2000" in result.output
    assert "  language      nb-NO, Europe/Oslo" in result.output
    assert ("line-open open until 17:00; tes-desk closed until 13:00; it-desk closed until "
            "13:00") in result.output
    assert "  placeholders  +46701740605, +46701740606, +46701740607" in result.output


@freeze_time(NOON_TUESDAY)
def test_lines_json_and_switch_and_broken_file(tmp_path):
    """--json gives the same facts; a switch in force decides every schedule it is for
    (marked switched); a broken file is listed with its errors."""
    menus = tmp_path / "menus"
    shutil.copytree(MENUS, menus)
    (menus / "broken.yaml").write_text("name: [\n")
    assert run("switch", "orebro-kommunsupport", "closed", "--until", "2026-11-24 15:00",
               "--menus", str(menus)).exit_code == 0
    result = run("lines", "--menus", str(menus), "--json")
    assert result.exit_code == 0, result.output
    found = {item.get("line", item["file"]): item for item in json.loads(result.stdout)}
    support = found["orebro-kommunsupport"]
    assert support["switch"]["state"] == "closed"
    assert support["switch"]["until"] == "2026-11-24T15:00+01:00"
    assert support["schedules"][0] == {"name": "line-open", "open": False, "switched": True,
                                       "until": "2026-11-24T15:00"}
    assert found["orebro-carelock"]["zone"] == "Europe/Stockholm"
    assert "YAML syntax" in found[str(menus / "broken.yaml")]["errors"][0]
    text = run("lines", "--menus", str(menus)).output
    assert "  switch        closed until 2026-11-24 15:00" in text
    assert "broken: broken since " in text and "not served: no last good version in" in text


def test_serve_banner_says_what_is_served(monkeypatch, state):
    """Before gunicorn starts: lines and numbers, folders, signatures, the three URLs."""
    started = {}
    monkeypatch.setattr("ivr.server.gunicorn.run", lambda config, **kw: started.update(config))
    monkeypatch.setattr("ivr.admin.serve._port_free", lambda host, port: None)
    result = run("serve", "--menus", str(MENUS), "--public-url", "https://abc.ngrok.app/",
                 env={"TWILIO_AUTH_TOKEN": "t"})
    assert result.exit_code == 0, result.output
    assert started["MENUS"] == str(MENUS)
    banner = result.stderr
    assert f"ivr serves 4 line(s) from {MENUS}/ (state in {state}/)" in banner
    assert started["STATE_DIR"] == state
    assert "  orebro-kommunsupport   +4619212000, 2000" in banner
    assert "Twilio signatures are checked" in banner
    for field, path in [("A call comes in", "voice"), ("Primary handler fails", "fallback"),
                        ("Call status changes", "status")]:
        assert f"  {field:<22} https://abc.ngrok.app/{path}" in banner


def test_serve_banner_says_where_the_console_and_the_journal_are(monkeypatch, state):
    """The console's address (the public one when given) and who may sign in; the
    journal's database, its password hidden, and how long calls are kept."""
    monkeypatch.setattr("ivr.server.gunicorn.run", lambda config, **kw: None)
    monkeypatch.setattr("ivr.admin.serve._port_free", lambda host, port: None)
    monkeypatch.setattr("ivr.admin.serve.prepare_journal", lambda state: None)
    result = run("serve", "--menus", str(MENUS), "--public-url", "https://abc.ngrok.app/",
                 "--retain-days", "30", env={
                     "TWILIO_AUTH_TOKEN": "t", "IVR_CONSOLE_PASSWORD": "a long password",
                     "IVR_DATABASE_URL": "postgresql://ivr:s3cret@db.example.org/ivr"})
    assert result.exit_code == 0, result.output
    assert "Console: https://abc.ngrok.app/console (1 user(s) may sign in)" in result.stderr
    assert ("Call journal: postgresql://ivr:***@db.example.org/ivr, calls kept 30 days"
            in result.stderr) and "s3cret" not in result.stderr
    local = run("serve", "--menus", str(MENUS), "--insecure", "--port", "5050",
                env={"IVR_CONSOLE_PASSWORD": "a long password"})
    assert "Console: http://127.0.0.1:5050/console (1 user(s) may sign in)" in local.stderr


def test_serve_banner_insecure_and_without_public_url(monkeypatch):
    """--insecure is said in the banner; no URLs without --public-url; a bad one exits 2."""
    monkeypatch.setattr("ivr.server.gunicorn.run", lambda config, **kw: None)
    monkeypatch.setattr("ivr.admin.serve._port_free", lambda host, port: None)
    result = run("serve", "--menus", str(MENUS), "--insecure", "--no-journal", "--port", "5050")
    assert "Twilio signatures are NOT checked (--insecure)" in result.stderr
    assert "Voice Configuration" not in result.stderr
    assert "Call journal: not kept (--no-journal)" in result.stderr
    assert "Console: off (set IVR_CONSOLE_PASSWORD or IVR_CONSOLE_USERS)" in result.stderr
    bad = run("serve", "--menus", str(MENUS), "--insecure", "--public-url", "abc.ngrok.app")
    assert bad.exit_code == 2 and "'--public-url'" in bad.output


def test_readme_banner_is_what_serve_prints(monkeypatch):
    """The README's banner block is the command's real output for the shipped menus."""
    from conftest import ROOT
    from test_readme import blocks

    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("IVR_STATE")  # the README shows the default: state/ beside menus/
    monkeypatch.setattr("ivr.server.gunicorn.run", lambda config, **kw: None)
    monkeypatch.setattr("ivr.admin.serve._port_free", lambda host, port: None)
    result = run("serve", "--menus", "menus", "--public-url", "https://<your-host>",
                 env={"TWILIO_AUTH_TOKEN": "t"})
    shown = next(b for b in blocks("text") if b.startswith("ivr serves"))
    assert result.stderr == shown


def test_ngrok_config_matches_serve_and_says_what_to_change():
    """ngrok.yml forwards to serve's default port and tells how the address and port change."""
    import yaml
    from conftest import ROOT

    text = (ROOT / "ngrok.yml").read_text(encoding="utf-8")
    endpoint = yaml.safe_load(text)["endpoints"][0]
    port = next(p for p in serve.serve_command.params if p.name == "port").default
    assert endpoint["upstream"]["url"] == port
    assert "new address on every" in text and "must then be changed" in text
    assert "`ivr serve --port P` is not 5000, set `upstream.url`" in text


def test_serve_refuses_a_port_in_use_at_once(monkeypatch):
    """A port something listens on: one line and exit 1, before the banner or gunicorn."""
    import socket

    monkeypatch.setattr("ivr.server.gunicorn.run", lambda config, **kw: pytest.fail("ran"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--menus", str(MENUS), "--insecure", "--port", str(port))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith(f"Error: cannot listen on 127.0.0.1:{port}")
    assert "ivr serves" not in result.stderr


def test_serve_banner_names_the_test_clock(monkeypatch):
    """With --test-clock the banner says that requests may set the time."""
    monkeypatch.setattr("ivr.server.gunicorn.run", lambda config, **kw: None)
    monkeypatch.setattr("ivr.admin.serve._port_free", lambda host, port: None)
    result = run("serve", "--menus", str(MENUS), "--insecure", "--test-clock")
    assert result.exit_code == 0, result.output
    assert "--test-clock: each request may set the time (ivr-sim --at)" in result.stderr


def test_a_bad_public_url_is_refused_before_any_warning(monkeypatch):
    """--public-url without a scheme exits 2 before the --insecure warning is printed."""
    monkeypatch.setattr("ivr.server.gunicorn.run", lambda config, **kw: None)
    result = run("serve", "--menus", str(MENUS), "--insecure", "--public-url", "ivr.example.org")
    assert result.exit_code == 2 and "'--public-url'" in result.output
    assert "WARNING" not in result.output


def test_lines_says_a_broken_file_is_served_from_its_last_good_version(tmp_path, state):
    """A file broken after a server kept it: ivr lines says since when, and that servers
    (running or started now) serve the last good version from the state directory."""
    from ivr.server.registry import Registry

    menus = tmp_path / "menus"
    shutil.copytree(MENUS, menus)
    Registry(menus, state=state).load()  # as ivr serve does: keeps every good version
    path = menus / "orebro-carelock.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("start:", "strat:"))
    text = run("lines", "--menus", str(menus)).output
    kept = state / "menus" / "orebro-carelock.yaml"
    assert ("orebro-carelock: broken since " in text and "; a running server keeps serving its "
            f"last good version (from {kept}); a server started now serves that version too"
            in text)
    found = {item.get("line", item["file"]): item
             for item in json.loads(run("lines", "--menus", str(menus), "--json").stdout)}
    assert found[str(path)]["last_good"]["file"] == str(kept)


def test_lines_shows_a_good_file_with_a_broken_switch_file_as_served_without_it(tmp_path):
    """Only its switch file broken: the line is served as its file says (the servers ignore
    such a switch), so ivr lines lists it as served, says the switch is ignored and why,
    and never calls the menu file broken."""
    menus = tmp_path / "menus"
    shutil.copytree(MENUS, menus)
    (menus / "switches").mkdir(exist_ok=True)
    (menus / "switches" / "intraphone.yaml").write_text("state: shut\nuntil: soon\n")
    text = run("lines", "--menus", str(menus)).output
    assert "intraphone: broken" not in text
    switch = menus / "switches" / "intraphone.yaml"
    assert (f"  switch        ignored: {switch} has errors, so servers answer as the menu "
            f"file says (see ivr check {switch})") in text
    found = {item["file"]: item
             for item in json.loads(run("lines", "--menus", str(menus), "--json").stdout)}
    listed = found[str(menus / "intraphone.yaml")]
    assert "errors" not in listed and "'shut' is not allowed" in listed["switch_ignored"]


def test_a_database_url_the_journal_cannot_use_stops_serve_and_switch(monkeypatch):
    """IVR_DATABASE_URL that names no usable database: serve stops before its workers start
    (each would fail), and switch says so; one line, no traceback."""
    monkeypatch.setattr("ivr.server.gunicorn.run", lambda config, **kw: None)
    monkeypatch.setattr("ivr.admin.serve._port_free", lambda host, port: None)
    env = {"IVR_DATABASE_URL": "postgres//ivr@db/ivr"}
    for command in (["serve", "--menus", str(MENUS), "--insecure"],
                    ["switch", "orebro-kommunsupport", "--menus", str(MENUS)]):
        result = run(*command, env=env)
        assert result.exit_code == 1, result.output
        assert "IVR_DATABASE_URL: 'postgres//ivr@db/ivr' is not a database" in result.output


def test_a_state_path_that_is_a_file_stops_serve_before_anything_is_said(tmp_path):
    """--state naming a file: one line naming --state, before the banner, no traceback."""
    state = tmp_path / "afile"
    state.write_text("")
    result = run("serve", "--menus", str(MENUS), "--insecure", "--state", str(state))
    assert result.exit_code == 2
    assert f"{state} is a file, not a folder" in result.output and "ivr serves" not in (
        result.output)


def test_lines_says_a_gone_file_is_still_answered_and_until_when(tmp_path, state):
    """A file deleted after a server kept it: ivr lines lists its line, says the servers
    still answer with the last good version and, once one has missed it, until when."""
    from ivr.server.registry import Registry

    menus = tmp_path / "menus"
    shutil.copytree(MENUS, menus)
    registry = Registry(menus, state=state, clock=lambda: utc("2026-11-24T09:00Z"))
    registry.load()
    (menus / "orebro-carelock.yaml").unlink()
    kept = state / "menus" / "orebro-carelock.yaml"
    before = run("lines", "--menus", str(menus)).output
    assert (f"orebro-carelock: file {menus / 'orebro-carelock.yaml'} is gone; a server keeps "
            f"answering with its last good version (from {kept}) for a day" in before)
    registry.refresh()
    text = run("lines", "--menus", str(menus)).output
    assert "orebro-carelock: file " in text and " is gone since 2026-11-24 " in text
    assert f"(from {kept}) until 2026-11-25 " in text and "put the file back" in text
    found = json.loads(run("lines", "--menus", str(menus), "--json").stdout)[-1]
    assert found["file"] == str(menus / "orebro-carelock.yaml")
    assert found["retires"].startswith("2026-11-25T")


def test_a_closing_switch_leaves_the_schedules_it_is_not_for_as_callers_get_them(tmp_path):
    """The owner closes Kommunsupport until tomorrow 15:00. At 18:52 Carelock's evening
    hours are not the desk's (switch: ignore): `ivr lines` and the console's line state
    say so, as a call pressing 3, 1, 1 (TES and Carelock, then the lock) hears the evening
    Carelock number."""
    menus = tmp_path / "menus"
    shutil.copytree(MENUS, menus)
    with freeze_time("2026-11-24T17:52Z"):  # 18:52 in Stockholm
        assert run("switch", "orebro-kommunsupport", "closed", "--until", "2026-11-25 15:00",
                   "--menus", str(menus)).exit_code == 0
        text = run("lines", "--menus", str(menus)).output
        heard = " ".join(json.loads(CliRunner().invoke(sim.main, [
            "--menus", str(menus), "--menu", "orebro-kommunsupport", "--press", "3", "1", "1",
            "--json"]).stdout)["said"])
    line = attach(load_line(menus / "orebro-kommunsupport.yaml"), menus)
    evening = {s.name: s for s in linestate.state(line, utc("2026-11-24T17:52Z")).schedules}[
        "carelock-evening"]
    assert "ring felanmälan för Carelock på 019, 21 49 44" in heard
    assert "carelock-evening open until 22:00" in text
    assert "line-open closed until Wed 2026-11-25 15:00 (switch)" in text
    assert "carelock-evening open until 22:00 (switch)" not in text
    assert evening.open and not evening.forced
    assert evening.until == datetime(2026, 11, 24, 22, 0)


@freeze_time(NOON_TUESDAY)
def test_lines_shows_the_switch_stored_in_the_shared_database(tmp_path):
    """`ivr switch` with IVR_DATABASE_URL writes to the database: `ivr lines` lists that
    switch in force, in text and JSON, as callers get it; an unreadable database is said."""
    env = {"IVR_DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}"}
    set_it = run("switch", "--menus", str(MENUS), "brukarstotte", "open", "--until",
                 "2026-11-24 18:00", env=env)
    assert set_it.exit_code == 0, set_it.output
    listed = json.loads(run("lines", "--menus", str(MENUS), "--json", env=env).stdout)
    brukarstotte = next(line for line in listed if line.get("line") == "brukarstotte")
    assert brukarstotte["switch"]["state"] == "open"
    text = run("lines", "--menus", str(MENUS), env=env).output
    assert "open until 2026-11-24 18:00" in text
    (tmp_path / "shared.sqlite3").unlink()
    (tmp_path / "shared.sqlite3").mkdir()
    unreadable = run("lines", "--menus", str(MENUS), env=env)
    assert unreadable.exit_code == 0
    assert "the shared database (IVR_DATABASE_URL) cannot be read" in unreadable.stderr


def test_lines_with_the_menus_folder_gone_lists_the_kept_lines(tmp_path, state):
    """The servers serve their last good versions while menus/ is missing: ivr lines says
    so, and lists each kept line as gone, instead of refusing."""
    from ivr.server.registry import Registry

    menus = tmp_path / "menus"
    shutil.copytree(MENUS, menus)
    Registry(menus, state=state, clock=lambda: utc("2026-11-24T09:00Z")).load()
    shutil.rmtree(menus)
    result = run("lines", "--menus", str(menus))
    assert result.exit_code == 0, result.output
    assert f"{menus} is not a folder: every line below is served from its last good" in (
        result.stderr)
    assert result.stdout.count(" is gone; a server keeps answering") == 4
    assert run("lines", "--menus", str(menus), "--state", str(tmp_path / "empty")).exit_code == 2


def test_serve_names_the_line_that_keeps_a_number_as_the_shared_database_records(
        monkeypatch, tmp_path):
    """A copy sorting first claims Kommunsupport's numbers the database records for the
    original: the banner says the copy's numbers are answered by the original, as the
    workers will answer."""
    from ivr.journal.claims import Claims

    menus = tmp_path / "menus"
    shutil.copytree(MENUS, menus)
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    claims = Claims(url, tmp_path / "elsewhere")
    claims.hold({"+4619212000": "orebro-kommunsupport", "2000": "orebro-kommunsupport"}, {})
    claims.sync()
    (menus / "aaa-copy.yaml").write_text((menus / "orebro-kommunsupport.yaml").read_text(
        encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr("ivr.server.gunicorn.run", lambda config, **kw: None)
    monkeypatch.setattr("ivr.admin.serve._port_free", lambda host, port: None)
    result = run("serve", "--menus", str(menus), "--insecure", "--no-journal",
                 env={"IVR_DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    assert ("  aaa-copy               (+4619212000: answered by orebro-kommunsupport), "
            "(2000: answered by orebro-kommunsupport)") in result.stderr
    assert "  orebro-kommunsupport   +4619212000, 2000" in result.stderr


@freeze_time(NOON_TUESDAY)
def test_a_sqlite_database_whose_folder_cannot_be_made_is_one_line(monkeypatch, tmp_path):
    """IVR_DATABASE_URL naming an SQLite file under a folder that cannot be created: serve
    stops before its banner, switch says so; one line each, no traceback."""
    monkeypatch.setattr("ivr.server.gunicorn.run", lambda config, **kw: None)
    monkeypatch.setattr("ivr.admin.serve._port_free", lambda host, port: None)
    blocker = tmp_path / "afile"
    blocker.write_text("")
    env = {"IVR_DATABASE_URL": f"sqlite:///{blocker / 'x' / 'db.sqlite3'}"}
    for command in (["serve", "--menus", str(MENUS), "--insecure", "--state",
                     str(tmp_path / "state")],
                    ["switch", "orebro-kommunsupport", "--menus", str(MENUS), "closed",
                     "--until", "2026-11-24 15:00"]):
        result = run(*command, env=env)
        assert result.exit_code == 1, result.output
        assert f"cannot create the folder {blocker / 'x'} for the database" in result.output
        assert "Traceback" not in result.output and "ivr serves" not in result.output
