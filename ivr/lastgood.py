"""The state directory, and the last good version of every menu file kept in it.

A menu file that loads cleanly is kept, byte for byte, in ``<state>/menus/``: every worker
of a server, and a server started again, finds the same last good version there, so a
worker that boots while a file is broken answers exactly as its siblings do. Files are
written whole or not at all (a unique temporary file, then ``os.replace``). Nothing here
knows about requests or workers.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from pathlib import Path

from ivr.errors import MenuError
from ivr.menufile import load_line
from ivr.model import Line

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


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so a reader sees the old file or the new, never half.

    Each writer has its own temporary file, so concurrent writers cannot interleave.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def version(data: bytes) -> str:
    """A short name for one version of a file: the start of its SHA-256."""
    return hashlib.sha256(data).hexdigest()[:12]


class LastGood:
    """The last good version of each line, by line id, in ``<state>/menus``."""

    def __init__(self, state: Path) -> None:
        self.folder = Path(state) / "menus"

    def path(self, line_id: str) -> Path:
        return self.folder / f"{line_id}.yaml"

    def check(self, line_id: str, data: bytes, display: str) -> Line:
        """Load ``data`` as the line ``line_id``; keep it as the last good version if clean.

        The very bytes checked are the bytes kept (the menu file may change meanwhile).
        Raises MenuError, naming ``display``, when they do not load.
        """
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(dir=self.folder, prefix=".check-"))
        except OSError as exc:
            log.error("state directory %s cannot be written (%s): no last good version of "
                      "%s is kept", self.folder, exc.strerror or exc, display)
            staging = Path(tempfile.mkdtemp(prefix="ivr-check-"))
        try:
            staged = staging / f"{line_id}.yaml"
            staged.write_bytes(data)
            line = load_line(staged, display)
            if self._bytes(line_id) != data and staging.parent == self.folder:
                os.replace(staged, self.path(line_id))
            return line
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def load(self, line_id: str, display: str) -> tuple[Line, str] | None:
        """The kept version of ``line_id`` and its version name; None if none is usable."""
        data = self._bytes(line_id)
        if data is None:
            return None
        try:
            return load_line(self.path(line_id), display), version(data)
        except MenuError:
            return None

    def forget(self, line_id: str) -> None:
        self.path(line_id).unlink(missing_ok=True)

    def _bytes(self, line_id: str) -> bytes | None:
        try:
            return self.path(line_id).read_bytes()
        except OSError:
            return None
