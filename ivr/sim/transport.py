"""How the caller reaches a server: in this process (WSGI, through the app's test client)
or over HTTP, signing each request as Twilio does when given the auth token.

Either way only webhook parameters go out and TwiML comes back.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from math import ceil

from flask import Flask
from twilio.request_validator import RequestValidator


class Unreachable(Exception):
    """No server answered at the URL (nothing listening, no such host, a timeout)."""


class ClockIgnored(Exception):
    """The server answered without using the time the caller asked for (``--at``)."""


class InProcess:
    """Posts to a Flask app in this process (no server to start).

    ``environ`` is added to each request's WSGI environ: keys no HTTP request can set,
    which the console uses to mark its rehearsal calls.
    """

    base = "http://localhost"

    def __init__(self, app: Flask, token: str | None = None,
                 environ: dict | None = None) -> None:
        self.client = app.test_client()
        self.token = token
        self.environ = environ or {}

    def post(self, url: str, params: dict[str, str]) -> tuple[int, str]:
        headers = _sign(self.token, url, params)
        response = self.client.post(url[len(self.base):] or "/", data=params, headers=headers,
                                    environ_overrides=self.environ)
        return response.status_code, response.get_data(as_text=True)


class OverHttp:
    """Posts to a running server, as Twilio would.

    With ``at``, each request carries X-Ivr-Clock: ``at`` plus ``elapsed``, the seconds into
    the call the caller has reached; ``clock_honoured`` tells whether the server (``ivr serve
    --insecure --test-clock``) used it.
    """

    def __init__(self, base: str, token: str | None = None, timeout: float = 15.0,
                 at: datetime | None = None) -> None:
        self.base = base.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.at = at
        self.elapsed = 0.0
        self.clock_honoured = False

    def post(self, url: str, params: dict[str, str]) -> tuple[int, str]:
        body = urllib.parse.urlencode(params).encode()
        clock = {"X-Ivr-Clock": (self.at + timedelta(seconds=self.elapsed)).isoformat()
                 } if self.at else {}
        headers = {**_sign(self.token, url, params), **clock}
        request = urllib.request.Request(url, data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                self.clock_honoured |= "X-Ivr-Clock" in response.headers
                answer = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise Unreachable(f"no server answers at {url}: {reason}{_hint(url, reason)}"
                              ) from None
        if self.at and not self.clock_honoured:
            raise ClockIgnored("the server ignored --at (it was not started with ivr serve "
                               "--insecure --test-clock), so the call stopped at its first "
                               "step")
        return answer


def _hint(url: str, reason: object) -> str:
    """A way out for the usual mistake: https:// to a server that speaks plain http."""
    if url.startswith("https://") and "WRONG_VERSION_NUMBER" in str(reason):
        return f" (the server speaks plain HTTP: use http://{url.removeprefix('https://')})"
    return ""


def _sign(token: str | None, url: str, params: dict[str, str]) -> dict[str, str]:
    if not token:
        return {}
    return {"X-Twilio-Signature": RequestValidator(token).compute_signature(url, params)}


def refusal(url: str, status: int, token: str | None) -> str:
    """Why a step failed, with what to check: the token, the URL, or the server's log."""
    if status == 403:
        advice = ("is TWILIO_AUTH_TOKEN the server's?" if token else
                  "set TWILIO_AUTH_TOKEN to the server's token")
        return f"{url}: the server refused the signature (403): {advice}"
    if status == 404:
        return f"{url}: no webhook there (404); give the server's address, e.g. " \
               "https://ivr.example.org"
    return f"{url} answered {status} without TwiML; see the server's log"


def post_status(post, base: str, params: dict[str, str], seconds: float) -> None:
    """Twilio's status callback as a call ends (to /status, where docs/server.md points it): how
    it ended and how long it lasted, sent with ``post``. Its answer changes nothing; a
    server gone is no error."""
    try:
        post(f"{base}/status", {**params, "CallStatus": "completed",
                                "CallDuration": str(ceil(seconds))})
    except (Unreachable, ClockIgnored):
        pass
