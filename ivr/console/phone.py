"""The browser phone's server side: a rehearsal call through the real webhooks.

The browser sends the whole call so far (line, local time, keys pressed, dial outcomes
chosen); the call is run again from its start with the simulator's ``Caller`` against this
very app in-process, each request signed with the server's own token exactly as Twilio
signs, until it needs the next key or dial outcome. Replaying keeps the server free of call
state, as the webhooks are. The requests carry two WSGI environ keys no HTTP request can
set: ``REHEARSAL`` (not a real call: journaled as a test, never counted) and
``REHEARSAL_CLOCK`` (the time the call pretends to happen, read through the app's CLOCK).
A rehearsal's CallSid is made here and bound to the session (see SID): any other is refused,
so the phone never writes into a real call's journal entry.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    Flask,
    current_app,
    g,
    has_request_context,
    jsonify,
    render_template,
    request,
    session,
)

from ivr.console import forms
from ivr.console.auth import audit
from ivr.console.blueprint import bp, now
from ivr.console.pages import line_or_404
from ivr.server.app import served_line, served_lines
from ivr.sim.caller import Caller
from ivr.sim.transport import InProcess

REHEARSAL = "ivr.rehearsal"
REHEARSAL_CLOCK = "ivr.rehearsal.clock"
OUTCOMES = ("completed", "busy", "no-answer", "failed")
KEYS = re.compile(r"^([0-9*#]|-)$")
"""One key per menu answer; '-' is silence (the menu's time-out)."""
MAX_INPUTS = 100
SID = re.compile(r"^RH([0-9a-f]{16})([0-9a-f]{32})$")
"""A rehearsal's CallSid: RH (Twilio's calls all begin CA), a nonce, and a MAC binding it to
the session that started it, so the phone can never write into a real call's journal."""


def init_app(app: Flask) -> None:
    """Let a rehearsal request say what time it is; every other request keeps the clock.

    A rehearsal also sets ``g.test_clock``, as a tester's clock does, which is how the
    journal knows a call is a test and leaves it out of the statistics.
    """
    real = app.config["CLOCK"]

    @app.before_request
    def mark_rehearsal():
        if request.environ.get(REHEARSAL):
            g.test_clock = request.environ[REHEARSAL_CLOCK]

    def clock():
        if has_request_context():
            at = request.environ.get(REHEARSAL_CLOCK)
            if at is not None:
                return at
        return real()

    app.config["CLOCK"] = clock


class _Waiting(Exception):
    """The call needs the person at the browser: a key, or how a dial went."""

    def __init__(self, kind: str, *, timeout: float = 0.0, numbers: tuple[str, ...] = ()):
        super().__init__(kind)
        self.kind = kind
        self.timeout = timeout
        self.numbers = numbers


def _ask_dial(numbers: list[str]) -> str:
    """A Dial whose outcome the person at the browser has not chosen yet."""
    raise _Waiting("dial", numbers=tuple(numbers))


def _keypad(keys: list[str]):
    remaining = iter(keys)

    def press(timeout: float) -> str | None:
        item = next(remaining, None)
        if item is None:
            raise _Waiting("keys", timeout=timeout)
        return None if item == "-" else item

    return press


@bp.get("/phone")
def phone_page():
    """The phone: pick a line and a time, call, press keys, choose how each dial goes."""
    lines = sorted(served_lines(current_app).values(), key=lambda line: line.name.casefold())
    chosen = line_or_404(request.args["line"]) if request.args.get("line") else lines[0]
    # The next whole minute: a switch set a few seconds ago is in force for the call.
    local = (now() + timedelta(minutes=1)).astimezone(chosen.zone)
    return render_template("phone.html", lines=lines, chosen=chosen, outcomes=OUTCOMES,
                           at=f"{local:%Y-%m-%dT%H:%M}")


@bp.post("/phone/call")
def call():
    """Run the call so far; answer what was said and what the call waits for (JSON)."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _refuse("Send the call as JSON.")
    line = served_line(current_app, str(body.get("line", "")))
    if line is None or not line.numbers:
        return _refuse("Pick a line that is served.")
    keys, dials = body.get("keys", []), body.get("dials", [])
    if (not isinstance(keys, list) or not isinstance(dials, list)
            or len(keys) + len(dials) > MAX_INPUTS
            or not all(isinstance(k, str) and KEYS.match(k) for k in keys)
            or not all(d in OUTCOMES for d in dials)):
        return _refuse(f"Keys are 0-9, * and #; dial outcomes are {', '.join(OUTCOMES)}.")
    try:
        at = forms.moment(str(body.get("at", "")), line.zone)
    except ValueError as exc:
        return _refuse(f"Time of call: {exc}")
    sid = body.get("sid") or ""
    if not sid:
        sid = _rehearsal_sid(secrets.token_hex(8))
        audit("phone-call", line=line.id, at=at.isoformat(), sid=sid)
    elif not _ours(sid):
        return _refuse("That call was not started from this sign-in; press Call again.")
    else:
        audit("phone-step", line=line.id, sid=sid, keys=str(len(keys)), dials=str(len(dials)))
    events: list[tuple[str, str]] = []
    transport = InProcess(current_app, current_app.config["TWILIO_AUTH_TOKEN"],
                          environ={REHEARSAL: True, REHEARSAL_CLOCK: at})
    public = current_app.config.get("PUBLIC_URL")
    if public:  # signatures are checked against the address Twilio is given: sign that one
        parts = urlsplit(public)
        transport.base = f"{parts.scheme}://{parts.netloc}"
    caller = Caller(transport, to=line.numbers[0], keypad=_keypad(keys), dial_statuses=dials,
                    ask_dial=_ask_dial, interactive=True,  # a menu's prompt shows before its keys
                    status_callback=True,
                    echo=lambda kind, text, _at: events.append((kind, text)))
    caller.params["CallSid"] = sid
    answer: dict[str, object] = {"sid": sid, "language": line.language, "waiting": None}
    try:
        ended = caller.run()
        answer["ended"] = "error" if ended.problem else ended.ended
        answer["how"] = _how(ended.problem, ended.ended, events)
    except _Waiting as waiting:
        answer.update(waiting=waiting.kind, timeout=waiting.timeout,
                      numbers=list(waiting.numbers))
    answer["events"] = events
    return jsonify(answer)


def _how(problem: str, ended: str, events: list[tuple[str, str]]) -> str:
    """How the call ended, in words for the phone's last line."""
    if problem:
        return f"The call ended with an error: {problem}"
    answered = [text.split(" → ")[0] for kind, text in events
                if kind == "dial" and text.endswith("→ completed")]
    if answered:
        return f"Connected to {answered[-1]}; the call ended when that call did."
    return "You hung up." if ended == "caller" else "The line hung up."


def _rehearsal_sid(nonce: str) -> str:
    """The SID for a rehearsal whose nonce is given, bound to this session's CSRF token."""
    message = f"rehearsal\n{session.get('csrf', '')}\n{nonce}".encode()
    key = current_app.config["SECRET_KEY"]
    mac = hmac.new(key if isinstance(key, bytes) else key.encode(), message, hashlib.sha256)
    return f"RH{nonce}{mac.hexdigest()[:32]}"


def _ours(sid: object) -> bool:
    """Whether ``sid`` is a rehearsal this very session started."""
    found = SID.match(sid) if isinstance(sid, str) else None
    return found is not None and hmac.compare_digest(found.group(0),
                                                     _rehearsal_sid(found.group(1)))


def _refuse(message: str):
    return jsonify({"error": message}), 400
