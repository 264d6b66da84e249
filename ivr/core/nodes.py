"""The node types of a call flow, and where each can go next: the unit of change.

Each node type is a frozen dataclass in the ``Node`` union. ``exits(node)`` is the one
answer to "where can a call go from here", and ``texts(node)`` to "what can it say" (each an
exhaustive ``match``, so mypy reports a node type they forget): the checks, the warnings,
the graph, caller time and explore all derive from them. ``passes_on`` says whether a call
goes through a node of that type at once or stops there (to wait or to end).
Adding a node type: a class here and its ``exits`` and ``texts`` arms, its arm in
``engine._Call.enter``,
its entry in ``menufile.format.NODES`` (and a new engine ``Action``, with its ``server.twiml``
arm, if it needs a TwiML verb no action gives yet); ARCHITECTURE.md has the whole list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Literal, assert_never

from ivr.core.text import Text


@dataclass(frozen=True)
class SayNode:
    """Speak, then go on to ``then`` (or hang up when there is none).

    ``skippable`` speech leads into a menu and is said inside that menu's wait for a key,
    so a caller who knows it presses at once (Twilio's barge-in) instead of hearing it out.
    """

    text: Text
    then: str | None = None
    skippable: bool = False
    passes_on: ClassVar[bool] = True


@dataclass(frozen=True)
class MenuNode:
    """Ask for one key; separate budgets for silence and for wrong keys."""

    prompt: Text
    options: Mapping[str, str]
    reprompt: Text | None
    timeout: int
    max_no_input: int
    max_invalid: int
    no_input: Text
    invalid: Text
    goodbye: Text
    on_limit: str | None = None
    passes_on: ClassVar[bool] = False


@dataclass(frozen=True)
class Route:
    """One branch of a route node: go to ``goto`` while ``when`` (a schedule) is open."""

    when: str
    goto: str


@dataclass(frozen=True)
class RouteNode:
    """Pick the first route whose schedule is open now, else ``otherwise``."""

    routes: tuple[Route, ...]
    otherwise: str
    passes_on: ClassVar[bool] = True


@dataclass(frozen=True)
class DialNode:
    """Ring each number in turn; when none answers, go to ``fallback`` (or, when the last
    one is busy, to ``busy`` if given: a caller is told the line was busy, not unanswered)."""

    numbers: tuple[str, ...]
    fallback: str
    say: Text | None = None
    timeout: int = 20
    then: str | None = None
    busy: str | None = None
    passes_on: ClassVar[bool] = False


@dataclass(frozen=True)
class HangupNode:
    """Say a last word, if any, and end the call."""

    text: Text | None = None
    passes_on: ClassVar[bool] = False


Node = SayNode | MenuNode | RouteNode | DialNode | HangupNode


ExitKind = Literal["then", "key", "silence", "wrong_key", "route", "otherwise", "answered",
                   "busy", "fallback", "end"]


@dataclass(frozen=True)
class Exit:
    """One way out of a node: to ``target``, or the call ends there (``target`` None).

    ``detail`` is the key pressed, the schedule that must be open, or the number of tries
    the limit allows; ``instant`` exits are taken without waiting for the caller.
    """

    kind: ExitKind
    target: str | None
    detail: str = ""
    instant: bool = False


def exits(node: Node) -> tuple[Exit, ...]:
    """Every way a call can leave ``node``, in the order a reader would list them."""
    match node:
        case SayNode():
            return (Exit("then", node.then, instant=node.passes_on),)
        case MenuNode():
            keys = tuple(Exit("key", target, key) for key, target in node.options.items())
            return (*keys, Exit("silence", node.on_limit, str(node.max_no_input)),
                    Exit("wrong_key", node.on_limit, str(node.max_invalid)))
        case RouteNode():
            routes = tuple(Exit("route", r.goto, r.when, instant=node.passes_on)
                           for r in node.routes)
            return (*routes, Exit("otherwise", node.otherwise, instant=node.passes_on))
        case DialNode():
            busy = (Exit("busy", node.busy),) if node.busy else ()
            return (Exit("answered", node.then), *busy, Exit("fallback", node.fallback))
        case HangupNode():
            return (Exit("end", None),)
        case _:
            assert_never(node)


def texts(node: Node) -> dict[str, Text]:
    """Every text ``node`` can say, by the name of its field in the menu file (where a
    check points at it); a text left out (no reprompt, a silent hangup) is not there."""
    match node:
        case SayNode():
            found: dict[str, Text | None] = {"text": node.text}
        case MenuNode():
            found = {"prompt": node.prompt, "reprompt": node.reprompt,
                     "no_input": node.no_input, "invalid": node.invalid,
                     "goodbye": node.goodbye}
        case RouteNode():
            found = {}
        case DialNode():
            found = {"say": node.say}
        case HangupNode():
            found = {"text": node.text}
        case _:
            assert_never(node)
    return {name: text for name, text in found.items() if text is not None}


def successors(node: Node) -> list[str]:
    """Every node a call can go to next from ``node`` (each once)."""
    return list(dict.fromkeys(e.target for e in exits(node) if e.target is not None))


def instant_successors(node: Node) -> list[str]:
    """The nodes a call passes on to at once, without waiting for the caller."""
    return list(dict.fromkeys(e.target for e in exits(node)
                              if e.instant and e.target is not None))


def ends_here(node: Node) -> bool:
    """Whether a call can end at this node without going on."""
    return any(e.target is None for e in exits(node))
