"""The console: every line in a browser, at /console on the webhooks' own Flask app.

Off unless an admin sets a password (``IVR_CONSOLE_PASSWORD``) or a users file of password
hashes (``IVR_CONSOLE_USERS``). ``create_app`` (or ``init_app`` on an app) is the way in;
the pages, the browser phone and the switch form live in their own modules. Nothing here
changes how a webhook is checked or answered: the phone reaches the webhooks as Twilio
does, signed.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask

# The modules' routes register themselves on the blueprint when imported.
from ivr.console import auth, figures, pages, phone, sessionkey, switchform  # noqa: F401
from ivr.console.blueprint import bp
from ivr.core.errors import IvrError
from ivr.server import app as server_app

log = logging.getLogger(__name__)


def create_app(config: dict | None = None) -> Flask:
    """The webhooks' app (``ivr.server.app.create_app``) with the console, when sign-in is set.

    The webhooks know nothing of the console: it is added here, on top, which is how
    ``ivr serve`` builds each worker's app.
    """
    app = server_app.create_app(config)
    init_app(app)
    return app


def init_app(app: Flask) -> bool:
    """Register the console when sign-in is configured; return whether it was."""
    config = app.config
    config.setdefault("CONSOLE_PASSWORD", os.environ.get("IVR_CONSOLE_PASSWORD") or None)
    config.setdefault("CONSOLE_USERS", os.environ.get("IVR_CONSOLE_USERS") or None)
    users = auth.load_users(config["CONSOLE_PASSWORD"], config["CONSOLE_USERS"])
    if not users:
        return False
    app.extensions["ivr.console.users"] = users
    if not config.get("SECRET_KEY"):
        try:
            config["SECRET_KEY"] = sessionkey.secret(Path(config["STATE_DIR"]))
        except IvrError as exc:  # the key replaced by hand: the lines answer all the same
            log.error("console: %s; the console is off until then", exc)
            return False
    # Flask has defaults for these, so setdefault would keep Flask's: assign.
    config.update(SESSION_COOKIE_NAME="ivr_console", SESSION_COOKIE_SAMESITE="Lax",
                  SESSION_COOKIE_HTTPONLY=True,
                  SESSION_COOKIE_SECURE=str(config.get("PUBLIC_URL") or "").startswith("https:"))
    phone.init_app(app)
    figures.init_app(app)
    app.register_blueprint(bp)
    return True


def sign_in_from_environment() -> dict[str, str]:
    """The users ``IVR_CONSOLE_PASSWORD`` and ``IVR_CONSOLE_USERS`` give (empty: console off).

    For ``ivr serve`` to refuse a malformed users file before its workers start: IvrError.
    """
    return auth.load_users(os.environ.get("IVR_CONSOLE_PASSWORD") or None,
                           os.environ.get("IVR_CONSOLE_USERS") or None)

