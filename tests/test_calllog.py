"""The call log: one line per step for admins, with the caller's number masked."""

import logging

import pytest
from conftest import utc

from ivr.calllog import mask


@pytest.mark.parametrize(("number", "masked"), [
    ("+46701234567", "+46*******67"), ("+4770162999", "+47******99"),
    ("0701234567", "********67"), ("", ""), ("anonymous", "*******us")])
def test_mask_keeps_country_and_last_two_digits(number, masked):
    """Enough to tell calls apart, not enough to call back."""
    assert mask(number) == masked


def test_full_numbers_only_when_asked(monkeypatch):
    """IVR_LOG_CALLERS=full logs numbers whole, for admins who must."""
    monkeypatch.setenv("IVR_LOG_CALLERS", "full")
    assert mask("+46701234567") == "+46701234567"


def test_one_line_per_step_without_the_body(shipped_app, clock, caplog):
    """Each step logs CallSid, masked caller, line, node, event and outcome; no body."""
    clock.now = utc("2026-11-24T09:00Z")
    client = shipped_app.test_client()
    form = {"To": "+4619212000", "From": "+46701234567", "CallSid": "CA42",
            "SpeechResult": "mitt personnummer"}
    with caplog.at_level(logging.INFO, logger="ivr.calls"):
        client.post("/voice", data=form)
        client.post("/gather?line=orebro-kommunsupport&node=main-menu",
                    data={**form, "Digits": "4"})
        client.post("/status", data={**form, "CallStatus": "completed"})
    assert [r.getMessage() for r in caplog.records if r.name == "ivr.calls"] == [
        "call=CA42 from=+46*******67 line=orebro-kommunsupport node=- event=start -> main-menu",
        "call=CA42 from=+46*******67 line=orebro-kommunsupport node=main-menu event=keys 4 "
        "-> it-desk",
        "call=CA42 from=+46*******67 line=orebro-kommunsupport status=completed",
    ]
    assert "personnummer" not in caplog.text and "+46701234567" not in caplog.text
