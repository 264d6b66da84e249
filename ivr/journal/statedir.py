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
from pathlib import Path

from ivr.menufile.folder import write_atomically

ENV = "IVR_STATE"

__all__ = ["ENV", "StateDir", "kept_secret", "state_dir", "write_atomically"]


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
    """The random secret in ``path``, made there once (0600, readable by its owner only)."""
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    made = secrets.token_hex(32).encode()
    try:  # O_EXCL: when two workers race, one writes and both read the same key
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(descriptor, "wb") as file:
        file.write(made + b"\n")
    return made
