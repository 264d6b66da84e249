"""What is served, as an admin reads it: the ``ivr lines`` command and ``ivr serve``'s banner.

The facts come from ``overview``; here they become text (or JSON). The banner is printed
before gunicorn starts, so whoever starts the server sees at once which numbers it answers,
which folders it uses, whether Twilio's signatures are checked, and what to paste into the
Twilio console.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import click

from ivr.admin.loading import STATE
from ivr.core.errors import IvrError, MenuError
from ivr.core.linenow import schedules_now
from ivr.core.model import Line
from ivr.core.moments import switch_in_force
from ivr.journal import switchboard
from ivr.journal.schema import not_yet_made
from ivr.journal.statedir import state_dir
from ivr.journal.switchboard import Board
from ivr.menufile import switchfile
from ivr.menufile.folder import menu_paths
from ivr.menufile.format import load_line
from ivr.server.lastgood import LastGood
from ivr.views import overview

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
              f"{' (switch)' if s.forced else ''}" for s in schedules_now(line, now)]
    rows = [f"{line.id}: {line.name} ({path})",
            f"  numbers       {', '.join(line.numbers)}",
            f"  language      {line.language}, {line.zone.key}",
            f"  now           {'; '.join(states) or 'no schedules: the same at every hour'}"]
    switch = switch_in_force(line, now)
    if switch:
        until = switch.until.astimezone(line.zone)
        said = f', saying "{switch.say}"' if switch.say else ""
        rows.append(f"  switch        {switch.state} until {until:%Y-%m-%d %H:%M}{said}")
    in_use = overview.placeholders_in_use(line)
    if in_use:
        rows.append(f"  placeholders  {', '.join(in_use)} (replace before going live)")
    return rows


@click.command("lines")
@MENUS
@STATE
@click.option("--json", "as_json", is_flag=True, help="Print one JSON list.")
def lines_command(menus: Path, state: Path | None, as_json: bool) -> None:
    """List the lines: file, name, numbers, zone, language, open or closed now and until
    when, the switch, and the placeholder numbers still in use."""
    kept = LastGood(state_dir(menus, state))
    if not menus.is_dir():
        if not kept.ids():
            raise click.BadParameter(f"{menus} is not a folder", param_hint="'--menus'")
        click.secho(f"Warning: {menus} is not a folder: every line below is served from its "
                    "last good version until it retires", fg="yellow", err=True)
    now = datetime.now(UTC)
    shared = _shared_switches()
    found: list[tuple[Path, Line | None, str]] = []
    ignored: dict[Path, str] = {}
    for path in sorted(menus.glob("*.yaml")) if menus.is_dir() else []:
        try:
            line = load_line(path)
        except (MenuError, IvrError) as exc:
            found.append((path, None, str(exc)))
            continue
        try:
            line = switchfile.attach(line, menus)
        except IvrError as exc:  # the servers ignore it too, and serve the line as its file says
            ignored[path] = str(exc)
        found.append((path, shared.apply(line) if shared else line, ""))
    gone = sorted(kept.ids() - {path.stem for path in
                                (menu_paths(menus) if menus.is_dir() else [])})
    if as_json:
        click.echo(json.dumps([{**overview.as_dict(line, str(path), now),
                                **({"switch_ignored": ignored[path]} if path in ignored else {})}
                               if line else
                               {"file": str(path), "errors": error.splitlines(),
                                **_broken(path, kept)}
                               for path, line, error in found] +
                              [_gone(menus, line_id, kept) for line_id in gone],
                              ensure_ascii=False, indent=2))
        return
    for path, served, error in found:
        said = describe(served, str(path), now) if served else []
        if path in ignored and served:
            switch = switchfile.path_for(menus, served.id)
            said.append(f"  switch        ignored: {switch} has errors, so servers answer as "
                        f"the menu file says (see ivr check {switch})")
        click.echo("\n".join(said) if served else
                   f"{_broken_text(path, kept)} (see ivr check {path}):\n{error}")
    for line_id in gone:
        click.echo(_gone_text(_gone(menus, line_id, kept)))


def _shared_switches() -> Board | None:
    """The switches stored in the shared database, read once, as every server applies them
    on top of the files' (None without ``IVR_DATABASE_URL``)."""
    try:
        url = switchboard.shared_url()
    except IvrError as exc:
        raise click.ClickException(str(exc)) from None
    if url is None or not_yet_made(url):
        return None
    board = Board(url, None)
    if board.failing:
        click.secho("Warning: the shared database (IVR_DATABASE_URL) cannot be read: a switch "
                    "set there is not shown", fg="yellow", err=True)
    return board


def _gone(menus: Path, line_id: str, kept: LastGood) -> dict:
    """A line whose file is gone but whose last good version servers still have: since
    when a server missed the file, and when the line retires (None: no server has yet)."""
    noted = kept.noted(line_id)
    return {"file": str(menus / f"{line_id}.yaml"), "gone_since":
            noted and noted[0].astimezone().isoformat(timespec="minutes"),
            "retires": noted and noted[1].astimezone().isoformat(timespec="minutes"),
            "last_good": {"file": str(kept.path(line_id))}}


def _gone_text(facts: dict) -> str:
    line_id, kept = Path(facts["file"]).stem, facts["last_good"]["file"]
    if facts["retires"] is None:
        return (f"{line_id}: file {facts['file']} is gone; a server keeps answering with its "
                f"last good version (from {kept}) for a day (ivr serve --retire-after) "
                "after it first misses the file, then retires the line")
    since, retires = (facts[key].replace("T", " ") for key in ("gone_since", "retires"))
    return (f"{line_id}: file {facts['file']} is gone since {since}; running servers answer "
            f"with its last good version (from {kept}) until {retires}, then retire the "
            "line; put the file back to keep it")


def _broken(path: Path, kept: LastGood) -> dict:
    """Since when a file is broken, and the last good version a server serves instead."""
    since = datetime.fromtimestamp(path.stat().st_mtime, UTC).astimezone()
    last = kept.load(path.stem, str(path))
    return {"broken_since": since.isoformat(timespec="minutes"),
            "last_good": ({"file": str(kept.path(path.stem)), "version": last[1]}
                          if last else None)}


def _broken_text(path: Path, kept: LastGood) -> str:
    """What serves a broken file's number, read from the state directory servers use."""
    facts = _broken(path, kept)
    since = facts["broken_since"].replace("T", " ")
    if facts["last_good"] is None:
        return (f"{path.stem}: broken since {since}; not served: no last good version in "
                f"{kept.folder}")
    return (f"{path.stem}: broken since {since}; a running server keeps serving its last "
            f"good version (from {facts['last_good']['file']}); a server started now serves "
            "that version too")


def banner(lines: dict[str, Line], answering: Callable[[str], Line | None], *, menus: Path,
           state: Path, signed: bool, public_url: str | None, local_url: str,
           journal: str | None, retain_days: int, console_users: int) -> str:
    """What ``ivr serve`` says before gunicorn starts: each line with the numbers it answers
    (``answering`` says who answers a number: a number another line keeps is named so);
    ``journal`` is where the call journal is kept (None: not kept), ``console_users`` how
    many may sign in to the console."""
    out = [f"ivr serves {len(lines)} line(s) from {menus}/ (state in {state}/):"]
    for line in lines.values():
        numbers = [number if (owner := answering(number)) is None or owner.id == line.id
                   else f"({number}: answered by {owner.id})" for number in line.numbers]
        out.append(f"  {line.id:<22} {', '.join(numbers)}")
    out.append("Twilio signatures are checked (TWILIO_AUTH_TOKEN)" if signed else
               "Twilio signatures are NOT checked (--insecure)")
    out.append(f"Call journal: {journal}, calls kept {retain_days} days" if journal
               else "Call journal: not kept (--no-journal)")
    console = f"{(public_url or local_url).rstrip('/')}/console"
    out.append(f"Console: {console} ({console_users} user(s) may sign in)" if console_users
               else "Console: off (set IVR_CONSOLE_PASSWORD or IVR_CONSOLE_USERS)")
    if public_url:
        base = public_url.rstrip("/")
        out.append("In the Twilio console, on each number, under Voice Configuration (HTTP POST):")
        out += [f"  {field:<22} {base}/{path}" for field, path in WEBHOOKS]
    return "\n".join(out)
