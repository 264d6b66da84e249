"""Only Twilio may drive the line: every webhook must carry a valid X-Twilio-Signature.

Twilio signs the URL it called (query string included, exactly as sent) plus the sorted
POST parameters. The URL is rebuilt from the request as it reached Flask: behind ngrok or a
reverse proxy the outside scheme and host come from ``X-Forwarded-*`` only through
werkzeug's ``ProxyFix``, set up with the configured number of trusted hops, so with none
configured a caller cannot rewrite the URL a signature is checked against.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from flask import Flask, Request, abort, current_app, request
from twilio.request_validator import (
    SIGNATURE_HEADER,
    SIGNATURE_SETTINGS_HEADER,
    RequestValidator,
    get_signature_algorithm,
)

from ivr.server.calllog import clean

log = logging.getLogger(__name__)


def called_url(req: Request) -> str:
    """The URL the caller asked for, with path and query as sent on the wire."""
    raw = req.environ.get("RAW_URI") or req.environ.get("REQUEST_URI")
    if not raw or not raw.startswith("/"):
        raw = quote(req.script_root + req.path)
        if req.query_string:
            raw += "?" + req.query_string.decode("latin-1")
    return f"{req.scheme}://{req.host}{raw}"


def _check() -> None:
    if request.endpoint in (None, "voice.health") or request.blueprint == "console":
        return  # the console signs people in; its phone reaches the webhooks signed
    token = current_app.config["TWILIO_AUTH_TOKEN"]
    signature = request.headers.get(SIGNATURE_HEADER, "")
    algorithm = get_signature_algorithm(request.headers.get(SIGNATURE_SETTINGS_HEADER))
    url = called_url(request)
    if not signature or not RequestValidator(token).validate(
            url, request.form, signature, algorithm):
        log.warning("rejected a request to %s: %s X-Twilio-Signature", clean(url, 200),
                    "invalid" if signature else "no")
        abort(403)


def init_app(app: Flask) -> None:
    """Check signatures before every webhook when TWILIO_AUTH_TOKEN is configured.

    Without a token nothing is registered, so an insecure server pays nothing per request.
    """
    if app.config["TWILIO_AUTH_TOKEN"]:
        app.before_request(_check)
