"""Carelock fault reports (menus/orebro-carelock.yaml) by time of day, edge by edge.

Instants are UTC; ids give local Europe/Stockholm time. 2026-11-24 is a Tuesday,
2026-11-28 a Saturday.
"""

import pytest
from conftest import dial_timeouts

LINE = "+46701740610"
DAY, EVENING = "+4619213606", "+4619214944"
CERTEGO, CERTEGO_2 = "+4619105410", "+4620240000"


@pytest.mark.parametrize(("at", "dialled"), [
    pytest.param("2026-11-24T05:59Z", CERTEGO, id="tue-06:59-night"),
    pytest.param("2026-11-24T06:00Z", DAY, id="tue-07:00-day"),
    pytest.param("2026-11-24T15:59Z", DAY, id="tue-16:59-day"),
    pytest.param("2026-11-24T16:00Z", EVENING, id="tue-17:00-evening"),
    pytest.param("2026-11-24T20:59Z", EVENING, id="tue-21:59-evening"),
    pytest.param("2026-11-24T21:00Z", CERTEGO, id="tue-22:00-night"),
    pytest.param("2026-11-28T05:59Z", CERTEGO, id="sat-06:59-night"),
    pytest.param("2026-11-28T06:00Z", EVENING, id="sat-07:00-weekend"),
    pytest.param("2026-11-28T20:59Z", EVENING, id="sat-21:59-weekend"),
    pytest.param("2026-11-28T21:00Z", CERTEGO, id="sat-22:00-night"),
    pytest.param("2026-12-24T09:00Z", EVENING, id="julafton-thu-10:00-as-weekend"),
    pytest.param("2026-05-14T08:00Z", EVENING, id="kristi-himmelsfard-thu-10:00-cest"),
    pytest.param("2026-03-30T04:59Z", CERTEGO, id="mon-after-spring-change-06:59"),
    pytest.param("2026-03-30T05:00Z", DAY, id="mon-after-spring-change-07:00"),
    pytest.param("2026-10-26T05:59Z", CERTEGO, id="mon-after-autumn-change-06:59"),
    pytest.param("2026-10-26T06:00Z", DAY, id="mon-after-autumn-change-07:00"),
])
def test_number_by_time_of_day(place_call, at, dialled):
    """Weekdays 07-17 ring the day number, evenings/weekends the lock line, nights Certego."""
    call = place_call(LINE, at, "1")
    assert call.dialed[:1] == [dialled]


def test_day_dials_at_once_after_a_short_message(place_call):
    """On weekdays the caller is connected without pressing anything, to the routine's number."""
    call = place_call(LINE, "2026-11-24T09:00Z")
    assert call.dialed == [DAY]
    assert call.said == ["Felanmälan för Carelock och Carelock gate. "
                         "Du kopplas nu till 019, 21 36 06."]


def test_evening_starts_with_backup_key_and_warns_about_tes_app(place_call):
    """Evenings: use the backup key; the number gives no TES-app or telephony support."""
    call = place_call(LINE, "2026-11-24T18:00Z")
    text = " ".join(call.said)
    assert "Carelock gate" in text
    assert "backup-nyckeln" in text and "019, 21 49 44" in text
    assert "inte ger support för TES-app eller telefoni" in text
    assert call.dialed == [] and call.ended == "caller"


@pytest.mark.parametrize("at", [
    pytest.param("2026-11-27T01:10Z", id="fri-02:10"),
    pytest.param("2026-11-24T21:00Z", id="tue-22:00"),
])
def test_night_locksmith_answered_ends_without_the_police(place_call, at):
    """Certego answered: the call ends; the police are named neither before nor after."""
    call = place_call(LINE, at, "1", dial=("completed",))
    text = " ".join(call.said)
    assert call.dialed == [CERTEGO] and call.ended == "hangup"
    assert "polis" not in text and "112" not in text and "1 1 2" not in text
    assert text.index("anhöriga") < text.index("Certego")


def test_night_certego_second_number_when_first_does_not_answer(place_call):
    """At night, the locksmith's second number is tried when the first does not answer."""
    call = place_call(LINE, "2026-11-24T23:00Z", "1", dial=("no-answer", "completed"))
    assert call.dialed == [CERTEGO, CERTEGO_2]
    assert not any("polis" in s for s in call.said)


def test_night_certego_unanswered_offers_a_retry_without_the_police(place_call):
    """Neither Certego number answered: a retry is offered, the police not yet, no double no."""
    call = place_call(LINE, "2026-11-24T23:00Z", "1", dial=("no-answer", "no-answer"))
    assert call.said[-1] == ("Certego svarade inte på 019, 10 54 10 och inte heller på "
                             "020, 24 00 00. Tryck 1 för att försöka igen.")
    assert call.ended == "caller"


def test_night_when_nobody_helps_112_is_said_never_dialled(place_call):
    """Relatives and Certego could not help: 112 is said digit by digit, and never dialled."""
    call = place_call(LINE, "2026-11-24T23:00Z", "1", "1", "-",
                      dial=("busy", "failed", "no-answer", "no-answer"))
    assert call.said[-1] == ("Certego har telefon 019, 10 54 10 eller 020, 24 00 00. Kan "
                             "varken anhöriga eller Certego hjälpa, ring polisen på 1 1 2. "
                             "Hej då.")
    assert call.dialed == [CERTEGO, CERTEGO_2, CERTEGO, CERTEGO_2]
    assert "112" not in call.dialed and call.ended == "hangup"


@pytest.mark.parametrize(("at", "rings"), [
    pytest.param("2026-11-24T09:00Z", ["20"], id="day-desk-default"),
    pytest.param("2026-11-24T18:00Z", ["40"], id="evening-fault-line"),
    pytest.param("2026-11-24T23:00Z", ["40", "40"], id="night-certego-both"),
])
def test_on_call_numbers_ring_longer(place_call, at, rings):
    """The evening lock line and Certego ring 40 s each; the day number keeps 20 s."""
    call = place_call(LINE, at, "1", dial=("no-answer",) * len(rings))
    assert dial_timeouts(call)[:len(rings)] == rings


def test_unanswered_day_number_offers_a_retry(place_call):
    """If the day number does not answer, 1 tries it again."""
    call = place_call(LINE, "2026-11-24T09:00Z", "1", dial=("no-answer", "completed"))
    assert call.dialed == [DAY, DAY]


def test_night_prompt_says_both_certego_numbers_before_offering_key_1(place_call):
    """At night the prompt gives Certego's two numbers as the routine writes them, or key 1,
    and 9 to hear them again."""
    call = place_call(LINE, "2026-11-24T22:00Z")
    assert call.said[-2:] == ["Kan de inte hjälpa, ring låssmeden Certego på 019, 10 54 10 "
                              "eller 020, 24 00 00, eller tryck 1 så kopplas du dit.",
                              "För att höra numren igen, tryck 9."]


@pytest.mark.parametrize(("at", "status", "said"), [
    pytest.param("2026-11-24T09:00Z", "busy", "Det är upptaget på 019, 21 36 06.", id="day"),
    pytest.param("2026-11-24T18:00Z", "busy", "Det är upptaget på 019, 21 49 44.",
                 id="evening"),
    pytest.param("2026-11-24T18:00Z", "no-answer", "Ingen svarade på 019, 21 49 44.",
                 id="evening-no-answer"),
])
def test_busy_is_said_as_busy(place_call, at, status, said):
    """A fault line busy is told as busy, one that does not answer as unanswered."""
    call = place_call(LINE, at, "1", "-", dial=(status,))
    assert any(text.startswith(said) for text in call.said), call.said


def test_nine_says_the_evening_number_again_and_silence_gets_it_once_more(place_call):
    """9 repeats the evening prompt with its number; a silent caller hears it before goodbye."""
    call = place_call(LINE, "2026-11-24T18:00Z", "9", "-", "-")
    assert sum("019, 21 49 44" in text for text in call.said) == 4  # 3 prompts, goodbye
    assert call.said[-1].startswith("Numret till felanmälan för Carelock är 019, 21 49 44.")


@pytest.mark.parametrize("keys", [
    pytest.param(("-", "-", "-"), id="silent"),
    pytest.param(("5", "5", "5"), id="wrong-keys"),
])
def test_night_caller_who_never_presses_1_hears_112_last(place_call, keys):
    """A night caller who never presses 1 hears Certego's numbers and, last of all, 112 (said)."""
    call = place_call(LINE, "2026-11-24T22:00Z", *keys)
    assert any("019, 10 54 10 eller 020, 24 00 00" in s for s in call.said)
    assert call.said[-1] == ("Certego har telefon 019, 10 54 10 eller 020, 24 00 00. Kan "
                             "varken anhöriga eller Certego hjälpa, ring polisen på 1 1 2. "
                             "Hej då.")
    assert call.dialed == [] and call.ended == "hangup"
