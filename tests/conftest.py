"""Shared fixtures: the shipped menus served in-process, a settable clock, and a caller.

Time is always an explicit UTC instant ('2026-11-24T09:00Z'); tests never read the wall
clock. Calls go through ``ivr.sim.Caller`` and the web app, exactly as ``ivr-sim`` does.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import textwrap
from datetime import datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest

from ivr.server.app import create_app, in_process_app
from ivr.sim.caller import Call, Caller, scripted
from ivr.sim.transport import InProcess

os.environ.pop("TWILIO_AUTH_TOKEN", None)  # tests that want a token set it themselves
os.environ.pop("IVR_MENUS", None)
os.environ.pop("IVR_DATABASE_URL", None)
os.environ["IVR_STATE"] = tempfile.mkdtemp(prefix="ivr-test-state-")  # never the checkout's
atexit.register(shutil.rmtree, os.environ["IVR_STATE"], ignore_errors=True)
for _name in ("IVR_CONSOLE_PASSWORD", "IVR_CONSOLE_USERS", "IVR_CONSOLE_SECRET"):
    os.environ.pop(_name, None)  # the console is on only in tests that turn it on

ROOT = Path(__file__).resolve().parent.parent
MENUS = ROOT / "menus"


def utc(text: str) -> datetime:
    """'2026-11-24T09:00Z' → an aware UTC datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class Clock:
    """A clock the app reads and a test sets."""

    def __init__(self) -> None:
        self.now = utc("2026-11-24T09:00Z")

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(autouse=True)
def state(tmp_path, monkeypatch) -> Path:
    """Each test keeps its last good menus in its own state directory (IVR_STATE)."""
    folder = tmp_path / "state"
    monkeypatch.setenv("IVR_STATE", str(folder))
    return folder


@pytest.fixture
def clock() -> Clock:
    """This test's own settable clock."""
    return Clock()


@pytest.fixture
def shipped_app(clock):
    """This test's own app over the shipped menus folder, reading ``clock``."""
    app = in_process_app(MENUS, clock=clock)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def place_call(shipped_app, clock):
    """place_call(number, at, *presses, dial=…) → the Call as ivr-sim --json reports it."""

    def place(number: str, at: str, *presses: str, dial: tuple[str, ...] = (),
              app=None) -> Call:
        clock.now = utc(at)
        caller = Caller(InProcess(app or shipped_app), to=number,
                        keypad=scripted(list(presses)), dial_statuses=list(dial))
        return caller.run()

    return place


def dial_timeouts(call: Call) -> list[str]:
    """The ring time (``<Dial timeout>``) of every dial the call met, in order."""
    return [dial.get("timeout") for step in call.steps if step["twiml"].startswith("<")
            for dial in ElementTree.fromstring(step["twiml"]).iter("Dial")]


@pytest.fixture
def menus(tmp_path) -> Path:
    """A writable copy of the shipped menus folder."""
    folder = tmp_path / "menus"
    shutil.copytree(MENUS, folder)
    return folder


@pytest.fixture
def write_menu(tmp_path):
    """write_menu(text, name='line') → path of a menu file with that (dedented) text."""

    def write(text: str, name: str = "line") -> Path:
        folder = tmp_path / "menus"
        folder.mkdir(exist_ok=True)
        path = folder / f"{name}.yaml"
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    return write


MINIMAL = """\
name: Test line
numbers: ["+46101234567"]
language: sv-SE
voice: Polly.Astrid
timezone: Europe/Stockholm
messages:
  apology: Ursäkta.
  goodbye: Hej då.
  no_input: Inget val.
  invalid: Fel val.
start: main
nodes:
  main:
    type: menu
    prompt: Tryck 1.
    options:
      1: bye
  bye:
    type: hangup
    text: Hej då.
"""
"""A smallest valid line; tests add to it or break it."""

FIRST_KINDS = MINIMAL.split("start:")[0].replace("Test line", "Every kind") + """\
schedules:
  office:
    mon-fri: 08:00-17:00
start: welcome
nodes:
  welcome:
    type: say
    text: Välkommen.
    then: hours
  hours:
    type: route
    routes:
      - when: office
        goto: main
    otherwise: closed
  main:
    type: menu
    prompt: Tryck 1.
    options:
      1: desk
    max_no_input: 2
  desk:
    type: dial
    numbers: ["+4619213606"]
    fallback: closed
  closed:
    type: hangup
    text: Stängt.
"""
"""A small line with one node of each of the first five types, each exit of each leading
somewhere (tests/admin/test_graph.py pins its edges)."""

NEWER_KINDS = ""
"""A node of each type added since, appended under ``nodes:``, each exit to a node above."""

EVERY_KIND = FIRST_KINDS + NEWER_KINDS
"""A small line with one node of every type: what tests/core/test_nodes.py checks."""


class Ticking(InProcess):
    """Posts in-process, moving the clock on by ``seconds`` after each webhook."""

    def __init__(self, app, clock: Clock, seconds: int) -> None:
        super().__init__(app)
        self.clock, self.seconds = clock, seconds

    def post(self, url: str, params: dict[str, str]) -> tuple[int, str]:
        answer = super().post(url, params)
        self.clock.now += timedelta(seconds=self.seconds)
        return answer


class Journaled:
    """An app over the shipped menus that keeps a journal, and ways to call it and read it."""

    def __init__(self, clock: Clock, state: Path, **config) -> None:
        self.clock, self.state = clock, state
        self.app = create_app({"MENUS": str(MENUS), "CLOCK": clock, "TESTING": True,
                               "JOURNAL": True, "STATE_DIR": str(state), **config})
        self.writer = self.app.extensions["ivr.journal"]

    def call(self, at: str, *presses: str, to: str = "+4619212000",
             caller: str = "+46701234567", dial: tuple[str, ...] = (),
             hangup_after: int | None = None, tick: int = 0) -> str:
        """Place a call at ``at`` through the webhooks, ``tick`` seconds a step; its CallSid.

        With ``hangup_after`` seconds, Twilio's status callback reports that duration.
        """
        self.clock.now = utc(at)
        call = Caller(Ticking(self.app, self.clock, tick), to=to, caller_id=caller,
                      keypad=scripted(list(presses)), dial_statuses=list(dial)).run()
        params = call.steps[0]["params"]
        if hangup_after is not None:
            self.app.test_client().post("/status", data={
                **params, "CallStatus": "completed", "CallDuration": str(hangup_after)})
        return params["CallSid"]

    def rows(self, sql: str, **params) -> list:
        """What the journal holds once everything queued is written."""
        import sqlalchemy as sa

        assert self.writer.flush(10)
        with self.writer.engine.connect() as connection:
            return list(connection.execute(sa.text(sql), params))


@pytest.fixture
def journaled(tmp_path, clock):
    """Journaled app over SQLite in a fresh state directory; its writer stopped after."""
    made = Journaled(clock, tmp_path / "state")
    yield made
    made.writer.close()


@pytest.fixture(scope="session")
def postgres_server():
    """One PostgreSQL for the whole run, or a skip saying how to install it."""
    from pgserver import INSTALL, Server, binaries

    bin_dir = binaries()
    if bin_dir is None:
        pytest.skip(INSTALL)
    server = Server(bin_dir)
    server.start()
    yield server
    server.remove()


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """The URL of a fresh database on the session's PostgreSQL."""
    return postgres_server.new_database()
