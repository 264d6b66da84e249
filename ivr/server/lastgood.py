"""The state directory, and the last good version of every menu file kept in it.

A menu file that loads cleanly is kept, byte for byte, in ``<state>/menus/``: every worker
of a server, and a server started again, finds the same last good version there, so a worker
that boots while a file is broken, gone or its whole folder missing answers exactly as its
siblings do. When a menu file is gone, the moment it was first missed is written beside its
kept version (``<line>.gone``), so every worker, and a server started again, retires the
line at the same moment. Files are written whole or not at all
(``folder.write_atomically``), and read as warily as the menus (``statedir.read_state``): a
FIFO, a huge file or a note without an offset put there by hand is refused, not waited on.
With no state directory (an in-process simulator or explore) all this is kept in memory and
nothing is written. Nothing here knows about requests or workers.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime, timedelta
from pathlib import Path

from ivr.core.errors import MenuError
from ivr.core.model import Line
from ivr.journal.statedir import StateDir, Unreadable, aware, read_state, write_atomically
from ivr.menufile.folder import MAX_BYTES
from ivr.menufile.format import parse_line

log = logging.getLogger(__name__)


def version(data: bytes) -> str:
    """A short name for one version of a file: the start of its SHA-256."""
    return hashlib.sha256(data).hexdigest()[:12]


class LastGood:
    """The last good version of each line, by line id, in ``<state>/menus`` (or, with no
    state directory, in this process's memory)."""

    def __init__(self, state: Path | None, max_bytes: int = MAX_BYTES) -> None:
        self.folder = StateDir(Path(state)).menus if state is not None else None
        self.max_bytes = max_bytes
        self._memory: dict[str, bytes] = {}
        self._gone: dict[str, dict[str, str]] = {}
        self._refused: set[str] = set()

    def path(self, line_id: str) -> Path | None:
        """Where ``line_id``'s kept version lives on disk; None when kept in memory."""
        return self.folder / f"{line_id}.yaml" if self.folder else None

    def check(self, line_id: str, data: bytes, display: str) -> Line:
        """Load ``data`` as the line ``line_id``; keep it as the last good version if clean.

        The very bytes checked are the bytes kept (the menu file may change meanwhile).
        Raises MenuError, naming ``display``, when they do not load.
        """
        line = parse_line(data, line_id, display)
        if self._bytes(line_id) != data:
            self._keep(line_id, data, display)
        return line

    def load(self, line_id: str, display: str) -> tuple[Line, str] | None:
        """The kept version of ``line_id`` and its version name; None if none is usable."""
        data = self._bytes(line_id)
        if data is None:
            return None
        try:
            return parse_line(data, line_id, display), version(data)
        except MenuError:
            return None

    def ids(self) -> set[str]:
        """The lines with a kept version."""
        if self.folder is None:
            return set(self._memory)
        try:
            return {path.stem for path in self.folder.glob("*.yaml")}
        except OSError:
            return set()

    def forget(self, line_id: str) -> None:
        """Retire a line: its kept version goes; the note of when its file went stays, so a
        sibling worker still serving it retires it too instead of starting a new count."""
        self._memory.pop(line_id, None)
        path = self.path(line_id)
        if path:
            path.unlink(missing_ok=True)

    def gone(self, line_id: str, now: datetime, keep: timedelta) -> tuple[datetime, datetime]:
        """When ``line_id``'s file was first missed and when its line retires: noted now,
        with ``keep`` to go, unless a worker noted it before (its note counts)."""
        note = self._note(line_id)
        if note is None:
            note = {"since": now.isoformat(), "retires": (now + keep).isoformat()}
            self._gone[line_id] = note
            marker = self._marker(line_id)
            if marker:
                try:
                    write_atomically(marker, json.dumps(note).encode())
                except OSError as exc:
                    log.error("state directory %s cannot be written (%s): workers may "
                              "retire %s at different times", self.folder, exc, line_id)
        return aware(note["since"]), aware(note["retires"])

    def noted(self, line_id: str) -> tuple[datetime, datetime] | None:
        """When a server first missed ``line_id``'s file and when it retires the line, if
        one did (for ``ivr lines``); writes nothing."""
        note = self._note(line_id)
        return (aware(note["since"]), aware(note["retires"])) if note else None

    def back(self, line_id: str) -> None:
        """``line_id``'s file is there again: a later absence counts from its own start."""
        self._gone.pop(line_id, None)
        marker = self._marker(line_id)
        if marker:
            marker.unlink(missing_ok=True)

    def _marker(self, line_id: str) -> Path | None:
        return self.folder / f"{line_id}.gone" if self.folder else None

    def _note(self, line_id: str) -> dict[str, str] | None:
        marker = self._marker(line_id)
        if marker is None:
            return self._gone.get(line_id)
        try:
            note = json.loads(read_state(marker, 4096))
            aware(note["since"]), aware(note["retires"])
        except FileNotFoundError:
            return self._gone.get(line_id)  # none was written (a state directory read-only)
        except (OSError, Unreadable, ValueError, KeyError, TypeError):
            return None  # a damaged note: counted again from now
        return note

    def _keep(self, line_id: str, data: bytes, display: str) -> None:
        path = self.path(line_id)
        if path is None:
            self._memory[line_id] = data
            return
        try:
            write_atomically(path, data)
        except OSError as exc:
            log.error("state directory %s cannot be written (%s): no last good version of "
                      "%s is kept", self.folder, exc.strerror or exc, display)

    def _bytes(self, line_id: str) -> bytes | None:
        path = self.path(line_id)
        if path is None:
            return self._memory.get(line_id)
        try:
            return read_state(path, self.max_bytes)
        except FileNotFoundError:
            return None
        except (OSError, Unreadable) as exc:
            if line_id not in self._refused:
                self._refused.add(line_id)
                log.error("state directory: the last good version %s %s; it is not used",
                          path, exc)
            return None
