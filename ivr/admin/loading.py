"""What the ``ivr`` commands share: the --menus and --state options, and loading the line a
command names, with a missing or broken file turned into click's clear error.
"""

from __future__ import annotations

from pathlib import Path

import click

from ivr.core.errors import IvrError, MenuError
from ivr.core.model import Line
from ivr.menufile import switchfile
from ivr.menufile.folder import NoSuchLine, menu_file
from ivr.menufile.format import load_line

MENUS = click.option("--menus", type=click.Path(path_type=Path), envvar="IVR_MENUS",
                     default="menus", show_default=True, help="Folder of menu files.")
STATE = click.option("--state", type=click.Path(path_type=Path), envvar="IVR_STATE",
                     help="State directory (last good menus, the journal and its key); "
                     "default: 'state' beside the menus folder.")


def load(menus: Path, line: str, *, switch_errors: str = "raise") -> tuple[Line, Path]:
    """Load a line for a command, turning a missing or broken file into a clear error.

    With ``switch_errors="warn"`` an unreadable switch file is a warning and the line is
    returned without it (``ivr switch`` replaces such a file instead of giving up).
    """
    try:
        path = menu_file(menus, line)
    except NoSuchLine as exc:
        raise click.BadParameter(str(exc), param_hint="'LINE'") from None
    try:
        loaded = load_line(path)
    except MenuError as exc:
        raise click.ClickException(f"{path} has errors:\n{exc}") from None
    try:
        return switchfile.attach(loaded, path.parent), path
    except IvrError as exc:
        if switch_errors == "warn":
            click.secho(f"Warning: {exc}; it is ignored and will be replaced", fg="yellow",
                        err=True)
            return loaded, path
        raise click.ClickException(str(exc)) from None
