"""``ivr``: serve the lines, and check menu files the way a compiler checks code.

Commands stay thin: the library raises ``IvrError``; here it becomes click's
``Error: …`` and exit 1, and a wrong option becomes a usage error naming it.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from ivr.errors import MenuError
from ivr.menufile import load_line
from ivr.registry import MenusFolderError, Registry

MENUS = click.option("--menus", type=click.Path(path_type=Path), envvar="IVR_MENUS",
                     default="menus", show_default=True, help="Folder of menu files.")


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
def serve(menus: Path, host: str, port: int, workers: int, proxy_hops: int,
          insecure: bool) -> None:
    """Serve every line in the menus folder with gunicorn."""
    from ivr.serve import run

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: "
                        "%(message)s")
    token = os.environ.get("TWILIO_AUTH_TOKEN") or None
    if not token and not insecure:
        raise click.UsageError("TWILIO_AUTH_TOKEN is not set, so Twilio's signatures cannot "
                               "be checked; set it, or pass --insecure for local testing")
    if not token:
        click.secho("WARNING: --insecure: requests are NOT verified; anyone who can reach "
                    "this server can drive its lines", fg="red", bold=True, err=True)
    try:
        errors = Registry(menus).load()
    except MenusFolderError as exc:
        raise click.ClickException(str(exc)) from None
    for error in errors:
        click.echo(str(error), err=True)
    config = {"MENUS": str(menus), "TWILIO_AUTH_TOKEN": token, "PROXY_HOPS": proxy_hops}
    run(config, host=host, port=port, workers=workers)


@main.command()
@MENUS
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check(menus: Path, paths: tuple[Path, ...]) -> None:
    """Check menu files (default: every file in the menus folder); exit 1 on errors."""
    if not paths:
        if not menus.is_dir():
            raise click.BadParameter(f"{menus} is not a folder", param_hint="'--menus'")
        paths = tuple(sorted(menus.glob("*.yaml")))
        if not paths:
            raise click.ClickException(f"no menu files (*.yaml) in {menus}")
    failed = 0
    for path in paths:
        try:
            load_line(path)
        except MenuError as exc:
            failed += 1
            click.echo(str(exc))
    click.echo(f"{len(paths)} file(s) checked, {failed} with errors", err=True)
    sys.exit(1 if failed else 0)
