"""The call log: one line per step for admins, with the caller's number masked."""

import logging

import pytest
from conftest import utc

from ivr.server.calllog import mask


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
    """Each step logs CallSid, masked caller, line, node, event and the nodes it passed
    through; no body."""
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
        "call=CA42 from=+46*******67 line=orebro-kommunsupport node=- event=start "
        "-> welcome > opening > main-menu",
        "call=CA42 from=+46*******67 line=orebro-kommunsupport node=main-menu event=keys 4 "
        "-> it-route > it-desk",
        "call=CA42 from=+46*******67 line=orebro-kommunsupport status=completed",
    ]
    assert "personnummer" not in caplog.text and "+46701234567" not in caplog.text


def test_a_step_logs_every_node_it_passed_through(shipped_app, clock, caplog):
    """Say and route nodes a turn passes on from are logged, not only where it stopped."""
    clock.now = utc("2026-11-24T06:30Z")  # 07:30: the line is open, the TES desk not yet
    with caplog.at_level(logging.INFO, logger="ivr.calls"):
        shipped_app.test_client().post(
            "/gather?line=orebro-kommunsupport&node=business-systems",
            data={"To": "+4619212000", "CallSid": "CA7", "Digits": "1"})
    assert caplog.records[-1].getMessage().endswith(
        "node=business-systems event=keys 1 "
        "-> tes-route > tes-closed > lock-offer")


def test_request_values_cannot_forge_log_lines(shipped_app, caplog):
    """A newline or NUL in a request's values is escaped: one step, one log line."""
    client = shipped_app.test_client()
    with caplog.at_level(logging.INFO):
        client.post("/gather?line=orebro-kommunsupport&node=main%0Acall=FORGED",
                    data={"To": "+4619212000", "CallSid": "CA1\ncall=CA2\x00", "Digits": "4"})
        client.post("/voice", data={"To": "+1\nforged", "CallSid": "CA3\r\nx"})
    assert all("\n" not in r.getMessage() and "\x00" not in r.getMessage()
               for r in caplog.records)


def test_dial_outcomes_are_logged_whole(shipped_app, caplog):
    """'no-answer' is logged as such, not cut short."""
    client = shipped_app.test_client()
    with caplog.at_level(logging.INFO, logger="ivr.calls"):
        client.post("/dial?line=orebro-carelock&node=weekday",
                    data={"To": "+4619212000", "DialCallStatus": "no-answer"})
    assert "event=dial no-answer" in caplog.text


def test_fallback_hits_are_logged(shipped_app, caplog):
    """A request to /fallback is logged as a fallback, with its error code."""
    with caplog.at_level(logging.INFO, logger="ivr.calls"):
        shipped_app.test_client().post("/fallback", data={"To": "+4619212000",
                                                          "CallSid": "CA9", "ErrorCode": "11200"})
    assert "call=CA9" in caplog.text and "fallback" in caplog.text and "11200" in caplog.text
