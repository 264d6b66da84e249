"""The state directory, and the last good version of every menu file kept in it.

A menu file that loads cleanly is kept, byte for byte, in ``<state>/menus/``: every worker
of a server, and a server started again, finds the same last good version there, so a
worker that boots while a file is broken answers exactly as its siblings do. Files are
written whole or not at all (``folder.write_atomically``). With no state directory (an
in-process simulator or explore) the last good versions are kept in memory and nothing is
written. Nothing here knows about requests or workers.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from ivr.core.errors import MenuError
from ivr.core.model import Line
from ivr.menufile.folder import write_atomically
from ivr.menufile.format import parse_line

ENV = "IVR_STATE"
log = logging.getLogger(__name__)


def default_state_dir(menus: Path) -> Path:
    """Where state lives unless told: a folder ``state`` beside the menus folder."""
    return Path(menus).parent / "state"


def state_dir(menus: Path, configured: str | Path | None = None) -> Path:
    """The state directory: ``configured`` (``--state``), else ``$IVR_STATE``, else beside
    the menus."""
    chosen = configured or os.environ.get(ENV)
    return Path(chosen) if chosen else default_state_dir(menus)


def version(data: bytes) -> str:
    """A short name for one version of a file: the start of its SHA-256."""
    return hashlib.sha256(data).hexdigest()[:12]


class LastGood:
    """The last good version of each line, by line id, in ``<state>/menus`` (or, with no
    state directory, in this process's memory)."""

    def __init__(self, state: Path | None) -> None:
        self.folder = Path(state) / "menus" if state is not None else None
        self._memory: dict[str, bytes] = {}

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

    def forget(self, line_id: str) -> None:
        self._memory.pop(line_id, None)
        path = self.path(line_id)
        if path:
            path.unlink(missing_ok=True)

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
            return path.read_bytes()
        except OSError:
            return None
