"""How numbers and times are read aloud in each language a line may speak.

Not prompts (those live in the YAML) but the grammar the engine needs to fill placeholders:
a phone number grouped as callers write it ('019-21 36 06', or the form the admin gives) and
when a desk opens again ('klockan 13', 'i morgon klockan 8', 'på måndag klockan 16:30'). Add
a language here and every line in it can use ``{opens:…}``.

What comes out is plain text for any speech synthesiser (no SSML): the dash of a number is
said as a pause (a comma), never left for a voice to read as "minus"; hours are said as
"8", not "08:00", which voices read "åtta noll noll".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import phonenumbers


@dataclass(frozen=True)
class Words:
    """How one language says when something opens; ``{time}``, ``{day}`` and ``{date}`` are
    filled in."""

    today: str
    tomorrow: str
    weekday: str
    later: str
    days: tuple[str, ...]
    months: tuple[str, ...]


_SWEDISH = Words(
    today="klockan {time}",
    tomorrow="i morgon klockan {time}",
    weekday="på {day} klockan {time}",
    later="den {date} klockan {time}",
    days=("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"),
    months=("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
            "september", "oktober", "november", "december"),
)
_NORWEGIAN = Words(
    today="klokka {time}",
    tomorrow="i morgon klokka {time}",
    weekday="på {day} klokka {time}",
    later="den {date} klokka {time}",
    days=("måndag", "tysdag", "onsdag", "torsdag", "fredag", "laurdag", "søndag"),
    months=("januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
            "september", "oktober", "november", "desember"),
)
WORDS = {"sv": _SWEDISH, "nn": _NORWEGIAN, "nb": _NORWEGIAN, "no": _NORWEGIAN}
"""Keyed by the language part of a line's language tag ('sv' of 'sv-SE')."""


def supports(language: str) -> bool:
    """Whether ``{opens:…}`` can be spoken in ``language`` (a tag such as 'nb-NO')."""
    return language.split("-")[0].lower() in WORDS


def _libphonenumber_form(e164: str, language: str) -> str:
    """An E.164 number as libphonenumber writes it for a caller of this language's country."""
    region = language.split("-")[-1].upper()
    return phonenumbers.format_out_of_country_calling_number(phonenumbers.parse(e164), region)


def dialled_digits(e164: str) -> str:
    """The digits a caller in the number's own country dials: '0200443000', '70162446'."""
    national = phonenumbers.format_number(phonenumbers.parse(e164),
                                          phonenumbers.PhoneNumberFormat.NATIONAL)
    return re.sub(r"\D", "", national)


def check_written(e164: str, form: str) -> None:
    """Refuse a written form that is not the same number: a caller may note it down.

    Raises ValueError naming the digits it should hold.
    """
    if not re.fullmatch(r"[\d -]+", form):
        raise ValueError(f"'{form}' may hold only digits, spaces and dashes")
    if re.sub(r"\D", "", form) != dialled_digits(e164):
        raise ValueError(f"'{form}' is not {e164}: it should hold the digits "
                         f"{dialled_digits(e164)}")


@lru_cache(maxsize=1024)
def phone_number(e164: str, language: str, form: str | None = None) -> str:
    """A number said as callers write it (``form``, else libphonenumber's), dash as a pause."""
    return re.sub(r"\s*-\s*", ", ", form or _libphonenumber_form(e164, language))


def _hour(minute: int) -> str:
    """'8' for 08:00 and '16:30' for 16:30: whole hours without the minutes a voice reads."""
    hours, minutes = divmod(minute, 60)
    return str(hours) if minutes == 0 else f"{hours}:{minutes:02d}"


def opening(language: str, today: date, day: date, minute: int) -> str:
    """When something opens, relative to ``today``: 'klockan 13', 'på måndag …'."""
    words = WORDS[language.split("-")[0].lower()]
    ahead = (day - today).days
    time = _hour(minute)
    if ahead == 0:
        return words.today.format(time=time)
    if ahead == 1:
        return words.tomorrow.format(time=time)
    if ahead < 7:
        return words.weekday.format(day=words.days[day.weekday()], time=time)
    spoken_date = f"{day.day} {words.months[day.month - 1]}"
    return words.later.format(date=spoken_date, time=time)
