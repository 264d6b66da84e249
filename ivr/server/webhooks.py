"""Twilio's voice webhooks over the engine, one line per called number: the blueprint.

/voice /gather /dial /fallback /status /health, and the error handler. The server keeps no
per-call memory: each action URL carries the line, the node and its
counters, and Twilio signs that URL. Whatever goes wrong, Twilio gets a 200 with TwiML: a
broken step is logged with its traceback and the caller hears the line's apology.
"""

from __future__ import annotations

import ipaddress
import logging
import os
from collections.abc import Callable
from datetime import datetime

from flask import Blueprint, current_app, g, request
from werkzeug.exceptions import HTTPException

from ivr.core.engine import DialOutcome, Event, Keys, Silence, Start, step
from ivr.core.logsafe import clean
from ivr.core.model import Line
from ivr.core.state import State
from ivr.server import journaling as journal
from ivr.server import posted, twiml
from ivr.server.calllog import log_fallback, log_step
from ivr.server.registry import Registry

log = logging.getLogger(__name__)
bp = Blueprint("voice", __name__)
REGISTRY = "ivr.registry"
"""The app's registry, under ``app.extensions``: outside this package, use the functions."""

CLOCK_HEADER = "X-Ivr-Clock"
"""With TEST_CLOCK (insecure servers only), a request may say what time it is, for testers."""
CLOCK_YEARS = (1970, 2200)
"""Years a tester's clock may name: beyond them date arithmetic overflows; any other value
is ignored (and not echoed), like one that is not a time at all."""

LAST_RESORT = [
    ("Tyvärr kan samtalet inte tas emot på det här numret just nu.", "Polly.Astrid", "sv-SE"),
    ("Sorry, this number cannot take your call right now.", "Polly.Joanna", "en-US"),
]
"""The only words in code: said when no line can be found to speak for itself."""


def _registry() -> Registry:
    return current_app.extensions[REGISTRY]


def _xml(body: str, status: int = 200):
    return body, status, {"Content-Type": "text/xml; charset=utf-8"}


def _params() -> tuple[dict[str, str], dict[str, str]]:
    """The webhook's query and form as plain dicts, read once.

    Every ``request.…`` goes through a context-local proxy, and looking up a missing key in
    Werkzeug's MultiDict raises an exception inside; plain dicts cost neither, and every
    webhook runs while the caller hears silence.
    """
    return posted.query(), posted.form()


def _now() -> datetime:
    """The clock's time, or the tester's X-Ivr-Clock on a server run with --test-clock."""
    config = current_app.config
    sent = request.headers.get(CLOCK_HEADER) if config["TEST_CLOCK"] else None
    if sent:
        try:
            now = datetime.fromisoformat(sent)
        except ValueError:
            now = None
        first, last = CLOCK_YEARS
        if now is not None and now.tzinfo is not None and first <= now.year <= last:
            g.test_clock = now
            return now
    return config["CLOCK"]()


def echo_test_clock(response):
    """Tell the tester the time they sent was used (so a server without it is noticed)."""
    if "test_clock" in g:
        response.headers[CLOCK_HEADER] = g.test_clock.isoformat()
    return response


def _answer(line: Line, state: State | None, event: Event, form: dict[str, str]):
    """Run one engine step and render it as TwiML."""
    now = _now()
    turn = step(line, state, event, now)
    log_step(form, line.id, state, event, turn)
    journal.step(form, line, state, event, turn, now)
    return _xml(twiml.render(turn, line_id=line.id, voice=line.voice, language=line.language,
                             root=request.script_root))


def _line_of_call(args: dict[str, str], form: dict[str, str]) -> Line | None:
    """The line named in the action URL, else the one answering the called number."""
    registry = _registry()
    return registry.line(args.get("line", "")) or registry.by_number(form.get("To", ""))


def _apology(line: Line | None):
    if line is None:
        return _xml(twiml.say_and_hang_up(LAST_RESORT))
    return _xml(twiml.say_and_hang_up([(line.apology, line.voice, line.language)]))


@bp.post("/voice")
def voice():
    """Twilio's incoming-call webhook: answer as the line that owns the called number."""
    form = posted.form()
    line = _registry().by_number(form.get("To", ""))
    if line is None:
        log.warning("call %s to unknown number %s", clean(form.get("CallSid", "?")),
                    clean(form.get("To", "")))
        return _apology(None)
    return _answer(line, None, Start(), form)


@bp.post("/gather")
def gather():
    """A menu's answer: keys pressed, or (no Digits) silence."""
    return _resume(lambda form: Keys(form["Digits"]) if form.get("Digits") else Silence())


@bp.post("/dial")
def dial():
    """How a Dial ended: answered, busy, no-answer, failed or canceled."""
    return _resume(lambda form: DialOutcome(form.get("DialCallStatus", "failed")))


def _resume(event_of: Callable[[dict[str, str]], Event]):
    """A step of a call under way: its line and state from the action URL, its event from
    what Twilio posted."""
    args, form = _params()
    line = _line_of_call(args, form)
    if line is None:
        return _apology(None)
    return _answer(line, State.from_query(args), event_of(form), form)


@bp.post("/fallback")
def fallback():
    """Twilio's fallback URL: the main webhook failed, so apologise in the line's voice
    (and journal the call as an error: the caller did not give up, the line failed)."""
    form = posted.form()
    line = _registry().by_number(form.get("To", ""))
    log_fallback(form, line.id if line else "-")
    journal.error(form, line)
    return _apology(line)


@bp.post("/status")
def status():
    """Call status callback: note how the call ended (a hang-up mid-menu is normal)."""
    form = posted.form()
    line = _registry().by_number(form.get("To", ""))
    log_step(form, line.id if line else "-", None, None, None)
    journal.status(form, line, _now())
    return _xml(twiml.empty())


@bp.get("/health")
def health():
    """For load balancers: the status only. For an admin on this machine (loopback) also
    this worker (its pid), the lines it serves, each menu file (ok with its version, or
    broken since when, its first error, what is served) and the numbers in conflict: file
    names and errors are details a stranger has no use for."""
    registry = _registry()
    status: dict[str, object] = {"status": "ok" if registry.lines() else "no lines"}
    if _from_loopback(request.remote_addr):
        status |= {"lines": sorted(registry.lines()), "pid": os.getpid(),
                   "files": registry.files(), "conflicts": registry.conflicts()}
    return status


def _from_loopback(address: str | None) -> bool:
    """Whether a request came from this machine (after ProxyFix: the proxy's client)."""
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:  # a Unix socket, or a forwarded address that is no address
        return False


def on_error(exc: Exception):
    if isinstance(exc, HTTPException):
        return f"{exc.code} {exc.name}", exc.code, {"Content-Type": "text/plain"}
    log.exception("error while answering %s %s", request.method, request.path)
    try:
        line = _line_of_call(*_params())
        journal.error(posted.form(), line)
        return _apology(line)
    except Exception:  # the apology must not fail: fall back to words that need nothing
        log.exception("error while apologising")
        return _xml(twiml.say_and_hang_up(LAST_RESORT))
