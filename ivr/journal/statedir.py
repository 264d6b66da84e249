"""The state directory: where a server keeps what it must not forget, and what is where.

Every worker of a server, and the server started again, reads and writes the same files
here, so the layout is written once, in this module, and every other module asks it for
a path. Two ways of writing are used, each for a reason: a file that changes (a last good
menu, a cache of what the shared database says) is replaced whole
(``write_atomically``), so a reader sees the old file or the new, never half; a secret is
made once (``kept_secret``), so workers racing at their first start read the same one.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ivr.core.errors import IvrError
from ivr.menufile.folder import MAX_BYTES, Unreadable, read_capped, write_atomically

ENV = "IVR_STATE"

__all__ = ["ENV", "StateDir", "Unreadable", "aware", "kept_secret", "read_state", "state_dir",
           "write_atomically"]


def read_state(path: Path, limit: int = MAX_BYTES) -> bytes:
    """A file of the state directory, read as warily as a menu file: a regular file of at
    most ``limit`` bytes, opened without waiting, since a FIFO or a link to ``/dev/zero``
    put there by hand would hold a worker for ever. FileNotFoundError when there is none,
    ``Unreadable`` (saying why) when it is something else."""
    if not os.path.lexists(path):
        raise FileNotFoundError(path)
    return read_capped(path, limit)


def aware(text: str) -> datetime:
    """An instant the state directory holds, with its offset; ValueError for one without
    (a note edited by hand), which could not be compared with the clock."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset")
    return moment


def state_dir(menus: Path, configured: str | Path | None = None) -> Path:
    """The state directory: ``configured`` (``--state``), else ``$IVR_STATE``, else a
    folder ``state`` beside the menus folder."""
    chosen = configured or os.environ.get(ENV)
    return Path(chosen) if chosen else Path(menus).parent / "state"


@dataclass(frozen=True)
class StateDir:
    """The paths inside one state directory."""

    root: Path

    @property
    def menus(self) -> Path:
        """The last good version of each menu file (``<line>.yaml``, ``<line>.gone``)."""
        return self.root / "menus"

    @property
    def journal(self) -> Path:
        """The SQLite journal, when no shared database is configured."""
        return self.root / "journal.sqlite3"

    @property
    def journal_key(self) -> Path:
        """The key that hashes callers' numbers in the journal."""
        return self.root / "journal.key"

    @property
    def console_key(self) -> Path:
        """The key that signs console cookies, unless ``IVR_CONSOLE_SECRET`` is set."""
        return self.root / "console.key"

    @property
    def queues(self) -> Path:
        """One small file of counts per serving worker: what its journal queue holds."""
        return self.root / "journal-queues"

    @property
    def switches(self) -> Path:
        """The last switches read from the shared database, for a worker that boots while
        it is away."""
        return self.root / "switches.json"

    @property
    def claims(self) -> Path:
        """The last number claims read from the shared database, likewise."""
        return self.root / "claims.json"


def kept_secret(path: Path) -> bytes:
    """The random secret in ``path``, made there once (0600, readable by its owner only);
    IvrError when something else (a folder, a FIFO) is in its place."""
    try:
        return _secret(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    made = secrets.token_hex(32).encode()
    try:  # O_EXCL: when two workers race, one writes and both read the same key
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _secret(path)
    with os.fdopen(descriptor, "wb") as file:
        file.write(made + b"\n")
    return made


def _secret(path: Path) -> bytes:
    try:
        return read_state(path, 4096).strip()
    except Unreadable as exc:
        raise IvrError(f"{path} {exc}: put the key back in place, or remove it to have a "
                       "new one made") from None
