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


def _url(text: str) -> str:
    if not re.match(r"https?://\S+$", text.strip()):
        raise ValueError(f"'{text}' is not an http(s) address of a recording; Twilio fetches "
                         "it, as in https://example.org/welcome.mp3")
    return text.strip()


RECORDING = Struct({
    "play": Field(Plain(_url), True),
    "text": Field(Plain()),
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
        items = value if isinstance(value, list) else [value]
        if any(isinstance(item, YamlMapping) for item in items):
            return self._with_recordings(items, ctx, path)
        texts = ListOf(Plain(), min_items=1, single=True).convert(value, ctx, path)
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
                paragraph = paragraph if paragraph is INVALID else (paragraph,)
            else:
                text = Plain().convert(item, ctx, where)
                paragraph = INVALID if text is INVALID else self._pieces(text, item, ctx, where)
            if paragraph is INVALID:
                return INVALID
            paragraphs.append(paragraph)
        return tuple(paragraphs)

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
