"""How long a text takes to say, per language: the one estimate every caller-time figure uses.

The clock of ``ivr-sim``, ``ivr report``, the warnings of ``ivr check`` and the length of
``ivr-sim --speak-to`` audio all come from ``seconds()``. No synthesis happens here (no I/O,
no clock): the estimate counts what takes time to say and weighs each count by a rate
measured for the language:

- syllables, counted as groups of vowels in the words (letters only); in scripts other than
  the Latin one (Cyrillic, Greek, …) one per ``LETTERS_PER_SYLLABLE`` letters, unmeasured;
- digits, each said as a word of its own ('1 1 2', or a number a voice reads in parts);
- pauses: a comma, full stop, colon, semicolon, question or exclamation mark before a space
  or the end, where a voice breathes.

The rates are a least-squares fit to the durations espeak-ng synthesises, at its default
speed, for every prompt of the shipped lines (docs/caller-time.md has the figures and
``bench/speechtime.py`` measures them again). They are espeak-ng's pace, not
Polly's: Twilio's voices cannot be timed without calling through Twilio.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ivr.core.model import Line
from ivr.core.text import Recording


@dataclass(frozen=True)
class Rate:
    """Seconds per syllable, per digit and per pause, fitted for one language."""

    syllable: float
    digit: float
    pause: float


RATES = {
    "sv": Rate(syllable=0.179, digit=0.201, pause=0.466),
    "nb": Rate(syllable=0.200, digit=0.239, pause=0.379),
}
"""Keyed by the language part of a tag ('sv' of 'sv-SE'); Norwegian forms share 'nb'."""

_ALIASES = {"nn": "nb", "no": "nb"}
DEFAULT = RATES["sv"]
"""Languages not measured are timed at the Swedish pace (a guess, stated in docs/caller-time.md)."""

_VOWELS = re.compile(r"[aeiouyåäöæøéèêüàáóíú]+")
_OTHER_SCRIPT = re.compile(r"[^\W\d_\u0000-\u024f]")
"""A letter outside the Latin script: its vowels are not in ``_VOWELS``."""
LETTERS_PER_SYLLABLE = 3.0
"""A rough rate for such letters (a Russian prompt espeak-ng says in 5.6 s is timed 6.2 s),
so that a prompt in another script is not timed as silence."""
_DIGIT = re.compile(r"\d")
_PAUSE = re.compile(r"[,.;:!?](?=\s|$)")


def rate_for(language: str) -> Rate:
    """The fitted rate for a language tag such as 'nb-NO' (the Swedish one if unmeasured)."""
    base = language.split("-")[0].lower()
    return RATES.get(_ALIASES.get(base, base), DEFAULT)


def counts(text: str) -> tuple[int, int, int]:
    """(syllables, digits, pauses) in ``text``: what the estimate weighs."""
    words = _DIGIT.sub(" ", text.lower())
    other = round(len(_OTHER_SCRIPT.findall(words)) / LETTERS_PER_SYLLABLE)
    return (len(_VOWELS.findall(words)) + other, len(_DIGIT.findall(text)),
            len(_PAUSE.findall(text.strip())))


def recordings(line: Line) -> dict[str, tuple[str, float, str]]:
    """url → (its words, seconds it plays, language) for each recording ``line`` plays: the
    stated length, else the estimate of its words. What a TwiML <Play> cannot tell. A
    recording the line gives no words for has no language: nothing should read it aloud."""
    found = [piece for text in line.texts() for paragraph in text for piece in paragraph
             if isinstance(piece, Recording)]
    return {r.url: (r.text or r.url, r.seconds if r.seconds is not None
                    else seconds(r.text, line.language), line.language if r.text else "")
            for r in found}


def seconds(text: str, language: str) -> float:
    """Estimated seconds to say ``text`` in ``language``, to a tenth of a second."""
    syllables, digits, pauses = counts(text)
    rate = rate_for(language)
    return round(syllables * rate.syllable + digits * rate.digit + pauses * rate.pause, 1)
