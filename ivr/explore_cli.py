"""``ivr-sim --explore LINE``: build the app in process and print ``ivr.explore``'s table.

Only the command's edge lives here (loading, the clock the app reads, text or JSON out);
the cutting of the calendar and the calls are ``ivr.explore``.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import click

from ivr import explore as exploring
from ivr.errors import IvrError, MenuError
from ivr.menufile import load_line
from ivr.sim import InProcess
from ivr.sim_cli import line_file


def explore(menus: Path, name: str, first: date, days: int, depth: int, as_json: bool,
            every_outcome: bool) -> None:
    """Print LINE's behaviour from ``first`` for ``days`` days, as text or JSON."""
    from ivr.web import create_app

    path = line_file(menus, name, "--explore")
    clock = {"now": datetime.now(UTC)}
    try:
        line_id = load_line(path).id
        app = create_app({"MENUS": str(path.parent), "CLOCK": lambda: clock["now"]})
    except (MenuError, IvrError) as exc:
        raise click.ClickException(str(exc)) from None
    line = app.extensions["ivr.registry"].line(line_id)

    def transport_at(instant: datetime) -> InProcess:
        clock["now"] = instant
        return InProcess(app)

    table = exploring.explore(line, transport_at, first, days, depth,
                              every_outcome=every_outcome)
    if as_json:
        click.echo(json.dumps({"line": line.id, "zone": line.zone.key, "from": str(first),
                               "days": days, "depth": depth, "dial_outcomes": every_outcome,
                               "stretches": exploring.as_json(table)},
                              ensure_ascii=False, indent=2))
    else:
        outcomes = ", every Dial outcome" if every_outcome else ""
        click.echo(f"{line.name} ({line.zone.key}), {first} + {days} days, key paths up to "
                   f"{depth} keys{outcomes}\n")
        click.echo(exploring.render(table), nl=False)
