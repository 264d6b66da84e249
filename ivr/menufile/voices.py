"""The ``<Say>`` voices Twilio offers, and the language each speaks: data, no logic.

Source: Twilio's "Text-to-Speech" page, table "Available voices and languages"
(https://www.twilio.com/docs/voice/twiml/say/text-speech), which lists the Amazon Polly
voices by name and the Google voices as ``Google.<language>-<family>-<letter>``. Polly
voices are listed one by one; Google voices are checked by that shape and their language.
When Twilio adds a voice, add it here.
"""

from __future__ import annotations

import re

_POLLY_BY_LANGUAGE = {
    "arb": "Zeina", "ar-AE": "Hala-Neural Zayd-Neural", "ca-ES": "Arlet-Neural",
    "yue-CN": "Hiujin-Neural", "cmn-CN": "Zhiyu Zhiyu-Neural",
    "da-DK": "Mads Naja Sofie-Neural", "nl-BE": "Lisa-Neural",
    "nl-NL": "Lotte Ruben Laura-Neural", "en-AU": "Nicole Russell Olivia-Neural",
    "en-GB": "Amy Brian Emma Amy-Neural Emma-Neural Brian-Neural Arthur-Neural",
    "en-IN": "Raveena", "en-IE": "Niamh-Neural", "en-NZ": "Aria-Neural",
    "en-ZA": "Ayanda-Neural", "en-GB-WLS": "Geraint",
    "en-US": "Ivy Joanna Joey Justin Kendra Kimberly Matthew Salli Ivy-Neural "
             "Joanna-Neural Kendra-Neural Kevin-Neural Kimberly-Neural Salli-Neural "
             "Joey-Neural Justin-Neural Matthew-Neural Ruth-Neural Stephen-Neural "
             "Gregory-Neural Danielle-Neural",
    "fi-FI": "Suvi-Neural", "fr-CA": "Chantal Gabrielle-Neural Liam-Neural",
    "fr-FR": "Céline Celine Léa Lea Mathieu Lea-Neural Remi-Neural",
    "de-AT": "Hannah-Neural", "de-DE": "Hans Marlene Vicki Vicki-Neural Daniel-Neural",
    "hi-IN": "Aditi Kajal-Neural", "is-IS": "Dóra Dora Karl",
    "it-IT": "Bianca Carla Giorgio Bianca-Neural Adriano-Neural",
    "ja-JP": "Mizuki Takumi Takumi-Neural Kazuha-Neural Tomoko-Neural",
    "ko-KR": "Seoyeon Seoyeon-Neural", "nb-NO": "Liv Ida-Neural",
    "pl-PL": "Jacek Jan Ewa Maja Ola-Neural",
    "pt-BR": "Camila Ricardo Vitória Vitoria Camila-Neural Vitoria-Neural Thiago-Neural",
    "pt-PT": "Cristiano Inês Ines Ines-Neural", "ro-RO": "Carmen", "ru-RU": "Maxim Tatyana",
    "es-ES": "Conchita Enrique Lucia Lucia-Neural Sergio-Neural",
    "es-MX": "Mia Mia-Neural Andres-Neural",
    "es-US": "Lupe Miguel Penélope Penelope Lupe-Neural Pedro-Neural",
    "sv-SE": "Astrid Elin-Neural", "tr-TR": "Filiz", "cy-GB": "Gwyneth",
}

POLLY: dict[str, str] = {f"Polly.{name}": language
                         for language, names in _POLLY_BY_LANGUAGE.items()
                         for name in names.split()}
"""Every Polly voice Twilio offers → the language it speaks."""

GOOGLE = re.compile(r"Google\.(?P<language>[a-z]{2,3}-[A-Z]{2})-(Standard|Wavenet|Neural2)-"
                    r"[A-Z]")
"""The shape of a Google voice's name on Twilio; the language is part of the name."""


def language_of(voice: str) -> str | None:
    """The language ``voice`` speaks, or None when Twilio offers no such voice."""
    if voice in POLLY:
        return POLLY[voice]
    match = GOOGLE.fullmatch(voice)
    return match["language"] if match else None


def for_language(language: str) -> list[str]:
    """The Polly voices that speak ``language`` (Google's are named after it)."""
    return sorted(name for name, spoken in POLLY.items() if spoken == language)
