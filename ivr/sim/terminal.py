"""The caller's side of an interactive ``ivr-sim`` call: keys and Dial outcomes typed in.

Prompts go to stderr when stdout is reserved for ``--json``, so a script piping the JSON
never reads a prompt. Keys typed together (``31``) are all kept, one Gather after another;
Ctrl-C, ``q`` or the end of input is the caller hanging up. Nothing here knows TwiML: the
caller (``ivr.sim``) asks, this module answers.
"""

from __future__ import annotations

from collections.abc import Callable

import click

from ivr.sim.caller import CallerHangsUp

KEYS = set("0123456789*#")
DIAL_OUTCOMES = ("completed", "busy", "no-answer", "failed", "canceled")


def _read(prompt: str, to_stderr: bool) -> str:
    """One line typed by the caller; the caller hangs up on Ctrl-C, end of input or 'q'."""
    click.echo(prompt, nl=False, err=to_stderr)
    try:
        text = input()
    except (EOFError, KeyboardInterrupt):
        click.echo("", err=to_stderr)
        raise CallerHangsUp from None
    if text.strip() == "q":
        raise CallerHangsUp
    return text.strip()


def keypad(*, to_stderr: bool) -> Callable[[float], str | None]:
    """Keys from the terminal for each Gather (several keys typed at once stay queued)."""

    def ask(timeout: float) -> str | None:
        while True:
            text = _read(f"  keys (0-9 * #; Enter: no input for {timeout:g} s; q: hang up)> ",
                         to_stderr)
            if set(text) <= KEYS:
                return text or None
            click.echo("  only 0-9, * and # are keys", err=to_stderr)

    return ask


def dial_outcome(*, to_stderr: bool) -> Callable[[list[str]], str]:
    """Asks what the dialled number does (Enter: it answers)."""

    def ask(numbers: list[str]) -> str:
        while True:
            text = _read(f"  {', '.join(numbers)} rings: outcome ({', '.join(DIAL_OUTCOMES)};"
                         " Enter: completed)> ", to_stderr)
            if not text or text in DIAL_OUTCOMES:
                return text or "completed"
            click.echo(f"  the outcomes are {', '.join(DIAL_OUTCOMES)}", err=to_stderr)

    return ask
