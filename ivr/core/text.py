"""What a caller hears, as the model holds it: paragraphs of literal words and placeholders.

Plain frozen values; the engine fills the placeholders in (``spoken`` says how).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Opens:
    """A spoken placeholder: when the named schedule next opens ('{opens:tes-desk}')."""

    schedule: str


@dataclass(frozen=True)
class Tel:
    """A phone number to read aloud: '{tel:+4619213606}', or with the form the routine
    writes when libphonenumber groups it otherwise ('{tel:+46200443000 0200-44 30 00}')."""

    number: str
    written: str | None = None


@dataclass(frozen=True)
class Recording:
    """A recorded prompt played from ``url``; its ``text`` is what it says (for transcripts
    and the estimate), ``seconds`` how long it plays when the admin states it."""

    url: str
    text: str = ""
    seconds: int | None = None


Piece = str | Opens | Tel | Recording
Paragraph = tuple[Piece, ...]
Text = tuple[Paragraph, ...]
"""What a caller hears: paragraphs (one <Say> each), made of literal text and placeholders,
or a paragraph of one Recording (one <Play>)."""
