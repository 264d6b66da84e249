"""How the caller reaches a server: in this process (WSGI, through the app's test client)
or over HTTP, signing each request as Twilio does when given the auth token.

Either way only webhook parameters go out and TwiML comes back.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime

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
        self.client, self.token, self.environ = app.test_client(), token, environ or {}

    def post(self, url: str, params: dict[str, str]) -> tuple[int, str]:
        headers = _sign(self.token, url, params)
        response = self.client.post(url[len(self.base):] or "/", data=params, headers=headers,
                                    environ_overrides=self.environ)
        return response.status_code, response.get_data(as_text=True)


class OverHttp:
    """Posts to a running server, as Twilio would.

    With ``at``, each request carries X-Ivr-Clock; ``clock_honoured`` tells whether the
    server (``ivr serve --insecure --test-clock``) used it.
    """

    def __init__(self, base: str, token: str | None = None, timeout: float = 15.0,
                 at: datetime | None = None) -> None:
        self.base, self.token, self.timeout = base.rstrip("/"), token, timeout
        self.clock = {"X-Ivr-Clock": at.isoformat()} if at else {}
        self.clock_honoured = False

    def post(self, url: str, params: dict[str, str]) -> tuple[int, str]:
        body = urllib.parse.urlencode(params).encode()
        headers = {**_sign(self.token, url, params), **self.clock}
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
        if self.clock and not self.clock_honoured:
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
