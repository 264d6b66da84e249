"""Only Twilio may drive the line: every webhook must carry a valid X-Twilio-Signature.

Twilio signs the URL it called (query string included, exactly as sent) plus the sorted
POST parameters. With the public URL configured (``--public-url``) its scheme and host are
the ones checked. Otherwise the URL is rebuilt from the request as it reached Flask: behind
ngrok or a reverse proxy the outside scheme and host come from ``X-Forwarded-*`` only
through werkzeug's ``ProxyFix``, set up with the configured number of trusted hops, so with
none configured a caller cannot rewrite the URL a signature is checked against.
"""

from __future__ import annotations

import logging
from urllib.parse import quote, urlsplit

from flask import Flask, Request, abort, current_app, request
from twilio.request_validator import (
    HMAC_SHA1,
    HMAC_SHA256,
    SIGNATURE_HEADER,
    SIGNATURE_SETTINGS_HEADER,
    RequestValidator,
    get_signature_algorithm,
)

from ivr.core.logsafe import clean
from ivr.server import posted

log = logging.getLogger(__name__)
ALGORITHMS = (HMAC_SHA1, HMAC_SHA256)
"""What X-Twilio-Webhooks-Signature-Settings may name; anything else is refused here."""


def called_url(req: Request, public_url: str | None = None) -> str:
    """The URL the caller asked for, with path and query as sent on the wire.

    With ``public_url`` (``--public-url``, the address Twilio is given) its scheme and host
    are used, never the request's ``Host``: a request Twilio signed for another app on the
    same account, at the same path, cannot be replayed here.
    """
    raw = req.environ.get("RAW_URI") or req.environ.get("REQUEST_URI")
    if not raw or not raw.startswith("/"):
        raw = quote(req.script_root + req.path)
        if req.query_string:
            raw += "?" + req.query_string.decode("latin-1")
    if public_url:
        public = urlsplit(public_url)
        return f"{public.scheme}://{public.netloc}{raw}"
    return f"{req.scheme}://{req.host}{raw}"


def _check() -> None:
    token = current_app.config["TWILIO_AUTH_TOKEN"]
    signature = request.headers.get(SIGNATURE_HEADER, "")
    algorithm = get_signature_algorithm(request.headers.get(SIGNATURE_SETTINGS_HEADER))
    url = called_url(request, current_app.config["PUBLIC_URL"])
    if algorithm.upper() not in ALGORITHMS:  # never handed on: twilio would log it raw
        log.warning("rejected a request to %s: unsupported signature algorithm %s",
                    clean(url, 200), clean(algorithm))
        abort(403)
    if not signature or not RequestValidator(token).validate(
            url, posted.every_value(), signature, algorithm):
        log.warning("rejected a request to %s: %s X-Twilio-Signature", clean(url, 200),
                    "invalid" if signature else "no")
        abort(403)


def init_app(app: Flask, webhooks: str, *, unsigned: tuple[str, ...] = ()) -> None:
    """Check signatures before every request to the blueprint named ``webhooks`` when
    TWILIO_AUTH_TOKEN is configured, but for its ``unsigned`` endpoints (a health check).

    Only Twilio's requests are checked: a page of another blueprint (the console, which
    signs people in itself and whose phone reaches the webhooks signed) is none of this
    module's business. Without a token nothing is registered, so an insecure server pays
    nothing per request.
    """
    if not app.config["TWILIO_AUTH_TOKEN"]:
        return
    exempt = frozenset(f"{webhooks}.{endpoint}" for endpoint in unsigned)

    def signed_by_twilio() -> None:
        if request.blueprint == webhooks and request.endpoint not in exempt:
            _check()

    app.before_request(signed_by_twilio)
