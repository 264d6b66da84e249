"""``ivr-sim``: dial a line from the terminal, by hand or scripted, at any time of day.

A thin shell over ``ivr.sim``: it picks the line, fixes the clock, builds the app in
process (or points at ``--url``) and prints the call as text or as one JSON object.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from ivr import fields
from ivr.errors import IvrError, MenuError
from ivr.menufile import load_line
from ivr.registry import NoSuchLine, Registry, menu_file
from ivr.sim import Call, Caller, CallerHangsUp, InProcess, OverHttp, scripted

DEFAULT_LINE = "orebro-kommunsupport"
DIAL_STATUSES = ("completed", "answered", "busy", "no-answer", "failed", "canceled")
KEYS = set("0123456789*#")


def local_instant(text: str, zone: ZoneInfo) -> datetime:
    """``--at`` as an aware instant, or a usage error naming the option."""
    try:
        return fields.instant(text, zone)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--at'") from None


def _line_file(menus: Path, name: str, option: str) -> Path:
    """The menu file for ``name``, or a usage error naming ``option``."""
    try:
        return menu_file(menus, name)
    except NoSuchLine as exc:
        raise click.BadParameter(str(exc), param_hint=f"'{option}'") from None


def _pick_line(menus: Path, menu: str | None, to: str | None):
    """(folder the app serves, number to call, the line's zone or None)."""
    if menu and to:
        raise click.UsageError("give --menu or --to, not both")
    if to:
        registry = Registry(menus)
        registry.load()
        line = registry.by_number(to)
        if line is None:
            click.echo(f"warning: no line in {menus} answers {to}; calling it anyway",
                       err=True)
        return menus, to, line.zone if line else None
    path = _line_file(menus, menu or DEFAULT_LINE, "--menu")
    line = load_line(path)
    return path.parent, line.numbers[0], line.zone


def _keypad(press: bool, keys: tuple[str, ...]):
    if press:
        bad = [k for k in keys if k not in ("-", "timeout") and not set(k) <= KEYS]
        if bad:
            raise click.BadParameter(f"{bad} are not keypad keys (0-9, * and #; - or "
                                     "timeout for no input)", param_hint="'--press'")
        return scripted(list(keys))
    if keys:
        raise click.UsageError(f"unexpected {' '.join(keys)}; script keys with --press")

    def ask(timeout: float) -> str | None:
        while True:
            try:
                text = input(f"  keys (0-9 * #; Enter: no input for {timeout:g} s; q: hang up)> ")
            except EOFError:
                raise CallerHangsUp from None
            if text.strip() == "q":
                raise CallerHangsUp
            if set(text.strip()) <= KEYS:
                return text.strip() or None
            print("  only 0-9, * and # are keys")

    return ask


def _echo(kind: str, text: str) -> None:
    click.echo(f"  [{kind}] {text}" if kind != "say" else f"  « {text}")


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--menus", type=click.Path(path_type=Path), envvar="IVR_MENUS",
              default="menus", show_default=True, help="Folder of menu files.")
@click.option("--menu", help="Line to call: a name in the menus folder, or a file path.")
@click.option("--to", help="Call this number, as Twilio would (picks the line by number).")
@click.option("--caller-id", default="+46701740699", show_default=True,
              help="The caller's number (From).")
@click.option("--at", help='Local time of the call in the line\'s zone, "2026-11-24 19:30".')
@click.option("--press", is_flag=True, help="Script the call: KEYS answer one Gather each.")
@click.option("--dial-status", default="", help="Outcome of each Dial in turn, e.g. "
              "no-answer,completed (default completed).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--url", help="Call a running server instead of the in-process app.")
@click.option("--explore", "explore_line", metavar="LINE",
              help="Tabulate LINE's whole behaviour over --from/--days instead of one call.")
@click.option("--from", "first", type=click.DateTime(["%Y-%m-%d"]),
              help="With --explore: first day (default today).")
@click.option("--days", type=click.IntRange(1, 400), default=7, show_default=True,
              help="With --explore: how many days.")
@click.option("--depth", type=click.IntRange(0, 4), default=2, show_default=True,
              help="With --explore: keys pressed at most per path.")
@click.argument("keys", nargs=-1)
def main(menus, menu, to, caller_id, at, press, dial_status, as_json, url, explore_line,
         first, days, depth, keys):
    """Call a phone line and follow it as Twilio would.

    Interactive by default; with --press, KEYS (0-9 * #, '-' or 'timeout' for no input)
    answer one Gather each and the caller hangs up when they run out. With --explore LINE,
    tabulate where every key path ends in every stretch of the calendar.
    """
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if explore_line:
        if menu or to or at or press or url or keys:
            raise click.UsageError("--explore makes its own calls: drop --menu, --to, --at, "
                                   "--press, --url and keys")
        _explore(menus, explore_line, first.date() if first else date.today(), days, depth,
                 as_json)
        return
    statuses = [s.strip() for s in dial_status.split(",") if s.strip()]
    wrong = [s for s in statuses if s not in DIAL_STATUSES]
    if wrong:
        raise click.BadParameter(f"{wrong} are not Dial outcomes; use {list(DIAL_STATUSES)}",
                                 param_hint="'--dial-status'")
    keypad = _keypad(press, keys)
    try:
        folder, number, zone = _pick_line(menus, menu, to)
        instant = local_instant(at, zone or ZoneInfo("UTC")) if at else None
        transport = _transport(url, folder, instant)
    except (MenuError, IvrError) as exc:
        raise click.ClickException(str(exc)) from None
    if not as_json:
        when = f" at {at} {zone.key if zone else 'UTC'}" if at else ""
        click.echo(f"Calling {number}{when}")
    caller = Caller(transport, to=number, caller_id=caller_id, keypad=keypad,
                    dial_statuses=statuses, echo=(lambda *_: None) if as_json else _echo)
    call = caller.run()
    ignored_clock = bool(instant and url and not transport.clock_honoured and not call.problem)
    if ignored_clock:
        call.problem = ("the server ignored --at: start it with ivr serve --insecure "
                        "--test-clock")
        call.ended = "error"
    if call.problem:
        click.echo(f"error: {call.problem}", err=True)
    if as_json:
        click.echo(json.dumps(_as_dict(call), ensure_ascii=False, indent=2))
    sys.exit(1 if ignored_clock else 0)


def _explore(menus: Path, name: str, first: date, days: int, depth: int,
             as_json: bool) -> None:
    from ivr import explore
    from ivr.web import create_app

    path = _line_file(menus, name, "--explore")
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

    table = explore.explore(line, transport_at, first, days, depth)
    if as_json:
        click.echo(json.dumps({"line": line.id, "zone": line.zone.key, "from": str(first),
                               "days": days, "depth": depth,
                               "stretches": explore.as_json(table)},
                              ensure_ascii=False, indent=2))
    else:
        click.echo(f"{line.name} ({line.zone.key}), {first} + {days} days, key paths up to "
                   f"{depth} keys\n")
        click.echo(explore.render(table), nl=False)


def _transport(url: str | None, folder: Path, instant: datetime | None):
    token = os.environ.get("TWILIO_AUTH_TOKEN") or None
    if url:
        return OverHttp(url, token, at=instant)
    from ivr.web import create_app

    config = {"MENUS": str(folder), "TWILIO_AUTH_TOKEN": token}
    if instant:
        config["CLOCK"] = lambda: instant
    return InProcess(create_app(config), token)


def _as_dict(call: Call) -> dict:
    result = {"said": call.said, "dialed": call.dialed, "ended": call.ended,
              "steps": call.steps}
    if call.problem:
        result["problem"] = call.problem
    return result


if __name__ == "__main__":
    main()
