"""A caller that behaves as Twilio does: posts webhook parameters, executes the TwiML.

It speaks only HTTP (or WSGI in-process) and TwiML, and never imports the engine, so a
call that works here works with Twilio. Verbs follow Twilio's rules: ``<Gather>`` with no
input falls through to the next verb (or posts its action with empty ``Digits`` when
``actionOnEmptyResult`` is true), ``<Dial>`` posts ``DialCallStatus`` to its action or
goes on to the next verb, ``<Redirect>`` follows, ``<Hangup>`` and the end of a document end
the call.
"""

from __future__ import annotations

import secrets
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from ivr.sim.clock import CallClock, split_press
from ivr.sim.transport import ClockIgnored, Unreachable, post_status, refusal

MAX_STEPS = 200
"""A call that needs more webhooks than this is looping; the simulator ends it."""


class CallerHangsUp(Exception):
    """The keypad has nothing more to press: the caller puts the phone down."""


@dataclass
class Call:
    """What happened on a call, as ``--json`` prints it."""

    said: list[str] = field(default_factory=list)
    dialed: list[str] = field(default_factory=list)
    ended: str = "error"
    steps: list[dict] = field(default_factory=list)
    problem: str = ""
    unreachable: bool = False
    timeline: list[dict] = field(default_factory=list)
    seconds: float = 0.0


def scripted(presses: list[str]) -> Callable[[float], str | None]:
    """A keypad answering one Gather per item; '-' or 'timeout' is no input, and 'KEY@S'
    presses S seconds after the Gather starts listening (see ``clock``)."""
    remaining: Iterator[str] = iter(presses)

    def press(_timeout: float) -> str | None:
        item = next(remaining, None)
        if item is None:
            raise CallerHangsUp
        return None if item in ("-", "timeout") else item

    return press


class Caller:
    """Places one call and follows the TwiML to its end."""

    def __init__(self, transport, *, to: str, caller_id: str = "+46701234567",
                 keypad: Callable[[float], str | None], dial_statuses: Sequence[str] = (),
                 ask_dial: Callable[[list[str]], str] = lambda numbers: "completed",
                 echo: Callable[[str, str, float], None] = lambda *_: None,
                 interactive: bool = False,
                 listen: Callable[[str, str], None] = lambda text, language: None,
                 recordings: Mapping[str, tuple[str, float, str]] | None = None,
                 status_callback: bool = False) -> None:
        self.transport = transport
        self.keypad = keypad
        self.echo = echo
        self.dial_statuses = list(dial_statuses)
        self.ask_dial = ask_dial
        self.interactive = interactive
        self.listen = listen
        """A person at the keypad reads a Gather's prompt first; a script's keys decide how
        much of it is heard, so it is echoed once they are known."""
        self.recordings = recordings or {}
        """url → (words, seconds, language) of the line's recordings: a <Play> tells neither."""
        self.status_callback = status_callback
        """Post Twilio's status callback at the end, as a number set up as docs/server.md says."""
        self.typed_ahead = ""
        self.clock = CallClock()
        sid = secrets.token_hex(16)
        self.params = {"CallSid": f"CA{sid}", "AccountSid": f"AC{secrets.token_hex(16)}",
                       "From": caller_id, "To": to, "Caller": caller_id, "Called": to,
                       "CallStatus": "ringing", "Direction": "inbound",
                       "ApiVersion": "2010-04-01"}

    def run(self) -> Call:
        """The whole call, with its timeline and its length in seconds. Ctrl-C at any moment
        is a person at the keys hanging up; it stops a script (or ``ivr explore``)."""
        call = Call(timeline=self.clock.timeline)
        try:
            self._run(call)
        except (CallerHangsUp, KeyboardInterrupt) as exc:
            if isinstance(exc, KeyboardInterrupt) and not self.interactive:
                raise
            call.ended = "caller"
            self.echo("hangup", "the caller hangs up", self.clock.hangup()["t"])
        call.seconds = round(self.clock.t, 1)
        if self.status_callback and call.steps:
            post_status(self._post, self.transport.base, self.params, call.seconds)
        return call

    def _post(self, url: str, params: dict[str, str]) -> tuple[int, str]:
        """A webhook request at the call's time so far (a tester's clock moves with the call)."""
        self.transport.elapsed = self.clock.t
        return self.transport.post(url, params)

    def _run(self, call: Call) -> None:
        url, extra = f"{self.transport.base}/voice", dict[str, str]()
        for _ in range(MAX_STEPS):
            params = {**self.params, **extra}
            try:
                status, body = self._post(url, params)
            except (Unreachable, ClockIgnored) as exc:
                call.problem, call.unreachable = str(exc), isinstance(exc, Unreachable)
                self.echo("error", call.problem, self.clock.t)
                return
            call.steps.append({"url": url, "params": params, "status": status, "twiml": body})
            self.params["CallStatus"] = "in-progress"
            try:
                root = ET.fromstring(body)
            except ET.ParseError:
                root = None
            if status != 200 or root is None or root.tag != "Response":
                call.problem = refusal(url, status, getattr(self.transport, "token", None))
                self.echo("error", call.problem, self.clock.t)
                return
            follow = self._execute(root, url, call)
            if follow is None:
                return
            url, extra = urllib.parse.urljoin(url, follow[0]), follow[1]
        call.problem = f"more than {MAX_STEPS} webhooks in one call"
        self.echo("error", call.problem, self.clock.t)
        return

    def _execute(self, root: ET.Element, url: str, call: Call):
        """Run one TwiML document; return (next URL, parameters) or None when it ends."""
        for verb in root:
            if verb.tag in ("Say", "Play"):
                self._say(verb, call)
            elif verb.tag == "Pause":
                self._heard(self._pause(verb))
            elif verb.tag == "Gather":
                follow = self._gather(verb, url, call)
                if follow:
                    return follow
            elif verb.tag == "Dial":
                follow = self._dial(verb, url, call)
                if follow:
                    return follow
            elif verb.tag == "Redirect":
                return (verb.text or "").strip(), {}
            elif verb.tag in ("Hangup", "Reject"):
                break
            else:
                call.problem = f"unsupported TwiML verb <{verb.tag}>"
                self.echo("error", call.problem, self.clock.t)
                return None
        call.ended = "hangup"
        self.echo("hangup", "the line hangs up", self.clock.hangup()["t"])
        return None

    def _say(self, verb: ET.Element, call: Call, echo: bool = True) -> None:
        text = " ".join((verb.text or "").split())
        if verb.tag == "Play":
            entry = self.clock.play(text, *self.recordings.get(text, (text, 0.0, "")))
        else:
            entry = self.clock.say(text, verb.get("language", "en-US"))
        call.said.append(entry["text"])
        if echo:
            self._heard(entry)

    def _pause(self, verb: ET.Element) -> dict:
        """A <Pause> moves the clock by its length (Twilio's default is one second)."""
        length = verb.get("length", "1")
        return self.clock.pause(float(length) if length.isdigit() else 1.0)

    def _heard(self, entry: dict) -> None:
        """Show a thing said or a pause, and let the caller hear it (``ivr-sim --speak``)."""
        if entry["kind"] == "pause":
            self.echo("pause", f"{entry['seconds']:g} s", entry["t"])
            return
        self.echo("say", entry["text"], entry["t"])
        if entry["language"]:  # not a recording the line does not describe
            self.listen(entry["text"], entry["language"])

    def _gather(self, verb: ET.Element, url: str, call: Call):
        start, timeout = len(self.clock.timeline), float(verb.get("timeout", "5"))
        for child in verb:
            if child.tag in ("Say", "Play"):
                self._say(child, call, echo=self.interactive)
            elif child.tag == "Pause":
                entry = self._pause(child)
                if self.interactive:
                    self._heard(entry)
        after: float | None = 0.0  # keys typed ahead are there as the Gather starts
        if not self.typed_ahead:
            try:
                self.typed_ahead, after = split_press(self.keypad(timeout) or "")
            except CallerHangsUp:  # a script's keys ran out: the menu was heard, then the end
                for entry in [] if self.interactive else self.clock.timeline[start:]:
                    self._heard(entry)
                raise
        finish = verb.get("finishOnKey", "#")
        ended = bool(finish) and self.typed_ahead.startswith(finish)  # at once, no digits
        digits, self.typed_ahead = _collect(self.typed_ahead, verb.get("numDigits"), finish)
        if after is not None and self.clock.too_late(start, after, timeout):
            digits, ended, self.typed_ahead = "", False, ""  # the Gather had stopped waiting
        at, cut = self.clock.heard(start, after if digits or ended else None, timeout)
        for entry in [] if self.interactive else self.clock.timeline[start:]:
            self._heard(entry)
        if digits or ended:
            self.clock.keys(digits or finish, at)
            shown = f"{digits} (during the speech: it stops)" if cut else digits
            self.echo("keys", shown or f"{finish} (no input: it ends the wait)", at)
        else:
            self.echo("keys", "(no input)", self.clock.silence(timeout)["t"])
        action = verb.get("action") or url
        if digits:
            return action, {"Digits": digits, "FinishedOnKey": ""}
        if verb.get("actionOnEmptyResult") == "true":
            return action, {"Digits": ""}
        return None

    def _dial(self, verb: ET.Element, url: str, call: Call):
        numbers = [(n.text or "").strip() for n in verb if n.tag == "Number"]
        numbers = numbers or [(verb.text or "").strip()]
        status = self.dial_statuses.pop(0) if self.dial_statuses else self.ask_dial(numbers)
        call.dialed.extend(numbers)
        ringing = float(verb.get("timeout", "30")) if status == "no-answer" else 0.0
        self.echo("dial", f"{', '.join(numbers)} → {status}",
                  self.clock.dial(", ".join(numbers), ringing, status)["t"])
        extra = {"DialCallStatus": status, "DialCallSid": f"CA{secrets.token_hex(16)}"}
        if status == "completed":
            extra["DialCallDuration"] = "60"
        if verb.get("action"):
            return verb.get("action"), extra
        return None


def _collect(pressed: str, num_digits: str | None, finish_on_key: str) -> tuple[str, str]:
    """The digits Twilio would post for what the caller typed, and the keys left over.

    Keys typed ahead are not lost: what one Gather does not take goes to the next, as
    touch tones sent before a prompt ends do.
    """
    digits = ""
    for index, key in enumerate(pressed):
        if finish_on_key and key == finish_on_key:
            return digits, pressed[index + 1:]
        digits += key
        if num_digits and len(digits) >= int(num_digits):
            return digits, pressed[index + 1:]
    return digits, ""
