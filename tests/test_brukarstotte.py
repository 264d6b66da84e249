"""Brukarstøtte (menus/brukarstotte.yaml): priorities against the desk and on-call hours.

Instants are UTC; ids give local Europe/Oslo time (CET = UTC+1, CEST = UTC+2).
2026-11-24 is a Tuesday, 2026-11-27 a Friday; 2027-05-17 (17 May) is a Monday.
"""

import re
import textwrap
import xml.etree.ElementTree as ET

import pytest
import yaml
from conftest import MENUS, ROOT, dial_timeouts, utc

from ivr.server.app import create_app

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
    pytest.param("2026-11-24T06:59Z", "klokka 8", id="tue-07:59"),
    pytest.param("2026-11-24T07:00Z", DESK, id="tue-08:00"),
    pytest.param("2026-11-24T14:59Z", DESK, id="tue-15:59"),
    pytest.param("2026-11-24T15:00Z", "i morgon klokka 8", id="tue-16:00"),
    pytest.param("2026-11-27T15:00Z", "på måndag klokka 8", id="fri-16:00"),
    pytest.param("2026-11-28T11:00Z", "på måndag klokka 8", id="sat-12:00"),
    pytest.param("2026-04-02T08:00Z", "på tysdag klokka 8", id="skjaertorsdag-to-tuesday"),
    pytest.param("2027-05-17T08:00Z", "i morgon klokka 8", id="17-mai"),
])
def test_high_priority_never_uses_on_call(place_call, at, result):
    """2 (high) reaches the desk in its hours; closed, it says when it opens and no dial."""
    call = place_call(LINE, at, "2")
    if result == DESK:
        assert call.dialed == [DESK]
    else:
        assert call.dialed == []
        text = " ".join(call.said)
        assert f"Brukarstøtta er stengd no og opnar igjen {result}." in text
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


@pytest.mark.parametrize("at", [
    pytest.param("2026-11-25T14:30Z", id="wed-15:30"),
    pytest.param("2026-11-25T14:50Z", id="wed-15:50"),
    pytest.param("2026-11-25T14:59Z", id="wed-15:59"),
])
def test_critical_call_the_desk_misses_while_the_vakt_is_on_goes_to_the_vakt(place_call, at):
    """15:30-16:00 both are staffed: a critical call the desk does not answer reaches the vakt."""
    call = place_call(LINE, at, "1", dial=("no-answer", "completed"))
    assert call.dialed == [DESK, ON_CALL]
    assert ("Ingen kunne ta telefonen hos brukarstøtta akkurat no, så kritiske feil går til "
            "vaktordninga. Du blir sett over til vakttelefonen.") in call.said


def test_critical_call_the_desk_misses_before_15_30_offers_a_retry(place_call):
    """At 15:29 the vakt is not on yet: the missed desk offers a retry and the portal."""
    call = place_call(LINE, "2026-11-25T14:29Z", "1", "1", dial=("no-answer", "completed"))
    assert call.dialed == [DESK, DESK]
    assert "Ingen kunne ta telefonen akkurat no." in call.said[-2]


def test_closed_desk_sends_critical_calls_to_the_vakt_in_nynorsk(place_call):
    """With the desk closed the caller hears why the vakt answers, in the routine's nynorsk."""
    call = place_call(LINE, "2026-11-25T18:00Z", "1")
    assert call.said[-1] == ("Brukarstøtta er stengd no, så kritiske feil går til "
                             "vaktordninga. Du blir sett over til vakttelefonen.")


def test_unanswered_vakt_speaks_its_number(place_call):
    """When the vakt does not answer, its number is said so the caller can ring it directly."""
    call = place_call(LINE, "2026-11-25T18:00Z", "1", dial=("no-answer",))
    assert "ringje vakttelefonen direkte på 70 16 24 46" in call.said[-1]


@pytest.mark.parametrize(("at", "key", "said"), [
    pytest.param("2026-11-25T18:00Z", "1", "Vakttelefonen er oppteken akkurat no.",
                 id="vakt"),
    pytest.param("2026-11-25T09:00Z", "2", "Telefonen til brukarstøtta er oppteken akkurat no.",
                 id="desk"),
])
def test_busy_is_said_as_busy_in_nynorsk(place_call, at, key, said):
    """A busy line is told as busy (oppteken), not as unanswered."""
    call = place_call(LINE, at, key, "-", dial=("busy",))
    assert any(text.startswith(said) for text in call.said), call.said
    assert not any("svarar ikkje" in text for text in call.said)


def test_a_silent_caller_hears_where_to_turn_once_not_the_whole_prompt_three_times(place_call):
    """Silence: the long explanation once, then only the keys, then the portal, the opening
    hours and the key for critical faults, once, before goodbye."""
    call = place_call(LINE, "2026-11-25T18:00Z", "-", "-")
    text = " ".join(call.said)
    assert text.count("Kritisk feil er bortfall av applikasjonar") == 1
    assert "Kritisk feil, trykk 1. Høg prioritet, trykk 2." in text
    assert call.said[-2] == ("Registrer saka i serviceportalen. Brukarstøtta har ope måndag "
                             "til fredag klokka 8 til 16. Ved kritisk feil, ring oss igjen og "
                             "trykk 1.")
    assert call.said[-1] == "Takk for at du ringde. Ha det bra." and call.dialed == []


def test_vakt_rings_longer_than_the_desk(place_call):
    """The vakt rings 40 s; the desk keeps the 20 s default."""
    vakt = place_call(LINE, "2026-11-25T18:00Z", "1")
    desk = place_call(LINE, "2026-11-25T09:00Z", "1")
    assert dial_timeouts(vakt) == ["40"] and dial_timeouts(desk) == ["20"]


def test_critical_key_comes_first(place_call):
    """"Kritisk feil? Trykk 1." is the first thing said, before the long explanation."""
    said = place_call(LINE, "2026-11-24T09:00Z").said
    assert said[0] == "Du har ringt brukarstøtte. Kritisk feil? Trykk 1."


def test_explanation_names_every_priority_in_nynorsk(place_call):
    """The menu says what each priority means, medium as "middels", and no IKT-konsulent."""
    said = " ".join(place_call(LINE, "2026-11-24T09:00Z").said)
    for words in ("Ingen saker skal meldast direkte til ein I K T-konsulent",
                  "råkar minst ei eining", "Middels prioritet er", "Låg prioritet er",
                  "For middels og låg prioritet, trykk 3"):
        assert words in said
    for word in ("rører", "medium"):
        assert word not in said


def test_country_is_a_string_to_any_yaml_reader():
    """country: "NO" is quoted: a YAML 1.1 reader (PyYAML) must not read it as false."""
    document = yaml.safe_load((MENUS / "brukarstotte.yaml").read_text(encoding="utf-8"))
    assert document["calendar"]["holidays"]["country"] == "NO"


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


def test_priorities_keep_the_routines_words(place_call):
    """Other high-uptime systems "kan også inngå" as critical; high keeps "i dialog med"."""
    said = " ".join(place_call(LINE, "2026-11-24T09:00Z").said)
    assert ("Bortfall av andre system der det er venta høg oppetid, kan også reknast som "
            "kritisk.") in said
    assert "elektroniske tenester som innbyggjarar nyttar i dialog med tenestemottakar" in said


def _admins_overrides() -> str:
    """The calendar.overrides docs/admins.md shows the owner for julaften and nyttårsaften."""
    admins = (ROOT / "docs" / "admins.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", admins, flags=re.S)
                 if "Julaftan" in b)
    return textwrap.dedent(block).split("calendar:\n", 1)[1]


@pytest.mark.parametrize("at", [
    pytest.param("2026-12-24T12:00Z", id="julaften-thu-13:00"),
    pytest.param("2026-12-31T12:00Z", id="nyttarsaften-thu-13:00"),
])
def test_critical_call_missed_on_julaften_reaches_the_vakt_only_with_the_owners_override(
        place_call, clock, menus, at):
    """Shipped, a missed critical call at 13:00 on 24/31 December gets the portal; the override
    docs/admins.md shows starts the vakt at noon, so the same call reaches it."""
    shipped = place_call(LINE, at, "1", "-", dial=("no-answer",))
    assert shipped.dialed == [DESK]
    assert "registrer saka i serviceportalen" in shipped.said[-2]

    path = menus / "brukarstotte.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("calendar:\n", "calendar:\n" + _admins_overrides(), 1),
                    encoding="utf-8")
    app = create_app({"MENUS": str(menus), "CLOCK": clock, "TESTING": True})
    owned = place_call(LINE, at, "1", dial=("no-answer", "completed"), app=app)
    assert owned.dialed == [DESK, ON_CALL]
