"""Sign-out marks and sign-in limits, kept where every worker and server sees them.

With ``IVR_DATABASE_URL`` (or the app's ``DATABASE_URL``) that is the shared database;
otherwise the journal's SQLite file in the state folder, which one server's workers share.
Both are the same SQLAlchemy Core statements; writes are upserts, so workers writing at
once never collide. Guessing is slowed per bucket (a name, known or not, so a wait tells
no one which names exist) with doubling delays, never locked out:
the first ATTEMPTS failures are free, then each try waits DELAY·2ⁿ seconds (at most
LONGEST) after the one before; a bucket quiet for FORGET seconds starts again. Nothing
here reads a request.
"""

from __future__ import annotations

import math
import secrets
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ivr.journal.schema import connect, database_url, signouts, throttle, upgrade

ATTEMPTS = 5
"""Failed sign-ins a bucket may make before it is slowed."""
DELAY, LONGEST, FORGET = 1.0, 300.0, 3600.0
"""Seconds: the first wait, the longest wait, and the quiet that forgets a bucket's failures."""
PRUNE_ONE_IN = 64
"""A new bucket prunes the buckets quiet for FORGET seconds once in this many times, so
junk names keep the table to about an hour of them, at no cost per try."""


def open_store(state: Path, given: str | None) -> sa.Engine:
    """The engine for the shared database (``given``, ``IVR_DATABASE_URL``) or the state's."""
    engine = connect(database_url(state, given))
    upgrade(engine)
    return engine


def _upsert(engine: sa.Engine, table: sa.Table):
    return (postgresql if engine.dialect.name == "postgresql" else sqlite).insert(table)


def mark(engine: sa.Engine, name: str) -> str:
    """The name's current sign-out mark ("" before its first sign-out)."""
    with engine.connect() as connection:
        found = connection.scalar(sa.select(signouts.c.mark).where(signouts.c.name == name))
    return found or ""


def sign_out_everywhere(engine: sa.Engine, name: str) -> None:
    """A new mark for ``name``: every session signed in before now is refused from here on."""
    fresh = secrets.token_hex(16)
    insert = _upsert(engine, signouts).values(name=name, mark=fresh)
    with engine.begin() as connection:
        connection.execute(insert.on_conflict_do_update(index_elements=["name"],
                                                        set_={"mark": fresh}))


def wait(failures: int) -> float:
    """Seconds a bucket with ``failures`` recent failures waits between tries."""
    if failures < ATTEMPTS:
        return 0.0
    return min(DELAY * 2 ** (failures - ATTEMPTS), LONGEST)


def claim(engine: sa.Engine, bucket: str, now: float) -> int:
    """Take one try for ``bucket`` at ``now``: 0 if allowed (counted as a failure until
    ``succeeded``), else the whole seconds to wait. One cheap query before any hash; a try
    taken by another worker at the same moment makes this one wait."""
    now_ms = int(now * 1000)
    with engine.begin() as connection:
        row = connection.execute(sa.select(throttle.c.failures, throttle.c.last_ms)
                                 .where(throttle.c.bucket == bucket)).first()
        if row is None and secrets.randbelow(PRUNE_ONE_IN) == 0:
            connection.execute(sa.delete(throttle).where(
                throttle.c.last_ms < now_ms - FORGET * 1000))
        failures = 0 if row is None or now_ms - row.last_ms > FORGET * 1000 else row.failures
        if row is not None and failures:
            left = wait(failures) - (now_ms - row.last_ms) / 1000
            if left > 0:
                return max(1, math.ceil(left))
        insert = _upsert(engine, throttle).values(bucket=bucket, failures=1, last_ms=now_ms)
        taken = connection.execute(insert.on_conflict_do_update(
            index_elements=["bucket"], set_={"failures": failures + 1, "last_ms": now_ms},
            where=throttle.c.last_ms == (row.last_ms if row else -1)))
    return 0 if taken.rowcount else max(1, math.ceil(wait(failures + 1)))


def succeeded(engine: sa.Engine, bucket: str) -> None:
    """A right password: the bucket's failures are forgotten."""
    with engine.begin() as connection:
        connection.execute(sa.delete(throttle).where(throttle.c.bucket == bucket))
