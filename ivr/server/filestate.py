"""One menu file as a worker sees it, and how /health and the console report it.

A file is ok, broken (since when, its first error) or gone (since when, and when its line
retires); a broken or gone file is served from its last good version while there is one.
Kept apart from the registry so that what an admin reads has one home.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from ivr.core.errors import MenuError, Problem
from ivr.core.model import Line


@dataclass(frozen=True)
class FileState:
    """What one file serves, and what is wrong with it. ``gone`` is (first missed,
    retires) while the file is missing; ``retires`` is None while the whole menus folder
    cannot be read (nothing says the admin meant it, so nothing retires)."""

    stamp: tuple
    line: Line | None
    version: str | None
    error: MenuError | None = None
    broken_since: datetime | None = None
    gone: tuple[datetime, datetime | None] | None = None

    def report(self, name: str) -> dict:
        """For /health: ok, broken or gone, since when, its first error (naming the file
        ``name``, as in the menus folder), what is served and, when gone, until when."""
        if self.gone is not None:
            since, retires = self.gone
            why = ("the file is gone" if retires else "the menus folder cannot be read")
            return {"status": "gone", "since": since.isoformat(), "error": f"{name}: {why}",
                    "serving": self.version and f"last good version {self.version}",
                    "retires": retires and retires.isoformat()}
        if self.error is None:
            return {"status": "ok", "version": self.version}
        broken = self.broken_since.isoformat() if self.broken_since else None
        first = self.error.problems[0] if self.error.problems else Problem(name, 1, 1, "", "?")
        return {"status": "broken", "since": broken, "error": str(replace(first, file=name)),
                "serving": self.version and f"last good version {self.version}"}


def stamp_of(path: Path | None) -> tuple[int, int] | None:
    """What says a file changed: its modification time and size; None when it is not there."""
    if path is None:
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def admin_path(path: Path) -> str:
    """A path as an admin would type it: relative to the working folder when inside it."""
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except ValueError:
        return str(path)
