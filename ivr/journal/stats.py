"""The figures of ``ivr stats``: a line's calls, outcomes, menus, desks and repeat callers.

Every figure is a sum of daily tallies (``tallies``): the stored ones for settled days, and
for the days after those, the same tallies counted from the calls themselves. So a year of
figures adds up a few thousand rows, and today's calls count at once. ``summary`` returns
plain data in the shape ``--json`` prints, documented in docs/journal.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import sqlalchemy as sa

from ivr.journal.outcome import OUTCOMES
from ivr.journal.tallies import Tally, counted, rolled_through, stored

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DIAL_RESULTS = ("answered", "busy", "no-answer", "failed", "canceled")


def summary(connection: sa.Connection, line: str, *, first: date | None = None,
            last: date | None = None, include_tests: bool = False) -> dict:
    """All of a line's figures between two local dates (inclusive; None: no bound)."""
    through = rolled_through(connection, line)
    found: list[Tally] = []
    if through and (first is None or first <= through):
        found += stored(connection, line, first, min(last, through) if last else through,
                        include_tests)
    live = max(first, through + timedelta(days=1)) if first and through else \
        (through + timedelta(days=1) if through else first)
    if last is None or live is None or live <= last:
        found += counted(connection, line, live, last)
    kept = [tally for tally in found if include_tests or not tally[1]]
    figures = {"line": line, "from": first and first.isoformat(),
               "to": last and last.isoformat(), "include_tests": include_tests}
    return figures | _calls(kept) | _outcomes(kept) | {
        "menus": _menus(kept), "dial_targets": _dial_targets(kept),
        "repeat_callers_24h": {"calls": sum(t[7] for t in kept if t[2] == "repeat")},
        "median_seconds_to_ring": _median({int(t[3]): 0 for t in kept if t[2] == "ring"},
                                          kept)}


def _of(kind: str, found: Iterable[Tally]):
    return ((day, k1, k2, k3, k4, n) for day, _, what, k1, k2, k3, k4, n in found
            if what == kind)


def _calls(found: list[Tally]) -> dict:
    per_day: dict[str, int] = {}
    week = {day: [0] * 24 for day in DAYS}
    for day, how, _, _, _, n in _of("hour", found):
        per_day[day] = per_day.get(day, 0) + n
        week[DAYS[int(how) // 24]][int(how) % 24] += n
    return {"calls": sum(per_day.values()), "per_day": dict(sorted(per_day.items())),
            "by_hour_of_week": week}


def _outcomes(found: list[Tally]) -> dict:
    totals = dict.fromkeys(OUTCOMES, 0)
    by_node: dict[str, dict[str, int]] = {name: {} for name in OUTCOMES}
    for _, name, at, _, _, n in _of("outcome", found):
        totals[name] += n
        by_node[name][at] = by_node[name].get(at, 0) + n
    return {"outcomes": totals,
            "outcomes_by_node": {name: dict(sorted(nodes.items()))
                                 for name, nodes in by_node.items() if nodes}}


def _menus(found: list[Tally]) -> dict:
    menus: dict[str, dict] = {}
    for _, menu, event, detail, result, n in _of("menu", found):
        figures = menus.setdefault(menu, {"answers": 0, "keys": {}, "invalid": 0,
                                          "no_input": 0})
        figures["answers"] += n
        if event == "silence":
            figures["no_input"] += n
        else:
            figures["keys"][detail] = figures["keys"].get(detail, 0) + n
            figures["invalid"] += n if result in ("invalid", "restart") else 0
    abandoned = _outcomes(found)["outcomes_by_node"].get("caller-hung-up", {})
    for menu, figures in menus.items():
        figures["keys"] = dict(sorted(figures["keys"].items()))
        figures["invalid_rate"] = round(figures["invalid"] / figures["answers"], 4)
        figures["no_input_rate"] = round(figures["no_input"] / figures["answers"], 4)
        figures["abandoned"] = abandoned.get(menu, 0)
    return dict(sorted(menus.items()))


def _dial_targets(found: list[Tally]) -> list[dict]:
    targets: dict[tuple, dict] = {}
    for _, dial_node, number, result, hour, n in _of("dial", found):
        target = targets.setdefault((dial_node, number), {
            "node": dial_node, "number": number, "attempts": 0,
            **dict.fromkeys(DIAL_RESULTS, 0), "by_hour": {}})
        result = result if result in DIAL_RESULTS else "failed"
        target["attempts"] += n
        target[result] += n
        target["by_hour"].setdefault(hour, dict.fromkeys(DIAL_RESULTS, 0))[result] += n
    for target in targets.values():
        target["by_hour"] = dict(sorted(target["by_hour"].items()))
    return [targets[key] for key in sorted(targets)]


def _median(histogram: dict[int, int], found: list[Tally]) -> float | None:
    """Median whole seconds from the start of a call to its first ring at a desk."""
    for _, seconds, _, _, _, n in _of("ring", found):
        histogram[int(seconds)] += n
    counts, total = sorted(histogram.items()), sum(histogram.values())
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
