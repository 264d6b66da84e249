"""The figures of ``ivr stats``: a line's calls, outcomes, menus, desks and repeat callers.

Every figure is a GROUP BY the database does (no row of a call travels to Python), over
columns written for it: the local ``day`` and hour of the week (``how``), the step's event
and result, the dialled number. ``summary`` returns plain data in the shape ``--json``
prints, documented in the README.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from ivr.journal.outcome import OUTCOMES, node, outcome
from ivr.journal.schema import calls, steps

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DIAL_RESULTS = ("answered", "busy", "no-answer", "failed", "canceled")
DAY_MS = 86_400_000


def _where(table: sa.Table, line: str, first: date | None, last: date | None,
           include_tests: bool) -> list:
    where = [table.c.line == line]
    if first:
        where.append(table.c.day >= first.isoformat())
    if last:
        where.append(table.c.day <= last.isoformat())
    if not include_tests:
        where.append(sa.not_(table.c.test))
    return where


def summary(connection: sa.Connection, line: str, *, first: date | None = None,
            last: date | None = None, include_tests: bool = False) -> dict:
    """All of a line's figures between two local dates (inclusive; None: no bound)."""
    on_calls = _where(calls, line, first, last, include_tests)
    on_steps = _where(steps, line, first, last, include_tests)
    figures = {"line": line, "from": first and first.isoformat(),
               "to": last and last.isoformat(), "include_tests": include_tests}
    figures |= _calls(connection, on_calls)
    figures |= _outcomes(connection, on_calls)
    figures["menus"] = _menus(connection, on_steps, figures["outcomes_by_node"])
    figures["dial_targets"] = _dial_targets(connection, on_steps)
    figures["repeat_callers_24h"] = _repeats(connection, on_calls)
    figures["median_seconds_to_ring"] = _median_to_ring(connection, on_calls)
    return figures


def _calls(connection: sa.Connection, where: list) -> dict:
    query = (sa.select(calls.c.day, calls.c.how, sa.func.count()).where(*where)
             .group_by(calls.c.day, calls.c.how))
    per_day: dict[str, int] = {}
    week = {day: [0] * 24 for day in DAYS}
    for day, how, count in connection.execute(query):
        per_day[day] = per_day.get(day, 0) + count
        week[DAYS[how // 24]][how % 24] += count
    return {"calls": sum(per_day.values()), "per_day": dict(sorted(per_day.items())),
            "by_hour_of_week": week}


def _outcomes(connection: sa.Connection, where: list) -> dict:
    query = (sa.select(outcome, node, sa.func.count()).where(*where)
             .group_by(outcome, node))
    totals = dict.fromkeys(OUTCOMES, 0)
    by_node: dict[str, dict[str, int]] = {name: {} for name in OUTCOMES}
    for name, at, count in connection.execute(query):
        totals[name] += count
        by_node[name][at or "-"] = by_node[name].get(at or "-", 0) + count
    return {"outcomes": totals,
            "outcomes_by_node": {name: dict(sorted(nodes.items()))
                                 for name, nodes in by_node.items() if nodes}}


def _menus(connection: sa.Connection, where: list, by_node: dict) -> dict:
    query = (sa.select(steps.c.node, steps.c.event, steps.c.detail, steps.c.result,
                       sa.func.count())
             .where(*where, steps.c.event.in_(["keys", "silence"]))
             .group_by(steps.c.node, steps.c.event, steps.c.detail, steps.c.result))
    menus: dict[str, dict] = {}
    for menu, event, detail, result, count in connection.execute(query):
        figures = menus.setdefault(menu, {"answers": 0, "keys": {}, "invalid": 0,
                                          "no_input": 0})
        figures["answers"] += count
        if event == "silence":
            figures["no_input"] += count
        else:
            figures["keys"][detail] = figures["keys"].get(detail, 0) + count
            figures["invalid"] += count if result in ("invalid", "restart") else 0
    abandoned = by_node.get("caller-hung-up", {})
    for menu, figures in menus.items():
        figures["keys"] = dict(sorted(figures["keys"].items()))
        figures["invalid_rate"] = round(figures["invalid"] / figures["answers"], 4)
        figures["no_input_rate"] = round(figures["no_input"] / figures["answers"], 4)
        figures["abandoned"] = abandoned.get(menu, 0)
    return dict(sorted(menus.items()))


def _dial_targets(connection: sa.Connection, where: list) -> list[dict]:
    hour = (steps.c.how % 24).label("hour")
    query = (sa.select(steps.c.node, steps.c.number, steps.c.result, hour, sa.func.count())
             .where(*where, steps.c.event == "dial")
             .group_by(steps.c.node, steps.c.number, steps.c.result, hour))
    targets: dict[tuple, dict] = {}
    for dial_node, number, result, at_hour, count in connection.execute(query):
        target = targets.setdefault((dial_node, number), {
            "node": dial_node, "number": number, "attempts": 0,
            **dict.fromkeys(DIAL_RESULTS, 0), "by_hour": {}})
        result = result if result in DIAL_RESULTS else "failed"
        target["attempts"] += count
        target[result] += count
        slot = target["by_hour"].setdefault(f"{at_hour:02d}", dict.fromkeys(DIAL_RESULTS, 0))
        slot[result] += count
    for target in targets.values():
        target["by_hour"] = dict(sorted(target["by_hour"].items()))
    return [targets[key] for key in sorted(targets, key=lambda k: (k[0] or "", k[1] or ""))]


def _repeats(connection: sa.Connection, where: list) -> dict:
    """Calls that came within 24 hours of the same caller's previous call, and who made them."""
    previous = sa.func.lag(calls.c.started_ms).over(partition_by=calls.c.caller,
                                                    order_by=calls.c.started_ms)
    timeline = (sa.select(calls.c.caller, calls.c.started_ms, previous.label("previous"))
                .where(*where, calls.c.caller.is_not(None)).subquery())
    query = (sa.select(sa.func.count(), sa.func.count(sa.distinct(timeline.c.caller)))
             .where(timeline.c.started_ms - timeline.c.previous <= DAY_MS))
    again, callers = connection.execute(query).one()
    return {"calls": again, "callers": callers}


def _median_to_ring(connection: sa.Connection, where: list) -> float | None:
    """Median whole seconds from the start of a call to its first ring at a desk."""
    seconds = ((calls.c.first_ring_ms - calls.c.started_ms) // 1000).label("seconds")
    query = (sa.select(seconds, sa.func.count())
             .where(*where, calls.c.first_ring_ms.is_not(None))
             .group_by(seconds).order_by(seconds))
    counts = list(connection.execute(query))
    total = sum(count for _, count in counts)
    if not total:
        return None
    return (_nth(counts, (total - 1) // 2) + _nth(counts, total // 2)) / 2


def _nth(counts: list, position: int) -> int:
    """The value at ``position`` (from 0) of the sorted values that ``counts`` tallies."""
    seen = 0
    for value, count in counts:
        seen += count
        if position < seen:
            return value
    raise IndexError(position)
