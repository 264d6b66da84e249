"""Who may use the console: sign-in, a limit on failed attempts, CSRF tokens, the audit log.

Passwords are checked against werkzeug hashes (a users file of ``name:hash`` lines, or
``IVR_CONSOLE_PASSWORD`` for a single ``admin``). Every console request needs a signed-in
session; every POST needs the session's CSRF token (a form field or an ``X-CSRF-Token``
header). Failed sign-ins are limited per name and client address together, in each worker's
memory (a bounded table), so a stranger's guesses never lock the real admin out. Every
change an admin makes is one line on the ``ivr.console.audit`` logger.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections import OrderedDict, deque
from datetime import UTC, datetime
from pathlib import Path

from flask import abort, current_app, redirect, render_template, request, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from ivr.admin.console import sessionkey
from ivr.admin.console.blueprint import bp
from ivr.core.errors import IvrError

audit_log = logging.getLogger("ivr.console.audit")

PASSWORD_USER = "admin"
"""The name that signs in with IVR_CONSOLE_PASSWORD."""
ATTEMPTS, WINDOW = 5, 300.0
"""At most ATTEMPTS failed sign-ins per (name, client address) in WINDOW seconds."""
REMEMBERED = 10_000
"""At most this many (name, address) pairs are remembered; the oldest go first."""
OPEN_ENDPOINTS = {"console.sign_in", "console.static"}
SESSION_HOURS = 12
"""A sign-in lasts this long, however the cookie is kept; signing out ends it sooner."""


def load_users(password: str | None, users_file: str | None) -> dict[str, str]:
    """Names and password hashes; IvrError naming file and line for a malformed users file."""
    users = {}
    if users_file:
        path = Path(users_file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise IvrError(f"{path}: the console's users file cannot be read ({exc})") from None
        for number, raw in enumerate(text.splitlines(), 1):
            entry = raw.strip()
            if not entry or entry.startswith("#"):
                continue
            name, _, digest = entry.partition(":")
            if not name.strip() or "$" not in digest:
                raise IvrError(f"{path}:{number}: write NAME:HASH, the hash from werkzeug's "
                               "generate_password_hash")
            users[name.strip()] = digest.strip()
    if password:
        users[PASSWORD_USER] = generate_password_hash(password)
    return users


class _Failures:
    """Recent failed attempts by (name, address), forgotten after WINDOW; REMEMBERED at most.

    Keyed by the pair, not by the name alone: guesses at "admin" from elsewhere (or from the
    one address every visitor has behind a tunnel without --proxy-hops) do not lock out
    the admin's own sign-in from another address. The cost: a guesser may try ATTEMPTS
    passwords per name per address per WINDOW; the password hash's cost slows each try.
    """

    def __init__(self) -> None:
        self._seen: OrderedDict[tuple[str, str], deque[float]] = OrderedDict()

    def blocked(self, key: tuple[str, str]) -> bool:
        """Whether this pair has used up its attempts in the last WINDOW."""
        self._forget(key, time.monotonic() - WINDOW)
        return len(self._seen.get(key, ())) >= ATTEMPTS

    def add(self, key: tuple[str, str]) -> None:
        self._seen.setdefault(key, deque()).append(time.monotonic())
        self._seen.move_to_end(key)
        while len(self._seen) > REMEMBERED:
            self._seen.popitem(last=False)

    def _forget(self, key: tuple[str, str], cutoff: float) -> None:
        seen = self._seen.get(key)
        while seen and seen[0] < cutoff:
            seen.popleft()
        if seen is not None and not seen:
            del self._seen[key]

    def __len__(self) -> int:
        return len(self._seen)


_failures = _Failures()


def csrf_token() -> str:
    """The session's CSRF token, made on first use; templates put it in every form."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _token_ok(sent: str) -> bool:
    """Whether ``sent`` is this session's CSRF token (a session without one has none)."""
    expected = session.get("csrf", "")
    return bool(expected) and secrets.compare_digest(sent, expected)


def audit(action: str, **details: str) -> None:
    """One line per admin action: when, who, what."""
    words = " ".join(f"{key}={value!r}" for key, value in details.items())
    audit_log.info("%s user=%s action=%s %s", datetime.now(UTC).isoformat(timespec="seconds"),
                   session.get("user", "-"), action, words)


@bp.context_processor
def _template_globals():
    return {"csrf_token": csrf_token, "user": session.get("user")}


@bp.before_request
def _guard():
    """Sign-in for every page; a valid CSRF token for every POST."""
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if "user" in session and not _still_valid():
        session.clear()
    if "user" not in session:
        if request.method != "GET":
            abort(401, "Sign in first.")
        return redirect(url_for("console.sign_in", next=request.full_path))
    if request.method == "POST":
        sent = request.form.get("csrf") or request.headers.get("X-CSRF-Token", "")
        if not _token_ok(sent):
            abort(400, "The form was stale or came from elsewhere (CSRF token missing or "
                       "wrong). Reload the page and try again.")
    return None


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """The sign-in form; a wrong name or password says so, too many attempts wait."""
    target = _safe_next(request.values.get("next", ""))
    if request.method == "GET":
        return render_template("sign_in.html", next=target)
    if not _token_ok(request.form.get("csrf", "")):
        return _refuse("The sign-in form was stale; try again.", 400, target)
    name, password = request.form.get("name", "").strip(), request.form.get("password", "")
    key = (name[:64], request.remote_addr or "")
    if _failures.blocked(key):
        return _refuse(f"Too many failed attempts; wait {int(WINDOW // 60)} minutes.", 429,
                       target)
    digest = current_app.extensions["ivr.console.users"].get(name)
    if digest is None or not check_password_hash(digest, password):
        _failures.add(key)
        audit_log.warning("failed sign-in name=%r addr=%s", name[:64], request.remote_addr)
        return _refuse("Wrong name or password.", 401, target)
    session.clear()
    session.update(user=name, since=time.time(), mark=sessionkey.mark(_state(), name))
    audit("sign-in")
    return redirect(target)


@bp.post("/sign-out")
def sign_out():
    audit("sign-out")
    sessionkey.sign_out_everywhere(_state(), session["user"])
    session.clear()
    return redirect(url_for("console.sign_in"))


def _state() -> Path:
    return Path(current_app.config["STATE_DIR"])


def _still_valid() -> bool:
    """Signed in less than SESSION_HOURS ago, and not signed out since (in any worker)."""
    since = session.get("since")
    if not isinstance(since, (int, float)) or time.time() - since > SESSION_HOURS * 3600:
        return False
    return session.get("mark") == sessionkey.mark(_state(), session["user"])


def _refuse(message: str, status: int, target: str):
    return render_template("sign_in.html", next=target, error=message), status


def _safe_next(target: str) -> str:
    """Only a path inside the console: never a redirect to another site."""
    prefix = url_for("console.overview")
    if target.startswith(prefix) and not target.startswith("//"):
        return target
    return prefix
