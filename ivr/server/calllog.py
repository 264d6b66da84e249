"""One log line per call step, for admins: who (masked), which line, where, what, whereto.

Caller numbers are personal data: only their country code and last two digits are
logged unless ``IVR_LOG_CALLERS=full``. A server that keeps the call journal leaves these
lines out (``quiet_steps``): the journal holds every step, with the caller as a keyed hash,
and honours the retention and ``ivr journal forget``, which no log file does. Never the
whole webhook body. Every value that came with a request is escaped (``%r``-style, no raw
newline, NUL or control character), so a request cannot forge or split log lines.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from ivr.core.logsafe import clean

log = logging.getLogger("ivr.calls")


def mask(number: str) -> str:
    """'+46701234567' → '+46*******67': enough to tell calls apart, not to call back."""
    if os.environ.get("IVR_LOG_CALLERS") == "full" or len(number) < 6:
        return clean(number)
    keep = 3 if number.startswith("+") else 0
    return clean(number[:keep] + "*" * (len(number) - keep - 2) + number[-2:])


def quiet_steps() -> None:
    """Log no line per step (warnings, such as a call reaching the fallback URL, still are)."""
    log.setLevel(logging.WARNING)


def log_step(form: Mapping[str, str], line: str, state, event, turn) -> None:
    """Log a step: CallSid, masked caller, line, node, event and the nodes the turn passed
    through to where it ended (``-> tes-route > tes-closed > goodbye``)."""
    if not log.isEnabledFor(logging.INFO):
        return
    call, caller = clean(form.get("CallSid", "-")), mask(form.get("From", ""))
    if turn is None:
        log.info("call=%s from=%s line=%s status=%s", call, caller, clean(line),
                 clean(form.get("CallStatus", "-")))
        return
    log.info("call=%s from=%s line=%s node=%s event=%s -> %s%s", call, caller, clean(line),
             clean(state.node) if state else "-", describe(event),
             " > ".join(clean(node) for node in turn.path or (turn.node,)),
             " (restarted)" if turn.restarted else "")


def log_fallback(form: Mapping[str, str], line: str) -> None:
    """Twilio called the fallback URL: the main webhook failed for this call."""
    log.warning("call=%s from=%s line=%s fallback: Twilio could not use the main webhook "
                "(error %s)", clean(form.get("CallSid", "-")), mask(form.get("From", "")),
                clean(line), clean(form.get("ErrorCode", "-")))


def describe(event) -> str:
    """'start', 'keys 4', 'silence', 'dial no-answer': the event, with nothing personal."""
    name = type(event).__name__.lower()
    detail = getattr(event, "digits", None) or getattr(event, "status", None)
    return {"dialoutcome": "dial"}.get(name, name) + (f" {clean(detail, 20)}" if detail else "")
