"""``ivr explore LINE``: build the app in process and print ``ivr.sim.stretches``'s table.

Only the command's edge lives here (options, the clock the app reads, text or JSON out);
the cutting of the calendar and the calls are ``ivr.sim.stretches``. The app is built with
``in_process_app``: no background thread, nothing written beside the menus.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import click

from ivr.admin.loading import MENUS
from ivr.core.errors import IvrError, MenuError
from ivr.menufile.folder import NoSuchLine, menu_file
from ivr.menufile.format import load_line
from ivr.server.app import in_process_app, served_line
from ivr.sim import stretches
from ivr.sim.transport import InProcess

INTERRUPTED = 130
"""Exit code after Ctrl-C, as shells report a run stopped by SIGINT (128 + 2)."""


@click.command("explore")
@MENUS
@click.option("--from", "first", type=click.DateTime(["%Y-%m-%d"]),
              help="First day (default today).")
@click.option("--days", type=click.IntRange(1, 400), default=7, show_default=True,
              help="How many days.")
@click.option("--depth", type=click.IntRange(0, 4), default=2, show_default=True,
              help="Keys pressed at most per path.")
@click.option("--dial-status", type=click.Choice(["all"]),
              help="'all' follows every Dial outcome (default: every Dial answers).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.argument("line")
def explore_command(menus: Path, first: datetime | None, days: int, depth: int,
                    dial_status: str | None, as_json: bool, line: str) -> None:
    """Tabulate where every key path of LINE ends, in every stretch of the calendar."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        path = menu_file(menus, line)
    except NoSuchLine as exc:
        raise click.BadParameter(str(exc), param_hint="'LINE'") from None
    start = first.date() if first else date.today()
    try:
        explore(path, start, days, depth, as_json, dial_status == "all")
    except KeyboardInterrupt:
        click.echo("\nexplore interrupted (Ctrl-C); nothing printed", err=True)
        sys.exit(INTERRUPTED)


def explore(path: Path, first: date, days: int, depth: int, as_json: bool,
            every_outcome: bool) -> None:
    """Print the behaviour of the line in ``path`` from ``first`` for ``days`` days."""
    clock = {"now": datetime.now(UTC)}
    try:
        line_id = load_line(path).id
        app = in_process_app(path.parent, clock=lambda: clock["now"])
    except (MenuError, IvrError) as exc:
        raise click.ClickException(str(exc)) from None
    line = served_line(app, line_id)
    if line is None:
        raise click.ClickException(f"{path} is not served from {path.parent}")

    def transport_at(instant: datetime) -> InProcess:
        clock["now"] = instant
        return InProcess(app)

    table = stretches.explore(line, transport_at, first, days, depth,
                              every_outcome=every_outcome)
    if as_json:
        click.echo(json.dumps({"line": line.id, "zone": line.zone.key, "from": str(first),
                               "days": days, "depth": depth, "dial_outcomes": every_outcome,
                               "stretches": stretches.as_json(table)},
                              ensure_ascii=False, indent=2))
    else:
        outcomes = ", every Dial outcome" if every_outcome else ""
        click.echo(f"{line.name} ({line.zone.key}), {first} + {days} days, key paths up to "
                   f"{depth} keys{outcomes}\n")
        click.echo(stretches.render(table), nl=False)
