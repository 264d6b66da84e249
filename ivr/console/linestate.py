"""A line's state at a moment, as the overview shows it: schedules, switch, announcements.

Each schedule open or closed and until when, the switch in force and whom a caller can
reach now (every key path that rings a number, the engine at that instant) come from
``core.linenow``, as for ``ivr lines``; here the announcements said now or still to come
are added, and the earliest of all those changes is picked. Times are the line's local
wall-clock times. Pure: the moment is an argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ivr.core.linenow import ScheduleNow, line_now
from ivr.core.model import Line, Switch
from ivr.views import overview


@dataclass(frozen=True)
class LineState:
    schedules: tuple[ScheduleNow, ...]
    switch: Switch | None
    announcements: tuple[tuple[str, datetime, datetime], ...]
    """(said now / to come, starts, ends) of announcements in force or still to come."""
    next_change: tuple[datetime, str] | None
    placeholders: tuple[str, ...]
    """The stand-in numbers the line still answers, dials or reads aloud."""
    reachable: tuple[tuple[str, tuple[str, ...]], ...]
    """Each desk a call rings now, with the keys that lead there ('' at once), in order."""


def state(line: Line, now: datetime) -> LineState:
    """The line at the aware instant ``now``."""
    local = now.astimezone(line.zone).replace(tzinfo=None)
    got = line_now(line, now)
    changes = [(s.until, f"{s.name} {'closes' if s.open else 'opens'}")
               for s in got.schedules if s.until and not s.forced]
    if got.switch:
        changes.append((got.switch.until.astimezone(line.zone).replace(tzinfo=None),
                        f"the switch ({got.switch.state}) ends"))
    announcements = []
    for a in line.announcements:
        if a.ends <= local:
            continue
        current = a.starts <= local
        announcements.append(("said now" if current else "to come", a.starts, a.ends))
        changes.append((a.ends, "an announcement ends") if current
                       else (a.starts, "an announcement starts"))
    return LineState(got.schedules, got.switch, tuple(announcements),
                     min(changes, key=lambda change: change[0]) if changes else None,
                     tuple(overview.placeholders_in_use(line)), got.desks)
