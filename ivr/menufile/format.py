"""The menu file format: one spec tree that loads ``menus/<line>.yaml`` and describes it.

``FORMAT`` is the whole format. ``load_line`` reads a file with it, then checks what spans
the file (every target and schedule exists, no say/route loop, a valid holiday calendar)
and either returns a consistent ``Line`` or raises ``MenuError`` with every problem found.
``json_schema`` hands the same tree to editors.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from ivr.core.errors import MenuError, Problem
from ivr.core.model import CallerTime, Line
from ivr.core.nodes import DialNode, HangupNode, MenuNode, Node, Route, RouteNode, SayNode
from ivr.menufile import scalars
from ivr.menufile.assemble import build_line, check_references
from ivr.menufile.reader import Value
from ivr.menufile.reader import load as load_yaml
from ivr.menufile.reader import parse as parse_yaml
from ivr.menufile.shapes import Field, ListOf, MapOf, Struct, Tagged
from ivr.menufile.spec import (
    INVALID,
    Context,
    Plain,
    Ref,
    integer,
    one_of,
)
from ivr.menufile.speech import Speech, abbreviation, spoken_text

log = logging.getLogger(__name__)
T = TypeVar("T")


NODE = Ref("node", "The name of a node in this file.")
SCHEDULE = Ref("schedule", "The name of a schedule in this file.")
RANGES = ListOf(Plain(scalars.time_range, schema={"type": "string", "pattern":
                r"^\d{1,2}[:.]\d{2}\s*-\s*\d{1,2}[:.]\d{2}$"}), single=True,
                description="Time ranges such as 08:00-12:00 (a list for a lunch gap).")
SPEECH = Speech()
NUMBER = Plain(scalars.e164, regional=True,
               schema={"type": "string", "pattern": r"^\+[1-9]\d{6,14}$"},
               description="A phone number in E.164, e.g. '+4619213606' (quote it).")
SKIPPABLE = Plain(scalars.boolean, schema={"type": "boolean"}, description=(
    "Say this (and any says after it) inside the next menu's wait for a key, so a key "
    "pressed during it is taken at once; 'then' must reach a menu, directly or through "
    "other says."))
SCHEDULES = MapOf(Plain(scalars.name), MapOf(Plain(scalars.days), RANGES, key_pattern=(
    r"^(switch|holidays|(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?)$"),
    fixed={"switch": one_of(["ignore"], description=(
        "'ignore': another service's hours, not ours, so the line's switch leaves them be."))}),
    key_pattern=scalars.NAME, description="Named opening hours: days to time ranges.")

NODES = Tagged({
    "say": Struct({"text": Field(SPEECH, True), "then": Field(NODE),
                   "skippable": Field(SKIPPABLE, default=False)}, SayNode),
    "menu": Struct({
        "prompt": Field(SPEECH, True),
        "options": Field(MapOf(Plain(scalars.keypad_key), NODE, key_pattern=r"^[0-9*#]$",
                               min_items=1), True),
        "reprompt": Field(SPEECH),
        "timeout": Field(integer(1, 60, "Seconds to wait for a key."), default=6),
        "max_no_input": Field(integer(1, 10), default=3),
        "max_invalid": Field(integer(1, 10), default=3),
        "no_input": Field(SPEECH), "invalid": Field(SPEECH), "goodbye": Field(SPEECH),
        "on_limit": Field(NODE),
    }, MenuNode),
    "route": Struct({
        "routes": Field(ListOf(Struct({"when": Field(SCHEDULE, True),
                                       "goto": Field(NODE, True)}, Route)), True),
        "otherwise": Field(NODE, True),
    }, RouteNode),
    "dial": Struct({
        "numbers": Field(ListOf(NUMBER, min_items=1, single=True), True),
        "fallback": Field(NODE, True),
        "say": Field(SPEECH),
        "timeout": Field(integer(5, 120, "Seconds to let each number ring."), default=20),
        "then": Field(NODE),
        "busy": Field(NODE),
    }, DialNode),
    "hangup": Struct({"text": Field(SPEECH)}, HangupNode),
})

OVERRIDE = Struct({
    "date": Field(Plain(scalars.day)), "from": Field(Plain(scalars.day)),
    "to": Field(Plain(scalars.day)), "name": Field(Plain(), True),
    "holiday": Field(Plain(scalars.boolean, schema={"type": "boolean"}), default=False),
    "hours": Field(MapOf(SCHEDULE, RANGES)),
}, description="A dated change: a closure counted as a holiday, or other hours.")

ANNOUNCEMENT = Struct({
    "from": Field(Plain(scalars.local_time), True), "to": Field(Plain(scalars.local_time), True),
    "text": Field(SPEECH, True),
}, description="Said before the menu from 'from' until 'to' (local time, e.g. 2026-12-01 09:00).")

CALLER_TIME = Struct({
    "options_after": Field(integer(1, 600, "Warn when a menu names its first option after "
                                   "more seconds of speech than this."), default=15),
    "unskippable": Field(integer(1, 600, "Warn when more seconds of speech than this that "
                                 "no key can cut short come before a menu."), default=30),
    "menus_to_desk": Field(integer(1, 20, "Warn when a caller passes more menus than this "
                                   "to reach a desk."), default=2),
    "seconds_to_desk": Field(integer(1, 3600, "Warn when a desk rings after more seconds "
                                     "of speech than this for a first-time caller."), default=60),
    "abbreviations": Field(ListOf(Plain(abbreviation), single=True, description=(
        "Words in capitals the voice has been heard to say right (no warning for them).")),
        default=()),
}, CallerTime, description="When ivr check warns about the time callers spend listening.")

FORMAT = Struct({
    "name": Field(Plain(), True),
    "numbers": Field(ListOf(Plain(scalars.answered_number, regional=True), min_items=1,
                            single=True), True),
    "language": Field(Plain(scalars.language), True),
    "voice": Field(Plain(), True),
    "timezone": Field(Plain(scalars.zone), True),
    "messages": Field(Struct({
        "apology": Field(Plain(spoken_text), True), "goodbye": Field(SPEECH, True),
        "no_input": Field(SPEECH, True), "invalid": Field(SPEECH, True),
        "restart": Field(SPEECH),
    }), True),
    "calendar": Field(Struct({
        "holidays": Field(Struct({
            "country": Field(Plain(), True), "subdivision": Field(Plain()),
            "categories": Field(ListOf(Plain(), single=True), default=("public",)),
        })),
        "overrides": Field(ListOf(OVERRIDE), default=()),
    }), default={}),
    "schedules": Field(SCHEDULES, default={}),
    "announcements": Field(ListOf(ANNOUNCEMENT), default=()),
    "placeholders": Field(ListOf(NUMBER, single=True, description=(
        "Stand-in numbers an admin must replace; ivr check warns while one is used.")),
        default=()),
    "caller_time": Field(CALLER_TIME, default=CallerTime()),
    "start": Field(NODE, True),
    "nodes": Field(MapOf(Plain(scalars.name), NODES, key_pattern=scalars.NAME, min_items=1), True),
}, description="One phone line of ivr.")

KINDS: dict[type[Node], str] = {cast(type[Node], struct.build): name
                               for name, struct in NODES.variants.items()}
"""Each node class by the ``type`` a menu file gives it: 'say', 'menu', …"""


def json_schema() -> dict:
    """The JSON Schema of a menu file, for editors (generated, never hand-kept)."""
    return {"$schema": "http://json-schema.org/draft-07/schema#", "title": "ivr menu",
            **FORMAT.json_schema()}


def load_line(path: Path, display: str | None = None) -> Line:
    """Load and fully check one menu file; raise MenuError listing every problem."""
    return load_with_document(path, display)[0]


def load_with_document(path: Path, display: str | None = None) -> tuple[Line, Value]:
    """As ``load_line``, with the document read, whose values know their positions (so
    the warnings locate what they find without reading the file again)."""
    display = display or str(path)
    return _checked(display, lambda: _with_document(path.stem, display,
                                                    *load_yaml(path, display)))


def parse_line(data: bytes, line_id: str, display: str) -> Line:
    """As ``load_line``, from the bytes of a file already read."""
    return _checked(display, lambda: _line(line_id, display, *parse_yaml(data, display)))


def _checked(display: str, load: Callable[[], T]) -> T:
    """``load()``; any failure but a MenuError becomes this file's MenuError.

    A menu file is untrusted: whatever goes wrong while reading it, even a bug this file
    provokes, is that file's error, so one file can never take other lines down with it.
    """
    try:
        return load()
    except MenuError:
        raise
    except Exception as exc:
        log.exception("unexpected failure while loading %s", display)
        raise MenuError([Problem(display, 1, 1, "", "could not be loaded "
                                 f"({type(exc).__name__}: {exc}); please report this")]) from None


def _with_document(line_id: str, display: str, document: Value | None,
                   problems: list[Problem]) -> tuple[Line, Value]:
    line = _line(line_id, display, document, problems)
    assert document is not None  # a line was built from it
    return line, document


def _line(line_id: str, display: str, document: Any, problems: list[Problem]) -> Line:
    if document is None:
        raise MenuError(problems)
    language = document.get("language") if isinstance(document, dict) else None
    ctx = Context(display, scalars.home_region(language), problems)
    raw = FORMAT.convert(document, ctx, "")
    check_references(document, ctx)
    line = (build_line(line_id, display, raw, document, ctx, KINDS)
            if raw is not INVALID else None)
    if ctx.problems or line is None:
        raise MenuError(ctx.problems)
    return line

