"""The manual switch kept in the shared database, so every server sees it within seconds.

With ``IVR_DATABASE_URL`` set (several servers on one PostgreSQL), ``ivr switch`` stores
the switch here instead of in a file beside one server's menus, and each worker's ``Board``
reads the table every second in a thread of its own: a webhook only looks in a dict. A
switch in the database wins over a switch file for the same line.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ivr.core.errors import IvrError
from ivr.core.model import Line, Switch
from ivr.journal.background import every
from ivr.journal.schema import checked_url, connect, switch_table, upgrade
from ivr.journal.statedir import StateDir, Unreadable, aware, read_state, write_atomically
from ivr.menufile import switchfile as switches

log = logging.getLogger(__name__)
POLL = 1.0
"""Seconds between two reads of the table: a switch reaches every worker within 2 s."""


def shared_url() -> str | None:
    """The database every server shares, when one is configured; IvrError when
    ``IVR_DATABASE_URL`` names none the journal can use."""
    url = os.environ.get("IVR_DATABASE_URL") or None
    try:
        return checked_url(url) if url else None
    except ValueError as exc:
        raise IvrError(f"IVR_DATABASE_URL: {exc}") from None


def _row(line_id: str, switch: Switch) -> dict:
    return {"line": line_id, "state": switch.state, "until": switch.until.isoformat(),
            "since": switch.since.isoformat() if switch.since else None, "say": switch.say}


def _switch(row) -> Switch:
    """A stored switch; ValueError for a time without its offset (a cache edited by hand)."""
    return Switch(row.state, aware(row.until), row.say, aware(row.since) if row.since else None)


def read_all(engine: sa.Engine) -> dict[str, Switch]:
    """Every stored switch, by line."""
    with engine.connect() as connection:
        return {row.line: _switch(row) for row in connection.execute(sa.select(switch_table))}


def store(url: str, line_id: str, switch: Switch | None, now: datetime) -> None:
    """Set (after the same checks as a switch file) or, with None, remove a line's switch."""
    if switch is not None:
        switches.validate(switch, now)
        switch = replace(switch, since=now)
    engine = connect(url)
    upgrade(engine)
    try:
        with engine.begin() as connection:
            if switch is None:
                connection.execute(sa.delete(switch_table).where(switch_table.c.line == line_id))
            else:  # one statement, so concurrent switches of a line replace each other
                insert = (postgresql.insert if connection.dialect.name == "postgresql"
                          else sqlite.insert)(switch_table).values(_row(line_id, switch))
                connection.execute(insert.on_conflict_do_update(
                    index_elements=["line"],
                    set_={c: insert.excluded[c] for c in ("state", "until", "since", "say")}))
    finally:
        engine.dispose()


def save(folder: Path, line_id: str, switch: Switch | None, now: datetime) -> str:
    """Set (or, with None, turn off) a line's switch where ``ivr switch`` keeps it: the shared
    database when one is configured, else the switch file beside the menus in ``folder``.

    Returns where it went, in words; a database that cannot be reached, or a file that cannot
    be changed, is an IvrError saying the switch was not set. A switch the rules refuse is a
    ValueError, as from ``switchfile.write``.
    """
    shared = shared_url()
    if not shared:
        target = switches.path_for(folder, line_id)
        if switch is None:
            switches.remove(target)
        else:
            switches.write(target, switch, now)
        return str(target)
    try:
        store(shared, line_id, switch, now)
    except sa.exc.SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        log.error("the switch of %s could not be stored in the shared database: %s", line_id,
                  reason[0] if reason else type(exc).__name__)
        if isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError):
            raise IvrError("The shared database can't be reached; the switch was NOT set. "
                           "Callers get the line as before; the server log says why.") from None
        raise IvrError(f"The shared database refused the switch ({type(exc).__name__}: "
                       f"{reason[0] if reason else 'no reason given'}); the switch was NOT "
                       "set. Callers get the line as before.") from None
    return "the shared database"


def current(url: str, line_id: str) -> Switch | None:
    """The switch stored for a line, if any."""
    engine = connect(url)
    upgrade(engine)
    found = read_all(engine).get(line_id)
    engine.dispose()
    return found


class Board:
    """The stored switches as one worker sees them, read again every ``POLL`` seconds.

    The last switches read are kept in the state directory (``switches.json``), so a worker
    booting while the database is down closes a line its running siblings close. Without a
    state directory (a simulator's call, ``ivr lines``) the table is read once, now, and
    nothing is written."""

    def __init__(self, url: str, state: Path | None) -> None:
        self.engine = connect(url)
        self.failing = False
        self.cache = StateDir(Path(state)).switches if state is not None else None
        self.switches: dict[str, Switch] = self._cached(self.cache) if self.cache else {}
        if self.cache is None:
            self.read()
        else:
            every(POLL, self, Board.read)

    def read(self) -> None:
        """Read the table; while the database is away, the last switches read stay."""
        try:
            found, self.failing = read_all(self.engine), False
        except sa.exc.SQLAlchemyError as exc:
            if not self.failing:
                log.warning("switches: database unavailable (%s); keeping the last read",
                            str(getattr(exc, "orig", None) or exc).splitlines()[0])
            self.failing = True
            return
        if self.cache is not None and (found != self.switches or not self.cache.exists()):
            try:
                write_atomically(self.cache, json.dumps(
                    {line: _row(line, switch) for line, switch in found.items()}).encode())
            except OSError as exc:
                log.error("cannot keep the switches in %s: %s", self.cache, exc)
        for line_id in sorted(found.keys() | self.switches.keys()):
            told = switches.change_told(line_id, self.switches.get(line_id), found.get(line_id))
            if told:
                log.info("%s (the shared database)", told)
        self.switches = found

    def _cached(self, cache: Path) -> dict[str, Switch]:
        """The switches read last by any worker of this server; none if never read."""
        try:
            rows = json.loads(read_state(cache))
            return {line: _switch(SimpleNamespace(**row)) for line, row in rows.items()}
        except FileNotFoundError:
            return {}
        except (OSError, Unreadable, ValueError, TypeError, AttributeError) as exc:
            log.error("switches kept in %s cannot be read (%s); waiting for the database",
                      cache, exc)
            return {}

    def apply(self, line: Line) -> Line:
        """``line`` with its stored switch, if one is set."""
        found = self.switches.get(line.id)
        return line if found is None or found == line.switch else replace(line, switch=found)
