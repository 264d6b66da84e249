"""The signature check: the settings header read by us, and the public URL's host."""

import pytest
from conftest import MENUS
from twilio.request_validator import RequestValidator

from ivr.server.app import create_app

TOKEN = "test-auth-token"
CALL = {"To": "+4619212000", "From": "+46701740699", "CallSid": "CA" + "1" * 32}


def sign(url: str, params: dict) -> dict:
    return {"X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(url, params)}


def app_for(clock, **config):
    return create_app({"MENUS": str(MENUS), "CLOCK": clock, "TWILIO_AUTH_TOKEN": TOKEN,
                       "RELOAD_INTERVAL": 0, **config})


def test_unsupported_algorithm_is_refused_with_a_clean_log_line(clock, caplog):
    """A forged signature-settings algorithm gets 403, logged escaped and cut, never raw."""
    forged = "algorithm=FORGED\x85LOG LINE\x1b[31m " + "x" * 8000
    response = app_for(clock).test_client().post(
        "/voice", data=CALL, headers={**sign("http://localhost/voice", CALL),
                                      "X-Twilio-Webhooks-Signature-Settings": forged})
    assert response.status_code == 403
    messages = [record.getMessage() for record in caplog.records]
    assert any("unsupported signature algorithm" in m for m in messages)
    assert all("\x85" not in m and "\x1b" not in m and len(m) < 400 for m in messages)


def test_supported_algorithm_in_settings_is_checked_as_usual(clock):
    """HMAC_SHA1 named in the settings header is checked like the legacy signature."""
    response = app_for(clock).test_client().post(
        "/voice", data=CALL, headers={**sign("http://localhost/voice", CALL),
                                      "X-Twilio-Webhooks-Signature-Settings":
                                      "algorithm=HMAC_SHA1"})
    assert response.status_code == 200


@pytest.mark.parametrize(("signed_for", "status"), [
    ("https://ivr.example.org/voice", 200),
    ("http://other-app.example.com/voice", 403),
], ids=["public-url", "callers-host"])
def test_with_a_public_url_signatures_are_checked_against_it(clock, signed_for, status):
    """With PUBLIC_URL, its scheme and host are checked, whatever Host the caller sends."""
    client = app_for(clock, PUBLIC_URL="https://ivr.example.org").test_client()
    response = client.post("/voice", data=CALL, headers=sign(signed_for, CALL),
                           base_url="http://other-app.example.com")
    assert response.status_code == status
