"""A batch of queued entries as database rows: every step, one combined row per call, each
caller as its keyed hash; written in one go. The writer's thread calls it, and the
benchmark fills a journal with it, so both write exactly the same rows."""

from __future__ import annotations

import sqlalchemy as sa

from ivr.journal import privacy
from ivr.journal.entries import STEP_COLUMNS, Entry
from ivr.journal.merge import combine, upsert


def write(connection: sa.Connection, secret: bytes, batch: list[Entry]) -> set[tuple[str, str]]:
    """Write a batch: its steps, and one combined row per call; the (line, day) pairs of
    what it wrote, for ``tallies.recount``."""
    step_rows, call_rows = prepare(secret, batch)
    store(connection, step_rows, call_rows)
    return {(row[1], row[3]) for row in step_rows} | {(row["line"], row["day"])
                                                      for row in call_rows}


def prepare(secret: bytes, batch: list[Entry]) -> tuple[list[tuple], list[dict]]:
    """A batch as rows: every step, and each call's partial rows combined into one, each
    with its caller's keyed hash."""
    step_rows: list[tuple] = []
    call_rows: dict[str, dict] = {}
    for caller, step, call in batch:
        if step:
            step_rows.append(step)
        call["caller"] = privacy.caller_token(secret, caller)
        known = call_rows.get(call["sid"])
        call_rows[call["sid"]] = combine(known, call) if known else call
    return step_rows, list(call_rows.values())


def store(connection: sa.Connection, step_rows: list[tuple], call_rows: list[dict]) -> None:
    """Insert the steps and combine the calls with what is stored (the benchmark's fill too)."""
    if step_rows:
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        connection.exec_driver_sql(  # the driver's executemany: no per-row SQLAlchemy work
            f"INSERT INTO steps ({', '.join(STEP_COLUMNS)}) "
            f"VALUES ({', '.join([mark] * len(STEP_COLUMNS))})", step_rows)
    upsert(connection, call_rows)
