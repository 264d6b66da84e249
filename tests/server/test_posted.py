"""What Twilio posts, read once: the webhooks and the signature check see the same values."""

from urllib.parse import urlencode

from conftest import MENUS
from test_signature import CALL, TOKEN, app_for
from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict

from ivr.server.app import create_app

FORM = "application/x-www-form-urlencoded"


def post(client, path: str, pairs: list[tuple[str, str]], **headers):
    return client.post(path, data=urlencode(pairs), content_type=FORM, headers=headers)


def test_a_repeated_parameter_counts_once_its_first_value_for_the_call(clock):
    """Two To's: the call goes to the line of the first, as request.form.to_dict() did."""
    client = create_app({"MENUS": str(MENUS), "CLOCK": clock}).test_client()
    first = post(client, "/voice", [*CALL.items(), ("To", "+4600000000")])
    last = post(client, "/voice", [("To", "+4600000000"), *CALL.items()])
    assert b"<Gather" in first.data and b"<Gather" not in last.data


def test_the_signature_covers_every_value_of_a_repeated_parameter(clock):
    """Twilio signs every value: a request signed so passes, one signed over the first fails."""
    pairs = [*CALL.items(), ("Extra", "a"), ("Extra", "b")]
    url = "http://localhost/voice"
    every = RequestValidator(TOKEN).compute_signature(url, MultiDict(pairs))
    first = RequestValidator(TOKEN).compute_signature(url, dict(reversed(pairs)))
    client = app_for(clock).test_client()
    assert post(client, "/voice", pairs, **{"X-Twilio-Signature": every}).status_code == 200
    assert post(client, "/voice", pairs, **{"X-Twilio-Signature": first}).status_code == 403


def test_a_body_of_another_type_or_bad_bytes_posts_nothing_and_fails_nothing(clock):
    """JSON, or bytes that are no UTF-8, are not parameters: the caller hears an apology,
    never a 500."""
    client = create_app({"MENUS": str(MENUS), "CLOCK": clock}).test_client()
    as_json = client.post("/voice", json=CALL)
    garbled = client.post("/voice", data=b"To=%2B4619212000&From=\xff\xfe%ff",
                          content_type=FORM)
    assert as_json.status_code == 200 and b"<Hangup" in as_json.data
    assert garbled.status_code == 200 and b"<Gather" in garbled.data


def test_a_body_over_the_cap_is_refused_before_it_is_read(clock):
    """Beyond 16 KB the answer is 413, as with request.form."""
    client = create_app({"MENUS": str(MENUS), "CLOCK": clock}).test_client()
    response = post(client, "/voice", [*CALL.items(), ("Pad", "x" * 17_000)])
    assert response.status_code == 413


def test_a_large_body_of_another_type_is_refused_too(clock):
    """Over 16 KB is 413 whatever the body's type, as the README says of any request."""
    client = create_app({"MENUS": str(MENUS), "CLOCK": clock}).test_client()
    response = client.post("/voice", data=b"{" + b" " * 17_000 + b"}",
                           content_type="application/json")
    assert response.status_code == 413


def test_a_query_of_thousands_of_fields_is_refused(clock):
    """The action URL's query is held to the same cap as the body: 400, never a 500."""
    client = create_app({"MENUS": str(MENUS), "CLOCK": clock}).test_client()
    response = client.post("/gather?" + "&".join(["a="] * 300), data=CALL)
    assert response.status_code == 400
