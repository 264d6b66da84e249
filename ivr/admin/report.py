"""``ivr report LINE [--at TIME]``: time to a human, for every key path that rings a desk.

Only the command's edge lives here (options, the table, JSON); the paths and their seconds
are the line as callers get it at that instant (``ivr.core.linenow``), from the engine.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click

from ivr.admin.loading import MENUS, load
from ivr.core.linenow import line_now
from ivr.menufile import scalars
from ivr.sim.clock import clock

HEADER = ("keys", "desk", "number", "menus", "hears all", "first time", "presses at once")


@click.command("report")
@MENUS
@click.option("--at", help='Local time in the line\'s zone, "2026-11-24 19:30" (default now).')
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.argument("line")
def report_command(menus: Path, at: str | None, as_json: bool, line: str) -> None:
    """Seconds of speech and the keys before each desk of LINE starts ringing.

    'hears all': a caller who listens to every prompt; 'first time': one who presses as
    soon as the option is named; 'presses at once': one who knows the keys.
    """
    loaded, _ = load(menus, line)
    try:
        now = scalars.instant(at, loaded.zone) if at else datetime.now(UTC)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--at'") from None
    paths = line_now(loaded, now).paths
    local = now.astimezone(loaded.zone)
    if as_json:
        click.echo(json.dumps({"line": loaded.id, "at": local.isoformat(), "paths": [
            {"keys": list(p.keys), "desk": p.desk, "number": p.number, "menus": list(p.menus),
             "hears_all": p.listening, "first_time": p.first_time, "presses_at_once": p.pressing}
            for p in paths]}, ensure_ascii=False, indent=2))
        return
    click.echo(f"{loaded.name}, {local:%Y-%m-%d %H:%M} {loaded.zone.key}\n")
    rows = [HEADER] + [(" ".join(p.keys) or "(none)", p.desk, p.number, str(len(p.menus)),
                        clock(p.listening), clock(p.first_time), clock(p.pressing))
                       for p in paths]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths,
                                                                       strict=True)).rstrip())
    if not paths:
        click.echo("(no key path rings a desk at this time)")
