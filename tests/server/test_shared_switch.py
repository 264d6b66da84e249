"""The switch in the shared database: known at boot while the database is down, written by
one statement so concurrent switches never collide, and every failure named as what it is."""

import logging
import shutil
import threading
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
import sqlalchemy as sa
from conftest import MENUS, utc

from ivr.core.errors import IvrError
from ivr.core.model import Switch
from ivr.journal import switchboard
from ivr.menufile import switchfile
from ivr.server.app import create_app, line_for_number, refresh, served_line, served_lines
from ivr.server.webhooks import REGISTRY

NOW = utc("2026-11-24T09:00Z")
CLOSED = Switch("closed", NOW + timedelta(hours=6), "Just nu har vi driftstörningar.")


def first_words(app):
    response = app.test_client().post("/voice", data={"To": "+4619212000"})
    return next(ET.fromstring(response.data).iter("Say")).text


def test_a_worker_booting_while_the_database_is_down_keeps_the_switch(
        tmp_path, clock, monkeypatch):
    """A running worker read the closed switch; the database goes; a worker booting now in
    the same state directory closes the line too (from ``switches.json``)."""
    database = tmp_path / "shared.sqlite3"
    monkeypatch.setenv("IVR_DATABASE_URL", f"sqlite:///{database}")
    clock.now = NOW
    switchboard.store(f"sqlite:///{database}", "orebro-kommunsupport", CLOSED, NOW)
    config = {"MENUS": str(MENUS), "STATE_DIR": str(tmp_path / "state"), "CLOCK": clock,
              "RELOAD_INTERVAL": 0}
    running = create_app(config)
    running.extensions[REGISTRY].switches.read()
    assert first_words(running) == CLOSED.say
    database.unlink()
    database.mkdir()  # the database cannot be opened now
    booted = create_app(config)
    assert first_words(booted) == CLOSED.say
    booted.extensions[REGISTRY].switches.read()  # fails: the kept switch stays in force
    assert first_words(booted) == CLOSED.say


def test_the_line_as_served_carries_the_shared_switch(tmp_path, clock, monkeypatch):
    """What the app factory says it serves is what callers get: each way of asking for a
    line (by id, all of them, by number) has the switch set in the shared database, as the
    webhooks answer with it."""
    database = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    monkeypatch.setenv("IVR_DATABASE_URL", database)
    clock.now = NOW
    switchboard.store(database, "orebro-kommunsupport", CLOSED, NOW)
    app = create_app({"MENUS": str(MENUS), "STATE_DIR": str(tmp_path / "state"),
                      "CLOCK": clock, "RELOAD_INTERVAL": 0})
    app.extensions[REGISTRY].switches.read()
    for line in (served_line(app, "orebro-kommunsupport"),
                 served_lines(app)["orebro-kommunsupport"],
                 line_for_number(app, "+4619212000")):
        assert (line.switch.state, line.switch.until, line.switch.say) == (
            CLOSED.state, CLOSED.until, CLOSED.say)
    assert served_lines(app)["orebro-carelock"].switch is None
    assert first_words(app) == CLOSED.say


def test_concurrent_switches_on_postgres_never_collide(postgres_url, monkeypatch):
    """30 admins switching one line at once: every switch is stored, none is refused, and
    the line ends with one of them."""
    monkeypatch.setenv("IVR_DATABASE_URL", postgres_url)
    switchboard.current(postgres_url, "orebro-kommunsupport")  # the tables, made once
    errors, barrier = [], threading.Barrier(30)

    def switch(n):
        barrier.wait()
        try:
            switchboard.save(MENUS, "orebro-kommunsupport",
                             Switch("closed", NOW + timedelta(hours=1), f"Stängt {n}."), NOW)
        except IvrError as exc:
            errors.append(str(exc))

    threads = [threading.Thread(target=switch, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert switchboard.current(postgres_url, "orebro-kommunsupport").say.startswith("Stängt ")


def test_a_refused_write_is_not_called_unreachable(tmp_path, monkeypatch):
    """A database that answers but refuses the write says so, not 'can't be reached'."""
    monkeypatch.setenv("IVR_DATABASE_URL", f"sqlite:///{tmp_path / 'shared.sqlite3'}")

    def refuse(*args):
        raise sa.exc.IntegrityError("INSERT", {}, Exception("duplicate key value"))

    monkeypatch.setattr(switchboard, "store", refuse)
    with pytest.raises(IvrError) as refused:
        switchboard.save(MENUS, "orebro-kommunsupport", CLOSED, NOW)
    assert "refused the switch (IntegrityError: duplicate key value)" in str(refused.value)
    assert "can't be reached" not in str(refused.value)


def test_each_change_of_a_switch_is_logged_once(tmp_path, clock, monkeypatch, caplog):
    """Set, seen again unchanged, ended: the log says when callers began and stopped getting
    it, once each, for the shared database's switch as for the file's."""
    caplog.set_level(logging.INFO)
    database = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    monkeypatch.setenv("IVR_DATABASE_URL", database)
    clock.now = NOW
    app = create_app({"MENUS": str(MENUS), "STATE_DIR": str(tmp_path / "state"),
                      "CLOCK": clock, "RELOAD_INTERVAL": 0})
    board = app.extensions[REGISTRY].switches
    switchboard.store(database, "orebro-kommunsupport", CLOSED, NOW)
    board.read()
    board.read()
    switchboard.store(database, "orebro-kommunsupport", None, NOW)
    board.read()
    told = [r.getMessage() for r in caplog.records if "orebro-kommunsupport" in r.getMessage()]
    assert told == ["line orebro-kommunsupport is switched closed until "
                    f"{CLOSED.until.isoformat()} (the shared database)",
                    "line orebro-kommunsupport: the switch is off (the shared database)"]


def test_a_switch_file_turned_off_is_logged(menus, clock, caplog):
    """The file's switch: logged when it appears and when it is gone, not at every reload."""
    caplog.set_level(logging.INFO)
    clock.now = NOW
    app = create_app({"MENUS": str(menus), "CLOCK": clock, "RELOAD_INTERVAL": 0})
    path = switchfile.path_for(menus, "orebro-kommunsupport")
    switchfile.write(path, CLOSED, NOW)
    refresh(app)
    (menus / "orebro-kommunsupport.yaml").touch()
    refresh(app)
    switchfile.remove(path)
    refresh(app)
    told = [r.getMessage() for r in caplog.records if r.getMessage().startswith("line ")]
    assert told == [f"line orebro-kommunsupport is switched closed until "
                    f"{CLOSED.until.isoformat()}", "line orebro-kommunsupport: the switch is off"]


def test_a_simulators_app_reads_the_shared_switch_and_writes_nothing(tmp_path, monkeypatch):
    """ivr-sim's in-process app with IVR_DATABASE_URL: callers get the stored switch and the
    first claims, as on the servers, and nothing is written beside the menus (no
    switches.json, no claims.json)."""
    from ivr.server.app import in_process_app

    database = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    monkeypatch.setenv("IVR_DATABASE_URL", database)
    switchboard.store(database, "orebro-kommunsupport", CLOSED, NOW)
    menus = tmp_path / "menus"
    shutil.copytree(MENUS, menus)
    app = in_process_app(menus, clock=lambda: NOW)
    assert first_words(app) == CLOSED.say
    assert sorted(p.name for p in tmp_path.iterdir()
                  if not p.name.startswith("shared.sqlite3")) == ["menus"]
    assert sorted(p.name for p in menus.iterdir()) == sorted(p.name for p in MENUS.iterdir())
