"""``ivr``: serve the lines, and check menu files the way a compiler checks code.

Commands stay thin: the library raises ``IvrError``; here it becomes click's
``Error: …`` and exit 1, and a wrong option becomes a usage error naming it.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import click

from ivr.admin import graph, hours_table, served
from ivr.admin.explore import explore_command
from ivr.admin.loading import MENUS, STATE, load
from ivr.admin.report import report_command
from ivr.admin.switch import switch_command
from ivr.core.errors import IvrError, MenuError
from ivr.core.model import Line
from ivr.menufile import numbers, warnings
from ivr.menufile.folder import SUFFIXES, menu_paths
from ivr.menufile.format import json_schema, load_with_document
from ivr.server.calllog import quiet_steps
from ivr.server.gunicorn import WORKER_CLASSES
from ivr.server.journal.commands import prepare as prepare_journal
from ivr.server.journal.commands import register as register_journal
from ivr.server.journal.schema import database_url, shown
from ivr.server.journal.switchboard import shared_url as shared_database
from ivr.server.lastgood import state_dir
from ivr.server.registry import MenusFolderError, Registry


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ivr")
def main() -> None:
    """Phone menus from YAML, served as Twilio voice webhooks."""


@main.command()
@MENUS
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--proxy-hops", default=0, show_default=True, type=click.IntRange(0, 5),
              help="Proxies in front (ngrok: 1) whose X-Forwarded-* headers to trust.")
@click.option("--insecure", is_flag=True,
              help="Serve without TWILIO_AUTH_TOKEN: requests are not verified.")
@click.option("--test-clock", is_flag=True,
              help="With --insecure: let testers set the time per request (ivr-sim --at).")
@STATE
@click.option("--worker-class", type=click.Choice(WORKER_CLASSES), default="gevent",
              show_default=True, help="gunicorn's worker model (use gevent: README, Slow clients).")
@click.option("--public-url", metavar="URL", callback=lambda _c, _p, url: _public_url(url),
              help="The address Twilio reaches (e.g. ngrok's): print the webhook URLs.")
@click.option("--retain-days", default=90, show_default=True, type=click.IntRange(3, 3660),
              help="Delete journal entries of calls older than this.")
@click.option("--no-journal", is_flag=True, help="Keep no call journal.")
@click.option("--log-steps", is_flag=True,
              help="Log a line per call step even with the journal on (it holds them).")
def serve(menus: Path, host: str, port: int, workers: int, proxy_hops: int,
          insecure: bool, test_clock: bool, state: Path | None, worker_class: str,
          public_url: str | None, retain_days: int, no_journal: bool, log_steps: bool) -> None:
    """Serve every line in the menus folder with gunicorn."""
    from ivr.admin import console
    from ivr.server.gunicorn import run

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: "
                        "%(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its plugin set-up is noise
    token = os.environ.get("TWILIO_AUTH_TOKEN") or None
    if not token and not insecure:
        raise click.UsageError("TWILIO_AUTH_TOKEN is not set, so Twilio's signatures cannot "
                               "be checked; set it, or pass --insecure for local testing")
    if test_clock and (token or not insecure):
        raise click.UsageError("--test-clock lets callers set the time: use it only with "
                               "--insecure and without TWILIO_AUTH_TOKEN")
    if not token:
        click.secho("WARNING: --insecure: requests are NOT verified; anyone who can reach "
                    "this server can drive its lines", fg="red", bold=True, err=True)
    try:
        shared_database()  # a bad IVR_DATABASE_URL stops here, not in every worker
    except IvrError as exc:
        raise click.ClickException(str(exc)) from None
    state = state_dir(menus, state)
    if state.exists() and not state.is_dir():
        raise click.BadParameter(f"{state} is a file, not a folder", param_hint="'--state'")
    registry = Registry(menus, state=state)
    try:
        errors = registry.load()
    except MenusFolderError as exc:
        raise click.ClickException(str(exc)) from None
    for error in errors:
        click.echo(str(error), err=True)
    try:
        users = console.sign_in_from_environment()  # a bad users file stops here, not later
    except IvrError as exc:
        raise click.ClickException(str(exc)) from None
    _port_free(host, port)  # after the checks of what the admin wrote, whatever holds the port
    click.echo(served.banner(
        registry.lines(), menus=menus, state=state, signed=bool(token), public_url=public_url,
        local_url=f"http://{host}:{port}", console_users=len(users), retain_days=retain_days,
        journal=None if no_journal else shown(database_url(state))),
        err=True)
    if test_clock:
        click.echo("--test-clock: each request may set the time (ivr-sim --at); for testing "
                   "only", err=True)
    if not no_journal:
        prepare_journal(state)
        if not log_steps:
            quiet_steps()
    config = {"MENUS": str(menus), "STATE_DIR": state, "TWILIO_AUTH_TOKEN": token,
              "PROXY_HOPS": proxy_hops, "TEST_CLOCK": test_clock, "PUBLIC_URL": public_url,
              "JOURNAL": not no_journal, "RETAIN_DAYS": retain_days}
    run(config, host=host, port=port, workers=workers, proxy_hops=proxy_hops,
        worker_class=worker_class, factory=console.create_app)


def _public_url(url: str | None) -> str | None:
    """--public-url, checked with the other arguments, before anything is said or served."""
    if url and not url.startswith(("https://", "http://")):
        raise click.BadParameter(f"'{url}' is not an address; write it like "
                                 "https://abc123.ngrok.app", param_hint="'--public-url'")
    return url


def _port_free(host: str, port: int) -> None:
    """Refuse at once when something listens on the port, rather than let gunicorn retry
    for seconds. SO_REUSEADDR, as gunicorn binds, so a closing socket does not count."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}; is "
                                       "another server running there? Stop it, or pick "
                                       "another --port") from None


@main.command()
@MENUS
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check(menus: Path, strict: bool, paths: tuple[Path, ...]) -> None:
    """Check menu files (default: every file in the menus folder).

    Prints errors and warnings as FILE:LINE:COL: error|warning: KEY: MESSAGE. Exit 1 on
    errors, or on warnings with --strict. A folder among PATHS is checked as --menus is.
    """
    folders, paths = _to_check(menus, paths)
    errors = warned = 0
    now = datetime.now(UTC)
    switch_files: set[str] = set()
    switch_failed = False
    for folder in folders:
        for problem in warnings.stray_switches(folder, {p.stem for p in paths}):
            switch_files.add(problem.file)
            click.echo(str(problem))
    loaded: list[tuple[Path, Line]] = []
    for path in paths:
        try:
            line, document = load_with_document(path)
        except MenuError as exc:
            errors += 1
            click.echo(str(exc))
            continue
        loaded.append((path, line))
        found = warnings.warnings(line, document, now)
        switched = warnings.switch_problems(line, path.parent, now)
        errors += any(problem.severity == "error" for problem in found)
        warned += any(problem.severity == "warning" for problem in found)
        switch_files |= {problem.file for problem in switched}
        switch_failed = switch_failed or any(p.severity == "error" for p in switched)
        for problem in found + switched:
            click.echo(str(problem))
    for problem in numbers.conflicts(loaded):
        errors += 1
        click.echo(str(problem))
    also = (f", and {len(switch_files)} switch file(s) with problems" if switch_files else "")
    click.echo(f"{len(paths)} file(s) checked: {errors} with errors, {warned} with "
               f"warnings{also}", err=True)
    sys.exit(1 if errors or switch_failed or (strict and (warned or switch_files)) else 0)


def _to_check(menus: Path, paths: tuple[Path, ...]) -> tuple[list[Path], tuple[Path, ...]]:
    """(the folders whose switch files are checked too, the menu files to check): the
    menus folder when no PATHS are given, else the PATHS with each folder's files."""
    if not paths and not menus.is_dir():
        raise click.BadParameter(f"{menus} is not a folder", param_hint="'--menus'")
    folders = [p for p in paths if _is_folder(p)] if paths else [menus]
    files = tuple(f for p in paths or (menus,)
                  for f in (menu_paths(p) if _is_folder(p) else [p]))
    if not files:
        where = ", ".join(map(str, folders))
        raise click.ClickException(f"no menu files (*.yaml, *.yml) in {where}")
    return folders, files


def _is_folder(path: Path) -> bool:
    """A folder of menu files; a directory named like a menu file is a (bad) menu file."""
    return path.is_dir() and path.suffix not in SUFFIXES


@main.command()
def schema() -> None:
    """Print the JSON Schema of menu files (for editors; see schema/menu.schema.json)."""
    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


@main.command("graph")
@MENUS
@click.option("--format", "form", type=click.Choice(sorted(graph.FORMATS)), default="mermaid",
              show_default=True)
@click.argument("line")
def graph_command(menus: Path, form: str, line: str) -> None:
    """Print a line's call flow as a Mermaid or Graphviz DOT diagram."""
    click.echo(graph.FORMATS[form](load(menus, line)[0]), nl=False)


@main.command()
@MENUS
@click.option("--week", help="An ISO week, e.g. 2026-W52.")
@click.option("--from", "first", type=click.DateTime(["%Y-%m-%d"]), help="First day.")
@click.option("--days", type=click.IntRange(1, 366), default=7, show_default=True)
@click.argument("line")
def hours(menus: Path, week: str | None, first: datetime | None, days: int,
          line: str) -> None:
    """Show a line's effective hours day by day, with the holidays that shaped them."""
    loaded, _ = load(menus, line)
    if week and first:
        raise click.UsageError("give --week or --from, not both")
    start = first.date() if first else date.today()
    if week:
        try:
            start, days = hours_table.days_of_week(week)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="'--week'") from None
    click.echo(hours_table.render(loaded, start, days, datetime.now(UTC)), nl=False)


main.add_command(served.lines_command)
main.add_command(switch_command)
main.add_command(explore_command)
main.add_command(report_command)
register_journal(main)
