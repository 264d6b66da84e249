"""One log line per call step, for admins: who (masked), which line, where, what, whereto.

Caller numbers are personal data: only their country code and last two digits are
logged unless ``IVR_LOG_CALLERS=full``. Never the whole webhook body.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

log = logging.getLogger("ivr.calls")


def mask(number: str) -> str:
    """'+46701234567' → '+46*******67': enough to tell calls apart, not to call back."""
    if os.environ.get("IVR_LOG_CALLERS") == "full" or len(number) < 6:
        return number
    keep = 3 if number.startswith("+") else 0
    return number[:keep] + "*" * (len(number) - keep - 2) + number[-2:]


def log_step(form: Mapping[str, str], line: str, state, event, turn) -> None:
    """Log a step: CallSid, masked caller, line, node, event and where the turn ended."""
    if turn is None:
        log.info("call=%s from=%s line=%s status=%s", form.get("CallSid", "-"),
                 mask(form.get("From", "")), line, form.get("CallStatus", "-"))
        return
    log.info("call=%s from=%s line=%s node=%s event=%s -> %s%s", form.get("CallSid", "-"),
             mask(form.get("From", "")), line, state.node if state else "-",
             describe(event), turn.node, " (restarted)" if turn.restarted else "")


def describe(event) -> str:
    """'start', 'keys 4', 'silence', 'dial busy': the event, short, with nothing personal."""
    name = type(event).__name__.lower()
    detail = getattr(event, "digits", None) or getattr(event, "status", None)
    return {"dialoutcome": "dial"}.get(name, name) + (f" {detail[:8]}" if detail else "")
