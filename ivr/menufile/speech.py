"""Spoken text in a menu file: a string or a list of them, with ``{opens:…}`` and ``{tel:…}``
placeholders checked as they are read (the schedule exists, the number is E.164 and its
written form holds the same digits).
"""

from __future__ import annotations

import re

from ivr.core import spoken
from ivr.core.text import Opens, Tel
from ivr.menufile import scalars
from ivr.menufile.reader import Scalar
from ivr.menufile.shapes import ListOf
from ivr.menufile.spec import INVALID, Plain, Ref, Spec, suggest

_PLACEHOLDER = re.compile(r"\{(\w+):([^{}]*)\}")


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
        one = {"type": "string", "minLength": 1}
        return {"anyOf": [one, {"type": "array", "items": one, "minItems": 1}],
                "description": self.description}


def _scalar_like(text, where):
    scalar = Scalar(text)
    scalar.line, scalar.column, scalar.quoted = where.line, where.column, True
    return scalar
