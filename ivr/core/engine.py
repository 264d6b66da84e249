"""The call state machine: ``step(line, state, event, now)`` → what to do next.

Pure by promise, like Flask's ``sansio`` package: no clock (``now`` is an argument), no
files, no Flask, no twilio. A call's whole memory is the small ``State`` the web layer puts
in the next action URL, so any worker can take the next step of any call. Say and route
nodes pass on at once; a turn ends at the first node that waits for the caller (a menu),
for the network (a dial) or ends the call.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import assert_never

from ivr.core import moments, spoken
from ivr.core.errors import IvrError
from ivr.core.model import Line
from ivr.core.nodes import DialNode, HangupNode, MenuNode, Node, RouteNode, SayNode
from ivr.core.state import State
from ivr.core.text import Opens, Recording, Tel, Text

ANSWERED = frozenset({"completed", "answered"})
"""Dial outcomes where someone took the call; anything else but 'canceled' tries on."""


@dataclass(frozen=True)
class Start:
    """The call has just been answered."""


@dataclass(frozen=True)
class Keys:
    """The caller pressed keys at a menu."""

    digits: str


@dataclass(frozen=True)
class Silence:
    """The caller pressed nothing before the menu's timeout."""


@dataclass(frozen=True)
class DialOutcome:
    """How a dial attempt ended, in Twilio's words (completed, busy, no-answer, …)."""

    status: str


Event = Start | Keys | Silence | DialOutcome


@dataclass(frozen=True)
class Speak:
    """Say ``text``, or play the recording at ``url`` (whose words ``text`` are)."""

    text: str
    url: str | None = None
    seconds: int | None = None


@dataclass(frozen=True)
class Ask:
    """Wait for one key while saying ``prompt``; ``state`` is where the answer goes."""

    prompt: tuple[Speak, ...]
    timeout: int
    state: State


@dataclass(frozen=True)
class Connect:
    """Ring ``number``; ``state`` is where its outcome goes."""

    number: str
    timeout: int
    state: State


@dataclass(frozen=True)
class End:
    """Hang up."""


Action = Speak | Ask | Connect | End


@dataclass(frozen=True)
class Turn:
    """One answer to the caller: some speech, then exactly one Ask, Connect or End."""

    actions: tuple[Action, ...]
    node: str
    restarted: bool = False
    path: tuple[str, ...] = ()
    """The nodes this turn passed through, in order, ending at ``node`` (for the call log)."""


def step(line: Line, state: State | None, event: Event, now: datetime) -> Turn:
    """The next turn of a call on ``line`` at the aware instant ``now``."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    call = _Call(line, now)
    node = line.nodes.get(state.node) if state else None
    match event:
        case Start():
            if call.switch and call.switch.say:
                call.actions.append(Speak(call.switch.say))
            for announcement in line.announcements:
                if announcement.in_force(call.local):
                    call.say(announcement.text)
            return call.enter(line.start)
        case Keys() | Silence() if state and isinstance(node, MenuNode):
            return call.answer(node, state, event)
        case DialOutcome() if state and isinstance(node, DialNode):
            return call.dialled(node, state, event.status)
        case Keys() | Silence() | DialOutcome():
            # No such node any more (the file changed mid-call), or an answer it cannot
            # take (a key at a dial): the caller starts again from the top, told so.
            call.say(line.restart)
            return call.enter(line.start, restarted=True)
        case _:
            assert_never(event)


class _Call:
    """One turn in the making: the speech gathered so far, and how to go on."""

    def __init__(self, line: Line, now: datetime) -> None:
        self.line = line
        self.local = now.astimezone(line.zone)
        self.actions: list[Action] = []
        self.path: list[str] = []
        self.switch = moments.switch_in_force(line, now)
        self.skippable_from: int | None = None
        """Where the speech a key may cut short starts (a skippable say before a menu)."""

    def is_open(self, schedule_name: str) -> bool:
        return moments.is_open(self.line, self.switch, schedule_name, self.local)

    def next_opening(self, schedule_name: str) -> tuple[date, int] | None:
        return moments.next_opening(self.line, self.switch, schedule_name, self.local)

    def say(self, text: Text | None) -> None:
        for paragraph in text or ():
            if paragraph and isinstance(paragraph[0], Recording):
                record = paragraph[0]
                self.actions.append(Speak(record.text, record.url, record.seconds))
                continue
            spoken_text = "".join(self._piece(piece) for piece in paragraph).strip()
            if spoken_text:
                self.actions.append(Speak(spoken_text))

    def _piece(self, piece: str | Opens | Tel | Recording) -> str:
        if isinstance(piece, Opens):
            nxt = self.next_opening(piece.schedule)
            return spoken.opening(self.line.language, self.local.date(), *nxt) if nxt else ""
        if isinstance(piece, Tel):
            return spoken.phone_number(piece.number, self.line.language, piece.written)
        return piece if isinstance(piece, str) else piece.text

    def finish(self, last: Action, node: str, restarted: bool = False) -> Turn:
        return Turn((*self.actions, last), node, restarted, tuple(self.path))

    def enter(self, name: str, restarted: bool = False) -> Turn:
        """Walk from ``name`` through say and route nodes to the next node that waits."""
        for _ in range(len(self.line.nodes) + 1):
            node: Node = self.line.nodes[name]
            self.path.append(name)
            match node:
                case SayNode():
                    if node.skippable and self.skippable_from is None:
                        self.skippable_from = len(self.actions)
                    self.say(node.text)
                    if node.then is None:
                        return self.finish(End(), name, restarted)
                    name = node.then
                case RouteNode():
                    name = next((r.goto for r in node.routes if self.is_open(r.when)),
                                node.otherwise)
                case MenuNode():
                    return self.finish(self._ask(node, State(name)), name, restarted)
                case DialNode():
                    self.say(node.say)
                    return self.finish(self._ring(node, State(name)), name, restarted)
                case HangupNode():
                    self.say(node.text)
                    return self.finish(End(), name, restarted)
                case _:
                    assert_never(node)
        raise IvrError(f"{self.line.source}: nodes pass on forever from '{name}'")

    def _ask(self, node: MenuNode, state: State, again: bool = False) -> Ask:
        before = len(self.actions) if self.skippable_from is None else self.skippable_from
        self.say(node.reprompt if again and node.reprompt else node.prompt)
        prompt = tuple(self._speech(self.actions[before:], state.node))
        del self.actions[before:]
        return Ask(prompt, node.timeout, state)

    def _speech(self, window: list[Action], menu: str) -> Iterator[Speak]:
        """What a menu says while it waits for a key: speech only. Anything else there
        (a dial, a hang-up) would be lost in TwiML's <Gather>, so it is a bug, said."""
        for action in window:
            match action:
                case Speak():
                    yield action
                case Ask() | Connect() | End():
                    raise IvrError(f"{self.line.source}: menu '{menu}' would wait for a key "
                                   f"while doing {type(action).__name__}, which only speech "
                                   "may; please report this")
                case _:
                    assert_never(action)

    def _ring(self, node: DialNode, state: State) -> Connect:
        return Connect(node.numbers[state.attempt], node.timeout, state)

    def answer(self, node: MenuNode, state: State, event: Keys | Silence) -> Turn:
        if isinstance(event, Keys) and event.digits in node.options:
            return self.enter(node.options[event.digits])
        if isinstance(event, Silence):
            state = State(state.node, state.no_input + 1, state.invalid)
            used, limit, message = state.no_input, node.max_no_input, node.no_input
        else:
            state = State(state.node, state.no_input, state.invalid + 1)
            used, limit, message = state.invalid, node.max_invalid, node.invalid
        if used >= limit:
            if node.on_limit:
                return self.enter(node.on_limit)
            self.say(node.goodbye)
            return self.finish(End(), state.node)
        self.say(message)
        return self.finish(self._ask(node, state, again=True), state.node)

    def dialled(self, node: DialNode, state: State, status: str) -> Turn:
        if status in ANSWERED:
            return self.enter(node.then) if node.then else self.finish(End(), state.node)
        if status == "canceled":
            return self.finish(End(), state.node)
        if state.attempt + 1 < len(node.numbers):
            return self.finish(self._ring(node, State(state.node, attempt=state.attempt + 1)),
                               state.node)
        return self.enter(node.busy if status == "busy" and node.busy else node.fallback)
