"""``ivr-sim``: dial a line from the terminal, by hand or scripted, at any time of day.

A thin shell over ``ivr.sim``: it picks the line, fixes the clock, builds the app in
process (or points at ``--url``) and prints the call as text or as one JSON object.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import urllib.parse
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import click

from ivr.core import speechtime
from ivr.core.errors import IvrError, MenuError
from ivr.menufile import scalars
from ivr.menufile.folder import NoSuchLine, menu_file
from ivr.menufile.format import load_line
from ivr.menufile.reader import YamlMapping
from ivr.menufile.reader import load as load_yaml
from ivr.server.app import in_process_app, line_for_number, served_lines
from ivr.sim import clock, exitcodes, options, speak, terminal
from ivr.sim.caller import Caller, scripted
from ivr.sim.transport import InProcess, OverHttp

if TYPE_CHECKING:
    from flask import Flask

DEFAULT_LINE = "orebro-kommunsupport"


def local_instant(text: str, zone: ZoneInfo) -> datetime:
    """``--at`` as an aware instant, or a usage error naming the option."""
    try:
        return scalars.instant(text, zone, wall_clock=True)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--at'") from None


def line_file(menus: Path, name: str, option: str) -> Path:
    """The menu file for ``name``, or a usage error naming ``option`` (or ``--menus``)."""
    if not Path(menus).is_dir() and not (Path(name).suffix or os.sep in name):
        raise click.BadParameter(f"{menus}: no such folder", param_hint="'--menus'")
    try:
        return menu_file(menus, name)
    except NoSuchLine as exc:
        raise click.BadParameter(str(exc), param_hint=f"'{option}'") from None


def _pick_line(menus: Path, menu: str | None, to: str | None, remote: bool):
    """(folder the app serves, number to call, the line's zone or None, whether a line in
    the folder answers the number).

    Calling a server (``remote``), the local file only gives the number and the zone: a
    broken local copy is what a tester checks the server survives, so it is a warning, not
    a refusal; and with ``--to`` no local line (or folder) is needed at all.
    """
    if menu and to:
        raise click.UsageError("give --menu or --to, not both")
    if to:
        if not Path(menus).is_dir():
            if remote:  # the server alone knows its lines
                return None, to, None, True
            raise click.ClickException(f"{menus}: no such menus folder; pass --menus DIR or "
                                       "set IVR_MENUS")
        app = _lines_of(menus)
        if not served_lines(app) and not remote:
            raise click.ClickException(f"{menus}: no valid menu file (*.yaml, *.yml)")
        line = line_for_number(app, to)
        if line is None and remote:
            return menus, to, None, True
        if line is None:
            click.echo(f"warning: no line in {menus} answers {to}; calling it anyway "
                       f"(exit {exitcodes.UNANSWERED})", err=True)
        return menus, to, line.zone if line else None, line is not None
    path = line_file(menus, menu or DEFAULT_LINE, "--menu")
    try:
        line = load_line(path)
    except MenuError as exc:
        if not remote:
            raise
        number, zone = _number_only(path)
        click.echo(f"warning: the local copy of {path} has errors; calling {number}, which "
                   f"it lists, on the server anyway:\n{exc}", err=True)
        return path.parent, number, zone, True
    answering = None if remote else line_for_number(_lines_of(path.parent), line.numbers[0])
    if answering is not None and answering.id != line.id:
        click.echo(f"warning: {line.numbers[0]}, the first number of {path}, is answered by "
                   f"{answering.id} ({Path(answering.source).name}), which claims it too, so "
                   f"a call to it never reaches {line.id} (ivr check names the number claimed "
                   f"twice); calling it anyway (exit {exitcodes.UNANSWERED})", err=True)
        return path.parent, line.numbers[0], line.zone, False
    return path.parent, line.numbers[0], line.zone, True


@functools.cache
def _lines_of(folder: Path) -> Flask:
    """The lines of a folder as a server would serve them, built once a run: who answers a
    number, and the recordings' words."""
    return in_process_app(folder)


def _number_only(path: Path) -> tuple[str, ZoneInfo | None]:
    """The first number (and zone, if usable) written in a file that does not load."""
    document, _ = load_yaml(path, str(path))
    if not isinstance(document, YamlMapping):
        document = YamlMapping()
    numbers = document.get("numbers")
    number = numbers[0] if isinstance(numbers, list) and numbers else numbers
    if not options.callable_number(number):
        raise click.ClickException(f"{path} has errors and no readable 'numbers': give the "
                                   "number to call with --to NUMBER")
    try:
        zone = scalars.zone(str(document.get("timezone", "")))
    except ValueError:
        zone = None
    return str(number), zone


def _keypad(press: bool, keys: tuple[str, ...], as_json: bool):
    """(the keypad, whether a person types at it)."""
    if press:
        bad = [k for k in keys if k not in ("-", "timeout") and not clock.is_press(k)]
        if bad:
            raise click.BadParameter(f"{', '.join(bad)}: not keypad keys (0-9, * and #, "
                                     "KEY@SECONDS to press while the prompt speaks; - or "
                                     "timeout for no input)", param_hint="'--press'")
        return scripted(list(keys)), False
    if keys:
        raise click.UsageError(f"unexpected {' '.join(keys)}; script keys with --press")
    if as_json and not sys.stdin.isatty():
        return scripted([]), False
    return terminal.keypad(to_stderr=as_json), True


def _base_url(url: str) -> str:
    """The server's address from --url, with or without the /voice that Twilio is given."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise click.BadParameter(f"'{url}' is not an http(s) address; write it like "
                                 "http://127.0.0.1:5000 or https://ivr.example.org",
                                 param_hint="'--url'")
    path = parts.path.rstrip("/").removesuffix("/voice")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _echo(kind: str, text: str, at: float, err: bool = False) -> None:
    """One line of the call, after the time into it: '0:48 « …', '0:52 [keys] 1'."""
    if kind != "error":  # said once, on stderr, when the call ends
        said = f"[{kind}] {text}" if kind != "say" else f"« {text}"
        click.echo(f"{clock.clock(at):>5} {said}", err=err)


def _echo_for(as_json: bool, interactive: bool):
    """How the call is shown: on stdout; with --json on stderr while a person types at the
    keypad (they must hear the «…» prompts), else not at all."""
    if not as_json:
        return _echo
    if interactive:
        return lambda kind, text, at: _echo(kind, text, at, err=True)
    return lambda *_: None


def _header(number: str, instant: datetime | None, zone: ZoneInfo | None) -> str:
    """'Calling +4619212000 at 2026-11-24 10:15+01:00 Europe/Stockholm': the time the call
    plays at, with the offset the zone has then."""
    if instant is None:
        return f"Calling {number}"
    zone = zone or ZoneInfo("UTC")
    local = instant.astimezone(zone).isoformat(sep=" ", timespec="minutes")
    return f"Calling {number} at {local} {zone.key}"


EXIT_CODES = """\b
Exit codes:
  0  the call ran as the line decided (whatever its route)
  1  the menu file is broken
  2  a wrong argument
  3  no server answers at --url
  4  the server refused or failed the call: a bad signature (403), no TwiML,
     no such webhook, --at ignored, or a call that never ends
  5  no line in the menus folder answers the number called (--to), or another
     line than the one named answers it (--menu)
With --json, every failure also prints {"problem", "exit_code", "meaning"}."""


@click.command(cls=exitcodes.JsonFailures, context_settings={"help_option_names": ["-h", "--help"]},
               epilog=EXIT_CODES)
@click.version_option(package_name="ivr")
@click.option("--menus", type=click.Path(path_type=Path), envvar="IVR_MENUS",
              default="menus", show_default=True, help="Folder of menu files.")
@click.option("--menu", help="Line to call: a name in the menus folder, or a file path.")
@click.option("--to", help="Call this number, as Twilio would (picks the line by number).")
@click.option("--caller-id", default="+46701740699", show_default=True, callback=options.caller_id,
              help="The caller's number (From), in E.164.")
@click.option("--at", help='Local time of the call in the line\'s zone, "2026-11-24 19:30".')
@click.option("--press", is_flag=True, help="Script the call: KEYS answer one Gather each.")
@click.option("--dial-status", default="", callback=options.dial_statuses, help="Outcome of each "
              "Dial in turn: completed, busy, no-answer, failed, canceled, e.g. "
              "no-answer,completed (default: completed; asked when interactive).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (alone on stdout).")
@click.option("--url", help="Call a running server: its address, with or without /voice.")
@click.option("--verbose", is_flag=True, help="Show the in-process server's log too.")
@click.option("--speak", "aloud", is_flag=True,
              help="Speak the prompts aloud as they come (espeak-ng, the line's language).")
@click.option("--speak-to", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              callback=options.speak_to,
              help="Write one WAV file per thing said into DIR (espeak-ng).")
@click.argument("keys", nargs=-1)
def main(menus, menu, to, caller_id, at, press, dial_status, as_json, url, verbose, aloud,
         speak_to, keys):
    """Call a phone line and follow it as Twilio would.

    Interactive by default (Dial outcomes are asked; Enter: completed); with --press, KEYS
    (0-9 * #, '-' or 'timeout' for no input) answer one Gather each and the caller hangs up
    when they run out. (ivr explore LINE tabulates a whole calendar.)
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.CRITICAL + 1,
                        format="%(levelname)s %(name)s: %(message)s")
    keypad, interactive = _keypad(press, keys, as_json)
    if (aloud or speak_to) and not speak.available():
        raise click.UsageError(speak.MISSING)
    base = _base_url(url) if url else None
    try:
        folder, number, zone, answered = _pick_line(menus, menu, to, remote=bool(url))
        if at and zone is None and url:
            click.echo(f"warning: no local line answers {number}, so --at is read as UTC "
                       "(give --menus the folder the server serves to read it in the "
                       "line's zone)", err=True)
        instant = local_instant(at, zone or ZoneInfo("UTC")) if at else None
        transport = _transport(base, folder, instant)
    except (MenuError, IvrError) as exc:
        raise click.ClickException(str(exc)) from None
    if not as_json:
        click.echo(_header(number, instant, zone))
    ask_dial = (terminal.dial_outcome(to_stderr=as_json) if interactive
                else lambda numbers: "completed")
    recordings = {address: known for line in (served_lines(_lines_of(folder)).values()
                                              if folder else ())
                  for address, known in speechtime.recordings(line).items()}
    caller = Caller(transport, to=number, caller_id=caller_id, keypad=keypad,
                    dial_statuses=dial_status, ask_dial=ask_dial, status_callback=True,
                    echo=_echo_for(as_json, interactive), interactive=interactive,
                    recordings=recordings, listen=speak.say_aloud if aloud else lambda *_: None)
    try:
        call = caller.run()
        speak.write_steps(call.timeline, speak_to)
    except KeyboardInterrupt:  # a scripted call stopped (an interactive one hangs up)
        click.echo("\ncall interrupted (Ctrl-C)", err=True)
        sys.exit(130)  # 128 + SIGINT, as shells report it
    except speak.NoSpeech as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.BadParameter(f"cannot write {exc.filename}: {exc.strerror}",
                                 param_hint="'--speak-to'") from None
    if call.problem:
        click.echo(f"error: {call.problem}", err=True)
    if as_json:
        click.echo(json.dumps(exitcodes.as_dict(call), ensure_ascii=False, indent=2))
    sys.exit(exitcodes.exit_code(call, answered))


def _transport(base: str | None, folder: Path, instant: datetime | None):
    token = os.environ.get("TWILIO_AUTH_TOKEN") or None
    if base:
        return OverHttp(base, token, at=instant)
    clock = (lambda: instant) if instant else None
    return InProcess(in_process_app(folder, token=token, clock=clock), token)


if __name__ == "__main__":
    main()
