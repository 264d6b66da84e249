"""What the webhooks call: start the journal's writer, and hand it what a step saw.

``init_app`` starts a writer when the app's ``JOURNAL`` setting is on; ``step``, ``status``
and ``error`` queue what a webhook saw without waiting for anything. Off (the default for
in-process apps such as ``ivr-sim``'s and the tests'), each is a dictionary lookup. Calls
made with a tester's clock (``ivr serve --test-clock``) are marked as tests.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, current_app, g

from ivr.core.engine import Event, Turn
from ivr.core.errors import IvrError
from ivr.core.logsafe import clean
from ivr.core.model import Line
from ivr.core.state import State
from ivr.journal.entries import ErrorSeen, Seen, StatusSeen, StepSeen, entry

log = logging.getLogger(__name__)
EXTENSION = "ivr.journal"
LONGEST_CALL = 24 * 3600
"""Seconds: Twilio ends every call within a day, so a longer duration is not trusted."""


def init_app(app: Flask) -> None:
    """Start the app's journal writer when ``JOURNAL`` is set (``ivr serve`` sets it)."""
    config = app.config
    if not config.get("JOURNAL"):
        return
    from ivr.journal import privacy, schema
    from ivr.journal.writer import Writer

    state = Path(config["STATE_DIR"])
    url = schema.database_url(state, config.get("DATABASE_URL"))
    try:
        secret = privacy.key(state)
    except IvrError as exc:  # the key replaced by hand: calls are answered all the same
        log.error("journal: %s; no call is journaled until then", exc)
        return
    app.extensions[EXTENSION] = Writer(url, secret=secret, clock=config["CLOCK"], state=state,
                                       retain_days=int(config.get("RETAIN_DAYS", 90)))


def _shared(app: Flask) -> str | None:
    """The database servers share (the app's ``DATABASE_URL``, else ``IVR_DATABASE_URL``)."""
    return app.config.get("DATABASE_URL") or os.environ.get("IVR_DATABASE_URL")


def claims(app: Flask):
    """The fleet's record of who claimed each number first, when servers share a database:
    kept current by a server, read once by an app that keeps no state (an in-process
    simulator, which never writes to it); else None."""
    shared = _shared(app)
    if not shared:
        return None
    from ivr.journal.claims import Claims, Recorded

    if not app.config["KEEP_STATE"]:
        return Recorded(shared)
    return Claims(shared, Path(app.config["STATE_DIR"]))


def engine(app: Flask):
    """The journal writer's database engine, when ``app`` keeps a journal; else None."""
    writer = app.extensions.get(EXTENSION)
    return writer.engine if writer is not None else None


def switches(app: Flask):
    """The reader of the switches stored in the shared database, when servers share one;
    else None. The registry applies them to every line it serves."""
    shared = _shared(app)
    if not shared:
        return None
    from ivr.journal.switchboard import Board

    return Board(shared, Path(app.config["STATE_DIR"]) if app.config["KEEP_STATE"] else None)


def step(form: Mapping[str, str], line: Line, state: State | None, event: Event, turn: Turn,
         now: datetime) -> None:
    """Record one engine step of a call (queued; written later)."""
    writer = current_app.extensions.get(EXTENSION)
    if writer is not None:
        _put(writer, StepSeen(form.get("CallSid", "-"), form.get("From", ""), line, state, event,
                              turn, now, "test_clock" in g))


def status(form: Mapping[str, str], line: Line | None, now: datetime) -> None:
    """Record Twilio's status callback: how the call ended and how long it lasted."""
    writer = current_app.extensions.get(EXTENSION)
    if writer is not None:
        duration = form.get("CallDuration", "")
        seconds = (int(duration) if duration.isascii() and duration.isdigit()
                   and len(duration) < 9 and int(duration) <= LONGEST_CALL else None)
        _put(writer, StatusSeen(form.get("CallSid", "-"), form.get("From", ""), line,
                                form.get("CallStatus", "-"), seconds, now, "test_clock" in g))


def error(form: Mapping[str, str], line: Line | None) -> None:
    """Record that a step failed and the caller heard the apology.

    The failure may be the clock's own, so its time falls back to the system clock.
    """
    writer = current_app.extensions.get(EXTENSION)
    if writer is not None:
        try:
            now = g.get("test_clock") or current_app.config["CLOCK"]()
        except Exception:
            now = datetime.now(UTC)
        _put(writer, ErrorSeen(form.get("CallSid", "-"), form.get("From", ""), line, now,
                               "test_clock" in g))


def _put(writer, seen: Seen) -> None:
    """Queue ``seen``'s entry; a bug in making it is logged, and the call goes on."""
    try:
        made = entry(seen)
    except Exception:
        log.exception("journal: a step of call %s cannot be recorded; skipped", clean(seen.sid))
        return
    writer.put(made)
