"""Where the journal lives: the state directory's SQLite file, or ``IVR_DATABASE_URL``."""

from __future__ import annotations

import os
from pathlib import Path

FILE = "journal.sqlite3"


def default_state(menus: Path | str) -> Path:
    """``IVR_STATE``, else the state directory beside the menus folder.

    The one place this default is computed here: replace it with the server's own
    ``STATE_DIR`` setting once the state directory is shared by every part.
    """
    return Path(os.environ.get("IVR_STATE") or Path(menus).resolve().parent / "state")


def database_url(state: Path, given: str | None = None) -> str:
    """``given``, else ``IVR_DATABASE_URL``, else SQLite in the state directory."""
    url = given or os.environ.get("IVR_DATABASE_URL")
    return url or f"sqlite:///{Path(state) / FILE}"
