"""Kommunsupport (menus/orebro-kommunsupport.yaml) against the routine, edge by edge.

Instants are UTC; the id gives the local time in Europe/Stockholm (CET = UTC+1 in winter,
CEST = UTC+2 in summer). 2026-11-24 is a Tuesday, 2026-11-27 a Friday.
"""

import pytest
from conftest import MENUS, dial_timeouts

LINE = "+4619212000"
TES, IT, SOS = "+46701740605", "+46701740606", "+46701740607"
CLOSED = "Kommunsupport har stängt"
WELCOME = "Välkommen till Kommunsupport i Örebro kommun."
TES_MAIL = "vardochstod snabel-a orebro punkt s e"
IT_MAIL = "i t, bindestreck, helpdesk, snabel-a orebro punkt s e"
LOCK, OUTAGE = ("3", "1", "1"), ("3", "1", "2")
"""After hours: the daytime 3, 1 (TES, TES-app and Carelock), then the lock or the outage."""


def outcome(call):
    """What the caller got: a number dialled, a desk-closed message, or the after-hours path."""
    if any(said.startswith(CLOSED) for said in call.said[:2]):
        return "after-hours"
    if call.dialed:
        return call.dialed[0]
    opens = [s for s in call.said if "öppnar igen" in s]
    return "closed " + opens[0].split("öppnar igen ")[1].split(".")[0] if opens else call.said


@pytest.mark.parametrize(("at", "expected"), [
    pytest.param("2026-11-24T05:59Z", "after-hours", id="tue-06:59"),
    pytest.param("2026-11-24T06:00Z", "closed klockan 8", id="tue-07:00-line-open-tes-not"),
    pytest.param("2026-11-24T06:59Z", "closed klockan 8", id="tue-07:59"),
    pytest.param("2026-11-24T07:00Z", TES, id="tue-08:00"),
    pytest.param("2026-11-24T10:59Z", TES, id="tue-11:59"),
    pytest.param("2026-11-24T11:00Z", "closed klockan 13", id="tue-12:00-lunch"),
    pytest.param("2026-11-24T11:59Z", "closed klockan 13", id="tue-12:59-lunch"),
    pytest.param("2026-11-24T12:00Z", TES, id="tue-13:00"),
    pytest.param("2026-11-24T15:29Z", TES, id="tue-16:29"),
    pytest.param("2026-11-24T15:30Z", "closed i morgon klockan 8", id="tue-16:30"),
    pytest.param("2026-11-24T15:59Z", "closed i morgon klockan 8", id="tue-16:59"),
    pytest.param("2026-11-24T16:00Z", "after-hours", id="tue-17:00"),
    pytest.param("2026-11-27T15:29Z", TES, id="fri-16:29"),
    pytest.param("2026-11-27T15:30Z", "after-hours", id="fri-16:30-short-friday"),
    pytest.param("2026-11-28T09:00Z", "after-hours", id="sat-10:00"),
    pytest.param("2026-11-29T09:00Z", "after-hours", id="sun-10:00"),
])
def test_tes_desk(place_call, at, expected):
    """3, 1 reaches the TES desk in its hours, says when it opens in the line's other hours."""
    assert outcome(place_call(LINE, at, "3", "1")) == expected


@pytest.mark.parametrize(("at", "expected"), [
    pytest.param("2026-11-24T05:59Z", "after-hours", id="tue-06:59"),
    pytest.param("2026-11-24T06:00Z", IT, id="tue-07:00"),
    pytest.param("2026-11-24T10:59Z", IT, id="tue-11:59"),
    pytest.param("2026-11-24T11:00Z", "closed klockan 13", id="tue-12:00-lunch"),
    pytest.param("2026-11-24T12:00Z", IT, id="tue-13:00"),
    pytest.param("2026-11-24T15:59Z", IT, id="tue-16:59"),
    pytest.param("2026-11-24T16:00Z", "after-hours", id="tue-17:00"),
    pytest.param("2026-11-27T14:59Z", IT, id="fri-15:59"),
    pytest.param("2026-11-27T15:00Z", "closed på måndag klockan 7", id="fri-16:00"),
    pytest.param("2026-11-27T15:29Z", "closed på måndag klockan 7", id="fri-16:29"),
    pytest.param("2026-11-27T15:30Z", "after-hours", id="fri-16:30"),
])
def test_it_desk(place_call, at, expected):
    """4 reaches IT and telephony in its hours (Friday until 16:00), else says when."""
    assert outcome(place_call(LINE, at, "4")) == expected


@pytest.mark.parametrize("at", [
    pytest.param("2026-12-24T09:00Z", id="julafton-thu-10:00"),
    pytest.param("2026-12-31T09:00Z", id="nyarsafton-thu-10:00"),
    pytest.param("2026-06-19T08:00Z", id="midsommarafton-fri-10:00-cest"),
    pytest.param("2026-01-06T09:00Z", id="trettondedag-jul-tue-10:00"),
    pytest.param("2026-04-06T08:00Z", id="annandag-pask-mon-10:00-cest"),
])
def test_closed_on_holidays_and_eves(place_call, at):
    """Swedish public holidays and Midsommarafton, Julafton, Nyårsafton are after hours."""
    assert outcome(place_call(LINE, at, "4")) == "after-hours"


@pytest.mark.parametrize(("at", "expected"), [
    pytest.param("2026-03-30T04:59Z", "after-hours", id="mon-after-spring-change-06:59-cest"),
    pytest.param("2026-03-30T05:00Z", IT, id="mon-after-spring-change-07:00-cest"),
    pytest.param("2026-10-26T05:59Z", "after-hours", id="mon-after-autumn-change-06:59-cet"),
    pytest.param("2026-10-26T06:00Z", IT, id="mon-after-autumn-change-07:00-cet"),
])
def test_mondays_after_dst_changes(place_call, at, expected):
    """Opening follows local wall-clock time across both daylight-saving changes."""
    assert outcome(place_call(LINE, at, "4")) == expected


def test_after_hours_opens_with_the_welcome_and_the_closed_notice(place_call):
    """Closed, the caller hears the welcome, then that the desks are closed, then the
    daytime menu itself: the same keys at every hour."""
    call = place_call(LINE, "2026-11-24T18:30Z")
    assert call.said[0] == WELCOME and call.said[1].startswith(CLOSED)
    assert call.said[2].startswith("För verksamhetssystem, TES, TES-app och Carelock, tryck 3.")


def test_a_silent_caller_hears_both_addresses_as_they_are_written(place_call):
    """No choice in the main menu by day: the two e-mail addresses, the correction (no å,
    no ö) before them, each said twice, before goodbye."""
    call = place_call(LINE, "2026-11-24T09:00Z", "-", "-", "-")
    ending = " ".join(call.said[call.said.index("Jag uppfattade inget knappval.", 2):])
    assert ending.index("skrivs utan å och ö") < ending.index(TES_MAIL)
    assert TES_MAIL in ending and IT_MAIL in ending and ending.count("orebro punkt s e") == 4
    assert call.said[-1] == "Tack för att du ringde. Hej då." and call.dialed == []


@pytest.mark.parametrize(("at", "number", "not_said"), [
    pytest.param("2026-11-27T15:40Z", "019, 21 36 06", "backup", id="fri-16:40-day-number"),
    pytest.param("2026-11-24T18:30Z", "019, 21 49 44", "Certego", id="tue-19:30-evening"),
    pytest.param("2026-11-28T20:59Z", "019, 21 49 44", "Certego", id="sat-21:59-evening"),
    pytest.param("2026-11-28T21:00Z", "019, 10 54 10 eller 020, 24 00 00", "21 49 44",
                 id="sat-22:00-night"),
    pytest.param("2026-11-24T22:00Z", "019, 10 54 10 eller 020, 24 00 00", "21 49 44",
                 id="tue-23:00-night"),
])
def test_after_hours_lock_fault_skips_the_computer_checks(place_call, at, number, not_said):
    """After hours, 3, 1, 1 tells a broken Carelock lock's number for the time, without the
    checks; the caller who presses nothing more hears it again before goodbye."""
    call = place_call(LINE, at, *LOCK, "-", "-")
    text = " ".join(call.said)
    assert number in text and not_said not in text
    assert text.count(number.split(" eller ")[0]) >= 3  # the prompt twice, then once more
    assert "sladdar" not in text and "Starta om datorn" not in text
    assert call.dialed == [] and call.ended == "hangup"


def test_after_hours_lock_fault_at_night_ends_with_112_as_the_last_resort(place_call):
    """At night the lock path says relatives, then Certego, then 112 digit by digit, in order."""
    call = place_call(LINE, "2026-11-24T22:00Z", *LOCK)
    text = " ".join(call.said)
    assert text.index("anhöriga") < text.index("Certego") < text.index("ring polisen på 1 1 2")
    assert "112" not in text


def test_after_hours_reads_the_checks_then_offers_sos_alarm(place_call):
    """After hours, 3, 1, 2: the four checks, the on-call limits, then 1 dials SOS Alarm."""
    call = place_call(LINE, "2026-11-24T18:30Z", *OUTAGE, "1")
    text = " ".join(call.said)
    for check in ("sladdar", "Starta om datorn", "eftersom felet kan påverka flera system",
                  "kollega"):
        assert check in text
    assert "upplåsning" in text and "externa utförare" in text
    assert "jourhavande datatekniker" in text
    assert call.dialed == [SOS]


def test_after_hours_a_silent_caller_hears_the_lock_and_sos_keys(place_call):
    """No choice in the main menu at night: which keys bring the lock line and SOS Alarm
    next call, and the address, before goodbye."""
    call = place_call(LINE, "2026-11-25T02:00Z", "-", "-", "-")
    ending = " ".join(call.said[call.said.index("Jag uppfattade inget knappval.", 2):])
    assert "tryck 3, 1 och sedan 1" in ending and "S O S Alarm" in ending
    assert TES_MAIL in ending and call.said[-1] == "Tack för att du ringde. Hej då."


def test_after_hours_four_is_it_and_telephonys_own_answer(place_call):
    """After hours, 4 means IT and telephony as by day: when it opens, and its address."""
    call = place_call(LINE, "2026-11-24T18:30Z", "4")
    assert "IT och telefoni har stängt just nu och öppnar igen i morgon klockan 7." in call.said
    assert any(IT_MAIL in said for said in call.said)
    assert call.dialed == [] and call.ended == "hangup"


def test_the_daytime_three_one_at_night_rings_nobody_and_names_the_lock(place_call):
    """The habit "3, 1" pressed at once at 03:00: no dial, the closed notice heard first,
    and the Carelock choice named."""
    call = place_call(LINE, "2026-11-25T02:00Z", "3@0", "1@0", "-")
    assert call.dialed == []
    assert call.said[1].startswith(CLOSED)
    assert "Gäller det ett fel på Carelock eller Carelock gate, tryck 1." in call.said


def test_nine_repeats_the_checks(place_call):
    """After the checks, 9 reads them again."""
    call = place_call(LINE, "2026-11-24T18:30Z", *OUTAGE, "9")
    assert sum("sladdar" in s for s in call.said) == 2


def test_sos_alarm_unanswered_offers_to_try_again_at_once(place_call):
    """If SOS Alarm does not answer, 1 dials it again without the checks said anew."""
    call = place_call(LINE, "2026-11-24T18:30Z", *OUTAGE, "1", "1",
                      dial=("no-answer", "completed"))
    assert call.dialed == [SOS, SOS]
    assert sum("sladdar" in s for s in call.said) == 1


def test_sos_alarm_rings_longer_than_a_desk(place_call):
    """On-call SOS Alarm rings 40 s; a desk keeps the 20 s default."""
    sos = place_call(LINE, "2026-11-24T18:30Z", *OUTAGE, "1")
    desk = place_call(LINE, "2026-11-24T09:00Z", "4")
    assert dial_timeouts(sos) == ["40"] and dial_timeouts(desk) == ["20"]


def test_sos_alarm_unanswered_twice_tells_112_and_never_dials_it(place_call):
    """Given up on SOS Alarm, the caller hears 112 digit by digit and the line hangs up."""
    call = place_call(LINE, "2026-11-24T18:30Z", *OUTAGE, "1", "-", dial=("no-answer",))
    assert call.dialed == [SOS]
    assert "ring 1 1 2" in call.said[-1]
    assert call.ended == "hangup"


@pytest.mark.parametrize("status", ["busy", "no-answer", "failed"])
def test_tes_desk_unanswered_falls_back_to_email(place_call, status):
    """A desk that is busy, does not answer or fails leads to its e-mail address, spelt out."""
    call = place_call(LINE, "2026-11-24T09:00Z", "3", "1", "-", dial=(status,))
    assert call.dialed == [TES]
    assert any(TES_MAIL in s for s in call.said)
    assert call.ended == "hangup"


def test_star_goes_back_to_the_main_menu(place_call):
    """In the business-systems menu, * returns to the main menu."""
    call = place_call(LINE, "2026-11-24T09:00Z", "3", "*", "4")
    assert call.dialed == [IT]


def test_internal_number_2000_answers_too(place_call):
    """The internal short number 2000 reaches the same line."""
    assert place_call("2000", "2026-11-24T09:00Z", "4").dialed == [IT]


LOCK_DAY = "Felanmälan för Carelock och Carelock gate, ring 019, 21 36 06."


@pytest.mark.parametrize(("at", "dial"), [
    pytest.param("2026-11-24T06:00Z", (), id="tue-07:00-tes-not-yet-open"),
    pytest.param("2026-11-24T06:59Z", (), id="tue-07:59"),
    pytest.param("2026-11-24T11:00Z", (), id="tue-12:00-lunch"),
    pytest.param("2026-11-24T11:59Z", (), id="tue-12:59-lunch"),
    pytest.param("2026-11-24T15:30Z", (), id="tue-16:30-tes-closed"),
    pytest.param("2026-11-24T15:59Z", (), id="tue-16:59"),
    pytest.param("2026-11-24T09:00Z", ("busy",), id="tue-10:00-tes-busy"),
    pytest.param("2026-11-27T15:29Z", ("no-answer",), id="fri-16:29-tes-no-answer"),
])
def test_tes_closed_or_busy_tells_the_carelock_day_number(place_call, at, dial):
    """3, 1 with TES closed or unanswered by day, then 1 for a lock: the day fault number."""
    call = place_call(LINE, at, "3", "1", "1", "-", "-", dial=dial)
    assert LOCK_DAY in call.said
    assert not any("backup" in s or "Certego" in s for s in call.said)
    assert call.dialed == [TES] * len(dial) and call.ended == "hangup"


@pytest.mark.parametrize("at", [
    pytest.param("2026-11-24T18:30Z", id="tue-19:30-evening"),
    pytest.param("2026-11-24T22:00Z", id="tue-23:00-night"),
    pytest.param("2026-11-28T09:00Z", id="sat-10:00-weekend"),
])
@pytest.mark.parametrize("keys", [
    pytest.param(("-", "-", "-"), id="silent"),
    pytest.param(("4", "4", "4"), id="wrong-keys"),
])
def test_after_hours_caller_who_chooses_nothing_hears_where_to_turn(place_call, at, keys):
    """After hours at the lock-or-outage choice, no choice made: which keys bring the lock
    and SOS Alarm next call, and the e-mail address, once, before goodbye."""
    call = place_call(LINE, at, "3", "1", *keys)
    last_prompt = max(i for i, s in enumerate(call.said) if s.endswith("tryck 2."))
    ending = " ".join(call.said[last_prompt + 1:])
    assert "tryck 3, 1 och sedan 1" in ending and "tryck 3, 1 och sedan 2" in ending
    assert "S O S Alarm" in ending and TES_MAIL in ending
    assert call.said[-1] == "Tack för att du ringde. Hej då."
    assert call.dialed == [] and call.ended == "hangup"


def test_after_hours_night_ending_says_112_last_and_never_dials_it(place_call):
    """A night caller silent at the lock menu hears Certego's numbers again and 112, digit
    by digit, as the last resort before goodbye."""
    call = place_call(LINE, "2026-11-24T22:00Z", *LOCK, "-", "-")
    assert call.said[-2].endswith("ring polisen på 1 1 2.")
    assert "019, 10 54 10" in call.said[-2]
    assert call.dialed == []


@pytest.mark.parametrize(("at", "number"), [
    pytest.param("2026-11-25T02:00Z", "+4619105410", id="wed-03:00-certego"),
    pytest.param("2026-11-24T18:30Z", "+4619214944", id="tue-19:30-evening-line"),
    pytest.param("2026-11-27T15:40Z", "+4619213606", id="fri-16:40-day-line"),
])
def test_a_broken_lock_after_hours_is_put_through(place_call, at, number):
    """3, 1, 1 and then 1 rings the lock line of the hour; 9 says its number again."""
    assert place_call(LINE, at, *LOCK, "1").dialed == [number]
    again = place_call(LINE, at, *LOCK, "9", "-")
    assert sum(number[3:5] in said.replace(" ", "") for said in again.said) >= 2


def test_busy_is_said_as_busy(place_call):
    """The lock line busy is told as busy, with a key to try again; unanswered as unanswered."""
    busy = place_call(LINE, "2026-11-24T18:30Z", *LOCK, "1", "-", dial=("busy",))
    assert "Det är upptaget på 019, 21 49 44. Tryck 1 för att försöka igen." in busy.said
    unanswered = place_call(LINE, "2026-11-24T18:30Z", *LOCK, "1", "-", dial=("no-answer",))
    assert "Ingen svarade på 019, 21 49 44. Tryck 1 för att försöka igen." in unanswered.said


@pytest.mark.parametrize(("at", "tes", "it"), [
    pytest.param("2026-11-24T05:30Z", "klockan 8", "klockan 7", id="tue-06:30"),
    pytest.param("2026-11-24T18:30Z", "i morgon klockan 8", "i morgon klockan 7",
                 id="tue-19:30"),
    pytest.param("2026-11-27T15:30Z", "på måndag klockan 8", "på måndag klockan 7",
                 id="fri-16:30"),
    pytest.param("2026-12-24T09:00Z", "på måndag klockan 8", "på måndag klockan 7",
                 id="julafton-10:00"),
])
def test_after_hours_says_when_each_desk_opens(place_call, at, tes, it):
    """Closed, the line gives each desk's own opening: TES at 8, IT and telephony at 7."""
    said = place_call(LINE, at).said[1]
    assert said == f"{CLOSED}: IT och telefoni öppnar igen {it} och TES-supporten {tes}."


def test_checks_say_first_that_they_do_not_apply_to_external_providers(place_call):
    """"Gäller ej externa utförare" is said before the first check, not after the fourth."""
    said = place_call(LINE, "2026-11-24T18:30Z", *OUTAGE).said
    first = next(i for i, s in enumerate(said) if "Gör följande kontroller" in s)
    assert "externa utförare" in said[first]
    assert not any("externa utförare" in s for s in said[first + 1:])


def test_lock_evening_says_the_number_gives_no_tes_app_or_telephony_support(place_call):
    """The evening lock number comes with "OBS! Ej support för TES-app eller telefoni"."""
    said = place_call(LINE, "2026-11-24T18:30Z", *LOCK).said
    assert "Observera att numret inte ger support för TES-app eller telefoni." in said


def test_lock_day_tells_the_caller_to_ring(place_call):
    """After hours on a weekday before 17, 3, 1, 1 says to ring the Carelock day number."""
    said = place_call(LINE, "2026-11-27T15:40Z", *LOCK).said
    assert LOCK_DAY in said


def test_day_before_a_holiday_keeps_full_hours_until_the_owner_gives_them(place_call):
    """23 December ("dag före helg") keeps full hours: IT answers at 16:45, as docs/admins.md
    says."""
    assert place_call(LINE, "2026-12-23T15:45Z", "4").dialed == [IT]


def test_line_open_comment_matches_the_lunch_when_both_desks_are_closed(place_call):
    """At 12:30 the line answers but both desks are closed, and line-open's comment says so."""
    assert outcome(place_call(LINE, "2026-11-24T11:30Z", "4")) == "closed klockan 13"
    assert outcome(place_call(LINE, "2026-11-24T11:30Z", "3", "1")) == "closed klockan 13"
    text = (MENUS / "orebro-kommunsupport.yaml").read_text(encoding="utf-8")
    comment = text.split("  line-open:", 1)[1].split("  tes-desk:", 1)[0]
    assert "lunchen 12-13 är linjen öppen men båda supporterna stängda" in " ".join(
        part.strip(" #") for part in comment.splitlines())


@pytest.mark.parametrize(("at", "expected"), [
    pytest.param("2026-11-24T09:00Z", "ring 019, 21 36 06", id="tue-10:00-day"),
    pytest.param("2026-11-24T15:59Z", "ring 019, 21 36 06", id="tue-16:59-day"),
    pytest.param("2026-11-24T16:00Z", "Carelock på 019, 21 49 44", id="tue-17:00-evening"),
    pytest.param("2026-11-24T18:30Z", "Carelock på 019, 21 49 44", id="tue-19:30-evening"),
    pytest.param("2026-11-24T20:59Z", "Carelock på 019, 21 49 44", id="tue-21:59-evening"),
    pytest.param("2026-11-24T21:00Z", "Certego", id="tue-22:00-night"),
])
def test_closing_switch_keeps_carelock_hours(menus, clock, at, expected):
    """Closed with ivr switch, the line still gives Carelock's own number for the hour.

    The carelock-* schedules are Carelock's hours (``switch: ignore``): the switch closes
    Kommunsupport, so callers get the after-hours path, but pressing 1 there must say the
    fault number Carelock answers at that hour, not the night routine.
    """
    from click.testing import CliRunner
    from conftest import utc
    from freezegun import freeze_time

    from ivr.admin.commands import main
    from ivr.server.app import in_process_app
    from ivr.sim.caller import Caller, scripted
    from ivr.sim.transport import InProcess

    with freeze_time("2026-11-24T08:00Z"):
        switched = CliRunner().invoke(main, ["switch", "--menus", str(menus),
                                             "orebro-kommunsupport", "closed", "--until",
                                             "2026-11-25 07:00"])
    assert switched.exit_code == 0, switched.output
    clock.now = utc(at)
    call = Caller(InProcess(in_process_app(menus, clock=clock)), to=LINE,
                  keypad=scripted(list(LOCK))).run()
    assert call.said[1].startswith(CLOSED)
    assert any(expected in said for said in call.said), call.said
