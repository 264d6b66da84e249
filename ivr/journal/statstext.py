"""The journal as text for a terminal: ``ivr stats``, ``ivr calls`` and ``ivr call``.

Only formatting: the figures come from ``stats`` and ``history`` as they are.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ivr.core.logsafe import printable
from ivr.journal.history import CallRecord, StepRecord
from ivr.journal.outcome import OUTCOMES
from ivr.journal.stats import DAYS, DIAL_RESULTS


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def stats(figures: dict) -> str:
    """``ivr stats`` as text: sections in the order of the JSON object."""
    total = figures["calls"]
    span = f"{figures['from'] or 'the start'} to {figures['to'] or 'now'}"
    out = [f"{figures['line']}: {total} calls, {span}"
           + (" (test calls included)" if figures["include_tests"] else ""), "",
           "Calls per day (local), a week a row"]
    out += _weeks(figures["per_day"])
    out += ["", "Calls by hour of the week (local)", "     " + "".join(f"{h:>4}" for h in
                                                                      range(24))]
    out += [f"{day:<5}" + "".join(f"{n:>4}" for n in figures["by_hour_of_week"][day])
            for day in DAYS]
    out += ["", "Outcomes"]
    for name, count in figures["outcomes"].items():
        nodes = figures["outcomes_by_node"].get(name, {})
        where = ", ".join(f"{node} {n}" for node, n in sorted(nodes.items(),
                                                             key=lambda kv: -kv[1]))
        out.append(f"  {name:<15}{count:>8} {_share(count, total)}"
                   + (f"  ({where})" if where and name != "error" else ""))
    out += ["", "Menus          answers  invalid no-input abandoned  keys"]
    for menu, m in figures["menus"].items():
        keys = " ".join(f"{k}:{n}" for k, n in m["keys"].items())
        out.append(f"  {menu:<13}{m['answers']:>7} {_share(m['invalid'], m['answers'])} "
                   f"{_share(m['no_input'], m['answers'])} {m['abandoned']:>9}  {keys}")
    out += ["", "Desks (dial targets)"]
    for t in figures["dial_targets"]:
        counts = "  ".join(f"{r} {t[r]}" for r in DIAL_RESULTS)
        out.append(f"  {t['node']} {t['number']}: {t['attempts']} rings; {counts}")
        for hour, slot in t["by_hour"].items():
            out.append(f"    {hour}:00  answered {slot['answered']:>6} of "
                       f"{sum(slot.values()):>6}  {_share(slot['answered'], sum(slot.values()))}")
    repeats, median = figures["repeat_callers_24h"], figures["median_seconds_to_ring"]
    out += ["", f"Repeat calls within 24 hours: {repeats['calls']} "
                f"({_share(repeats['calls'], total).strip()} of calls)",
            "Median time from the start of a call to a desk's ring: "
            + (f"{median:g} s" if median is not None else "no rings")]
    return _lines(out)


def _weeks(per_day: dict[str, int]) -> list[str]:
    """One row per ISO week: 'W48 2026-11-23  Mon 12  Tue 30 …'."""
    rows: dict[date, list[str]] = {}
    for text, count in per_day.items():
        day = date.fromisoformat(text)
        monday = day - timedelta(days=day.weekday())
        row = rows.setdefault(monday, ["       "] * 7)
        row[day.weekday()] = f"{DAYS[day.weekday()].title()} {count:>3}"
    return [f"  W{monday.isocalendar().week:02d} {monday}  " + " ".join(row)
            for monday, row in sorted(rows.items())]


def calls(found: list[CallRecord], zone: ZoneInfo) -> str:
    """``ivr calls``: one row a call, newest first, times in the line's zone."""
    out = [f"{'started (' + zone.key + ')':<28}{'call':<36}{'caller':<10}{'secs':>6}  outcome"]
    for record in found:
        started = record.started.astimezone(zone)
        out.append(f"{started:%Y-%m-%d %H:%M:%S}{' test' if record.test else '':<9}"
                   f"{record.sid:<36}{(record.caller or 'withheld')[:8]:<10}"
                   f"{record.duration if record.duration is not None else '-':>6}  "
                   f"{record.outcome}" + (f" at {record.node}" if record.node else ""))
    return _lines(out)


def path(record: CallRecord, steps: list[StepRecord], zone: ZoneInfo) -> str:
    """``ivr call``: the call, then each step: where it was, what came, where it went."""
    started = record.started.astimezone(zone)
    out = [f"call {record.sid} on {record.line}" + (" (test)" if record.test else ""),
           f"started {started:%Y-%m-%d %H:%M:%S %Z}, caller {record.caller or 'withheld'}, "
           f"{record.duration if record.duration is not None else '?'} s",
           f"outcome: {record.outcome}" + (f" at {record.node}" if record.node else "")
           + f" ({OUTCOMES[record.outcome]})"]
    for step in steps:
        what = step.event + (f" {step.detail}" if step.detail else "")
        shown = step.result not in (None, "option", step.detail)
        result = f" [{step.result}]" if shown else ""
        dialled = f" {step.number}" if step.number else ""
        went = f" -> {step.to_node} ({step.action})" if step.to_node else ""
        out.append(f"  {_clock(step.at, zone)}  {step.node or '(call)':<20} "
                   f"{what}{dialled}{result}{went}")
    return _lines(out)


def _lines(out: list[str]) -> str:
    """The lines for a terminal: values that came with requests (a CallSid, keys, a node
    named in a URL) may hold control characters, shown escaped, never sent to it raw."""
    return "".join(printable(line, 10_000) + "\n" for line in out)


def _clock(at: datetime, zone: ZoneInfo) -> str:
    return f"{at.astimezone(zone):%H:%M:%S}"
