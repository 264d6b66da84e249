"""The typed, immutable model of a phone line: what ``menufile`` builds and ``engine`` runs.

The node types are ``nodes``, the words a caller hears ``text``; here is the line itself,
its announcements and its manual switch.

Plain frozen dataclasses and nothing else: no parsing, no clock, no web. A ``Line`` is
complete and consistent once built (every target exists, every schedule is known), so the
engine never has to check what the loader already proved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from ivr.core.hours import Calendar, Schedule
from ivr.core.nodes import Node, texts
from ivr.core.text import Text


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
    """An admin's manual switch: every schedule forced 'closed' or 'open' until a time."""

    state: str
    until: datetime
    say: str | None = None
    since: datetime | None = None
    """When it was set: a call at an earlier moment (ivr-sim --at) is not affected."""

    def in_force(self, now: datetime) -> bool:
        return (self.since is None or self.since <= now) and now < self.until


@dataclass(frozen=True)
class CallerTime:
    """How long a line may keep callers listening before ``ivr check`` warns (seconds,
    menus), and the capitalised words an admin has heard the voice say right."""

    options_after: int = 15
    unskippable: int = 30
    menus_to_desk: int = 2
    seconds_to_desk: int = 60
    abbreviations: tuple[str, ...] = ()


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
    caller_time: CallerTime = CallerTime()

    def texts(self) -> list[Text]:
        """Every text the line can say: its nodes', its announcements' and the restart's."""
        said = [text for node in self.nodes.values() for text in texts(node).values()]
        said += [announcement.text for announcement in self.announcements]
        return said + ([self.restart] if self.restart else [])
