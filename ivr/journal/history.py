"""Single calls from the journal: the latest of a line, and one call step by step.

For answering "a caller says the line hung up on her at 10:14": ``recent`` lists calls with
how each ended, ``path`` shows one call's steps in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from ivr.journal.outcome import answered, node, outcome
from ivr.journal.schema import calls, rolled_up, steps


@dataclass(frozen=True)
class CallRecord:
    """One call as the journal has it."""

    sid: str
    line: str
    started: datetime
    caller: str | None
    outcome: str
    node: str | None
    duration: int | None
    test: bool


@dataclass(frozen=True)
class StepRecord:
    """One webhook of a call: where it was, what came, where it went."""

    at: datetime
    node: str | None
    event: str
    detail: str | None
    result: str | None
    number: str | None
    to_node: str | None
    action: str | None


def _instant(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def _records(connection: sa.Connection, where) -> list[CallRecord]:
    query = (sa.select(calls.c.sid, calls.c.line, calls.c.started_ms, calls.c.caller, outcome,
                       node, calls.c.duration, calls.c.test)
             .where(where))
    return [CallRecord(r.sid, r.line, _instant(r.started_ms), r.caller, r.outcome, r.at_node,
                       r.duration, bool(r.test))
            for r in connection.execute(query.order_by(calls.c.started_ms.desc(),
                                                       calls.c.sid))]


def recent(connection: sa.Connection, line: str, last: int,
           tests: bool = False) -> list[CallRecord]:
    """The ``last`` calls of ``line``, newest first; test calls only when ``tests``; a
    status callback alone (no webhook of ours saw the call) is no call of the line's."""
    chosen = sa.and_(calls.c.line == line, answered, *([] if tests else [~calls.c.test]))
    newest = (sa.select(calls.c.sid).where(chosen)
              .order_by(calls.c.started_ms.desc()).limit(last))
    return _records(connection, calls.c.sid.in_(newest.scalar_subquery()))


def path(connection: sa.Connection, sid: str) -> tuple[CallRecord, list[StepRecord]] | None:
    """One call and its steps in the order they happened; None when it is not there."""
    found = _records(connection, calls.c.sid == sid)
    if not found:
        return None
    query = sa.select(steps).where(steps.c.sid == sid).order_by(steps.c.at_ms, steps.c.id)
    return found[0], [StepRecord(_instant(r.at_ms), r.node, r.event, r.detail, r.result,
                                 r.number, r.to_node, r.action)
                      for r in connection.execute(query)]


def has_line(connection: sa.Connection, line: str) -> bool:
    """Whether the journal has calls, or counts of calls, of ``line`` (one index lookup)."""
    return any(connection.scalar(sa.select(table.c.line).where(table.c.line == line).limit(1))
               for table in (rolled_up, calls))


def lines(connection: sa.Connection) -> list[str]:
    """The lines that have calls, or counts of calls, in the journal."""
    either = sa.union(sa.select(calls.c.line), sa.select(rolled_up.c.line)).subquery()
    return list(connection.scalars(sa.select(either.c.line).order_by(either.c.line)))
