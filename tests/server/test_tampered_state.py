"""A state directory edited by hand: a FIFO, a huge file or a note without an offset in
place of what a server wrote. Each is refused as damaged, logged, and never waited on;
every line keeps answering."""

import json
import os
import threading
import xml.etree.ElementTree as ET

import pytest

from ivr.journal.statedir import StateDir
from ivr.journal.unwritten import collect
from ivr.server.app import create_app, refresh
from ivr.server.registry import Registry

CARELOCK = "+46701740610"


def within(seconds, job):
    """``job()``'s result, failing the test if it takes longer (a FIFO would block it)."""
    done = {}
    worker = threading.Thread(target=lambda: done.update(result=job()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "it waited on a FIFO"
    return done["result"]


def app_over(menus, state, clock, **config):
    return create_app({"MENUS": str(menus), "STATE_DIR": str(state), "CLOCK": clock,
                       "RELOAD_INTERVAL": 0, **config})


def answers(app, number):
    response = app.test_client().post("/voice", data={"To": number})
    assert response.status_code == 200
    return next(ET.fromstring(response.data).iter("Say")).text


@pytest.mark.parametrize("kind", ["fifo", "huge"])
def test_a_kept_copy_that_is_no_plain_file_is_refused_not_read(menus, tmp_path, clock,
                                                                caplog, kind):
    """The kept copy of a line whose file is gone, replaced by a FIFO or by more than the
    menus' size limit: a worker booting now is not held, logs why, and serves the others."""
    state = tmp_path / "state"
    Registry(menus, state=state).load()
    kept = StateDir(state).menus / "orebro-carelock.yaml"
    kept.unlink()
    if kind == "fifo":
        os.mkfifo(kept)
    else:
        kept.write_bytes(b"#" * 2_000_000)
    (menus / "orebro-carelock.yaml").unlink()
    app = within(5, lambda: app_over(menus, state, clock))
    within(5, lambda: refresh(app))
    assert answers(app, CARELOCK).startswith("Tyvärr kan samtalet")
    assert not answers(app, "+4619212000").startswith("Tyvärr")
    assert f"state directory: the last good version {kept} " in caplog.text


def test_a_fifo_among_the_queue_counts_holds_no_booting_worker(tmp_path, caplog):
    """journal-queues/1-fifo: the next writer's look at gone workers' counts skips it."""
    queues = StateDir(tmp_path).queues
    queues.mkdir(parents=True)
    os.mkfifo(queues / "1-fifo00")
    assert within(5, lambda: collect(tmp_path)) == 0
    assert "1-fifo00 is not a count a worker left; ignored" in caplog.text


def test_a_gone_note_without_an_offset_is_counted_again(menus, tmp_path, clock, caplog):
    """`.gone` edited to a time without its UTC offset: the note is taken as damaged (the
    line's absence counts from now), no traceback, and the line keeps its last good
    version."""
    state = tmp_path / "state"
    app = app_over(menus, state, clock)
    (StateDir(state).menus / "intraphone.gone").write_text(json.dumps(
        {"since": "2026-12-04T21:00:00", "retires": "2030-01-01T00:00:00"}))
    (menus / "intraphone.yaml").unlink()
    refresh(app)
    assert not answers(app, "+46701740620").startswith("Tyvärr")
    assert "Traceback" not in caplog.text and "can't compare" not in caplog.text
    note = json.loads((StateDir(state).menus / "intraphone.gone").read_text())
    assert note["since"].endswith("+00:00")


def test_kept_switches_without_an_offset_are_set_aside(menus, tmp_path, clock, monkeypatch,
                                                       caplog):
    """switches.json edited to an end without its offset, the database down: a worker
    booting now logs it and answers every line as its file says."""
    (tmp_path / "shared.sqlite3").mkdir()  # the database cannot be opened
    monkeypatch.setenv("IVR_DATABASE_URL", f"sqlite:///{tmp_path / 'shared.sqlite3'}")
    state = tmp_path / "state"
    state.mkdir()
    StateDir(state).switches.write_text(json.dumps({"orebro-carelock": {
        "line": "orebro-carelock", "state": "closed", "until": "2030-01-01T00:00:00",
        "since": None, "say": "Stängt."}}))
    app = app_over(menus, state, clock)
    assert not answers(app, CARELOCK).startswith("Tyvärr")
    assert "switches kept in" in caplog.text and "has no UTC offset" in caplog.text


def test_kept_switches_replaced_by_a_fifo_hold_no_booting_worker(menus, tmp_path, clock,
                                                                   monkeypatch, caplog):
    """switches.json replaced by a FIFO, the database down: a worker boots at once, logs
    it, and answers every line."""
    (tmp_path / "shared.sqlite3").mkdir()  # the database cannot be opened
    monkeypatch.setenv("IVR_DATABASE_URL", f"sqlite:///{tmp_path / 'shared.sqlite3'}")
    state = tmp_path / "state"
    state.mkdir()
    os.mkfifo(StateDir(state).switches)
    app = within(5, lambda: app_over(menus, state, clock))
    assert not answers(app, CARELOCK).startswith("Tyvärr")
    assert "switches kept in" in caplog.text and "is not a regular file" in caplog.text


@pytest.mark.parametrize("key", ["journal_key", "console_key"])
def test_a_key_that_is_no_plain_file_turns_its_part_off_not_the_line(menus, tmp_path, clock,
                                                                     caplog, key):
    """journal.key or console.key replaced by a FIFO: that part is off, logged; calls are
    answered all the same."""
    state = tmp_path / "state"
    state.mkdir()
    os.mkfifo(getattr(StateDir(state), key))
    from ivr.console import create_app as with_console

    app = within(5, lambda: with_console({
        "MENUS": str(menus), "STATE_DIR": str(state), "CLOCK": clock, "RELOAD_INTERVAL": 0,
        "JOURNAL": True, "CONSOLE_PASSWORD": "a long enough password"}))
    assert not answers(app, CARELOCK).startswith("Tyvärr")
    assert f"{getattr(StateDir(state), key)} is not a regular file" in caplog.text
