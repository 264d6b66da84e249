"""Where the journal lives: ``IVR_DATABASE_URL``, else SQLite in the state directory."""

from __future__ import annotations

import os
from pathlib import Path

FILE = "journal.sqlite3"


def database_url(state: Path, given: str | None = None) -> str:
    """``given``, else ``IVR_DATABASE_URL``, else SQLite in the state directory."""
    url = given or os.environ.get("IVR_DATABASE_URL")
    return url or f"sqlite:///{Path(state) / FILE}"
