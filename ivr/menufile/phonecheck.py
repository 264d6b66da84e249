"""What a line asks of Twilio and the phone network, checked before a caller hears it.

The voice must be one Twilio offers and must speak the line's language (a wrong pair makes
Twilio fail the ``<Say>``); every number dialled, answered or read aloud must exist in its
country's numbering plan (phonenumbers knows), unless the file lists it as a placeholder.
Only checks live here; the voices are data in ``voices``.
"""

from __future__ import annotations

from ivr.core.nodes import DialNode, Node, texts
from ivr.core.text import Tel
from ivr.menufile import scalars, voices
from ivr.menufile.spec import Context, suggest


def check_voice(voice: str, language: str, where, ctx: Context) -> None:
    """The voice must be one Twilio offers, and must speak the line's language."""
    spoken = voices.language_of(voice)
    own = voices.for_language(language)
    offer = (f"; for {language} use {', '.join(own)} or a Google.{language}-… voice" if own
             else f"; see Twilio's voices for {language}")
    if spoken is None:
        ctx.report(where, "voice",
                   f"Twilio has no voice '{voice}'{suggest(voice, voices.POLLY)}{offer}")
    elif spoken != language:
        ctx.report(where, "voice",
                   f"{voice} speaks {spoken}, not the line's language {language}{offer}")


def check_numbers(raw: dict, nodes: dict[str, Node], where_is, ctx: Context) -> None:
    """Every number must exist in its country's plan, unless it is a listed placeholder."""
    placeholders = set(raw["placeholders"])

    def check(number: str, where, path: str) -> None:
        if number.startswith("+") and number not in placeholders and not scalars.valid(number):
            ctx.report(where, path, f"{number} is not a valid phone number in its country "
                       "(phonenumbers knows no such number); if it is a stand-in, list it "
                       "under 'placeholders'")

    for index, number in enumerate(raw["numbers"]):
        check(number, where_is("numbers", index), "numbers")
    for name, node in nodes.items():
        if isinstance(node, DialNode):
            for index, number in enumerate(node.numbers):
                check(number, where_is("nodes", name, "numbers", index),
                      f"nodes.{name}.numbers")
        for field, text in texts(node).items():
            for piece in pieces(text):
                if isinstance(piece, Tel):
                    check(piece.number, where_is("nodes", name, field), f"nodes.{name}.{field}")


def pieces(text: tuple):
    """The literal text and placeholders of a spoken text, paragraph after paragraph."""
    for paragraph in text:
        if isinstance(paragraph, tuple):
            yield from paragraph
