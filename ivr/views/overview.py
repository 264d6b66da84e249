"""What each line is doing now, for ``ivr lines`` and the ``ivr serve`` banner.

Facts only, computed from the loaded lines and an injected instant: which file, which
numbers, open or closed now and until when (each schedule as callers get it,
``core.linenow``), and the stand-in numbers still in use. Printing is the CLI's.
"""

from __future__ import annotations

from datetime import datetime

from ivr.core.linenow import schedules_now
from ivr.core.model import Line
from ivr.core.moments import switch_in_force
from ivr.core.nodes import DialNode, texts
from ivr.core.text import Tel
from ivr.menufile.phonecheck import pieces


def placeholders_in_use(line: Line) -> list[str]:
    """The listed stand-in numbers the line still answers, dials or reads aloud."""
    used = set(line.numbers)
    for node in line.nodes.values():
        if isinstance(node, DialNode):
            used |= set(node.numbers)
        for text in texts(node).values():
            used |= {p.number for p in pieces(text) if isinstance(p, Tel)}
    return [number for number in line.placeholders if number in used]


def as_dict(line: Line, path: str, now: datetime) -> dict:
    """One line's facts as ``ivr lines --json`` prints them (times local, ISO)."""
    switched = switch_in_force(line, now)
    return {
        "file": path, "line": line.id, "name": line.name, "numbers": list(line.numbers),
        "zone": line.zone.key, "language": line.language,
        "schedules": [{"name": s.name, "open": s.open, "switched": s.forced,
                       "until": s.until.isoformat(timespec="minutes") if s.until else None}
                      for s in schedules_now(line, now)],
        "switch": {"state": switched.state, "until": switched.until.astimezone(line.zone)
                   .isoformat(timespec="minutes"), "say": switched.say} if switched else None,
        "placeholders": placeholders_in_use(line),
    }
