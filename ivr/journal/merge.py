"""How the partial ``calls`` rows of one call's steps combine, in Python and in SQL alike.

Steps of one call may reach the journal in any order: from several workers or servers, each
writing its own batches, and the status callback may come before the last step. Each column
therefore has a rule that does not care about order: the earliest start, the latest step's
node and action, a flag once set stays set. ``combine`` applies the rules to two rows (to
fold a batch); ``upsert`` writes them as one INSERT … ON CONFLICT for SQLite or PostgreSQL.
"""

from __future__ import annotations

import functools

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ivr.journal.schema import calls

FIRST = ("line", "caller", "test", "reached")
"""Kept from the first row that has them."""
EARLIEST = ("started_ms", "day", "how")
"""Taken from the row with the smallest ``started_ms``."""
LATEST = ("last_ms", "last_node", "last_action", "end_kind")
"""Taken from the row with the largest ``last_ms`` (the last step wins)."""
ANY = ("closed", "error")
"""True once any row says so."""
NEWEST = ("ended_ms", "duration", "status")
"""The status callback's values, once they come."""
AFTER_END_MS = 5000
"""A step this long after its call's end (a webhook replayed, not a server's clock a little
ahead) changes nothing of the call: its node, action and end stay those the call had."""


def combine(old: dict, new: dict) -> dict:
    """The row that ``upsert`` would leave after writing ``old`` and then ``new``."""
    row = dict(old)
    for name in FIRST:
        row[name] = old[name] if old[name] is not None else new[name]
    if new["started_ms"] < old["started_ms"]:
        row.update({name: new[name] for name in EARLIEST})
    if new["last_ms"] is not None and (old["last_ms"] is None
                                       or new["last_ms"] >= old["last_ms"]) and (
            old["ended_ms"] is None or new["last_ms"] <= old["ended_ms"] + AFTER_END_MS):
        row.update({name: new[name] for name in LATEST})
    for name in ANY:
        row[name] = bool(old[name] or new[name])
    if new["first_ring_ms"] is not None and (old["first_ring_ms"] is None
                                             or new["first_ring_ms"] < old["first_ring_ms"]):
        row["first_ring_ms"] = new["first_ring_ms"]
    for name in NEWEST:
        row[name] = new[name] if new[name] is not None else old[name]
    return row


def upsert(connection: sa.Connection, rows: list[dict]) -> None:
    """Insert call rows, combining each with the stored row of the same call, if any."""
    if rows:
        connection.execute(_statement(connection.dialect.name), rows)


@functools.cache
def _statement(dialect_name: str) -> sa.Insert:
    """The INSERT … ON CONFLICT for one dialect, built once (building it costs milliseconds
    of CPU, per batch otherwise)."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    statement = dialect.insert(calls)
    old, new = calls.c, statement.excluded
    earlier = new.started_ms < old.started_ms
    later = sa.and_(new.last_ms.is_not(None),
                    sa.or_(old.last_ms.is_(None), new.last_ms >= old.last_ms),
                    sa.or_(old.ended_ms.is_(None), new.last_ms <= old.ended_ms + AFTER_END_MS))
    sooner = sa.and_(new.first_ring_ms.is_not(None),
                     sa.or_(old.first_ring_ms.is_(None), new.first_ring_ms < old.first_ring_ms))
    values: dict[str, sa.ColumnElement] = {
        name: sa.func.coalesce(old[name], new[name]) for name in FIRST}
    values |= {name: sa.case((earlier, new[name]), else_=old[name]) for name in EARLIEST}
    values |= {name: sa.case((later, new[name]), else_=old[name]) for name in LATEST}
    values |= {name: sa.or_(old[name], new[name]) for name in ANY}
    values["first_ring_ms"] = sa.case((sooner, new.first_ring_ms), else_=old.first_ring_ms)
    values |= {name: sa.func.coalesce(new[name], old[name]) for name in NEWEST}
    return statement.on_conflict_do_update(index_elements=[old.sid], set_=values)
