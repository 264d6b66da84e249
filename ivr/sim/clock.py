"""The call clock of ``ivr-sim``: how many seconds into the call each thing is said or done.

Speech is timed by ``ivr.core.speechtime`` (the estimate every caller-time figure uses) in
the language of its ``<Say>``; a ``<Gather>`` that hears nothing waits its ``timeout``; a
number that does not answer rings for its ``<Dial timeout>``. Keys are pressed when the
Gather's speech ends, or ``KEY@SECONDS`` after it starts listening (``1@0``: at once); a key
given during the speech stops it there, as Twilio's barge-in does, so the rest of the
prompt is not heard. A ``<Pause>`` takes its ``length``. Nothing here speaks HTTP or reads
TwiML: ``caller`` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ivr.core import speechtime

_PRESS = re.compile(r"^(?P<keys>[0-9*#]+)(@(?P<after>\d+(\.\d+)?))?$")


def split_press(press: str) -> tuple[str, float | None]:
    """'1@0' → ('1', 0.0); '31' → ('31', None): keys, and when after the Gather starts."""
    match = _PRESS.match(press)
    if not match:
        return press, None
    after = match.group("after")
    return match.group("keys"), float(after) if after is not None else None


def is_press(press: str) -> bool:
    """Whether ``press`` is keys, optionally with '@SECONDS' (what --press accepts)."""
    return bool(_PRESS.match(press))


def clock(seconds: float) -> str:
    """0:48, 1:05, 12:30: minutes and seconds into the call."""
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


@dataclass
class CallClock:
    """The seconds into the call, and one timeline entry per thing said or done."""

    t: float = 0.0
    timeline: list[dict] = field(default_factory=list)

    def _add(self, kind: str, seconds: float, **what: str) -> dict:
        entry = {"t": round(self.t, 1), "kind": kind, **what, "seconds": round(seconds, 1)}
        self.timeline.append(entry)
        self.t += seconds
        return entry

    def say(self, text: str, language: str) -> dict:
        """Speech, as long as the estimate says."""
        return self._add("say", speechtime.seconds(text, language), text=text,
                         language=language)

    def heard(self, start: int, after: float | None, timeout: float) -> tuple[float, bool]:
        """Cut the Gather's speech (entries from ``start``) where a key came ``after`` seconds
        into it; (when the key came, whether any speech was cut)."""
        began = self.timeline[start]["t"] if start < len(self.timeline) else self.t
        if after is None or began + after >= self.t:
            waited = 0.0 if after is None else min(began + after - self.t, timeout)
            return self.t + waited, False
        pressed = began + after
        kept = [e for e in self.timeline[start:] if e["t"] < pressed]
        for entry in kept:
            entry["seconds"] = round(min(entry["seconds"], pressed - entry["t"]), 1)
        del self.timeline[start + len(kept):]
        self.t = pressed
        return pressed, True

    def too_late(self, start: int, after: float, timeout: float) -> bool:
        """Whether a key ``after`` seconds into the Gather (entries from ``start``) comes
        once it stopped waiting: after its speech and ``timeout`` seconds of silence."""
        began = self.timeline[start]["t"] if start < len(self.timeline) else self.t
        return began + after > self.t + timeout

    def play(self, url: str, text: str, seconds: float, language: str) -> dict:
        """A recording, as long as its line states or estimates (the URL if unknown)."""
        return self._add("say", seconds, text=text, language=language, play=url)

    def pause(self, seconds: float) -> dict:
        """A ``<Pause>``: silence the caller waits through."""
        return self._add("pause", seconds)

    def keys(self, digits: str, at: float) -> dict:
        """Keys taken at ``at`` (after any wait for them)."""
        self.t = at
        return self._add("keys", 0.0, text=digits)

    def silence(self, timeout: float) -> dict:
        """A Gather that heard nothing for its timeout."""
        return self._add("silence", timeout)

    def dial(self, number: str, ringing: float, outcome: str) -> dict:
        """A number rung for ``ringing`` seconds, and how that ended (busy, no-answer, …)."""
        return self._add("dial", ringing, number=number, outcome=outcome)

    def hangup(self) -> dict:
        """The end of the call."""
        return self._add("hangup", 0.0)
