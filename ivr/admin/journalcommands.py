"""The journal's commands: ``ivr stats``, ``ivr calls``, ``ivr call``, ``ivr journal forget``.

Thin, as every command: open the journal, ask ``stats``, ``history`` or ``privacy``, print
with ``report``. ``register`` adds them to the ``ivr`` group. The database modules are
imported inside the commands, so ``ivr``'s other commands start without them.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

MENUS = click.option("--menus", type=click.Path(path_type=Path), envvar="IVR_MENUS",
                     default="menus", show_default=True, help="Folder of menu files.")
STATE = click.option("--state", type=click.Path(path_type=Path), envvar="IVR_STATE",
                     help="State directory with the SQLite journal [default: beside --menus].")
DATABASE = click.option("--database", envvar="IVR_DATABASE_URL", metavar="URL",
                        help="The journal's database (postgresql://…) [default: SQLite in "
                             "the state directory].")
DAY = click.DateTime(["%Y-%m-%d"])


def _state(menus: Path, state: Path | None) -> Path:
    from ivr.journal.statedir import state_dir

    return state_dir(menus, state)


def _open(menus: Path, state: Path | None, database: str | None):
    """The journal's engine, up to date; a clear error when it is missing or unreachable."""
    import sqlalchemy as sa

    from ivr.journal.schema import checked_url, connect, database_url, shown, upgrade
    from ivr.journal.statedir import StateDir

    folder = _state(menus, state)
    url = database_url(folder, database)
    if database:
        try:
            checked_url(database)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="'--database' (or IVR_DATABASE_URL)"
                                     ) from None
        kept = sa.make_url(database).database or ""
        if database.startswith("sqlite") and kept != ":memory:" and not Path(kept).is_file():
            raise click.ClickException(f"no journal at {kept}: `ivr serve` writes it there")
    elif not StateDir(folder).journal.is_file():
        raise click.ClickException(f"no journal in {folder}: `ivr serve` writes it there "
                                   "(or pass --state DIR, or --database URL)")
    try:
        engine = connect(url)
        upgrade(engine)
    except sa.exc.SQLAlchemyError as exc:
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise click.ClickException(f"cannot open the journal at {shown(url)}: {detail}"
                                   ) from None
    return engine


def prepare(state: Path) -> None:
    """Before ``ivr serve`` starts its workers: create or upgrade the journal's schema once.

    A database that cannot be reached now is only a warning: the workers' writers keep
    trying, and calls are answered meanwhile.
    """
    import sqlalchemy as sa

    from ivr.core.errors import IvrError
    from ivr.journal.schema import connect, database_url, upgrade

    url = database_url(state)
    try:
        upgrade(connect(url))
    except IvrError as exc:  # a folder that cannot be made: it will not come by itself
        raise click.ClickException(str(exc)) from None
    except sa.exc.SQLAlchemyError as exc:
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        click.secho(f"WARNING: the journal's database cannot be reached ({detail}); calls "
                    "are answered, and the journal is written once it can be", fg="yellow",
                    err=True)


def _zone(menus: Path, line: str) -> ZoneInfo:
    """The line's zone for showing times, from its menu file; UTC when it is gone."""
    from ivr.core.errors import IvrError
    from ivr.menufile.folder import menu_file
    from ivr.menufile.format import load_line

    try:
        return load_line(menu_file(menus, line)).zone
    except IvrError:
        return ZoneInfo("UTC")


def _known_line(connection, line: str, menus: Path) -> None:
    """A line with calls in the journal, or one the menus folder serves (no calls yet: its
    figures are zero); anything else is a mistyped name."""
    from ivr.core.errors import IvrError
    from ivr.journal.history import has_line, lines
    from ivr.menufile.folder import menu_file

    if has_line(connection, line):
        return
    try:
        menu_file(menus, line)
    except IvrError:
        raise click.BadParameter(f"no calls of line {line!r} in the journal, and no such line "
                                 f"in {menus}/; the journal has calls of {lines(connection)}",
                                 param_hint="'LINE'") from None


@click.command()
@MENUS
@STATE
@DATABASE
@click.option("--from", "first", type=DAY, help="First local day, YYYY-MM-DD.")
@click.option("--to", "last", type=DAY, help="Last local day (inclusive).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (docs/journal.md).")
@click.option("--include-tests", is_flag=True, help="Count calls made with a test clock.")
@click.argument("line")
def stats(menus: Path, state: Path | None, database: str | None, first: datetime | None,
          last: datetime | None, as_json: bool, include_tests: bool, line: str) -> None:
    """A line's figures: calls, outcomes, menus, desks, repeat callers."""
    from ivr.journal import statstext
    from ivr.journal.stats import summary

    if first and last and first > last:
        raise click.BadParameter("--from is after --to", param_hint="'--from'")
    for option, day in (("--from", first), ("--to", last)):
        if day and not 1971 <= day.year <= 2200:  # the journal's times are epoch milliseconds
            raise click.BadParameter(f"{day.date()} is not a day between 1971 and 2200",
                                     param_hint=f"'{option}'")
    with _open(menus, state, database).connect() as connection:
        _known_line(connection, line, menus)
        figures = summary(connection, line, first=first and first.date(),
                          last=last and last.date(), include_tests=include_tests)
    if as_json:
        click.echo(json.dumps(figures, indent=2, ensure_ascii=False))
    else:
        click.echo(statstext.stats(figures), nl=False)


@click.command("calls")
@MENUS
@STATE
@DATABASE
@click.option("--last", default=20, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--include-tests", is_flag=True,
              help="Also list test calls (the console's phone, a tester's clock).")
@click.argument("line")
def calls_command(menus: Path, state: Path | None, database: str | None, last: int,
                  include_tests: bool, line: str) -> None:
    """The latest real calls of LINE, newest first, with how each ended."""
    from ivr.journal import statstext
    from ivr.journal.history import recent

    with _open(menus, state, database).connect() as connection:
        _known_line(connection, line, menus)
        found = recent(connection, line, last, tests=include_tests)
        hidden = not found and not include_tests and recent(connection, line, 1, tests=True)
    click.echo(statstext.calls(found, _zone(menus, line)), nl=False)
    if hidden:
        click.echo("(no real calls; calls made with a test clock are left out: add "
                   "--include-tests)", err=True)


@click.command("call")
@MENUS
@STATE
@DATABASE
@click.argument("callsid")
def call_command(menus: Path, state: Path | None, database: str | None, callsid: str) -> None:
    """One call's path, step by step (CALLSID as Twilio gives it)."""
    from ivr.journal import statstext
    from ivr.journal.history import path

    callsid = callsid.strip()
    with _open(menus, state, database).connect() as connection:
        found = path(connection, callsid)
    if found is None:
        raise click.BadParameter(f"no call {callsid} in the journal", param_hint="'CALLSID'")
    click.echo(statstext.path(*found, _zone(menus, found[0].line)), nl=False)


@click.group()
def journal() -> None:
    """The call journal's housekeeping."""


@journal.command()
@MENUS
@STATE
@DATABASE
@click.option("--country", metavar="CC", help="Read a national NUMBER in this country (SE, "
              "NO…) [default: the lines' countries].")
@click.argument("words", nargs=-1, required=True, metavar="NUMBER")
def forget(menus: Path, state: Path | None, database: str | None, country: str | None,
           words: tuple[str, ...]) -> None:
    """Erase every call from NUMBER (E.164, or national in the lines' country; spaces as
    written, quoted or not)."""
    from ivr.journal import privacy

    number = " ".join(words)
    folder = _state(menus, state)
    if number.strip().lower() in privacy.WITHHELD:
        raise click.BadParameter("a withheld number: the journal keeps no caller for it, so "
                                 "there is nothing to forget", param_hint="'NUMBER'")
    secret = privacy.existing_key(folder)
    if secret is None:
        raise click.ClickException(
            f"no journal key in {folder} and IVR_JOURNAL_KEY is not set: callers are found by "
            "the key the server hashed them with; run this where the server's state folder "
            "is (--state DIR), or with the server's IVR_JOURNAL_KEY")
    try:
        e164 = privacy.caller_number(number, (country.upper(),) if country else _countries(menus))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'NUMBER'") from None
    with _open(menus, state, database).begin() as connection:
        gone = privacy.forget(connection, privacy.caller_token(secret, e164) or "")
    click.echo(f"{gone} call(s) from {e164} erased")


def _countries(menus: Path) -> tuple[str, ...]:
    """The countries of the lines in ``menus`` (from their languages), for a national number."""
    from ivr.core.errors import IvrError
    from ivr.menufile.folder import menu_paths
    from ivr.menufile.format import load_line
    from ivr.menufile.scalars import home_region

    found: set[str] = set()
    for path in menu_paths(menus) if menus.is_dir() else []:
        try:
            region = home_region(load_line(path).language)
        except IvrError:
            continue
        if region:
            found.add(region)
    return tuple(sorted(found))


def register(group: click.Group) -> None:
    """Add the journal's commands to the ``ivr`` group."""
    for command in (stats, calls_command, call_command, journal):
        group.add_command(command)
