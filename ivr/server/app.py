"""The Flask app factory, the one way into the server from outside it.

gunicorn, the simulator, explore and the tests all build the app here, and read what it
serves through the functions below (never its registry). The webhooks are ``webhooks``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from ivr.core.errors import IvrError
from ivr.core.model import Line
from ivr.journal.statedir import state_dir
from ivr.menufile.folder import MAX_BYTES
from ivr.server import journaling as journal
from ivr.server import signature
from ivr.server.posted import WebhookRequest
from ivr.server.registry import RETIRE_AFTER, Registry
from ivr.server.webhooks import CLOCK_YEARS, REGISTRY, bp, echo_test_clock, on_error

__all__ = ["CLOCK_YEARS", "create_app", "in_process_app", "journal_engine", "line_for_number",
           "menu_files", "menus_folder", "refresh", "served_line", "served_lines"]

log = logging.getLogger(__name__)
MAX_BODY = 16 * 1024
"""Largest webhook body read: Twilio's are 1-2 KB; a larger one gets 413 before parsing."""


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app. It never fails because of menus: a worker that boots while a file is
    broken serves the last good version from the state directory, like its siblings.

    ``RELOAD_INTERVAL`` (seconds) starts this process's background check of the menus
    folder; 0 or None starts none (tests then call ``refresh(app)`` themselves).
    ``PUBLIC_URL`` (the address Twilio calls) fixes the scheme and host that signatures
    are checked against. ``KEEP_STATE=False`` keeps the last good versions in memory and
    writes nothing to disk (``in_process_app`` for the simulator and explore).
    ``RETIRE_AFTER`` (seconds) is how long a line whose file is gone keeps being served.
    """
    app = Flask(__name__)
    app.request_class = WebhookRequest
    app.config.from_mapping(
        MENUS=os.environ.get("IVR_MENUS", "menus"),
        STATE_DIR=None,
        KEEP_STATE=True,
        MAX_MENU_BYTES=MAX_BYTES,
        TWILIO_AUTH_TOKEN=os.environ.get("TWILIO_AUTH_TOKEN") or None,
        PROXY_HOPS=0,
        PUBLIC_URL=None,
        RELOAD_INTERVAL=0.5,
        RETIRE_AFTER=RETIRE_AFTER.total_seconds(),
        TEST_CLOCK=False,
        CLOCK=lambda: datetime.now(UTC),
        MAX_CONTENT_LENGTH=MAX_BODY,
        MAX_FORM_MEMORY_SIZE=MAX_BODY,
    )
    app.config.update(test_config or {})
    if app.config["TEST_CLOCK"] and app.config["TWILIO_AUTH_TOKEN"]:
        raise IvrError("the test clock lets callers set the time: it is for --insecure "
                       "servers only, never with TWILIO_AUTH_TOKEN")
    menus = Path(app.config["MENUS"])
    app.config["STATE_DIR"] = state_dir(menus, app.config["STATE_DIR"])
    registry = Registry(menus, state=app.config["STATE_DIR"],
                        max_bytes=app.config["MAX_MENU_BYTES"],
                        keep_state=app.config["KEEP_STATE"], claims=journal.claims(app),
                        switches=journal.switches(app),
                        retire_after=timedelta(seconds=float(app.config["RETIRE_AFTER"])),
                        clock=app.config["CLOCK"])
    try:
        registry.refresh()
    except Exception:  # a worker must boot whatever the menus folder holds
        log.exception("the first check of %s failed; the background check tries again", menus)
    if app.config["RELOAD_INTERVAL"]:
        registry.watch(app.config["RELOAD_INTERVAL"])
    app.extensions[REGISTRY] = registry
    hops = int(app.config["PROXY_HOPS"])
    if hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
    signature.init_app(app, bp.name, unsigned=("health",))
    journal.init_app(app)
    if app.config["TEST_CLOCK"]:
        app.after_request(echo_test_clock)
    app.register_blueprint(bp)
    app.register_error_handler(Exception, on_error)
    return app


def in_process_app(menus: Path, *, token: str | None = None,
                   clock: Callable[[], datetime] | None = None) -> Flask:
    """An app for one process's calls (the simulator, explore): it starts no background
    thread and writes nothing to disk, so a tester's call leaves no trace beside the menus."""
    config: dict[str, Any] = {"MENUS": str(menus), "TWILIO_AUTH_TOKEN": token,
                              "KEEP_STATE": False, "RELOAD_INTERVAL": 0}
    if clock:
        config["CLOCK"] = clock
    return create_app(config)


def served_line(app: Flask, line_id: str) -> Line | None:
    """The line ``app`` serves under ``line_id`` as callers get it (with the switch of its
    file and of the shared database), or None."""
    return app.extensions[REGISTRY].line(line_id)


def served_lines(app: Flask) -> dict[str, Line]:
    """Every line ``app`` serves, by id, as callers get it."""
    return app.extensions[REGISTRY].lines()


def menu_files(app: Flask) -> dict[str, dict]:
    """Each menu file's state by file name: served, broken (since when, why) or gone."""
    return app.extensions[REGISTRY].files()


def menus_folder(app: Flask) -> Path:
    """The folder ``app`` serves menu files from (its switches are in ``switches/``)."""
    return app.extensions[REGISTRY].folder


def journal_engine(app: Flask):
    """The database engine of ``app``'s call journal, or None when it keeps none."""
    return journal.engine(app)


def line_for_number(app: Flask, number: str) -> Line | None:
    """The line ``app`` answers ``number`` with (E.164 or a SIP user part), or None."""
    return app.extensions[REGISTRY].by_number(number)


def refresh(app: Flask, wait: bool = True) -> None:
    """Pick up changed menu files now (an app built with no background check); with
    ``wait=False``, not if a refresh is under way already (it picks them up)."""
    app.extensions[REGISTRY].refresh(wait)
