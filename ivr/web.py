"""The Flask app: Twilio's voice webhooks over the engine, one line per called number.

``create_app`` is the one way in (gunicorn, the simulator and the tests all use it). The
server keeps no per-call memory: each action URL carries the line, the node and its
counters, and Twilio signs that URL. Whatever goes wrong, Twilio gets a 200 with TwiML: a
broken step is logged with its traceback and the caller hears the line's apology.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path

from flask import Blueprint, Flask, current_app, g, request
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from ivr import signature, twiml
from ivr.calllog import clean, log_fallback, log_step
from ivr.engine import DialOutcome, Event, Keys, Silence, Start, State, step
from ivr.errors import IvrError
from ivr.journal import hooks as journal
from ivr.lastgood import state_dir
from ivr.model import Line
from ivr.registry import Registry
from ivr.yamlsource import MAX_BYTES

log = logging.getLogger(__name__)
bp = Blueprint("voice", __name__)

CLOCK_HEADER = "X-Ivr-Clock"
"""With TEST_CLOCK (insecure servers only), a request may say what time it is, for testers."""

LAST_RESORT = [
    ("Tyvärr kan samtalet inte tas emot på det här numret just nu.", "Polly.Astrid", "sv-SE"),
    ("Sorry, this number cannot take your call right now.", "Polly.Joanna", "en-US"),
]
"""The only words in code: said when no line can be found to speak for itself."""


MAX_BODY = 16 * 1024
"""Largest webhook body read: Twilio's are 1-2 KB; a larger one gets 413 before parsing."""


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app. It never fails because of menus: a worker that boots while a file is
    broken serves the last good version from the state directory, like its siblings.

    ``RELOAD_INTERVAL`` (seconds) starts this process's background check of the menus
    folder; 0 or None starts none (tests then call ``registry.refresh()`` themselves).
    """
    app = Flask(__name__)
    app.config.from_mapping(
        MENUS=os.environ.get("IVR_MENUS", "menus"),
        STATE_DIR=None,
        MAX_MENU_BYTES=MAX_BYTES,
        TWILIO_AUTH_TOKEN=os.environ.get("TWILIO_AUTH_TOKEN") or None,
        PROXY_HOPS=0,
        RELOAD_INTERVAL=0.5,
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
                        max_bytes=app.config["MAX_MENU_BYTES"])
    registry.refresh()
    if app.config["RELOAD_INTERVAL"]:
        registry.watch(app.config["RELOAD_INTERVAL"])
    app.extensions["ivr.registry"] = registry
    hops = int(app.config["PROXY_HOPS"])
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops,
                                x_port=hops)
    signature.init_app(app)
    if app.config["TEST_CLOCK"]:
        app.after_request(_echo_test_clock)
    journal.init_app(app)
    app.register_blueprint(bp)
    app.register_error_handler(Exception, _on_error)
    return app


def _registry() -> Registry:
    return current_app.extensions["ivr.registry"]


def _xml(body: str, status: int = 200):
    return body, status, {"Content-Type": "text/xml; charset=utf-8"}


def _params() -> tuple[dict[str, str], dict[str, str]]:
    """The webhook's query and form as plain dicts, read once.

    Every ``request.…`` goes through a context-local proxy, and looking up a missing key in
    Werkzeug's MultiDict raises an exception inside; plain dicts cost neither, and every
    webhook runs while the caller hears silence.
    """
    return request.args.to_dict(), request.form.to_dict()


def _now() -> datetime:
    """The clock's time, or the tester's X-Ivr-Clock on a server run with --test-clock."""
    config = current_app.config
    sent = request.headers.get(CLOCK_HEADER) if config["TEST_CLOCK"] else None
    if sent:
        try:
            now = datetime.fromisoformat(sent)
        except ValueError:
            now = None
        if now is not None and now.tzinfo is not None:
            g.test_clock = now
            return now
    return config["CLOCK"]()


def _echo_test_clock(response):
    """Tell the tester the time they sent was used (so a server without it is noticed)."""
    if "test_clock" in g:
        response.headers[CLOCK_HEADER] = g.test_clock.isoformat()
    return response


def _answer(line: Line, state: State | None, event: Event, form: dict[str, str]):
    """Run one engine step and render it as TwiML."""
    line, now = journal.switched(line), _now()
    turn = step(line, state, event, now)
    log_step(form, line.id, state, event, turn)
    journal.step(form, line, state, event, turn, now)
    return _xml(twiml.render(turn, line_id=line.id, voice=line.voice, language=line.language,
                             root=request.script_root))


def _line_of_call(args: dict[str, str], form: dict[str, str]) -> Line | None:
    """The line named in the action URL, else the one answering the called number."""
    registry = _registry()
    return registry.line(args.get("line", "")) or registry.by_number(form.get("To", ""))


def _state(args: dict[str, str]) -> State | None:
    """The state in the action URL, or None when it is missing or garbled."""
    try:
        counters = [int(args.get(key, "0")) for key in ("ni", "bad", "n")]
    except ValueError:
        return None
    node = args.get("node", "")
    if not node or not all(0 <= c < 100 for c in counters):
        return None
    return State(node, *counters)


def _apology(line: Line | None):
    if line is None:
        return _xml(twiml.say_and_hang_up(LAST_RESORT))
    return _xml(twiml.say_and_hang_up([(line.apology, line.voice, line.language)]))


@bp.post("/voice")
def voice():
    """Twilio's incoming-call webhook: answer as the line that owns the called number."""
    form = request.form.to_dict()
    line = _registry().by_number(form.get("To", ""))
    if line is None:
        log.warning("call %s to unknown number %s", clean(form.get("CallSid", "?")),
                    clean(form.get("To", "")))
        return _apology(None)
    return _answer(line, None, Start(), form)


@bp.post("/gather")
def gather():
    """A menu's answer: keys pressed, or (no Digits) silence."""
    args, form = _params()
    line = _line_of_call(args, form)
    if line is None:
        return _apology(None)
    digits = form.get("Digits", "")
    return _answer(line, _state(args), Keys(digits) if digits else Silence(), form)


@bp.post("/dial")
def dial():
    """How a Dial ended: answered, busy, no-answer, failed or canceled."""
    args, form = _params()
    line = _line_of_call(args, form)
    if line is None:
        return _apology(None)
    status = form.get("DialCallStatus", "failed")
    return _answer(line, _state(args), DialOutcome(status), form)


@bp.post("/fallback")
def fallback():
    """Twilio's fallback URL: the main webhook failed, so apologise in the line's voice."""
    form = request.form.to_dict()
    line = _registry().by_number(form.get("To", ""))
    log_fallback(form, line.id if line else "-")
    return _apology(line)


@bp.post("/status")
def status():
    """Call status callback: note how the call ended (a hang-up mid-menu is normal)."""
    line = _registry().by_number(request.form.get("To", ""))
    log_step(request.form, line.id if line else "-", None, None, None)
    journal.status(request.form, line, _now())
    return _xml(twiml.empty())


@bp.get("/health")
def health():
    """For load balancers and admins: this worker (its pid), the lines it serves, and each
    menu file: ok with its version, or broken since when, its first error, what is served."""
    registry = _registry()
    return {"lines": sorted(registry.lines()), "pid": os.getpid(), "files": registry.files()}


def _on_error(exc: Exception):
    if isinstance(exc, HTTPException):
        return f"{exc.code} {exc.name}", exc.code, {"Content-Type": "text/plain"}
    log.exception("error while answering %s %s", request.method, request.path)
    try:
        line = _line_of_call(*_params())
        journal.error(request.form, line)
        return _apology(line)
    except Exception:  # the apology must not fail: fall back to words that need nothing
        log.exception("error while apologising")
        return _xml(twiml.say_and_hang_up(LAST_RESORT))
