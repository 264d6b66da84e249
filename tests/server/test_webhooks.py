"""The webhooks: line by number, state in the URL, signatures, and never a 500."""

import logging
import xml.etree.ElementTree as ET

import pytest
from conftest import MENUS
from twilio.request_validator import RequestValidator

from ivr.core.errors import IvrError
from ivr.server.app import create_app

TOKEN = "test-auth-token"
KOMMUNSUPPORT = {"To": "+4619212000", "From": "+46701740699", "CallSid": "CA" + "1" * 32}


def verbs(response) -> list[str]:
    assert response.status_code == 200
    assert response.content_type.startswith("text/xml")
    root = ET.fromstring(response.data)
    assert root.tag == "Response"
    return [child.tag for child in root]


def says(response) -> list[str]:
    return [el.text for el in ET.fromstring(response.data).iter("Say")]


@pytest.fixture
def client(shipped_app, clock):
    clock.now = clock.now.replace(year=2026, month=11, day=24, hour=9, minute=0)
    return shipped_app.test_client()


def test_voice_answers_by_called_number(client):
    """POST /voice picks the line whose number was called."""
    response = client.post("/voice", data=KOMMUNSUPPORT)
    assert verbs(response) == ["Say", "Gather", "Redirect"]
    assert "Kommunsupport" in says(response)[0]


def test_unknown_number_gets_a_spoken_apology(client):
    """A number no line answers hears the last-resort apology, not an error."""
    response = client.post("/voice", data={**KOMMUNSUPPORT, "To": "+15005550006"})
    assert verbs(response) == ["Say", "Say", "Hangup"]


def test_state_lives_in_the_action_url(client):
    """The Gather action URL names line and node; posting digits there moves the call on."""
    root = ET.fromstring(client.post("/voice", data=KOMMUNSUPPORT).data)
    action = root.find("Gather").get("action")
    assert action == "/gather?line=orebro-kommunsupport&node=main-menu"
    assert root.find("Redirect").text == action
    response = client.post(action, data={**KOMMUNSUPPORT, "Digits": "4"})
    assert verbs(response) == ["Say", "Dial"]


def test_silence_counts_in_the_url(client):
    """The Redirect after a Gather posts no Digits: silence, counted in the next URL."""
    response = client.post("/gather?line=orebro-kommunsupport&node=main-menu",
                           data=KOMMUNSUPPORT)
    root = ET.fromstring(response.data)
    assert says(response)[0] == "Jag uppfattade inget knappval."
    assert root.find("Gather").get("action").endswith("node=main-menu&ni=1")


@pytest.mark.parametrize("query", [
    pytest.param("line=orebro-kommunsupport&node=no-such-node", id="vanished-node"),
    pytest.param("line=orebro-kommunsupport&node=main-menu&ni=x", id="garbled-counter"),
    pytest.param("line=orebro-kommunsupport", id="no-node"),
    pytest.param("line=orebro-kommunsupport&node=tes-desk", id="node-of-other-kind"),
])
def test_stale_or_garbled_state_restarts_politely(client, query):
    """A state that no longer fits the menu restarts the line with a word of explanation."""
    response = client.post(f"/gather?{query}", data={**KOMMUNSUPPORT, "Digits": "3"})
    assert says(response)[0] == "Menyn har just ändrats, så vi börjar om från början."
    assert verbs(response)[-2:] == ["Gather", "Redirect"]


def test_unknown_line_in_url_falls_back_to_called_number(client):
    """A line renamed mid-call is found again by the number called."""
    response = client.post("/gather?line=gone&node=main-menu", data={**KOMMUNSUPPORT,
                                                                     "Digits": "4"})
    assert verbs(response) == ["Say", "Dial"]


def test_an_internal_error_is_an_apology_in_the_line_language(client, shipped_app, clock,
                                                              caplog):
    """An unexpected error is logged with its traceback; the caller hears the apology."""
    good_clock = shipped_app.config["CLOCK"]
    shipped_app.config["CLOCK"] = lambda: 1 / 0
    try:
        with caplog.at_level(logging.ERROR):
            response = client.post("/voice", data=KOMMUNSUPPORT)
    finally:
        shipped_app.config["CLOCK"] = good_clock
    assert verbs(response) == ["Say", "Hangup"]
    assert says(response) == ["Tyvärr uppstod ett tekniskt fel. Försök ringa igen om en stund."]
    assert "ZeroDivisionError" in caplog.text


def test_fallback_url_apologises_for_the_line(client):
    """The fallback URL (Twilio's 'primary handler fails') speaks the line's apology."""
    response = client.post("/fallback", data=KOMMUNSUPPORT)
    assert says(response) == ["Tyvärr uppstod ett tekniskt fel. Försök ringa igen om en stund."]


@pytest.mark.parametrize(("method", "path", "code"), [
    ("GET", "/voice", 405), ("POST", "/nowhere", 404), ("PUT", "/gather", 405)])
def test_wrong_method_or_path_is_a_short_plain_error(client, method, path, code):
    """Wrong methods and paths get 404/405 with a short plain body, never a page of detail."""
    response = client.open(path, method=method)
    assert response.status_code == code
    assert len(response.data) < 40


def test_dial_outcome_moves_to_fallback(client):
    """A dial that is not answered goes to the node's fallback."""
    response = client.post("/dial?line=orebro-kommunsupport&node=tes-desk",
                           data={**KOMMUNSUPPORT, "DialCallStatus": "busy"})
    assert "vardochstod" in says(response)[1]
    assert verbs(response)[-2:] == ["Gather", "Redirect"]  # then: a lock fault?


def test_status_callback_is_accepted_quietly(client):
    """A call that ends mid-menu (status callback) gets an empty 200."""
    response = client.post("/status", data={**KOMMUNSUPPORT, "CallStatus": "completed"})
    assert verbs(response) == []


# --- signatures -------------------------------------------------------------------------

@pytest.fixture
def signed_app(clock):
    return create_app({"MENUS": str(MENUS), "CLOCK": clock, "TWILIO_AUTH_TOKEN": TOKEN})


def sign(url: str, params: dict) -> dict:
    return {"X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(url, params)}


def test_valid_signature_is_accepted(signed_app):
    """A request signed over the URL and parameters passes."""
    response = signed_app.test_client().post(
        "/voice", data=KOMMUNSUPPORT, headers=sign("http://localhost/voice", KOMMUNSUPPORT))
    assert verbs(response) == ["Say", "Gather", "Redirect"]


@pytest.mark.parametrize("headers", [
    pytest.param({}, id="missing"),
    pytest.param({"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"}, id="forged"),
    pytest.param(sign("http://localhost/voice", {**KOMMUNSUPPORT, "To": "+4700000000"}),
                 id="signed-other-params"),
    pytest.param(sign("http://localhost/gather", KOMMUNSUPPORT), id="signed-other-url"),
])
def test_bad_signature_is_403(signed_app, headers):
    """Missing, forged or mismatched signatures are refused with 403."""
    response = signed_app.test_client().post("/voice", data=KOMMUNSUPPORT, headers=headers)
    assert response.status_code == 403


def test_percent_encoded_query_verifies_as_sent(signed_app):
    """The query string is checked exactly as Twilio sent it (%C3%B6 stays encoded)."""
    url = "http://localhost/gather?line=%C3%B6rebro&node=main-menu"
    params = {**KOMMUNSUPPORT, "Digits": "4"}
    response = signed_app.test_client().post(url[len("http://localhost"):], data=params,
                                             headers=sign(url, params))
    assert response.status_code == 200


def test_behind_a_proxy_the_outside_url_verifies(clock):
    """With one trusted proxy hop, https and the public host from X-Forwarded-* are used."""
    app = create_app({"MENUS": str(MENUS), "CLOCK": clock, "TWILIO_AUTH_TOKEN": TOKEN,
                      "PROXY_HOPS": 1})
    headers = {**sign("https://ivr.example.org/voice", KOMMUNSUPPORT),
               "X-Forwarded-Proto": "https", "X-Forwarded-Host": "ivr.example.org",
               "X-Forwarded-For": "203.0.113.9"}
    response = app.test_client().post("/voice", data=KOMMUNSUPPORT, headers=headers)
    assert response.status_code == 200


def test_without_trusted_proxy_forwarded_headers_change_nothing(signed_app):
    """With no proxy configured, X-Forwarded-* cannot make another URL's signature pass."""
    headers = {**sign("https://ivr.example.org/voice", KOMMUNSUPPORT),
               "X-Forwarded-Proto": "https", "X-Forwarded-Host": "ivr.example.org"}
    response = signed_app.test_client().post("/voice", data=KOMMUNSUPPORT, headers=headers)
    assert response.status_code == 403


def test_health_needs_no_signature(signed_app):
    """The health check answers load balancers without a Twilio signature."""
    response = signed_app.test_client().get("/health")
    assert response.json["lines"] == ["brukarstotte", "intraphone", "orebro-carelock",
                                      "orebro-kommunsupport"]


def test_test_clock_is_refused_with_a_token():
    """An app cannot both verify Twilio and let callers choose the time."""
    with pytest.raises(IvrError, match="insecure"):
        create_app({"MENUS": str(MENUS), "TWILIO_AUTH_TOKEN": TOKEN, "TEST_CLOCK": True})


def test_clock_header_is_ignored_without_test_clock(client):
    """Without TEST_CLOCK, X-Ivr-Clock changes nothing and is not echoed."""
    response = client.post("/voice", data=KOMMUNSUPPORT,
                           headers={"X-Ivr-Clock": "2026-11-28T12:00:00+00:00"})
    assert "X-Ivr-Clock" not in response.headers
    assert verbs(response) == ["Say", "Gather", "Redirect"]
