"""``ivr switch LINE closed|open|off``: the manual switch of a line, set, shown or ended.

The switch file itself (reading, writing, its checks) is ``ivr.menufile.switchfile``; with
``IVR_DATABASE_URL`` set, the switch is stored in that database instead
(``ivr.journal.switchboard``), for every server sharing it. Only the command's edge
lives here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import click

from ivr.admin.loading import MENUS, load
from ivr.core.errors import IvrError, MenuError
from ivr.core.model import Line, Switch
from ivr.journal import claims, switchboard
from ivr.menufile import numberclaims, scalars, switchfile
from ivr.menufile.folder import menu_paths
from ivr.menufile.format import load_line


@click.command("switch")
@MENUS
@click.argument("line")
@click.argument("state", required=False, type=click.Choice(["closed", "open", "off"]))
@click.option("--until", help='When the switch ends, local time: "2026-11-24 15:00".')
@click.option("--say", help="Said at the start of every call while it is on.")
def switch_command(menus: Path, line: str, state: str | None, until: str | None,
                   say: str | None) -> None:
    """Force LINE closed or open until a time, turn it off, or show it.

    Closed: every schedule counts as closed (callers get the after-hours path); open: every
    schedule counts as open. It always ends by itself; a running server picks it up within
    seconds.
    """
    loaded, path = load(menus, line, switch_errors="warn")
    now = datetime.now(UTC)
    try:
        shared = switchboard.shared_url()
    except IvrError as exc:
        raise click.ClickException(str(exc)) from None
    if state is None:
        current = switchboard.current(shared, loaded.id) if shared else loaded.switch
        if current is None or not current.in_force(now):
            click.echo(f"{loaded.id}: no switch in force")
        else:
            until_local = current.until.astimezone(loaded.zone)
            click.echo(f"{loaded.id}: {current.state} until {until_local:%Y-%m-%d %H:%M}"
                       + (f", saying: {current.say}" if current.say else ""))
        return
    if state == "off":
        if until or say is not None:
            raise click.UsageError("'off' ends the switch at once: it takes no --until or "
                                   "--say")
        _or_fail(switchboard.save, path.parent, loaded.id, None, now)
        click.echo(f"{loaded.id}: switch off")
        return
    if not until:
        raise click.UsageError("a switch needs --until: it must always end by itself")
    if say is not None:
        try:
            switchfile.check_say(say)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="'--say'") from None
    try:
        ends = scalars.instant(until, loaded.zone).astimezone(loaded.zone)
        where = _or_fail(switchboard.save, path.parent, loaded.id, Switch(state, ends, say), now)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--until'") from None
    click.echo(f"{loaded.id}: {state} until {ends:%Y-%m-%d %H:%M} ({loaded.zone.key}); "
               f"written to {where}")
    for number, owner in _answered_by_others(loaded, path.parent, shared):
        click.secho(f"Warning: {number} is answered by {owner}, not by {loaded.id}: its "
                    "callers do not get this switch (ivr check names the number claimed "
                    "twice)", fg="yellow", err=True)


def _answered_by_others(line: Line, menus: Path, shared: str | None) -> list[tuple[str, str]]:
    """The numbers of ``line`` that another file of the folder answers, as the servers
    decide (the first file by name, or the first claim the shared database records)."""
    others = []
    for other in menu_paths(menus):
        try:
            others.append(line if other.stem == line.id else load_line(other))
        except (MenuError, OSError):
            continue  # a broken file answers nothing new; ivr check says why
    first = claims.recorded(shared) if shared else None
    numbers, _ = numberclaims.assign(others, first=first)
    return [(number, numbers[number].source) for number in line.numbers
            if number in numbers and numbers[number].id != line.id]


def _or_fail(change: Callable[..., str], *args: object) -> str:
    """Change the switch; one that cannot be changed (a directory in its place, no
    permission, the shared database unreachable) is the command's clear error."""
    try:
        return change(*args)
    except IvrError as exc:
        raise click.ClickException(str(exc)) from None
