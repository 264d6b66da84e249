"""Property tests: whatever arrives at the webhooks, the answer is TwiML, 403, 404, 405 or 413.

Hypothesis throws any mix of parameters, missing fields, huge and non-ASCII values, wrong
methods and content types, and garbled state in the URL at the app. Never a 5xx, never a
traceback or internal detail in a body; a body over the limit is 413, unread.
"""

import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from conftest import MENUS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from ivr.server.app import MAX_BODY, create_app

WEBHOOKS = ["/voice", "/gather", "/dial", "/fallback", "/status"]
TWILIO_KEYS = ["CallSid", "AccountSid", "From", "To", "Digits", "DialCallStatus",
               "CallStatus", "Direction", "FinishedOnKey", "SpeechResult", "Called"]
STATE_KEYS = ["line", "node", "ni", "bad", "n"]
text = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=8).map(
        lambda chunk: chunk * 2500),
    st.sampled_from(["+4619212000", "+4770162999", "2000", "sip:2000@example.org", "0",
                     "-1", "99999999999999999999", "orebro-kommunsupport", "main-menu",
                     "tes-desk", "brukarstøtte", "%C3%B6", "completed", "busy", "\x00"]),
)
params = st.dictionaries(st.one_of(st.sampled_from(TWILIO_KEYS), st.text(max_size=12)), text,
                         max_size=8)
state = st.dictionaries(st.one_of(st.sampled_from(STATE_KEYS), st.text(max_size=8)), text,
                        max_size=5)
FORBIDDEN = ("Traceback", 'File "', "Exception", "ivr/", "site-packages")
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@pytest.fixture(scope="module")
def client():
    return create_app({"MENUS": str(MENUS), "TESTING": False}).test_client()


@pytest.fixture(scope="module")
def signed_client():
    return create_app({"MENUS": str(MENUS), "TWILIO_AUTH_TOKEN": "fuzz-token"}).test_client()


def oversize(form: dict) -> bool:
    """Whether the body may pass the limit (percent-encoding may or may not have been used)."""
    return len(urlencode(form)) > MAX_BODY


def assert_safe(response, twiml_expected: bool) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code in (200, 403, 404, 405, 413), response.status_code
    assert not any(word in body for word in FORBIDDEN), body[:300]
    if response.status_code == 200 and twiml_expected:
        assert ET.fromstring(body).tag == "Response"


@SETTINGS
@given(path=st.sampled_from(WEBHOOKS), query=state, form=params)
def test_any_post_to_a_webhook_gets_twiml(client, path, query, form):
    """Any parameters and any state in the URL: 200 with a TwiML <Response> (413 if huge)."""
    response = client.post(f"{path}?{urlencode(query)}", data=form)
    assert response.status_code == 200 or (oversize(form) and response.status_code == 413)
    assert_safe(response, twiml_expected=True)


@SETTINGS
@given(path=st.one_of(st.sampled_from(WEBHOOKS + ["/health", "/"]), st.text(max_size=40)),
       method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]),
       content_type=st.sampled_from(["application/x-www-form-urlencoded", "application/json",
                                     "multipart/form-data; boundary=x", "text/plain",
                                     "application/x-www-form-urlencoded; charset=latin-1",
                                     "garbage/"]),
       body=st.binary(max_size=2000))
def test_any_method_path_and_body_is_answered_safely(client, path, method, content_type,
                                                     body):
    """Wrong methods, paths, content types and bodies: TwiML, 404 or 405, nothing else."""
    target = "/" + path.lstrip("/").replace("?", "").replace("#", "")
    response = client.open(target, method=method, data=body,
                           headers={"Content-Type": content_type})
    assert_safe(response, twiml_expected=method == "POST" and target in WEBHOOKS)


@SETTINGS
@given(path=st.sampled_from(WEBHOOKS), query=state, form=params,
       signature=st.one_of(st.none(), st.text(st.characters(min_codepoint=32,
                                                            max_codepoint=126), max_size=40)))
def test_without_a_valid_signature_every_webhook_is_403(signed_client, path, query, form,
                                                        signature):
    """With a token set, anything not signed by it is refused, whatever it carries."""
    headers = {} if signature is None else {"X-Twilio-Signature": signature}
    response = signed_client.post(f"{path}?{urlencode(query)}", data=form, headers=headers)
    assert response.status_code == 403 or (oversize(form) and response.status_code == 413)
    assert_safe(response, twiml_expected=False)


@SETTINGS
@given(query=state, form=params)
def test_signed_requests_with_garbage_still_get_twiml(signed_client, query, form):
    """A correctly signed request with garbled state is answered with TwiML, not an error."""
    url = "http://localhost/gather" + (f"?{urlencode(query)}" if query else "")
    signature = RequestValidator("fuzz-token").compute_signature(url, form)
    response = signed_client.post(url[len("http://localhost"):], data=form,
                                  headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200 or (oversize(form) and response.status_code == 413)
    assert_safe(response, twiml_expected=True)


def test_oversize_body_is_refused_unread(signed_client):
    """A body past the limit gets 413 before it is parsed or its signature checked."""
    response = signed_client.post("/voice", data="x" * (MAX_BODY + 1),
                                  headers={"X-Twilio-Signature": "x",
                                           "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
