"""The console's session key.

The key signs every console cookie. It comes from ``IVR_CONSOLE_SECRET`` or is generated
once into ``<state>/console.key`` (0600, created atomically so every worker reads the same
one); it never comes from a password, so a cookie gives nothing to guess a password against.
Servers that share sessions share ``IVR_CONSOLE_SECRET``; the sign-out marks that end
copied cookies live in ``signins``. Nothing here reads a request.
"""

from __future__ import annotations

import os
from pathlib import Path

from ivr.journal.statedir import StateDir, kept_secret


def secret(state: Path) -> bytes:
    """``IVR_CONSOLE_SECRET``, else ``<state>/console.key``, made once (0600) when absent."""
    given = os.environ.get("IVR_CONSOLE_SECRET")
    if given:
        return given.encode()
    return kept_secret(StateDir(Path(state)).console_key)

