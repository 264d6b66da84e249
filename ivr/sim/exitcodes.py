"""How an ``ivr-sim`` run ends: its exit codes and what each means, and, with ``--json``,
every failure as a JSON object on stdout so a script always reads why. Nothing here calls.
"""

from __future__ import annotations

import json

import click

from ivr.sim.caller import Call

UNANSWERED = 5
"""Exit code when no line in the menus folder answers the number called, or another line
than the one named (a copy claiming its number first) does."""

MEANINGS = {1: "the menu file is broken", 2: "a wrong argument",
            3: "no server answers at --url", 4: "the server refused or failed the call",
            UNANSWERED: "the line called does not answer its number: no line does, or another"}


def json_failure(exc: click.ClickException) -> None:
    """With --json, a failure is a JSON object on stdout too, so a script reads why."""
    click.echo(json.dumps({"problem": exc.format_message(), "exit_code": exc.exit_code,
                           "meaning": MEANINGS.get(exc.exit_code, "")}, ensure_ascii=False,
                          indent=2))


class JsonFailures(click.Command):
    """ivr-sim's command: with --json, every failure also prints ``json_failure``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        as_json = "--json" in args  # before parsing, which consumes ``args``
        try:
            return super().parse_args(ctx, args)
        except click.ClickException as exc:
            if as_json:
                json_failure(exc)
            raise

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            if ctx.params.get("as_json"):
                json_failure(exc)
            raise


def exit_code(call: Call, answered: bool) -> int:
    """0 only for a call that ran as a line decided; a number no line answers is 5."""
    if call.problem:
        return 3 if call.unreachable else 4
    return 0 if answered else UNANSWERED


def as_dict(call: Call) -> dict:
    """The call as ``--json`` prints it (docs/simulator.md documents each key)."""
    result = {"said": call.said, "dialed": call.dialed, "ended": call.ended,
              "steps": call.steps, "timeline": call.timeline, "seconds": call.seconds}
    return {**result, "problem": call.problem} if call.problem else result
