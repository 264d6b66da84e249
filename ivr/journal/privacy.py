"""Caller numbers never stored in clear, old calls deleted, one caller's calls erased.

A caller's number becomes an HMAC-SHA256 under a secret key: the same number gives the same
token, so repeat callers can be counted, but without the key the token cannot be turned back
into a number by trying every phone number. The key comes from ``IVR_JOURNAL_KEY`` (several
servers sharing one journal must share it), or is generated once into the state directory,
readable by its owner only. Nothing here runs on a webhook's request path.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
from datetime import datetime, timedelta
from pathlib import Path

import phonenumbers
import sqlalchemy as sa

from ivr.core.errors import IvrError
from ivr.journal.schema import calls, steps
from ivr.journal.statedir import StateDir, Unreadable, kept_secret, read_state

WITHHELD = frozenset({"", "anonymous", "restricted", "unknown", "private", "+266696687"})
"""What Twilio sends as From when the caller withholds the number: counted as no one."""


def existing_key(state: Path) -> bytes | None:
    """The hashing key, ``IVR_JOURNAL_KEY`` or ``<state>/journal.key``; None when there is
    none yet (so nothing was ever hashed)."""
    given = os.environ.get("IVR_JOURNAL_KEY")
    if given:
        return given.encode()
    path = StateDir(Path(state)).journal_key
    try:
        return read_state(path, 4096).strip()
    except FileNotFoundError:
        return None
    except Unreadable as exc:
        raise IvrError(f"{path} {exc}: put the key back in place") from None


def key(state: Path) -> bytes:
    """The hashing key, made once into ``<state>/journal.key`` (0600) when there is none."""
    found = existing_key(state)
    return found if found else kept_secret(StateDir(Path(state)).journal_key)


def caller_number(text: str, countries: tuple[str, ...]) -> str:
    """``text`` in E.164, the form Twilio sends and the journal hashes; ValueError if no number.

    A national form ('070-111 22 21') is read in each of ``countries`` (the lines' countries,
    or the one the admin names) and must be a valid number in exactly one, so an erasure
    finds the calls however the number was written down, and never a neighbour's.
    """
    compact = "".join(text.split()).replace("-", "")
    if compact.startswith("+"):
        read = [_parsed(compact, None, phonenumbers.is_possible_number)]
    else:
        read = [_parsed(compact, country, phonenumbers.is_valid_number) for country in countries]
    found = {number for number in read if number is not None}
    if len(found) > 1:
        raise ValueError(f"'{text}' could be {' or '.join(sorted(found))}; write the one meant")
    if not found:
        where = f" in {' or '.join(countries)}" if countries and compact[:1] != "+" else ""
        raise ValueError(f"'{text}' is not a phone number{where}; write it as +CC…")
    return found.pop()


def _parsed(text: str, country: str | None, check) -> str | None:
    try:
        parsed = phonenumbers.parse(text, country)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) \
        if check(parsed) else None


@functools.lru_cache(maxsize=4096)
def caller_token(secret: bytes, number: str) -> str | None:
    """The keyed hash of a caller's number; None for a withheld number.

    Cached: a call's steps all carry the same number, and the cache lives in memory only.
    """
    number = "".join(number.split())
    if number.lower() in WITHHELD:
        return None
    return hmac.new(secret, number.encode(), hashlib.sha256).hexdigest()[:32]


def retain(connection: sa.Connection, now: datetime, days: int) -> int:
    """Delete calls (and their steps) that started more than ``days`` ago; how many calls."""
    cutoff = int((now - timedelta(days=days)).timestamp() * 1000)
    connection.execute(sa.delete(steps).where(steps.c.at_ms < cutoff))
    return connection.execute(sa.delete(calls).where(calls.c.started_ms < cutoff)).rowcount


def forget(connection: sa.Connection, token: str) -> int:
    """Erase every call of one caller, steps and all; how many calls."""
    theirs = sa.select(calls.c.sid).where(calls.c.caller == token)
    connection.execute(sa.delete(steps).where(steps.c.sid.in_(theirs)))
    return connection.execute(sa.delete(calls).where(calls.c.caller == token)).rowcount
