"""What a webhook tells the journal, and the rows it becomes.

Every text is cut to its column's length here, NULs dropped (names and keys may come from
outside).

A webhook describes what it saw as a ``StepSeen``, ``StatusSeen`` or ``ErrorSeen`` and
turns it into an ``Entry`` here, at once: a ``steps`` row and a partial ``calls`` row of
plain values, no I/O. Queued entries wait up to half a second for the writer; made of
strings and numbers only, they are nothing the garbage collector has to walk, where the
engine's turn, state and event objects would be (measured: keeping those queued cost a
webhook step 9 µs of collection). The caller's number travels in memory only, beside the
rows: the writer puts its keyed hash in the ``calls`` row, never the number.
Pure: no database, no Flask.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

from ivr.core.engine import ANSWERED, Ask, Connect, DialOutcome, Event, Keys, Silence, Turn
from ivr.core.model import Line
from ivr.core.nodes import DialNode, MenuNode, RouteNode
from ivr.core.state import State


@dataclass(frozen=True)
class StepSeen:
    """One engine step as a webhook ran it."""

    sid: str
    caller: str
    line: Line
    state: State | None
    event: Event
    turn: Turn
    now: datetime
    test: bool


@dataclass(frozen=True)
class StatusSeen:
    """Twilio's status callback: the call is over (or changed state), with its duration."""

    sid: str
    caller: str
    line: Line | None
    status: str
    duration: int | None
    now: datetime
    test: bool


@dataclass(frozen=True)
class ErrorSeen:
    """A webhook failed and the caller heard the apology."""

    sid: str
    caller: str
    line: Line | None
    now: datetime
    test: bool


Seen = StepSeen | StatusSeen | ErrorSeen
Entry = tuple[str, tuple | None, dict]
"""(the caller's number, the ``steps`` row in ``STEP_COLUMNS`` order or None, the partial
``calls`` row without its ``caller``)."""
STEP_COLUMNS = ("sid", "line", "at_ms", "day", "how", "test", "node", "event", "detail",
                "result", "number", "to_node", "action")
"""The ``steps`` columns an entry's row fills, in order (a test holds them to the schema)."""


def _when(now: datetime, zone: ZoneInfo | None) -> dict:
    """The local day and hour of the week of ``now``, looked up per minute: every step of
    a minute shares them (zones' offsets are whole minutes), so most steps skip the zone."""
    return _minute(int(now.timestamp() // 60), zone or UTC)


@functools.lru_cache(maxsize=256)
def _minute(minute: int, zone: tzinfo) -> dict:
    local = datetime.fromtimestamp(minute * 60, zone)
    return {"day": local.date().isoformat(), "how": local.weekday() * 24 + local.hour}


def _ms(now: datetime) -> int:
    return int(now.timestamp() * 1000)


def entry(seen: Seen) -> Entry:
    """What the journal keeps of ``seen``: its caller, its ``steps`` row, its ``calls`` row."""
    line = seen.line
    at, when = _ms(seen.now), _when(seen.now, line.zone if line else None)
    sid, line_id = _cut(seen.sid, 64), line.id[:64] if line else "-"
    call = {"sid": sid, "line": line_id, "test": seen.test, "started_ms": at, **when,
            "last_ms": None, "last_node": None, "last_action": None, "end_kind": None,
            "reached": None, "closed": False, "error": False, "first_ring_ms": None,
            "ended_ms": None, "duration": None, "status": None}
    if isinstance(seen, StatusSeen):
        ended = seen.status in ("completed", "busy", "failed", "no-answer", "canceled")
        call.update(status=_cut(seen.status, 16), duration=seen.duration,
                    ended_ms=at if ended else None)
        return seen.caller, None, call
    if isinstance(seen, ErrorSeen):
        call["error"] = True
        return seen.caller, (sid, line_id, at, when["day"], when["how"], seen.test, None,
                             "error", None, None, None, None, None), call
    line = seen.line  # a step always has its line
    state, event, turn, last = seen.state, seen.event, seen.turn, seen.turn.actions[-1]
    node = line.nodes.get(state.node) if state else None
    here, there = _cut(state.node, 64) if state else None, turn.node[:64]
    action = "ask" if isinstance(last, Ask) else "connect" if isinstance(last, Connect) else "end"
    result = _result(node, event, turn)
    ending = _end_kind(node, state, event, turn, result) if action == "end" else None
    call.update(last_ms=at, last_action=action, end_kind=ending,
                # a menu's limit happened at the menu, whatever help its on_limit gave after
                last_node=here if ending in LIMITS and here else there,
                reached=here if result == "answered" else None,
                closed=_took_otherwise(line, turn),
                first_ring_ms=at if action == "connect" else None)
    return seen.caller, (sid, line_id, at, when["day"], when["how"], seen.test, here,
                         _event_name(event), _detail(event), result,
                         _dialled(node, state, event), there, action), call


def _cut(text: str, length: int) -> str:
    """A value from a request, fit for its column: no NUL (PostgreSQL's text cannot hold
    one, and would refuse the whole entry), at most ``length`` characters."""
    return text.replace("\x00", "")[:length]


def _event_name(event: Event) -> str:
    return {"Start": "start", "Keys": "keys", "Silence": "silence",
            "DialOutcome": "dial"}[type(event).__name__]


def _detail(event: Event) -> str | None:
    if isinstance(event, Keys):
        return _cut(event.digits, 16)
    if isinstance(event, DialOutcome):
        return _cut(event.status, 16)
    return None


def _result(node, event: Event, turn: Turn) -> str | None:
    """'option', 'invalid', 'no-input', 'answered' or the dial's failure; 'restart'."""
    if turn.restarted:
        return "restart"
    if isinstance(node, MenuNode) and isinstance(event, Keys):
        return "option" if event.digits in node.options else "invalid"
    if isinstance(event, Silence):
        return "no-input"
    if isinstance(event, DialOutcome):
        return "answered" if event.status in ANSWERED else _cut(event.status, 16)
    return None


def _dialled(node, state: State | None, event: Event) -> str | None:
    """The number whose outcome a dial event reports."""
    if isinstance(node, DialNode) and isinstance(event, DialOutcome) and state:
        if 0 <= state.attempt < len(node.numbers):
            return node.numbers[state.attempt][:32]
    return None


LIMITS = ("no-input-limit", "invalid-limit")


def _end_kind(node, state: State | None, event: Event, turn: Turn, result: str | None) -> str:
    """How the line ended the call: a menu's limit (its goodbye, or the help its
    ``on_limit`` gives before the end), a desk that answered, or at a node."""
    if isinstance(event, DialOutcome) and event.status in ANSWERED:
        return "reached"
    if (isinstance(node, MenuNode) and node.on_limit and result in ("invalid", "no-input")
            and turn.path[:1] == (node.on_limit,)):
        return LIMITS[0] if result == "no-input" else LIMITS[1]
    if state is None or turn.node != state.node or turn.path:
        return "line"
    if isinstance(event, Keys | Silence):
        return "no-input-limit" if isinstance(event, Silence) else "invalid-limit"
    return "canceled" if isinstance(event, DialOutcome) else "line"


def _took_otherwise(line: Line, turn: Turn) -> bool:
    """Whether a route in this turn found none of its schedules open (after hours)."""
    walked = turn.path
    for here, there in zip(walked, walked[1:], strict=False):
        node = line.nodes.get(here)
        if isinstance(node, RouteNode) and there == node.otherwise \
                and all(route.goto != there for route in node.routes):
            return True
    return False
