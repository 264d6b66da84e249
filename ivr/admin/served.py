"""What is served, as an admin reads it: the ``ivr lines`` command and ``ivr serve``'s banner.

The facts come from ``overview``; here they become text (or JSON). The banner is printed
before gunicorn starts, so whoever starts the server sees at once which numbers it answers,
which folders it uses, whether Twilio's signatures are checked, and what to paste into the
Twilio console.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click

from ivr.admin import overview
from ivr.core.errors import IvrError, MenuError
from ivr.core.model import Line
from ivr.menufile import switchfile
from ivr.menufile.format import load_line

MENUS = click.option("--menus", type=click.Path(path_type=Path), envvar="IVR_MENUS",
                     default="menus", show_default=True, help="Folder of menu files.")
WEBHOOKS = (("A call comes in", "voice"), ("Primary handler fails", "fallback"),
            ("Call status changes", "status"))


def _when(moment: datetime | None, now_local: datetime) -> str:
    if moment is None:
        return "for the next two weeks"
    if moment.date() == now_local.date():
        return f"until {moment:%H:%M}"
    return f"until {moment:%a %Y-%m-%d %H:%M}"


def describe(line: Line, path: str, now: datetime) -> list[str]:
    """A line as a few labelled rows of text."""
    local = now.astimezone(line.zone).replace(tzinfo=None)
    states = [f"{s.name} {'open' if s.open else 'closed'} {_when(s.until, local)}"
              for s in overview.schedules_now(line, now)]
    rows = [f"{line.id}: {line.name} ({path})",
            f"  numbers       {', '.join(line.numbers)}",
            f"  language      {line.language}, {line.zone.key}",
            f"  now           {'; '.join(states) or 'no schedules: the same at every hour'}"]
    if line.switch and line.switch.in_force(now):
        until = line.switch.until.astimezone(line.zone)
        said = f', saying "{line.switch.say}"' if line.switch.say else ""
        rows.append(f"  switch        {line.switch.state} until {until:%Y-%m-%d %H:%M}{said}")
    in_use = overview.placeholders_in_use(line)
    if in_use:
        rows.append(f"  placeholders  {', '.join(in_use)} (replace before going live)")
    return rows


@click.command("lines")
@MENUS
@click.option("--json", "as_json", is_flag=True, help="Print one JSON list.")
def lines_command(menus: Path, as_json: bool) -> None:
    """List the lines: file, name, numbers, zone, language, open or closed now and until
    when, the switch, and the placeholder numbers still in use."""
    if not menus.is_dir():
        raise click.BadParameter(f"{menus} is not a folder", param_hint="'--menus'")
    now = datetime.now(UTC)
    found: list[tuple[Path, Line | None, str]] = []
    for path in sorted(menus.glob("*.yaml")):
        try:
            found.append((path, switchfile.attach(load_line(path), menus), ""))
        except (MenuError, IvrError) as exc:
            found.append((path, None, str(exc)))
    if as_json:
        click.echo(json.dumps([overview.as_dict(line, str(path), now) if line else
                               {"file": str(path), "errors": error.splitlines()}
                               for path, line, error in found], ensure_ascii=False, indent=2))
        return
    for path, line, error in found:
        click.echo("\n".join(describe(line, str(path), now)) if line else
                   f"{path.stem}: not served, it has errors (see ivr check {path}):\n{error}")


def banner(lines: dict[str, Line], *, menus: Path, state: Path, signed: bool,
           public_url: str | None) -> str:
    """What ``ivr serve`` says before gunicorn starts."""
    out = [f"ivr serves {len(lines)} line(s) from {menus}/ (state in {state}/):"]
    out += [f"  {line.id:<22} {', '.join(line.numbers)}" for line in lines.values()]
    out.append("Twilio signatures are checked (TWILIO_AUTH_TOKEN)" if signed else
               "Twilio signatures are NOT checked (--insecure)")
    if public_url:
        base = public_url.rstrip("/")
        out.append("In the Twilio console, on each number, under Voice Configuration (HTTP POST):")
        out += [f"  {field:<22} {base}/{path}" for field, path in WEBHOOKS]
    return "\n".join(out)
