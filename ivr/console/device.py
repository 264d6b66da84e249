"""The device cookie (OWASP's defence against lock-out): a browser that signed in before.

A successful sign-in sets ``ivr_console_device``, signed with the console's key and naming
the user. Tries that carry a valid one for the name typed are limited in a bucket of their
own, so strangers guessing a name from anywhere slow only each other, never the real admin
at her own browser. A name no user has is counted like one: the same wait, so a refusal
tells no one which names exist. Nothing here touches the store.
"""

from __future__ import annotations

import hashlib

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

COOKIE = "ivr_console_device"
DAYS = 90
"""A device cookie is good this long after the sign-in that set it."""


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="ivr-console-device")


def bucket(name: str) -> str:
    """Where a try at ``name`` from this request is counted: the name's own bucket, known
    or not (a digest, so junk names are not stored as typed), or its device's."""
    try:
        named = _signer().loads(request.cookies.get(COOKIE, ""), max_age=DAYS * 86400)
    except BadSignature:
        named = None
    digest = hashlib.sha256(name.encode()).hexdigest()[:32]
    return f"device:{digest}" if named == name else f"name:{digest}"


def remember(response: Response, name: str) -> Response:
    """Set the device cookie for ``name`` on the answer to a successful sign-in."""
    response.set_cookie(COOKIE, _signer().dumps(name), max_age=DAYS * 86400,
                        path=current_app.config.get("APPLICATION_ROOT") or "/", httponly=True,
                        samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response
