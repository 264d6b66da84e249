"""Spoken text in a menu file: a string or a list of them, with ``{opens:…}`` and ``{tel:…}``
placeholders checked as they are read (the schedule exists, the number is E.164 and its
written form holds the same digits).
"""

from __future__ import annotations

import re

from ivr.core import spoken
from ivr.core.text import Opens, Recording, Tel
from ivr.menufile import scalars
from ivr.menufile.reader import Scalar, YamlMapping
from ivr.menufile.shapes import Field, ListOf, Struct
from ivr.menufile.spec import INVALID, Plain, Ref, Spec, integer, suggest

_PLACEHOLDER = re.compile(r"\{(\w+):([^{}]*)\}")


SAY_LIMIT = 3000
"""Characters in one paragraph at most: Twilio refuses longer <Say> text with Polly voices
(error 13521: Basic 4096, Polly 3000, Google 5000)."""
TEXT_LIMIT = 12_000
"""Characters of one spoken value at most, so that a turn (a few such values, each read in
TwiML) stays well inside the 64 kB Twilio takes in one reply (error 11750)."""
URL_LIMIT = 2000
"""Characters in a recording's address at most; longer ones are no address a host serves."""
_UNSAYABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e"
                        "\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
"""Control characters (no XML may hold them), bidi overrides and isolates (they make text
read otherwise than it shows), lone surrogates and non-characters."""
_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?(/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?"
                  r"(\?[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*)?")


def spoken_text(text: str) -> str:
    """Words Twilio will say: no control or bidi-override characters, at most SAY_LIMIT."""
    bad = _UNSAYABLE.search(text)
    if bad:
        raise ValueError(f"holds the invisible character U+{ord(bad[0]):04X} at character "
                         f"{bad.start() + 1}, which breaks the reply to Twilio or hides what "
                         "is said; remove it")
    if len(text) > SAY_LIMIT:
        raise ValueError(f"is {len(text)} characters; Twilio says at most {SAY_LIMIT} in one "
                         "paragraph (error 13521): split it into a list of paragraphs")
    return text


def abbreviation(text: str) -> str:
    """A word in capitals as the texts write it (KS, TES): what caller_time.abbreviations
    lists, so a number or true there is a slip, not a word heard right."""
    if not re.fullmatch(r"[^\W\d_]*[A-ZÅÄÖÆØ]{2,}[^\W\d_]*", text):
        raise ValueError(f"'{text}' is not a word in capitals as the texts write it (KS, TES)")
    return text


def _url(text: str) -> str:
    text = text.strip()
    if len(text) > URL_LIMIT or not _URL.fullmatch(text):
        raise ValueError(f"'{text[:80]}' is not an http(s) address of a recording; Twilio "
                         "fetches it, as in https://example.org/welcome.mp3 (letters, digits "
                         f"and URL punctuation only, at most {URL_LIMIT} characters)")
    return text


RECORDING = Struct({
    "play": Field(Plain(_url), True),
    "text": Field(Plain(spoken_text)),
    "seconds": Field(integer(1, 3600, "How long the recording plays.")),
}, lambda play, text, seconds: Recording(play, text or "", seconds),
    description="A recorded prompt (<Play>): its address, and the words it says (kept for "
    "transcripts and the time estimate) or how many seconds it plays.")


class Speech(Spec):
    """What a caller hears: a string, or a list of strings said one after another.

    ``{opens:SCHEDULE}`` says when a schedule next opens; ``{tel:+46…}`` reads a number
    in the caller's local grouping, or as written after it ('{tel:+46200443000 0200-44 30 00}'),
    which must hold the same digits: the routine's own form, which a caller may note down.
    """

    description = ("Spoken text, or a list of texts said in turn. {opens:SCHEDULE} says when "
                   "a schedule next opens; {tel:+4619213606} reads a number aloud, grouped as "
                   "libphonenumber writes it, or as written after it: "
                   "{tel:+46200443000 0200-44 30 00}.")

    def convert(self, value, ctx, path):
        said = self._paragraphs(value, ctx, path)
        length = sum(len(piece) for paragraph in (() if said is INVALID else said)
                     for piece in paragraph if isinstance(piece, str))
        if length > TEXT_LIMIT:
            ctx.report(value, path, f"is {length} characters of speech; at most {TEXT_LIMIT} "
                       "fit in one reply to Twilio (64 kB, error 11750) with the rest of a "
                       "turn: say less, or move it to a recording")
            return INVALID
        return said

    def _paragraphs(self, value, ctx, path):
        items = value if isinstance(value, list) else [value]
        if any(isinstance(item, YamlMapping) for item in items):
            return self._with_recordings(items, ctx, path)
        texts = ListOf(Plain(spoken_text), min_items=1, single=True).convert(value, ctx, path)
        if texts is INVALID:
            return INVALID
        paragraphs = []
        for index, text in enumerate(texts):
            where = value[index] if isinstance(value, list) else value
            pieces = self._pieces(text, where, ctx, f"{path}.{index}" if len(texts) > 1 else path)
            if pieces is INVALID:
                return INVALID
            paragraphs.append(pieces)
        return tuple(paragraphs)

    def _with_recordings(self, items, ctx, path):
        """Paragraphs where some are recordings: each one a paragraph of its own."""
        paragraphs = []
        for index, item in enumerate(items):
            where = f"{path}.{index}" if len(items) > 1 else path
            if isinstance(item, YamlMapping):
                paragraph = RECORDING.convert(item, ctx, where)
                if paragraph is not INVALID and not paragraph.text and paragraph.seconds is None:
                    ctx.report(item, where, "a recording needs 'text' (what it says) or "
                               "'seconds' (how long it plays), for transcripts and timing")
                    paragraph = INVALID
                paragraph = paragraph if paragraph is INVALID else self._once(paragraph, item,
                                                                              ctx, where)
            else:
                text = Plain(spoken_text).convert(item, ctx, where)
                paragraph = INVALID if text is INVALID else self._pieces(text, item, ctx, where)
            if paragraph is INVALID:
                return INVALID
            paragraphs.append(paragraph)
        return tuple(paragraphs)

    @staticmethod
    def _once(recording, item, ctx, path):
        """The recording as a paragraph, unless its address was read before saying or
        lasting otherwise (the timing, the transcript and ivr-sim go by the address)."""
        first, first_path = ctx.recordings.setdefault(recording.url, (recording, path))
        if first != recording:
            ctx.report(item, path, f"plays {recording.url}, which {first_path} plays with "
                       "other words or seconds; one address plays one thing: give both the "
                       "same text and seconds, or use another address")
            return INVALID
        return (recording,)

    def _pieces(self, text, where, ctx, path):
        pieces, at = [], 0
        for match in _PLACEHOLDER.finditer(text):
            pieces.append(text[at:match.start()])
            kind, arg = match[1], match[2].strip()
            if kind == "opens":
                Ref("schedule").convert(_scalar_like(arg, where), ctx, path)
                pieces.append(Opens(arg))
            elif kind == "tel":
                number, _, form = arg.partition(" ")
                try:
                    number = scalars.e164(number, ctx.region)
                    if form.strip():
                        spoken.check_written(number, form.strip())
                except ValueError as exc:
                    ctx.report(where, path, str(exc))
                    return INVALID
                pieces.append(Tel(number, form.strip() or None))
            else:
                ctx.report(where, path, f"unknown placeholder '{{{kind}:…}}'"
                           f"{suggest(kind, ['opens', 'tel'])}; use {{opens:…}} or {{tel:…}}")
                return INVALID
            at = match.end()
        pieces.append(text[at:])
        rest = _PLACEHOLDER.sub("", text)
        if "{" in rest or "}" in rest:
            ctx.report(where, path, "has a stray { or }; placeholders look like "
                       "{opens:tes-desk} or {tel:+4619213606}")
            return INVALID
        return tuple(p for p in pieces if p != "")

    def json_schema(self):
        one = {"anyOf": [{"type": "string", "minLength": 1}, RECORDING.json_schema()]}
        return {"anyOf": [*one["anyOf"], {"type": "array", "items": one, "minItems": 1}],
                "description": self.description}


def _scalar_like(text, where):
    scalar = Scalar(text)
    scalar.line, scalar.column, scalar.quoted = where.line, where.column, True
    return scalar
