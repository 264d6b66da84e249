"""Counts by day: what ``ivr stats`` adds up, from the raw tables or from the daily rollup.

Every figure of ``ivr stats`` is a sum of tallies ``(kind, k1, k2, k3, k4) → n`` per local
day and test flag: calls by hour of the week, outcomes by node, menu answers, dial outcomes
by hour, repeat calls, seconds to a ring. ``counted`` computes them from ``calls`` and
``steps`` for a span of days. ``roll_up`` (run by the writer thread, off the request path)
stores them once a day is over, in ``tallies``, so a year of statistics reads a few
thousand rows instead of millions; ``recount`` counts a stored day again when rows for it
come late; the counts hold nothing personal and outlive the
retention of the calls themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import sqlalchemy as sa

from ivr.journal.merge import AFTER_END_MS
from ivr.journal.outcome import answered, node, outcome
from ivr.journal.schema import calls, rolled_up, steps, tallies

DAY_MS = 86_400_000
SETTLED = timedelta(days=2)
"""A day is rolled up when it is this far behind: late status callbacks have come by then."""
Tally = tuple[str, bool, str, str, str, str, str, int]
"""(day, test, kind, k1, k2, k3, k4, n)."""


def _span(table: sa.Table, line: str, first: date | None, last: date | None) -> list:
    where = [table.c.line == line]
    if first:
        where.append(table.c.day >= first.isoformat())
    if last:
        where.append(table.c.day <= last.isoformat())
    return where


in_call = ~sa.exists().where(calls.c.sid == steps.c.sid, calls.c.ended_ms.is_not(None),
                             steps.c.at_ms > calls.c.ended_ms + AFTER_END_MS)
"""A step before its call ended: a webhook replayed after the end is kept in the journal,
out of the figures."""


def counted(connection: sa.Connection, line: str, first: date | None,
            last: date | None) -> Iterator[Tally]:
    """The tallies of ``line``'s calls between two local days (inclusive; None: open)."""
    c, s = calls.c, steps.c
    on_calls = [*_span(calls, line, first, last), answered]
    on_steps = [*_span(steps, line, first, last), in_call]
    query = sa.select(c.day, c.test, c.how, sa.func.count()).where(*on_calls)
    for day, test, how, n in connection.execute(query.group_by(c.day, c.test, c.how)):
        yield day, bool(test), "hour", str(how), "", "", "", n
    query = sa.select(c.day, c.test, outcome, node, sa.func.count()).where(*on_calls)
    for day, test, name, at, n in connection.execute(
            query.group_by(c.day, c.test, outcome, node)):
        yield day, bool(test), "outcome", name, at or "-", "", "", n
    hour = (s.how % 24).label("hour")
    keys = (s.day, s.test, s.event, s.node, s.result, s.detail, s.number, hour)
    query = (sa.select(*keys, sa.func.count())
             .where(*on_steps, s.event.in_(["keys", "silence", "dial"])).group_by(*keys))
    for day, test, event, at, result, detail, number, at_hour, n in connection.execute(query):
        if event == "dial":
            yield day, bool(test), "dial", at or "", number or "", result or "", \
                f"{at_hour:02d}", n
        else:
            yield day, bool(test), "menu", at or "", event, detail or "", result or "", n
    yield from _repeats(connection, line, first, last)
    seconds = ((c.first_ring_ms - c.started_ms) // 1000).label("seconds")
    query = (sa.select(c.day, c.test, seconds, sa.func.count())
             .where(*on_calls, c.first_ring_ms.is_not(None)).group_by(c.day, c.test, seconds))
    for day, test, ring, n in connection.execute(query):
        yield day, bool(test), "ring", str(ring), "", "", "", n


def _repeats(connection: sa.Connection, line: str, first: date | None,
             last: date | None) -> Iterator[Tally]:
    """Calls within 24 hours after the same caller's previous call (looking a day back).

    Counted here rather than by a window query, which a database may answer by walking
    every call of the line in caller order: the days asked for are read by their index.
    """
    c = calls.c
    before = first - timedelta(days=1) if first else None
    query = sa.select(c.started_ms, c.caller, c.day, c.test).where(
        *_span(calls, line, before, last), answered, c.caller.is_not(None))
    since = first.isoformat() if first else ""
    counts: dict[tuple[str, bool], int] = {}
    previous: dict[str, int] = {}
    for started, caller, day, test in sorted(connection.execute(query)):
        if started - previous.get(caller, -DAY_MS - 1) <= DAY_MS and day >= since:
            counts[day, bool(test)] = counts.get((day, bool(test)), 0) + 1
        previous[caller] = started
    for (day, test), n in counts.items():
        yield day, test, "repeat", "", "", "", "", n


def rolled_through(connection: sa.Connection, line: str) -> date | None:
    """The last day of ``line`` whose tallies are stored, if any."""
    through = connection.scalar(sa.select(rolled_up.c.through).where(rolled_up.c.line == line))
    return date.fromisoformat(through) if through else None


def stored(connection: sa.Connection, line: str, first: date | None, last: date | None,
           include_tests: bool) -> Iterator[Tally]:
    """The stored tallies of ``line`` between two days, summed over the days in the
    database (calls by hour keep their day: calls per day are among the figures)."""
    t = tallies.c
    where = _span(tallies, line, first, last)
    if not include_tests:
        where.append(sa.not_(t.test))
    keys = (t.kind, t.k1, t.k2, t.k3, t.k4)
    by_day = (sa.select(t.day, *keys, sa.func.sum(t.n)).where(*where, t.kind == "hour")
              .group_by(t.day, *keys))
    summed = (sa.select(*keys, sa.func.sum(t.n)).where(*where, t.kind != "hour")
              .group_by(*keys))
    for day, kind, k1, k2, k3, k4, n in connection.execute(by_day):
        yield day, False, kind, k1, k2, k3, k4, int(n)
    for kind, k1, k2, k3, k4, n in connection.execute(summed):
        yield "", False, kind, k1, k2, k3, k4, int(n)


def roll_up(connection: sa.Connection, today: date) -> int:
    """Store the tallies of every day that is settled and not stored yet; how many rows."""
    _one_at_a_time(connection)
    written, last = 0, today - SETTLED
    for line in connection.scalars(sa.select(calls.c.line).distinct()):
        through = rolled_through(connection, line)
        first = through + timedelta(days=1) if through else None
        if first and first > last:
            continue
        written += _store(connection, line, first, last)
        if through:
            connection.execute(sa.update(rolled_up).where(rolled_up.c.line == line)
                               .values(through=last.isoformat()))
        else:
            connection.execute(sa.insert(rolled_up).values(line=line, through=last.isoformat()))
    return written


def recount(connection: sa.Connection, touched: set[tuple[str, str]],
            kept_since: date) -> list[tuple[str, str]]:
    """Count again the stored days that rows were just written for (line, day): late ones.

    A day is rolled up once it is two days behind, but a step can come later than that: a
    journal that waited out a long database outage, a server whose clock was behind. The
    stored tallies of its day are then counted again from the calls, with the day before
    (where a call begun before midnight keeps its outcome) and the day after (whose repeat
    callers look a day back). Days the retention has begun to delete (before
    ``kept_since``) are left as they are: their calls are no longer there to count. Returns
    the (line, day) pairs left out that way.
    """
    lines = {line for line, _ in touched}
    if not lines:
        return []
    _one_at_a_time(connection)  # before reading: a roll-up under way is then seen done
    through = dict(connection.execute(
        sa.select(rolled_up.c.line, rolled_up.c.through).where(rolled_up.c.line.in_(lines)))
        .all())
    late = {(line, day) for line, day in touched if day <= through.get(line, "")}
    if not late:
        return []
    again, lost, kept = set(), [], kept_since.isoformat()
    for line, day in late:
        if day < kept:
            lost.append((line, day))
            continue
        for step in (-1, 0, 1):
            near = (date.fromisoformat(day) + timedelta(days=step)).isoformat()
            if kept <= near <= through[line]:
                again.add((line, near))
    for line, day in sorted(again):
        connection.execute(sa.delete(tallies).where(tallies.c.line == line,
                                                    tallies.c.day == day))
        _store(connection, line, date.fromisoformat(day), date.fromisoformat(day))
    return sorted(lost)


def _store(connection: sa.Connection, line: str, first: date | None, last: date) -> int:
    """Count ``line``'s calls of the days ``first`` to ``last`` and store their tallies."""
    summed: dict[tuple, int] = {}
    for day, test, kind, k1, k2, k3, k4, n in counted(connection, line, first, last):
        key = (day, test, kind, k1[:64], k2[:64], k3[:32], k4[:16])
        summed[key] = summed.get(key, 0) + n
    rows = [{"line": line, "day": day, "test": test, "kind": kind, "k1": k1, "k2": k2,
             "k3": k3, "k4": k4, "n": n}
            for (day, test, kind, k1, k2, k3, k4), n in summed.items()]
    if rows:
        connection.execute(sa.insert(tallies), rows)
    return len(rows)


def _one_at_a_time(connection: sa.Connection) -> None:
    """One transaction at a time stores tallies, and reads what the one before stored:
    workers (and servers sharing a journal) roll up together as they start. On PostgreSQL
    an advisory lock; on SQLite a write that changes nothing, which takes the database's
    write lock before anything is read (it waits its busy timeout for another writer)."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(4888)"))
    else:
        connection.execute(sa.update(rolled_up).where(sa.false())
                           .values(through=rolled_up.c.through))
