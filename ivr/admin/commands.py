"""``ivr``: serve the lines, and check menu files the way a compiler checks code.

Commands stay thin: the library raises ``IvrError``; here it becomes click's
``Error: …`` and exit 1, and a wrong option becomes a usage error naming it.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import click

from ivr.admin import served
from ivr.admin.explore import explore_command
from ivr.admin.journalcommands import register as register_journal
from ivr.admin.loading import MENUS, load
from ivr.admin.report import report_command
from ivr.admin.serve import serve_command
from ivr.admin.switch import switch_command
from ivr.core.errors import IvrError, MenuError
from ivr.core.model import Line
from ivr.journal import claims
from ivr.journal.switchboard import shared_url
from ivr.menufile import cautions, numberclaims
from ivr.menufile.folder import SUFFIXES, menu_paths
from ivr.menufile.format import json_schema, load_with_document
from ivr.views import graph, hours_table


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ivr")
def main() -> None:
    """Phone menus from YAML, served as Twilio voice webhooks."""


@main.command()
@MENUS
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check(menus: Path, strict: bool, paths: tuple[Path, ...]) -> None:
    """Check menu files (default: every file in the menus folder).

    Prints errors and warnings as FILE:LINE:COL: error|warning: KEY: MESSAGE. Exit 1 on
    errors, or on warnings with --strict. A folder among PATHS is checked as --menus is; a
    switch file (FOLDER/switches/LINE.yaml) as the switch of that line.
    """
    folders, paths = _to_check(menus, paths)
    switches = [p for p in paths if cautions.is_switch_file(p)]
    paths = tuple(p for p in paths if p not in switches)
    checked_with_line = {(p.parent.resolve(), p.stem) for p in paths}
    switches = [s for s in switches if (s.parent.parent.resolve(), s.stem) not in checked_with_line]
    errors = warned = 0
    now = datetime.now(UTC)
    switch_files: set[str] = set()
    switch_failed = False
    for path in switches:
        for problem in cautions.named_switch(path, now):
            switch_files.add(problem.file)
            switch_failed = switch_failed or problem.severity == "error"
            click.echo(str(problem))
    for folder in folders:
        for problem in cautions.stray_switches(folder, {p.stem for p in paths}):
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
        found = cautions.warnings(line, document, now)
        switched = cautions.switch_problems(line, path.parent, now)
        errors += any(problem.severity == "error" for problem in found)
        warned += any(problem.severity == "warning" for problem in found)
        switch_files |= {problem.file for problem in switched}
        switch_failed = switch_failed or any(p.severity == "error" for p in switched)
        for problem in found + switched:
            click.echo(str(problem))
    twice = numberclaims.conflicts(loaded)
    for problem in numberclaims.conflicts(loaded, _first_claims()) if twice else []:
        errors += 1
        click.echo(str(problem))
    click.echo(_summary(len(paths), len(switches), errors, warned, len(switch_files)), err=True)
    sys.exit(1 if errors or switch_failed or (strict and (warned or switch_files)) else 0)


def _summary(menus: int, switches: int, errors: int, warned: int, problems: int) -> str:
    """'2 file(s) checked: 1 with errors, 0 with warnings, and 1 switch file(s) with
    problems'; with switch files named alone, 'N switch file(s) checked: M with problems'."""
    if switches and not menus:
        return f"{switches} switch file(s) checked: {problems} with problems"
    named = (f"{menus} menu file(s) and {switches} switch file(s)" if switches
             else f"{menus} file(s)")
    also = f", and {problems} switch file(s) with problems" if problems else ""
    return f"{named} checked: {errors} with errors, {warned} with warnings{also}"


def _first_claims() -> dict[str, str] | None:
    """With a shared database, the lines that claimed each number first there: the servers
    keep those, so ``ivr check`` names the same owner of a number claimed twice."""
    fallback = ("a number two files claim is named as the first file's by name; the servers "
                "keep the first claim the database records")
    try:
        url = shared_url()
    except IvrError as exc:
        click.echo(f"warning: {exc}; {fallback}", err=True)
        return None
    found = claims.recorded(url) if url else None
    if url and found is None:
        click.echo(f"warning: IVR_DATABASE_URL cannot be read: {fallback}", err=True)
    return found


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


main.add_command(serve_command)
main.add_command(served.lines_command)
main.add_command(switch_command)
main.add_command(explore_command)
main.add_command(report_command)
register_journal(main)
