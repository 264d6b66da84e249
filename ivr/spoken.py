"""How numbers and times are read aloud in each language a line may speak.

Not prompts (those live in the YAML) but the grammar the engine needs to fill placeholders:
a phone number in the caller's local grouping ('019-21 36 06') and when a desk opens again
('klockan 13:00', 'i morgon klockan 08:00', 'på måndag klockan 08:00'). Add a language here
and every line in it can use ``{opens:…}``.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import phonenumbers

from ivr.hours import clock

_SWEDISH = {
    "today": "klockan {time}",
    "tomorrow": "i morgon klockan {time}",
    "weekday": "på {day} klockan {time}",
    "later": "den {date} klockan {time}",
    "days": ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"),
    "months": ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
               "september", "oktober", "november", "december"),
}
_NORWEGIAN = {
    "today": "klokka {time}",
    "tomorrow": "i morgon klokka {time}",
    "weekday": "på {day} klokka {time}",
    "later": "den {date} klokka {time}",
    "days": ("måndag", "tysdag", "onsdag", "torsdag", "fredag", "laurdag", "søndag"),
    "months": ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
               "september", "oktober", "november", "desember"),
}
WORDS = {"sv": _SWEDISH, "nn": _NORWEGIAN, "nb": _NORWEGIAN, "no": _NORWEGIAN}
"""Keyed by the language part of a line's language tag ('sv' of 'sv-SE')."""


def supports(language: str) -> bool:
    """Whether ``{opens:…}`` can be spoken in ``language`` (a tag such as 'nb-NO')."""
    return language.split("-")[0].lower() in WORDS


@lru_cache(maxsize=1024)
def phone_number(e164: str, language: str) -> str:
    """An E.164 number as a caller of this language's country writes and says it."""
    region = language.split("-")[-1].upper()
    parsed = phonenumbers.parse(e164)
    return phonenumbers.format_out_of_country_calling_number(parsed, region)


def opening(language: str, today: date, day: date, minute: int) -> str:
    """When something opens, relative to ``today``: 'klockan 13:00', 'på måndag …'."""
    words = WORDS[language.split("-")[0].lower()]
    ahead = (day - today).days
    time = clock(minute)
    if ahead == 0:
        return words["today"].format(time=time)
    if ahead == 1:
        return words["tomorrow"].format(time=time)
    if ahead < 7:
        return words["weekday"].format(day=words["days"][day.weekday()], time=time)
    spoken_date = f"{day.day} {words['months'][day.month - 1]}"
    return words["later"].format(date=spoken_date, time=time)
