"""Who may use the console: sign-in, a limit on failed attempts, CSRF tokens, the audit log.

Passwords are checked against werkzeug hashes (a users file of ``name:hash`` lines, or
``IVR_CONSOLE_PASSWORD`` for a single ``admin``). Every console request needs a signed-in
session; every POST needs the session's CSRF token (a form field or an ``X-CSRF-Token``
header). Failed sign-ins are slowed per name, whatever the address, in the store every
worker and server shares (``signins``); a browser that signed in before has a bucket of its
own (``device``), so a stranger's guesses never lock the real admin out. A refused try
costs one query and no hash; an unknown name costs a hash as a known one does. Sessions
carry their name's sign-out mark from that store, so a sign-out anywhere ends them
everywhere. Every change an admin makes is one line on the ``ivr.console.audit`` logger.
"""

from __future__ import annotations

import logging
import secrets
import time
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from flask import abort, current_app, redirect, render_template, request, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from ivr.console import device, signins
from ivr.console.blueprint import bp
from ivr.core.errors import IvrError

audit_log = logging.getLogger("ivr.console.audit")
log = logging.getLogger(__name__)

PASSWORD_USER = "admin"
"""The name that signs in with IVR_CONSOLE_PASSWORD."""
STORE = "ivr.console.store"
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
    name, password = request.form.get("name", "").strip()[:64], request.form.get("password", "")
    digest = current_app.extensions["ivr.console.users"].get(name)
    bucket = device.bucket(name)
    retry = signins.claim(_store(), bucket, time.time())
    if retry:
        return _refuse(f"Too many failed attempts for this name; try again in {retry} "
                       f"second{'s' * (retry != 1)}.", 429, target, {"Retry-After": str(retry)})
    matches = check_password_hash(digest or _dummy(_method()), password)
    if not matches or digest is None:
        audit_log.warning("failed sign-in name=%r addr=%s", name, request.remote_addr)
        return _refuse("Wrong name or password.", 401, target)
    signins.succeeded(_store(), bucket)
    session.clear()
    session.update(user=name, since=time.time(), mark=signins.mark(_store(), name))
    audit("sign-in")
    return device.remember(redirect(target), name)


@bp.post("/sign-out")
def sign_out():
    audit("sign-out")
    signins.sign_out_everywhere(_store(), session["user"])
    session.clear()
    return redirect(url_for("console.sign_in"))


@bp.errorhandler(sa.exc.SQLAlchemyError)
def _store_down(exc: sa.exc.SQLAlchemyError):
    """The shared store is needed to sign in and to check a session: say so, no traceback."""
    log.warning("console sign-in store unreachable: %s", exc)
    return render_template("error.html", title="503 Sign-in unavailable",
                           message="The console cannot reach the database that keeps its "
                                   "sign-ins (IVR_DATABASE_URL); try again when it is back."), 503


def _store() -> sa.Engine:
    """This app's engine for the shared sign-in store, opened (and brought up to date) once."""
    if STORE not in current_app.extensions:
        config = current_app.config
        current_app.extensions[STORE] = signins.open_store(Path(config["STATE_DIR"]),
                                                           config.get("DATABASE_URL"))
    return current_app.extensions[STORE]


def _method() -> str:
    """The hash method of the first user, so the dummy hash costs what a real one does."""
    digest = next(iter(current_app.extensions["ivr.console.users"].values()))
    return digest.split("$", 1)[0]


@cache
def _dummy(method: str) -> str:
    """A hash no password matches, checked for unknown names so they take as long."""
    return generate_password_hash(secrets.token_urlsafe(16), method)


def _still_valid() -> bool:
    """Signed in less than SESSION_HOURS ago, and not signed out since (in any worker)."""
    since = session.get("since")
    if not isinstance(since, (int, float)) or time.time() - since > SESSION_HOURS * 3600:
        return False
    return session.get("mark") == signins.mark(_store(), session["user"])


def _refuse(message: str, status: int, target: str, headers: dict | None = None):
    return render_template("sign_in.html", next=target, error=message), status, headers or {}


def _safe_next(target: str) -> str:
    """Only a path inside the console, on one line: never another site, nor a header split."""
    prefix = url_for("console.overview")
    if (target.startswith(prefix) and not target.startswith("//")
            and target.isprintable() and "\\" not in target):
        return target
    return prefix
