"""``ivr-sim``'s option checks that are more than a type: a caller id Twilio would send,
Dial outcomes in Twilio's words, a number read from a broken file, a folder WAV files can be
written into. Each refuses with a message in words (choices listed as words, never as a
Python list); nothing here calls.
"""

from __future__ import annotations

import re
from pathlib import Path

import click

from ivr.menufile import scalars
from ivr.sim import speak

DIAL_STATUSES = ("completed", "busy", "no-answer", "failed", "canceled")


def callable_number(number: object) -> bool:
    """Whether a value read from a broken file is a number a line could answer."""
    try:
        return isinstance(number, str) and bool(scalars.answered_number(number))
    except ValueError:
        return False


def caller_id(_ctx, _param, value: str) -> str:
    """--caller-id as an E.164 number, as Twilio sends From."""
    if not re.fullmatch(r"\+[1-9]\d{6,14}", value):
        raise click.BadParameter(f"'{value}' is not a phone number; write it in E.164, "
                                 "like +46701740699")
    return value


def dial_statuses(_ctx, _param, value: str) -> list[str]:
    """--dial-status as a list of Dial outcomes, each one of Twilio's words."""
    statuses = [s.strip() for s in value.split(",") if s.strip()]
    if "all" in statuses:
        raise click.BadParameter("'all' is for ivr explore, which follows every outcome; "
                                 "a call takes one outcome per Dial: "
                                 + ", ".join(DIAL_STATUSES))
    wrong = [s for s in statuses if s not in DIAL_STATUSES]
    if wrong:
        raise click.BadParameter(f"{', '.join(wrong)}: not a Dial outcome; use "
                                 + ", ".join(DIAL_STATUSES))
    return statuses


def speak_to(_ctx, _param, folder: Path | None) -> Path | None:
    """--speak-to checked while the options are read, before calling: a call is not made to
    lose its sound."""
    try:
        if folder is not None:
            speak.prepare(folder)
    except OSError as exc:
        raise click.BadParameter(f"cannot write WAV files into {folder}: "
                                 f"{exc.strerror or exc}") from None
    return folder
