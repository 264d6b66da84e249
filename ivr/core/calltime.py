"""How long a line makes its callers listen: every path to a ringing desk, and each menu's
wait before its options, at one instant.

Derived from the engine itself (``engine.step`` with each key of each menu), so what is
timed is what a caller hears at that moment, placeholders filled in and routes decided;
speech is timed by ``speechtime``. ``ivr report`` prints the paths, ``ivr check`` warns
from both. Pure: ``now`` is an argument, nothing is read or written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import assert_never
from xml.sax.saxutils import escape

from ivr.core import speechtime, spoken
from ivr.core.engine import Ask, Connect, End, Keys, Speak, Start, Turn, step
from ivr.core.model import Line
from ivr.core.nodes import MenuNode, SayNode
from ivr.core.text import Opens, Recording, Tel


@dataclass(frozen=True)
class DeskPath:
    """One way to a ringing desk: the keys, and the seconds of speech before the ring.

    ``listening`` is for a caller who hears every prompt out; ``first_time`` for one who
    presses each key once its option has been named (the end of the paragraph naming it);
    ``pressing`` for one who presses each key as soon as its menu listens.
    """

    keys: tuple[str, ...]
    desk: str
    number: str
    menus: tuple[str, ...]
    listening: float
    first_time: float
    pressing: float


@dataclass(frozen=True)
class MenuWait:
    """A menu as a caller reaches it: seconds of speech it cannot skip before the menu
    listens, and seconds before the first of its options is named."""

    menu: str
    keys: tuple[str, ...]
    unskippable: float
    options_start: float
    says: tuple[str, ...] = ()
    """The say nodes whose speech no key can cut short, in the order said."""


def _seconds(said: Speak, language: str) -> float:
    """A recording's stated length, else the estimate of its words."""
    return said.seconds if said.seconds is not None else speechtime.seconds(said.text, language)


def _said(turn: Turn, language: str) -> float:
    """Seconds a turn keeps the caller listening before it waits or ends.

    An exhaustive ``match`` over the engine's ``Action``, so an action that takes time
    cannot be left out of caller time: a new one is a type error here until it is timed.
    """
    seconds = 0.0
    for action in turn.actions:
        match action:
            case Speak():
                seconds += _seconds(action, language)
            case Ask() | Connect() | End():
                pass  # an Ask's prompt is timed per key (``_turns``); the others wait or end
            case _:
                assert_never(action)
    return seconds


def _menu(line: Line, turn: Turn) -> tuple[Ask, MenuNode] | None:
    """The Ask a turn ends with and its menu, when the turn waits at a menu."""
    last = turn.actions[-1]
    menu = line.nodes[last.state.node] if isinstance(last, Ask) else None
    return (last, menu) if isinstance(last, Ask) and isinstance(menu, MenuNode) else None


_Reached = tuple[Turn, tuple[str, ...], tuple[str, ...], tuple[float, float, float]]

WALK_LIMIT = 2000
"""Turns walked at one instant at most: menus whose keys lead to different menus that meet
again multiply the paths; past this many ``capped`` says so and ``ivr check`` warns."""


def _turns(line: Line, now: datetime) -> Iterator[_Reached]:
    """Every turn a caller can reach by keys, each menu once per path, with the keys, the
    menus passed and the seconds before it (as ``DeskPath`` times them).

    Keys of one menu that lead to the same turn are one way on (walked once, by the key
    named first), so nine keys to one menu cost one step, not nine paths.
    """
    todo: list[_Reached] = [(step(line, None, Start(), now), (), (), (0.0, 0.0, 0.0))]
    walked = 0
    while todo and walked < WALK_LIMIT:
        turn, keys, menus, (listening, first_time, pressing) = todo.pop(0)
        walked += 1
        yield turn, keys, menus, (listening, first_time, pressing)
        asking = _menu(line, turn)
        if asking is None or asking[0].state.node in menus:
            continue
        ask, menu = asking
        before = _said(turn, line.language)
        heard = [_seconds(prompt, line.language) for prompt in ask.prompt]
        ways: dict[Turn, tuple[int, str]] = {}
        for key in menu.options:
            named = next((i for i, prompt in enumerate(ask.prompt) if _names(prompt.text, key)),
                         len(heard) - 1)
            after = step(line, ask.state, Keys(key), now)
            ways[after] = min(ways.get(after, (named, key)), (named, key))
        for after, (named, key) in ways.items():
            todo.append((after, (*keys, key), (*menus, ask.state.node),
                         (listening + before + sum(heard),
                          first_time + before + sum(heard[:named + 1]), pressing + before)))


def walk(line: Line, now: datetime) -> list[_Reached]:
    """The turns a caller can reach at ``now``, walked once for all that is timed of them
    (``ivr check`` times each instant four ways: walking once per way cost it four times)."""
    return list(_turns(line, now))


def capped(line: Line, now: datetime, walked: list[_Reached] | None = None) -> bool:
    """Whether the walk at ``now`` stopped at ``WALK_LIMIT`` turns, leaving paths untimed."""
    return len(walked if walked is not None else walk(line, now)) >= WALK_LIMIT


def desk_paths(line: Line, now: datetime,
               walked: list[_Reached] | None = None) -> list[DeskPath]:
    """Every key path on ``line`` at ``now`` that ends with a number ringing."""
    paths = []
    for turn, keys, menus, before in walked if walked is not None else _turns(line, now):
        last = turn.actions[-1]
        if isinstance(last, Connect):
            said = _said(turn, line.language)
            paths.append(DeskPath(keys, turn.node, last.number, menus,
                                  *(round(seconds + said, 1) for seconds in before)))
    return paths


TWIML_OVERHEAD = (90, 700)
"""Bytes of TwiML besides the words, at most: per <Say> (its voice and language), and per
answer (the XML declaration, a <Gather> and <Redirect> with their action URLs, a <Dial>)."""


def answer_sizes(line: Line, now: datetime, walked: list[_Reached] | None = None,
                 ) -> Iterator[tuple[int, tuple[str, ...], str]]:
    """For each turn a caller can reach at ``now``: about how many bytes its TwiML answer
    takes (the words escaped as XML, in UTF-8), the keys to it and the node it ends at."""
    per_say, per_answer = TWIML_OVERHEAD
    for turn, keys, _, _ in walked if walked is not None else _turns(line, now):
        said = [a for a in turn.actions if isinstance(a, Speak)]
        said += [p for a in turn.actions if isinstance(a, Ask) for p in a.prompt]
        size = sum(len(escape(s.url or s.text).encode()) + per_say for s in said)
        yield size + per_answer, keys, turn.node


def _unskippable(line: Line, turn: Turn) -> tuple[str, ...]:
    """The say nodes a turn passes before its menu and before any skippable say."""
    says = []
    for name in turn.path:
        node = line.nodes.get(name)
        if isinstance(node, SayNode):
            if node.skippable:
                break
            says.append(name)
    return tuple(says)


def menu_waits(line: Line, now: datetime,
               walked: list[_Reached] | None = None) -> list[MenuWait]:
    """Each menu a caller can reach at ``now``, by the first key path that reaches it."""
    waits: dict[str, MenuWait] = {}
    for turn, keys, _, _ in walked if walked is not None else _turns(line, now):
        asking = _menu(line, turn)
        if asking is None or asking[0].state.node in waits:
            continue
        ask, menu = asking
        unskippable = _said(turn, line.language)
        before = 0.0
        for prompt in ask.prompt:
            if any(_names(prompt.text, key) for key in menu.options):
                break
            before += _seconds(prompt, line.language)
        waits[ask.state.node] = MenuWait(ask.state.node, keys, round(unskippable, 1),
                                         round(unskippable + before, 1), _unskippable(line, turn))
    return list(waits.values())


def _names(text: str, key: str) -> bool:
    """Whether a paragraph names a digit key (said as the digit: 'tryck 3', 'trykk 1')."""
    return key.isdigit() and re.search(rf"(?<!\d){key}(?!\d)", text) is not None


def every_paragraph(line: Line, today: date) -> list[str]:
    """Each distinct paragraph the line's nodes, messages and announcements can say, with
    numbers as read aloud and openings as 'tomorrow at 8' (what the calibration times)."""
    said: dict[str, None] = {}
    for text in line.texts():
        for paragraph in text:
            filled = "".join(_filled(piece, line.language, today) for piece in paragraph)
            said[filled.strip()] = None
    return [text for text in said if text]


def _filled(piece: str | Opens | Tel | Recording, language: str, today: date) -> str:
    if isinstance(piece, Tel):
        return spoken.phone_number(piece.number, language, piece.written)
    if isinstance(piece, Opens):
        return spoken.opening(language, today, today + timedelta(days=1), 8 * 60)
    return piece if isinstance(piece, str) else piece.text
