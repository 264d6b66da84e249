"""Brukarstøtte (menus/brukarstotte.yaml): priorities against the desk and on-call hours.

Instants are UTC; ids give local Europe/Oslo time (CET = UTC+1, CEST = UTC+2).
2026-11-24 is a Tuesday, 2026-11-27 a Friday; 2027-05-17 (17 May) is a Monday.
"""

import xml.etree.ElementTree as ET

import pytest
from conftest import MENUS, utc

LINE = "+4770162999"
DESK, ON_CALL = "+4700000000", "+4770162446"


@pytest.mark.parametrize(("at", "dialled"), [
    pytest.param("2026-11-24T06:59Z", ON_CALL, id="tue-07:59"),
    pytest.param("2026-11-24T07:00Z", DESK, id="tue-08:00"),
    pytest.param("2026-11-24T14:29Z", DESK, id="tue-15:29"),
    pytest.param("2026-11-24T14:30Z", DESK, id="tue-15:30-both-staffed-desk-first"),
    pytest.param("2026-11-24T14:59Z", DESK, id="tue-15:59"),
    pytest.param("2026-11-24T15:00Z", ON_CALL, id="tue-16:00"),
    pytest.param("2026-11-27T15:00Z", ON_CALL, id="fri-16:00"),
    pytest.param("2026-11-28T11:00Z", ON_CALL, id="sat-12:00"),
    pytest.param("2026-11-29T02:00Z", ON_CALL, id="sun-03:00"),
    pytest.param("2026-11-30T06:59Z", ON_CALL, id="mon-07:59"),
    pytest.param("2026-04-02T08:00Z", ON_CALL, id="skjaertorsdag-10:00-cest"),
    pytest.param("2027-05-17T08:00Z", ON_CALL, id="17-mai-mon-10:00-cest"),
    pytest.param("2026-03-30T06:00Z", DESK, id="mon-after-spring-change-08:00-cest"),
    pytest.param("2026-10-26T06:59Z", ON_CALL, id="mon-after-autumn-change-07:59-cet"),
])
def test_critical_goes_to_desk_when_open_else_on_call(place_call, at, dialled):
    """1 (critical) reaches the desk in its hours, the on-call phone otherwise."""
    call = place_call(LINE, at, "1")
    assert call.dialed == [dialled]
    if dialled == ON_CALL:
        assert any("vaktordninga" in s for s in call.said)


@pytest.mark.parametrize(("at", "result"), [
    pytest.param("2026-11-24T06:59Z", "klokka 08:00", id="tue-07:59"),
    pytest.param("2026-11-24T07:00Z", DESK, id="tue-08:00"),
    pytest.param("2026-11-24T14:59Z", DESK, id="tue-15:59"),
    pytest.param("2026-11-24T15:00Z", "i morgon klokka 08:00", id="tue-16:00"),
    pytest.param("2026-11-27T15:00Z", "på måndag klokka 08:00", id="fri-16:00"),
    pytest.param("2026-11-28T11:00Z", "på måndag klokka 08:00", id="sat-12:00"),
    pytest.param("2026-04-02T08:00Z", "på tysdag klokka 08:00", id="skjaertorsdag-to-tuesday"),
    pytest.param("2027-05-17T08:00Z", "i morgon klokka 08:00", id="17-mai"),
])
def test_high_priority_never_uses_on_call(place_call, at, result):
    """2 (high) reaches the desk in its hours; closed, it says when it opens and no dial."""
    call = place_call(LINE, at, "2")
    if result == DESK:
        assert call.dialed == [DESK]
    else:
        assert call.dialed == []
        text = " ".join(call.said)
        assert f"vi opnar igjen {result}." in text
        assert "berre for kritiske feil" in text and "serviceportalen" in text


@pytest.mark.parametrize(("at", "dialled"), [
    pytest.param("2026-11-24T09:00Z", [DESK], id="open-no-network-put-through"),
    pytest.param("2026-11-24T17:00Z", [], id="closed-portal-only"),
])
def test_other_cases_go_to_the_portal(place_call, at, dialled):
    """3: use the portal; while the desk is open, 1 puts a caller without network through."""
    call = place_call(LINE, at, "3", "1")
    assert "serviceportalen" in " ".join(call.said)
    assert call.dialed == dialled


def test_greeting_explains_portal_and_when_to_call(place_call):
    """The greeting points to the portal and says who the phone is for."""
    said = " ".join(place_call(LINE, "2026-11-24T09:00Z").said)
    for words in ("serviceportalen", "driftsmeldingar", "status", "tilgang til nett",
                  "høg eller kritisk"):
        assert words in said


def test_speaks_norwegian_with_a_norwegian_voice(shipped_app, clock):
    """Every <Say> of the line is nb-NO with a Norwegian voice."""
    clock.now = utc("2026-11-24T09:00Z")
    response = shipped_app.test_client().post("/voice", data={"To": LINE})
    says = list(ET.fromstring(response.data).iter("Say"))
    assert says and {(s.get("language"), s.get("voice")) for s in says} == {
        ("nb-NO", "Polly.Liv")}


def test_no_names_of_people():
    """The line names roles, not the people named in the routine."""
    content = (MENUS / "brukarstotte.yaml").read_text(encoding="utf-8")
    assert "Alvestad" not in content and "Staurset" not in content
