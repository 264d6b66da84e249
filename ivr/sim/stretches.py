"""``ivr explore``: a line's whole behaviour over a stretch of the calendar, as a table.

Time is cut into stretches in which nothing a call depends on changes (``core.moments``:
every start and end of every schedule's ranges on each day, after holidays and overrides,
midnight, and the edges of announcements and of a manual switch). Each stretch is called at
its first minute, through the webhooks as every ``ivr-sim`` call is, trying every key at
every menu up to a depth; keys that answer alike are grouped, and the big group of keys a
menu does not offer is reported as 'other' without going deeper. A stretch whose situation
was seen before (what the engine reads: the same schedules open, next openings, switch and
announcements) reuses those calls, and neighbouring stretches whose every path hears the
same words, all of them, and dials the same numbers are merged into one. The text form names
each distinct behaviour once, so a year reads in a few hundred lines; a summary that reads
like another behaviour's says what sets it apart (``differences``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from ivr.core import moments
from ivr.core.hours import clock
from ivr.core.model import Line
from ivr.sim.caller import Call, Caller, CallerHangsUp, scripted
from ivr.sim.differences import first_sentence, told_apart

KEYS = [*"0123456789*#", "-"]
DIAL_OUTCOMES = ("completed", "busy", "no-answer", "failed", "canceled")
MAX_DIALS = 3
"""With every Dial outcome followed, a path takes at most this many (dials may chain)."""
OTHER = 6
"""A group of this many keys answering alike is the menu's 'not an option' answer."""


@dataclass(frozen=True)
class Outcome:
    """Where one key path ends: ``summary`` says it short, ``heard`` (all the caller heard
    on the path) and ``dialed`` in full, so outcomes alike in a summary still differ."""

    keys: tuple[str, ...]
    summary: str
    dialed: tuple[str, ...]
    ended: str
    heard: tuple[str, ...] = ()


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
        self.transport = transport
        self.base = transport.base
        self.answers: dict[tuple, tuple[int, str]] = {}

    def post(self, url, params):
        key = (url, tuple(sorted((k, v) for k, v in params.items() if k not in self.IGNORED)))
        if key not in self.answers:
            self.answers[key] = self.transport.post(url, params)
        return self.answers[key]


def _summary(call: Call, heard_before: int, dialed_before: int) -> str:
    """The end of a path in a few words: the number dialled, or what the last input brought."""
    new = call.said[heard_before:] or call.said[-1:] or [""]
    last = first_sentence(new[0])
    if call.dialed[dialed_before:]:
        return "dial " + ", ".join(call.dialed[dialed_before:])
    if call.ended == "caller":
        return f"asks «{last}»"
    if call.ended == "hangup":
        return f"hangs up after «{last}»"
    return f"error: {call.problem}"


def key_paths(transport, number: str, depth: int, *,
              every_outcome: bool = False) -> tuple[Outcome, ...]:
    """Every distinct key path from the call's start, up to ``depth`` keys.

    With ``every_outcome``, each Dial's outcome (answered, busy, no answer, failed,
    canceled) is a branch of the path too, so fallbacks show; otherwise every Dial answers.
    """
    def run(inputs: tuple[str, ...]) -> tuple[Call, bool]:
        """The call made with these keys and Dial outcomes; whether a Dial awaits one more."""
        at_dial = []

        def ask_dial(numbers: list[str]) -> str:
            if not every_outcome:
                return "completed"
            at_dial.append(True)
            raise CallerHangsUp

        keys = [i for i in inputs if i not in DIAL_OUTCOMES]
        statuses = [i for i in inputs if i in DIAL_OUTCOMES]
        return Caller(transport, to=number, keypad=scripted(keys), dial_statuses=statuses,
                      ask_dial=ask_dial).run(), bool(at_dial)

    outcomes: list[Outcome] = []

    def walk(labels: tuple[str, ...], inputs: tuple[str, ...], done: tuple[Call, bool],
             heard: int, dialed: int) -> None:
        (call, at_dial), keys = done, [i for i in inputs if i not in DIAL_OUTCOMES]
        if (call.ended != "caller" or (not at_dial and len(keys) == depth)
                or (at_dial and len(inputs) - len(keys) == MAX_DIALS)):
            outcomes.append(Outcome(labels, _summary(call, heard, dialed),
                                    tuple(call.dialed), call.ended, tuple(call.said)))
            return
        groups: dict[tuple, list[tuple[str, tuple[Call, bool]]]] = {}
        for choice in DIAL_OUTCOMES if at_dial else KEYS:
            child, waits = run((*inputs, choice))
            answer = (child.steps[-1]["twiml"], child.ended, tuple(child.dialed), waits)
            groups.setdefault(answer, []).append((choice, (child, waits)))
        for members in groups.values():
            first = members[0][1][0]
            if len(members) >= OTHER and not at_dial:
                outcomes.append(Outcome((*labels, "other"), _summary(first, len(call.said),
                                                                     len(call.dialed)),
                                        tuple(first.dialed), first.ended, tuple(first.said)))
                continue
            label, choice = "/".join(c for c, _ in members), members[0][0]
            # after a Dial's fallback outcome, what is new is what follows the Dial
            fell_back = at_dial and choice != "completed"
            walk((*labels, label), (*inputs, choice), members[0][1], len(call.said),
                 len(first.dialed) if fell_back else len(call.dialed))

    start = run(())
    if start[0].ended == "caller" and not start[1]:
        outcomes.append(Outcome((), _summary(start[0], 0, 0), (), "asks",
                                tuple(start[0].said)))
    walk((), (), start, 0, 0)
    return tuple(outcomes)


def explore(line: Line, transport_at: Callable[[datetime], object], first: date, days: int,
            depth: int, *, every_outcome: bool = False) -> list[Stretch]:
    """The table: merged stretches from ``first`` for ``days`` days, with their outcomes."""
    seen: dict[moments.Situation, tuple[Outcome, ...]] = {}
    table: list[Stretch] = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        edges = moments.changes(line, day)
        for start, end in zip(edges, edges[1:], strict=False):
            local = datetime.combine(day, time(start // 60, start % 60))
            instant = local.replace(tzinfo=line.zone).astimezone(UTC)
            state = moments.situation(line, instant)
            if state not in seen:
                seen[state] = key_paths(Memo(transport_at(instant)), line.numbers[0], depth,
                                        every_outcome=every_outcome)
            until = datetime.combine(day, time()) + timedelta(minutes=end)
            if table and table[-1].outcomes == seen[state] and table[-1].end == local:
                table[-1].end = until
            else:
                table.append(Stretch(local, until, seen[state]))
    return _summed_apart(table)


def _summed_apart(table: list[Stretch]) -> list[Stretch]:
    """The table with each summary that reads like another behaviour's for the same keys
    telling how it differs (``differences.told_apart``)."""
    alike: dict[tuple, set[Outcome]] = {}
    for outcome in {o for stretch in table for o in stretch.outcomes}:
        alike.setdefault((outcome.keys, outcome.summary), set()).add(outcome)
    apart = {o: replace(o, summary=o.summary + told_apart(
                 o.heard, o.dialed, [(r.heard, r.dialed) for r in group if r != o]))
             for group in alike.values() if len(group) > 1 for o in group}
    for stretch in table:
        stretch.outcomes = tuple(apart.get(o, o) for o in stretch.outcomes)
    return table


def render(table: list[Stretch]) -> str:
    """The table as text: each behaviour once, then the calendar, a row per run of like days.

    A year holds a thousand stretches but only a handful of behaviours (what every key path
    does), so each behaviour is written out once under a letter and the calendar says which
    letter starts when. Days that run alike (Monday to Thursday, a weekend) share a row.
    """
    labels: dict[tuple[Outcome, ...], str] = {}
    for stretch in table:
        labels.setdefault(stretch.outcomes, _label(len(labels)))
    out = []
    for outcomes, label in labels.items():
        out.append(f"Behaviour {label}")
        paths = [" ".join(outcome.keys) or "(start)" for outcome in outcomes]
        width = max(14, *map(len, paths))
        for path, outcome in zip(paths, outcomes, strict=True):
            out.append(f"    {path:<{width}} {outcome.summary}")
    out.append("")
    out.append("Calendar, local time: each time starts the behaviour with that letter")
    rows: list[list] = []
    for day, starts in _days(table, labels):
        if rows and rows[-1][2] == starts and rows[-1][1] + timedelta(days=1) == day:
            rows[-1][1] = day
        else:
            rows.append([day, day, starts])
    for first, last, starts in rows:
        when = f"{first:%a %Y-%m-%d}" + (f" – {last:%a %Y-%m-%d}" if last != first else "")
        out.append(f"{when:<31}  " + "  ".join(f"{clock(m)} {label}" for m, label in starts))
    return "\n".join(out) + "\n"


def _label(index: int) -> str:
    """Short names for behaviours, in order of first appearance: A, B, … Z, AA, AB, …"""
    name, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def _days(table: list[Stretch], labels: dict) -> Iterable[tuple[date, list[tuple[int, str]]]]:
    """For each day, the minutes at which a behaviour starts (00:00: the one carried over)."""
    days: dict[date, list[tuple[int, str]]] = {}
    for stretch in table:
        moment = stretch.start
        while moment < stretch.end:
            days.setdefault(moment.date(), []).append(
                (moment.hour * 60 + moment.minute, labels[stretch.outcomes]))
            moment = datetime.combine(moment.date() + timedelta(days=1), time())
    return days.items()


def as_json(table: list[Stretch]) -> list[dict]:
    return [{"from": s.start.isoformat(timespec="minutes"),
             "to": s.end.isoformat(timespec="minutes"),
             "paths": [{"keys": list(o.keys), "outcome": o.summary, "dialed": list(o.dialed),
                        "ended": o.ended} for o in s.outcomes]} for s in table]
