"""The console's blueprint: its templates, static files, headers and error pages.

Every console page is HTML for a person, so an error here is a short page, never the
webhooks' apology TwiML and never a traceback. Scripts come only from the console's own
static folder (vendored, no CDN), which the Content-Security-Policy enforces.
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask import Blueprint, current_app, render_template
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)



class _Console(Blueprint):
    """Vendored files carry their version in their names, so browsers may keep them."""

    def get_send_file_max_age(self, filename: str | None) -> int | None:
        if filename and filename.startswith("vendor/"):
            return 365 * 24 * 3600
        return super().get_send_file_max_age(filename)


bp = _Console("console", __name__, url_prefix="/console", template_folder="templates",
              static_folder="static")

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
          "form-action 'self'")
"""Mermaid writes inline styles into its SVG, hence 'unsafe-inline' for styles only."""


def now() -> datetime:
    """The server's clock (the app's CLOCK), an aware instant."""
    return current_app.config["CLOCK"]()


@bp.after_request
def _headers(response):
    response.headers.setdefault("Content-Security-Policy", POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    return render_template("error.html", title=f"{exc.code} {exc.name}",
                           message=exc.description), exc.code


@bp.errorhandler(Exception)
def _error(exc: Exception):
    log.exception("console error")
    return render_template("error.html", title="Something went wrong",
                           message="The page could not be shown; the server log says why."), 500
