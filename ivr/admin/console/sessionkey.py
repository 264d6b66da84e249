"""The console's session key and the sign-out marks that end copied cookies.

The key signs every console cookie. It comes from ``IVR_CONSOLE_SECRET`` or is generated
once into ``<state>/console.key`` (0600, created atomically so every worker reads the same
one); it never comes from a password, so a cookie gives nothing to guess a password against.
Each sign-out writes a fresh random mark into ``<state>/console-signouts/`` for that name;
a session carries the mark it was signed in under and is refused once the mark changes, in
every worker. Nothing here reads a request.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from ivr.server.journal.privacy import kept_secret

KEY_FILE = "console.key"
SIGNOUTS = "console-signouts"


def secret(state: Path) -> bytes:
    """``IVR_CONSOLE_SECRET``, else ``<state>/console.key``, made once (0600) when absent."""
    given = os.environ.get("IVR_CONSOLE_SECRET")
    if given:
        return given.encode()
    return kept_secret(Path(state) / KEY_FILE)


def _mark_path(state: Path, name: str) -> Path:
    """One file per name; the name is hashed so any name makes a safe file name."""
    return Path(state) / SIGNOUTS / hashlib.sha256(name.encode()).hexdigest()[:32]


def mark(state: Path, name: str) -> str:
    """The name's current sign-out mark ("" before its first sign-out)."""
    try:
        return _mark_path(state, name).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return ""


def sign_out_everywhere(state: Path, name: str) -> None:
    """A new mark for ``name``: every session signed in before now is refused from here on."""
    path = _mark_path(state, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = path.with_suffix(f".{secrets.token_hex(4)}")
    fresh.write_text(secrets.token_hex(16), encoding="ascii")
    os.replace(fresh, path)  # atomic: a reader sees the old mark or the new, never half
