"""The scalar values a menu file holds, each parsed from the exact text the admin wrote.

Every parser raises ``ValueError`` with advice in the admin's terms ('write it as
07:00-17:00'), which ``spec`` turns into a located problem. Keeping these apart from the
format itself lets the same checks serve a menu file, a CLI option and a test.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, date, datetime

import phonenumbers
from phonenumbers import shortnumberinfo

from ivr.core.hours import DAY_NAMES, MINUTES_PER_DAY, TimeRange
from ivr.menufile.spec import suggest

_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")
_E164 = re.compile(r"\+[1-9]\d{6,14}")
_SHORT_NUMBER = re.compile(r"\d{2,6}")
_ONE_DIGIT_HOUR = re.compile(r"^(\d{4}-\d{2}-\d{2}[ T])(\d:)")
REGIONS = {"SE": "Swedish", "NO": "Norwegian", "DK": "Danish", "FI": "Finnish"}
"""The countries whose national forms and emergency numbers are recognised in hints."""
LANGUAGE = re.compile(r"[a-z]{2,3}-[A-Z]{2}")


def minute_of_day(text: str) -> int:
    """'8:00' or '08:00' → 480; '24:00' → 1440 (an end of day)."""
    match = _TIME.fullmatch(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a time of day; write it as 08:00")
    hours, minutes = int(match[1]), int(match[2])
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise ValueError(f"'{text}' is not a time of day; use 00:00 to 24:00")
    return hours * 60 + minutes


def time_range(text: str) -> TimeRange:
    """'07:00-17:00' → TimeRange(420, 1020); ranges stay within one day."""
    parts = re.split(r"\s*[-–]\s*", text.strip())
    if len(parts) != 2 or not all(_TIME.fullmatch(part) for part in parts):
        raise ValueError(f"'{text}' is not a time range; write it as 07:00-17:00")
    start, end = minute_of_day(parts[0]), minute_of_day(parts[1])
    if start == MINUTES_PER_DAY:
        raise ValueError(f"'{text}' starts at 24:00; start the range at 00:00 instead")
    if end <= start:
        raise ValueError(
            f"'{text}' ends before it starts; a range cannot cross midnight, so write it as "
            f"two ranges ({parts[0]}-24:00 and 00:00-{parts[1]})")
    return TimeRange(start, end)


def e164(text: str, region: str | None = None) -> str:
    """A phone number in E.164 ('+4619213606'), the only form kept in data.

    ``region`` is the line's country, if known, so a hint gives that country's form.
    """
    compact = text.strip()
    if re.fullmatch(r"\+[\d\s-]+", compact) and not _E164.fullmatch(compact):
        joined = re.sub(r"[\s-]", "", compact)
        if _E164.fullmatch(joined):
            raise ValueError(f"'{text}' has spaces or dashes; write it as {joined}")
    if not _E164.fullmatch(compact):
        if _is_emergency(compact):
            raise ValueError(
                f"'{text}' is an emergency number: a line never dials it, because a call "
                "put through by a server is no emergency call (no caller location); tell "
                f"callers to hang up and call {compact} themselves, in a say or the prompt")
        raise ValueError(
            f"'{text}' is not an E.164 number; write + and the country code, without the "
            f"leading 0{_national_hint(compact, region)}")
    if not phonenumbers.is_possible_number(phonenumbers.parse(compact)):
        raise ValueError(f"'{text}' is not a possible phone number in its country")
    return compact


def valid(number: str) -> bool:
    """Whether an E.164 number exists in its country's plan (not just the right length)."""
    return phonenumbers.is_valid_number(phonenumbers.parse(number))


def _is_emergency(text: str) -> bool:
    return any(shortnumberinfo.is_emergency_number(text, region) for region in REGIONS)


def _national_hint(text: str, home: str | None) -> str:
    """' (for a Swedish number, +46…)': the international form in each country it is valid in.

    A number written the national way ('0701740651') is valid in its own country, so only
    that country's form is suggested, never a neighbour's.
    """
    if not re.fullmatch(r"0[1-9]\d{5,12}", text):
        return ""
    forms = []
    for region, adjective in REGIONS.items() if home is None else [(home, home)]:
        try:
            parsed = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
            forms.append(f"{e164}" if home else f"for a {adjective} number, {e164}")
    return f" ({', or '.join(forms)})" if forms else ""


def home_region(language: object) -> str | None:
    """The country of a line from its language tag ('sv-SE' → 'SE'), for number hints."""
    text = str(language or "")
    return text.rsplit("-", 1)[1] if LANGUAGE.fullmatch(text) else None


def answered_number(text: str, region: str | None = None) -> str:
    """A number a line answers: E.164, or a short internal number such as 2000."""
    if _SHORT_NUMBER.fullmatch(text.strip()):
        return text.strip()
    return e164(text, region)


def language(text: str) -> str:
    """A language tag as Twilio's <Say> takes it: 'sv-SE', 'nb-NO'."""
    if not LANGUAGE.fullmatch(text):
        raise ValueError(f"'{text}' is not a language tag; write it like sv-SE or nb-NO")
    return text


def zone(text: str) -> zoneinfo.ZoneInfo:
    """An IANA time zone such as Europe/Stockholm."""
    try:
        return zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        hint = suggest(text, zoneinfo.available_timezones())
        raise ValueError(f"'{text}' is not a known IANA time zone{hint}") from None


def day(text: str) -> date:
    """A calendar date written as 2026-12-23."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"'{text}' is not a date; write it as 2026-12-23") from None


def local_time(text: str) -> datetime:
    """A local wall-clock moment written as 2026-12-01 09:00 (no zone: the line's)."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is not None:
        raise ValueError(f"'{text}' is not a local date and time; write it as 2026-12-01 09:00")
    return moment


def instant(text: str, zone: zoneinfo.ZoneInfo, *, wall_clock: bool = False) -> datetime:
    """'2026-11-24 19:30' read as wall-clock time in ``zone``, as an aware UTC instant.

    A time the clocks skip (the spring gap) is refused; one they pass twice (the autumn
    fold) needs an offset ('2026-10-25 02:30+01:00'). With ``wall_clock`` (a call's local
    time), a written offset must be one the zone uses then, so the call plays at the time
    written; otherwise an offset makes any instant (13:00+00:00 is 14:00 in Stockholm).
    """
    written = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", written):
        raise ValueError(f"'{text}' is a date without a time of day; add one, as in "
                         f"\"{written} 09:00\"")
    try:
        moment = datetime.fromisoformat(_ONE_DIGIT_HOUR.sub(r"\g<1>0\2", written))
    except ValueError:
        raise ValueError(f"'{text}' is not a time; write it as \"2026-11-24 19:30\"") from None
    wall = moment.replace(tzinfo=None)
    aware = wall.replace(tzinfo=zone)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall:
        raise ValueError(f"{wall:%Y-%m-%d %H:%M} does not exist in {zone.key}: the clocks "
                         "skip that hour")
    offsets = [_offset(wall.replace(tzinfo=zone, fold=fold)) for fold in (0, 1)]
    if moment.tzinfo is not None:
        if wall_clock and _offset(moment) not in offsets:
            raise ValueError(f"{zone.key} is at {' or '.join(dict.fromkeys(offsets))} on "
                             f"{wall:%Y-%m-%d %H:%M}, not {_offset(moment)}")
        return moment.astimezone(UTC)
    if offsets[0] != offsets[1]:
        raise ValueError(f"{wall:%Y-%m-%d %H:%M} happens twice in {zone.key} (the clocks go "
                         f"back): add the offset, {wall:%Y-%m-%d %H:%M}{offsets[0]} or "
                         f"{wall:%Y-%m-%d %H:%M}{offsets[1]}")
    return aware.astimezone(UTC)


def _offset(moment: datetime) -> str:
    """'+01:00': the UTC offset of an aware time, as written after a time."""
    return moment.isoformat()[-6:] if moment.utcoffset() else "+00:00"


NAME = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"
"""A node or schedule name, as the JSON Schema says it."""


def name(text: str) -> str:
    """A node or schedule name: letters, digits, - and _."""
    if not re.fullmatch(NAME, text):
        raise ValueError(f"'{text}' is not a usable name; use letters, digits, - and _")
    return text


def boolean(text: str) -> bool:
    """true or false, as YAML 1.2 writes them (never yes/no)."""
    if text not in ("true", "false"):
        raise ValueError(f"'{text}' is not true or false")
    return text == "true"


def keypad_key(text: str) -> str:
    """One key of a phone keypad: 0-9, * or #."""
    if not re.fullmatch(r"[0-9*#]", text):
        raise ValueError(f"'{text}' is not one key of a phone keypad (0-9, * or #)")
    return text


def days(text: str) -> tuple[int, ...] | str:
    """A day or span of days ('mon', 'mon-fri'), as weekday numbers; or 'holidays'."""
    if text == "holidays":
        return text
    first, _, last = text.partition("-")
    if first not in DAY_NAMES or (last and last not in DAY_NAMES):
        raise ValueError(f"'{text}' is not a day; use mon … sun, a span like mon-fri, "
                         "or holidays")
    low, high = DAY_NAMES.index(first), DAY_NAMES.index(last or first)
    if high < low:
        raise ValueError(f"'{text}' runs backwards; write the earlier day first")
    return tuple(range(low, high + 1))
