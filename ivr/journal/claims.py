"""Which line claimed each number first, shared by every server on one database.

A number two files claim must be answered by the same line on every server, and keep the
line that had it when a copy of its file appears later. The database holds the first
claim; each worker's ``Claims`` reads the table every ``POLL`` seconds in a thread of its
own and records the claims its registry decided where the table has none, so the registry
only ever looks in a dict. A recorded claim moves only when its line, served here, no longer
lists the number: a server that lacks the line, or serves it from a last good version while
its file is away, leaves the record alone, so two servers never write it in turn.
The last claims read are kept in the state directory (``claims.json``): a worker booting
while the database is down decides as its running siblings do.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ivr.journal.background import every
from ivr.journal.schema import claims_table, connect, not_yet_made, upgrade
from ivr.journal.statedir import StateDir, Unreadable, read_state, write_atomically

log = logging.getLogger(__name__)
POLL = 1.0


class Claims:
    """The fleet's first claims as one worker sees them, and the claims it holds."""

    def __init__(self, url: str, state: Path) -> None:
        self.engine = connect(url)
        self.cache = StateDir(Path(state)).claims
        self.failing = False
        self._ready = False
        self._first = self._cached()
        self._wanted: dict[str, str] = {}
        self._served: dict[str, frozenset[str]] = {}
        if not self.cache.exists():
            self.sync()  # a first boot asks the database before its first answer
        every(POLL, self, Claims.sync)

    def first(self) -> dict[str, str]:
        """Number → the line that claimed it first, as last read."""
        return self._first

    def hold(self, decided: dict[str, str], served: dict[str, frozenset[str]]) -> None:
        """The owners this worker's registry decided, and the numbers each line it serves
        lists; what the table lacks is recorded at the next ``sync``."""
        self._wanted, self._served = decided, served

    def sync(self) -> None:
        """Record what this worker decided where the table has no claim, or where the
        claiming line, served here, dropped the number; then read it again. While the
        database is away, the last claims read stay in force."""
        try:
            if not self._ready:
                upgrade(self.engine)
                self._ready = True
            with self.engine.begin() as connection:
                recorded = _read(connection)
                for number, line in self._wanted.items():
                    had = recorded.get(number)
                    if had is None or (had != line and had in self._served
                                       and number not in self._served[had]):
                        _claim(connection, number, line, had)
                found = _read(connection)
        except sa.exc.SQLAlchemyError as exc:
            if not self.failing:
                log.warning("number claims: database unavailable (%s); keeping the last read",
                            str(getattr(exc, "orig", None) or exc).splitlines()[0])
            self.failing = True
            return
        self.failing = False
        if found != self._first:
            self._first = found
            try:
                write_atomically(self.cache, json.dumps(found, indent=1).encode())
            except OSError as exc:
                log.error("cannot keep the number claims in %s: %s", self.cache, exc)

    def _cached(self) -> dict[str, str]:
        try:
            found = json.loads(read_state(self.cache))
        except (OSError, Unreadable, ValueError):
            return {}
        if not isinstance(found, dict):
            return {}
        return {str(n): line for n, line in found.items() if isinstance(line, str)}


class Recorded:
    """The first claims as the database holds them now, for an app that keeps no state (a
    simulator's call answers a number as the servers do); it records nothing."""

    def __init__(self, url: str) -> None:
        self._first = recorded(url) or {}

    def first(self) -> dict[str, str]:
        return self._first

    def hold(self, decided: dict[str, str], served: dict[str, frozenset[str]]) -> None:
        """Nothing: only serving workers record claims."""


def recorded(url: str) -> dict[str, str] | None:
    """The first claims the database holds (``ivr check`` names the same owner of a number
    claimed twice as the servers do); None when it cannot be read. Reading makes nothing: an
    SQLite file not there yet holds no claims."""
    if not_yet_made(url):
        return {}
    engine = connect(url)
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table(claims_table.name):
                return {}
            return _read(connection)
    except sa.exc.SQLAlchemyError:
        return None
    finally:
        engine.dispose()


def _read(connection: sa.Connection) -> dict[str, str]:
    return {row.number: row.line for row in connection.execute(sa.select(claims_table))}


def _claim(connection: sa.Connection, number: str, line: str, had: str | None) -> None:
    """Claim ``number`` for ``line``: a new claim unless another server claimed it first
    meanwhile; a changed one only if the claim is still ``had`` (its line no longer
    claims it, or its file is gone), so a server that saw less cannot undo it."""
    now = int(time.time() * 1000)
    if had is None:
        insert = (postgresql.insert if connection.dialect.name == "postgresql"
                  else sqlite.insert)(claims_table)
        connection.execute(insert.values(number=number, line=line, since_ms=now)
                           .on_conflict_do_nothing(index_elements=["number"]))
    else:
        connection.execute(sa.update(claims_table).where(
            claims_table.c.number == number, claims_table.c.line == had)
            .values(line=line, since_ms=now))
