"""``ivr-sim --explore``: a line's whole behaviour over a stretch of the calendar, as a table.

Time is cut into stretches in which nothing in the line's calendar changes: every start and
end of every schedule's ranges on each day (after holidays and overrides), midnight, and the
edges of announcements and of a manual switch. Each stretch is called at its first minute,
through the webhooks as every ``ivr-sim`` call is, trying every key at every menu up to a
depth; keys that answer alike are grouped, and the big group of keys a menu does not offer is
reported as 'other' without going deeper. A stretch whose state was seen before (the same
schedules open, the same next openings, the same announcements) reuses those calls, and
neighbouring stretches that end alike are merged into one row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from ivr.hours import MINUTES_PER_DAY
from ivr.model import Line
from ivr.sim import Call, Caller, scripted

KEYS = [*"0123456789*#", "-"]
OTHER = 6
"""A group of this many keys answering alike is the menu's 'not an option' answer."""


@dataclass(frozen=True)
class Outcome:
    """Where one key path ends."""

    keys: tuple[str, ...]
    summary: str
    dialed: tuple[str, ...]
    ended: str


@dataclass
class Stretch:
    """From ``start`` to ``end`` (local wall-clock), calls end as ``outcomes`` say."""

    start: datetime
    end: datetime
    outcomes: tuple[Outcome, ...]


class Memo:
    """A transport that answers repeated requests from memory (one per stretch state)."""

    IGNORED = {"CallSid", "AccountSid", "DialCallSid"}

    def __init__(self, transport) -> None:
        self.transport, self.base, self.answers = transport, transport.base, {}

    def post(self, url, params):
        key = (url, tuple(sorted((k, v) for k, v in params.items() if k not in self.IGNORED)))
        if key not in self.answers:
            self.answers[key] = self.transport.post(url, params)
        return self.answers[key]


def _summary(call: Call, heard_before: int) -> str:
    """The end of a path in a few words: the number dialled, or what the last key brought."""
    new = call.said[heard_before:] or call.said[-1:] or [""]
    last = new[0] if len(new[0]) <= 70 else new[0][:67] + "…"
    if call.dialed:
        return "dial " + ", ".join(call.dialed)
    if call.ended == "caller":
        return f"asks «{last}»"
    if call.ended == "hangup":
        return f"hangs up after «{last}»"
    return f"error: {call.problem}"


def key_paths(transport, number: str, depth: int) -> tuple[Outcome, ...]:
    """Every distinct key path from the call's start, up to ``depth`` keys."""
    def run(keys: tuple[str, ...]) -> Call:
        return Caller(transport, to=number, keypad=scripted(list(keys))).run()

    outcomes: list[Outcome] = []

    def walk(labels: tuple[str, ...], keys: tuple[str, ...], call: Call, before: int) -> None:
        if call.ended != "caller" or len(keys) == depth:
            outcomes.append(Outcome(labels, _summary(call, before), tuple(call.dialed),
                                    call.ended))
            return
        groups: dict[tuple, list[tuple[str, Call]]] = {}
        for key in KEYS:
            child = run((*keys, key))
            answer = (child.steps[-1]["twiml"], child.ended, tuple(child.dialed))
            groups.setdefault(answer, []).append((key, child))
        for members in groups.values():
            if len(members) >= OTHER:
                child = members[0][1]
                outcomes.append(Outcome((*labels, "other"), _summary(child, len(call.said)),
                                        tuple(child.dialed), child.ended))
                continue
            label = "/".join(key for key, _ in members)
            walk((*labels, label), (*keys, members[0][0]), members[0][1], len(call.said))

    start = run(())
    if start.ended == "caller":
        outcomes.append(Outcome((), _summary(start, 0), (), "asks"))
    walk((), (), start, 0)
    return tuple(outcomes)


def _boundaries(line: Line, day: date) -> list[int]:
    edges = {0, MINUTES_PER_DAY}
    for schedule in line.schedules.values():
        for r in line.calendar.ranges(schedule, day):
            edges |= {r.start, r.end}
    moments = [m for a in line.announcements for m in (a.starts, a.ends)]
    if line.switch:
        moments.append(line.switch.until.astimezone(line.zone).replace(tzinfo=None))
    edges |= {m.hour * 60 + m.minute for m in moments if m.date() == day}
    return sorted(edges)


def _state(line: Line, local: datetime, instant: datetime) -> tuple:
    """What decides a call at ``local``: open schedules, next openings, announcements."""
    opens = []
    for schedule in line.schedules.values():
        nxt = line.calendar.next_opening(schedule, local)
        opens.append((line.calendar.is_open(schedule, local),
                      nxt and ((nxt[0] - local.date()).days, nxt[1], nxt[0].weekday())))
    switch = line.switch.state if line.switch and line.switch.in_force(instant) else None
    return (tuple(opens), switch, tuple(a.in_force(local) for a in line.announcements))


def explore(line: Line, transport_at: Callable[[datetime], object], first: date, days: int,
            depth: int) -> list[Stretch]:
    """The table: merged stretches from ``first`` for ``days`` days, with their outcomes."""
    seen: dict[tuple, tuple[Outcome, ...]] = {}
    table: list[Stretch] = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        edges = _boundaries(line, day)
        for start, end in zip(edges, edges[1:], strict=False):
            local = datetime.combine(day, time(start // 60, start % 60))
            instant = local.replace(tzinfo=line.zone).astimezone(UTC)
            state = _state(line, instant.astimezone(line.zone), instant)
            if state not in seen:
                seen[state] = key_paths(Memo(transport_at(instant)), line.numbers[0], depth)
            until = datetime.combine(day, time()) + timedelta(minutes=end)
            if table and table[-1].outcomes == seen[state] and table[-1].end == local:
                table[-1].end = until
            else:
                table.append(Stretch(local, until, seen[state]))
    return table


def render(line: Line, table: list[Stretch]) -> str:
    """The table as text: one block per stretch, one line per key path."""
    out = []
    for stretch in table:
        out.append(f"{stretch.start:%a %Y-%m-%d %H:%M} – {stretch.end:%a %Y-%m-%d %H:%M}")
        for outcome in stretch.outcomes:
            keys = " ".join(outcome.keys) or "(start)"
            out.append(f"    {keys:<14} {outcome.summary}")
    return "\n".join(out) + "\n"


def as_json(line: Line, table: list[Stretch]) -> list[dict]:
    return [{"from": s.start.isoformat(timespec="minutes"),
             "to": s.end.isoformat(timespec="minutes"),
             "paths": [{"keys": list(o.keys), "outcome": o.summary, "dialed": list(o.dialed),
                        "ended": o.ended} for o in s.outcomes]} for s in table]
