"""The typed, immutable model of a phone line: what ``menufile`` builds and ``engine`` runs.

Plain frozen dataclasses and nothing else: no parsing, no clock, no web. A ``Line`` is
complete and consistent once built (every target exists, every schedule is known), so the
engine never has to check what the loader already proved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from ivr.hours import Calendar, Schedule


@dataclass(frozen=True)
class Opens:
    """A spoken placeholder: when the named schedule next opens ('{opens:tes-desk}')."""

    schedule: str


@dataclass(frozen=True)
class Tel:
    """A phone number to read aloud: '{tel:+4619213606}', or with the form the routine
    writes when libphonenumber groups it otherwise ('{tel:+46200443000 0200-44 30 00}')."""

    number: str
    written: str | None = None


Piece = str | Opens | Tel
Paragraph = tuple[Piece, ...]
Text = tuple[Paragraph, ...]
"""What a caller hears: paragraphs (one <Say> each), made of literal text and placeholders."""


@dataclass(frozen=True)
class SayNode:
    """Speak, then go on to ``then`` (or hang up when there is none)."""

    text: Text
    then: str | None = None


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


@dataclass(frozen=True)
class DialNode:
    """Ring each number in turn; when none answers, go to ``fallback``."""

    numbers: tuple[str, ...]
    fallback: str
    say: Text | None = None
    timeout: int = 20
    then: str | None = None


@dataclass(frozen=True)
class HangupNode:
    """Say a last word, if any, and end the call."""

    text: Text | None = None


Node = SayNode | MenuNode | RouteNode | DialNode | HangupNode


@dataclass(frozen=True)
class Announcement:
    """Said at the start of every call from ``starts`` until ``ends`` (local wall-clock)."""

    starts: datetime
    ends: datetime
    text: Text

    def in_force(self, local: datetime) -> bool:
        return self.starts <= local.replace(tzinfo=None) < self.ends


@dataclass(frozen=True)
class Switch:
    """An admin's manual override: every schedule forced 'closed' or 'open' until a time."""

    state: str
    until: datetime
    say: str | None = None
    since: datetime | None = None
    """When it was set: a call at an earlier moment (ivr-sim --at) is not affected."""

    def in_force(self, now: datetime) -> bool:
        return (self.since is None or self.since <= now) and now < self.until


@dataclass(frozen=True)
class Line:
    """One phone line, as one menu file describes it."""

    id: str
    name: str
    numbers: tuple[str, ...]
    language: str
    voice: str
    zone: ZoneInfo
    calendar: Calendar
    schedules: Mapping[str, Schedule]
    start: str
    nodes: Mapping[str, Node]
    apology: str
    restart: Text | None
    placeholders: tuple[str, ...]
    source: str
    announcements: tuple[Announcement, ...] = ()
    switch: Switch | None = None
