"""The menu file format: one spec tree that loads ``menus/<line>.yaml`` and describes it.

``FORMAT`` is the whole format. ``load_line`` reads a file with it, then checks what spans
the file (every target and schedule exists, no say/route loop, a valid holiday calendar)
and either returns a consistent ``Line`` or raises ``MenuError`` with every problem found.
``json_schema`` hands the same tree to editors.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from ivr import fields, spoken
from ivr.errors import MenuError, Problem
from ivr.hours import DAY_NAMES
from ivr.linecheck import build_line, check_references
from ivr.model import DialNode, HangupNode, Line, MenuNode, Opens, Route, RouteNode, SayNode, Tel
from ivr.spec import (
    INVALID,
    Context,
    Field,
    ListOf,
    MapOf,
    Ref,
    Spec,
    Struct,
    Tagged,
    integer,
    suggest,
)
from ivr.spec import Text as Plain
from ivr.yamlsource import Scalar
from ivr.yamlsource import load as load_yaml

log = logging.getLogger(__name__)

_PLACEHOLDER = re.compile(r"\{(\w+):([^{}]*)\}")
NAME = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"


def _name(text: str) -> str:
    if not re.fullmatch(NAME, text):
        raise ValueError(f"'{text}' is not a usable name; use letters, digits, - and _")
    return text


class Speech(Spec):
    """What a caller hears: a string, or a list of strings said one after another.

    ``{opens:SCHEDULE}`` says when a schedule next opens; ``{tel:+46…}`` reads a number
    in the caller's local grouping, or as written after it ('{tel:+46200443000 0200-44 30 00}'),
    which must hold the same digits: the routine's own form, which a caller may note down.
    """

    description = ("Spoken text, or a list of texts said in turn. {opens:SCHEDULE} says when "
                   "a schedule next opens; {tel:+4619213606} reads a number aloud, grouped as "
                   "libphonenumber writes it, or as written after it: "
                   "{tel:+46200443000 0200-44 30 00}.")

    def convert(self, value, ctx, path):
        texts = ListOf(Plain(), min_items=1, single=True).convert(value, ctx, path)
        if texts is INVALID:
            return INVALID
        paragraphs = []
        for index, text in enumerate(texts):
            where = value[index] if isinstance(value, list) else value
            pieces = self._pieces(text, where, ctx, f"{path}.{index}" if len(texts) > 1 else path)
            if pieces is INVALID:
                return INVALID
            paragraphs.append(pieces)
        return tuple(paragraphs)

    def _pieces(self, text, where, ctx, path):
        pieces, at = [], 0
        for match in _PLACEHOLDER.finditer(text):
            pieces.append(text[at:match.start()])
            kind, arg = match[1], match[2].strip()
            if kind == "opens":
                Ref("schedule").convert(_scalar_like(arg, where), ctx, path)
                pieces.append(Opens(arg))
            elif kind == "tel":
                number, _, form = arg.partition(" ")
                try:
                    number = fields.e164(number)
                    if form.strip():
                        spoken.check_written(number, form.strip())
                except ValueError as exc:
                    ctx.report(where, path, str(exc))
                    return INVALID
                pieces.append(Tel(number, form.strip() or None))
            else:
                ctx.report(where, path, f"unknown placeholder '{{{kind}:…}}'"
                           f"{suggest(kind, ['opens', 'tel'])}; use {{opens:…}} or {{tel:…}}")
                return INVALID
            at = match.end()
        pieces.append(text[at:])
        rest = _PLACEHOLDER.sub("", text)
        if "{" in rest or "}" in rest:
            ctx.report(where, path, "has a stray { or }; placeholders look like "
                       "{opens:tes-desk} or {tel:+4619213606}")
            return INVALID
        return tuple(p for p in pieces if p != "")

    def json_schema(self):
        one = {"type": "string", "minLength": 1}
        return {"anyOf": [one, {"type": "array", "items": one, "minItems": 1}],
                "description": self.description}


def _scalar_like(text, where):
    scalar = Scalar(text)
    scalar.line, scalar.column, scalar.quoted = where.line, where.column, True
    return scalar


def _boolean(text: str) -> bool:
    if text not in ("true", "false"):
        raise ValueError(f"'{text}' is not true or false")
    return text == "true"


def _digit(text: str) -> str:
    if not re.fullmatch(r"[0-9*#]", text):
        raise ValueError(f"'{text}' is not one key of a phone keypad (0-9, * or #)")
    return text


def _days(text: str) -> tuple[int, ...] | str:
    if text == "holidays":
        return text
    first, _, last = text.partition("-")
    if first not in DAY_NAMES or (last and last not in DAY_NAMES):
        raise ValueError(f"'{text}' is not a day; use mon … sun, a span like mon-fri, "
                         "or holidays")
    low, high = DAY_NAMES.index(first), DAY_NAMES.index(last or first)
    if high < low:
        raise ValueError(f"'{text}' runs backwards; write the earlier day first")
    return tuple(range(low, high + 1))


NODE = Ref("node", "The name of a node in this file.")
SCHEDULE = Ref("schedule", "The name of a schedule in this file.")
RANGES = ListOf(Plain(fields.time_range, schema={"type": "string", "pattern":
                r"^\d{1,2}[:.]\d{2}\s*-\s*\d{1,2}[:.]\d{2}$"}), single=True,
                description="Time ranges such as 08:00-12:00 (a list for a lunch gap).")
SPEECH = Speech()
NUMBER = Plain(fields.e164, schema={"type": "string", "pattern": r"^\+[1-9]\d{6,14}$"},
               description="A phone number in E.164, e.g. '+4619213606' (quote it).")
SCHEDULES = MapOf(Plain(_name), MapOf(Plain(_days), RANGES, key_pattern=(
    r"^(holidays|(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?)$")),
    key_pattern=NAME, description="Named opening hours: days to time ranges.")

NODES = Tagged({
    "say": Struct({"text": Field(SPEECH, True), "then": Field(NODE)}, SayNode),
    "menu": Struct({
        "prompt": Field(SPEECH, True),
        "options": Field(MapOf(Plain(_digit), NODE, key_pattern=r"^[0-9*#]$", min_items=1), True),
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
    }, lambda routes, otherwise: RouteNode(routes, otherwise)),
    "dial": Struct({
        "numbers": Field(ListOf(NUMBER, min_items=1, single=True), True),
        "fallback": Field(NODE, True),
        "say": Field(SPEECH),
        "timeout": Field(integer(5, 120, "Seconds to let each number ring."), default=20),
        "then": Field(NODE),
    }, DialNode),
    "hangup": Struct({"text": Field(SPEECH)}, HangupNode),
})

OVERRIDE = Struct({
    "date": Field(Plain(fields.day)), "from": Field(Plain(fields.day)),
    "to": Field(Plain(fields.day)), "name": Field(Plain(), True),
    "holiday": Field(Plain(_boolean, schema={"type": "boolean"}), default=False),
    "hours": Field(MapOf(SCHEDULE, RANGES)),
}, description="A dated change: a closure counted as a holiday, or other hours.")

ANNOUNCEMENT = Struct({
    "from": Field(Plain(fields.local_time), True), "to": Field(Plain(fields.local_time), True),
    "text": Field(SPEECH, True),
}, description="Said before the menu from 'from' until 'to' (local time, e.g. 2026-12-01 09:00).")

FORMAT = Struct({
    "name": Field(Plain(), True),
    "numbers": Field(ListOf(Plain(fields.line_number), min_items=1, single=True), True),
    "language": Field(Plain(fields.language), True),
    "voice": Field(Plain(), True),
    "timezone": Field(Plain(fields.zone), True),
    "messages": Field(Struct({
        "apology": Field(Plain(), True), "goodbye": Field(SPEECH, True),
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
    "start": Field(NODE, True),
    "nodes": Field(MapOf(Plain(_name), NODES, key_pattern=NAME, min_items=1), True),
}, description="One phone line of ivr.")


def json_schema() -> dict:
    """The JSON Schema of a menu file, for editors (generated, never hand-kept)."""
    return {"$schema": "http://json-schema.org/draft-07/schema#", "title": "ivr menu",
            **FORMAT.json_schema()}


def load_line(path: Path, display: str | None = None) -> Line:
    """Load and fully check one menu file; raise MenuError listing every problem.

    A menu file is untrusted: whatever goes wrong while reading it, even a bug this file
    provokes, is that file's error, so one file can never take other lines down with it.
    """
    display = display or str(path)
    try:
        return _load_line(path, display)
    except MenuError:
        raise
    except Exception as exc:
        log.exception("unexpected failure while loading %s", display)
        raise MenuError([Problem(display, 1, 1, "", "could not be loaded "
                                 f"({type(exc).__name__}: {exc}); please report this")]) from None


def _load_line(path: Path, display: str) -> Line:
    document, problems = load_yaml(path, display)
    ctx = Context(display, problems)
    if document is None:
        raise MenuError(ctx.problems)
    language = document.get("language") if isinstance(document, dict) else None
    home = fields.HOME_REGION.set(fields.home_region(language))
    try:
        raw = FORMAT.convert(document, ctx, "")
    finally:
        fields.HOME_REGION.reset(home)
    check_references(document, ctx)
    line = build_line(path.stem, display, raw, document, ctx) if raw is not INVALID else None
    if ctx.problems or line is None:
        raise MenuError(ctx.problems)
    return line

