"""Each scalar parser of a menu file, called directly: what it returns, and what it refuses."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from ivr.core.hours import TimeRange
from ivr.menufile import scalars

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.mark.parametrize(("text", "minute"), [
    pytest.param("08:00", 480, id="padded"), pytest.param("8:00", 480, id="one-digit-hour"),
    pytest.param("8.30", 510, id="dot"), pytest.param("24:00", 1440, id="end-of-day"),
    pytest.param("00:00", 0, id="midnight"),
])
def test_minute_of_day(text, minute):
    """A time of day becomes its minute after midnight; 24:00 is the end of the day."""
    assert scalars.minute_of_day(text) == minute


@pytest.mark.parametrize(("text", "message"), [
    pytest.param("8", "write it as 08:00", id="no-minutes"),
    pytest.param("24:01", "use 00:00 to 24:00", id="past-the-day"),
    pytest.param("12:60", "use 00:00 to 24:00", id="sixty-minutes"),
])
def test_minute_of_day_refuses(text, message):
    """What is not a time of day is refused with how to write one."""
    with pytest.raises(ValueError, match=message):
        scalars.minute_of_day(text)


def test_time_range_and_its_refusals():
    """A range within one day is read; backwards, 24:00 starts and garbage are refused."""
    assert scalars.time_range("07:00 - 17:00") == TimeRange(420, 1020)
    assert scalars.time_range("00:00-24:00") == TimeRange(0, 1440)
    for text, message in (("22:00-06:00", "cannot cross midnight"),
                          ("24:00-24:00", "start the range at 00:00"),
                          ("07:00", "write it as 07:00-17:00")):
        with pytest.raises(ValueError, match=message):
            scalars.time_range(text)


@pytest.mark.parametrize(("text", "region", "message"), [
    pytest.param("+46 19 21 36 06", None, "write it as \\+4619213606", id="spaces"),
    pytest.param("019213606", None, "for a Swedish number, \\+4619213606", id="national"),
    pytest.param("019213606", "SE", "\\(\\+4619213606\\)", id="national-home-region"),
    pytest.param("112", None, "emergency number", id="emergency"),
    pytest.param("+461", None, "is not an E.164 number", id="too-short"),
])
def test_e164_refusals_give_the_fix(text, region, message):
    """A number not in E.164 is refused with the form to write, in the line's country."""
    with pytest.raises(ValueError, match=message):
        scalars.e164(text, region)


def test_e164_and_answered_numbers():
    """E.164 is kept; a line may also answer a short internal number."""
    assert scalars.e164(" +4619213606 ") == "+4619213606"
    assert scalars.answered_number("2000") == "2000"
    assert scalars.answered_number("+4619213606", "SE") == "+4619213606"
    assert scalars.home_region("sv-SE") == "SE" and scalars.home_region("svenska") is None


def test_language_zone_and_dates():
    """Language tags, IANA zones, dates and local moments are read as written."""
    assert scalars.language("nb-NO") == "nb-NO"
    assert scalars.zone("Europe/Stockholm") == STOCKHOLM
    assert scalars.day("2026-12-23") == date(2026, 12, 23)
    assert scalars.local_time("2026-12-01 09:00") == datetime(2026, 12, 1, 9, 0)
    for parse, text in ((scalars.language, "sv"), (scalars.zone, "Europe/Örebro"),
                        (scalars.day, "23/12"), (scalars.local_time, "2026-12-01T09:00Z")):
        with pytest.raises(ValueError):
            parse(text)


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("2026-11-24 19:30", datetime(2026, 11, 24, 18, 30, tzinfo=UTC), id="winter"),
    pytest.param("2026-06-01 9:00", datetime(2026, 6, 1, 7, 0, tzinfo=UTC), id="summer"),
    pytest.param("2026-10-25 02:30+01:00", datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
                 id="fold-with-offset"),
])
def test_instant_reads_wall_clock_time_in_the_zone(text, expected):
    """A local time becomes the UTC instant it is in the zone, DST included."""
    assert scalars.instant(text, STOCKHOLM) == expected


@pytest.mark.parametrize(("text", "message"), [
    pytest.param("2026-03-29 02:30", "does not exist", id="spring-gap"),
    pytest.param("2026-11-24", "without a time of day", id="date-only"),
    pytest.param("tomorrow", "not a time", id="garbage"),
    pytest.param("2026-10-25 02:30", r"happens twice .* 02:30\+02:00 or 2026-10-25 "
                 r"02:30\+01:00", id="fold-without-offset"),
])
def test_instant_refuses(text, message):
    """A skipped hour, a twice-passed hour without offset, a date alone and garbage are
    refused."""
    with pytest.raises(ValueError, match=message):
        scalars.instant(text, STOCKHOLM)


def test_names_booleans_keys_and_days():
    """The format's own words: names, true/false, one keypad key, days and spans of days."""
    assert scalars.name("tes-desk_2") == "tes-desk_2"
    assert scalars.boolean("true") is True and scalars.boolean("false") is False
    assert scalars.keypad_key("#") == "#"
    assert scalars.days("mon-fri") == (0, 1, 2, 3, 4)
    assert scalars.days("sun") == (6,)
    assert scalars.days("holidays") == "holidays"
    for parse, text, message in ((scalars.name, "-x", "not a usable name"),
                                 (scalars.boolean, "yes", "not true or false"),
                                 (scalars.keypad_key, "12", "one key"),
                                 (scalars.days, "fri-mon", "runs backwards"),
                                 (scalars.days, "monday", "not a day")):
        with pytest.raises(ValueError, match=message):
            parse(text)
