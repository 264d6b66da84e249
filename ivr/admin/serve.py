"""``ivr serve``: check what the admin wrote (token, database, state, menus, users, port),
say what will be served, then hand over to gunicorn.

Every check runs before gunicorn starts, so a mistake is one clear message and exit 1,
never a worker that fails over and over.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta
from pathlib import Path

import click

from ivr.admin import served
from ivr.admin.journalcommands import prepare as prepare_journal
from ivr.admin.loading import MENUS, STATE
from ivr.core.errors import IvrError
from ivr.journal.claims import Recorded
from ivr.journal.schema import database_url, shown
from ivr.journal.statedir import state_dir
from ivr.journal.switchboard import shared_url as shared_database
from ivr.server.calllog import quiet_steps
from ivr.server.gunicorn import WORKER_CLASSES
from ivr.server.registry import RETIRE_AFTER, MenusFolderError, Registry


@click.command("serve")
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
              show_default=True, help="gunicorn's worker model (use gevent: docs/hardening.md).")
@click.option("--public-url", metavar="URL", callback=lambda _c, _p, url: _public_url(url),
              help="The address Twilio reaches (e.g. ngrok's): print the webhook URLs.")
@click.option("--retain-days", default=90, show_default=True, type=click.IntRange(3, 3660),
              help="Delete journal entries of calls older than this.")
@click.option("--no-journal", is_flag=True, help="Keep no call journal.")
@click.option("--log-steps", is_flag=True,
              help="Log a line per call step even with the journal on (it holds them).")
@click.option("--retire-after", "retire_minutes", metavar="MINUTES", show_default=True,
              default=int(RETIRE_AFTER.total_seconds() // 60), type=click.IntRange(0, 525_600),
              help="Keep answering a line whose file is gone for this long, then retire it.")
def serve_command(menus: Path, host: str, port: int, workers: int, proxy_hops: int,
                  insecure: bool, test_clock: bool, state: Path | None, worker_class: str,
                  public_url: str | None, retain_days: int, no_journal: bool,
                  log_steps: bool, retire_minutes: int) -> None:
    """Serve every line in the menus folder with gunicorn."""
    from ivr import console
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
        shared = shared_database()  # a bad IVR_DATABASE_URL stops here, not in every worker
    except IvrError as exc:
        raise click.ClickException(str(exc)) from None
    state = state_dir(menus, state)
    if state.exists() and not state.is_dir():
        raise click.BadParameter(f"{state} is a file, not a folder", param_hint="'--state'")
    registry = Registry(menus, state=state, retire_after=timedelta(minutes=retire_minutes),
                        claims=Recorded(shared) if shared else None)
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
    if not no_journal:
        prepare_journal(state)
    click.echo(served.banner(
        registry.lines(), registry.by_number, menus=menus, state=state, signed=bool(token),
        public_url=public_url,
        local_url=f"http://{host}:{port}", console_users=len(users), retain_days=retain_days,
        journal=None if no_journal else shown(database_url(state))),
        err=True)
    if test_clock:
        click.echo("--test-clock: each request may set the time (ivr-sim --at); for testing "
                   "only", err=True)
    if not no_journal and not log_steps:
        quiet_steps()
    config = {"MENUS": str(menus), "STATE_DIR": state, "TWILIO_AUTH_TOKEN": token,
              "PROXY_HOPS": proxy_hops, "TEST_CLOCK": test_clock, "PUBLIC_URL": public_url,
              "JOURNAL": not no_journal, "RETAIN_DAYS": retain_days,
              "RETIRE_AFTER": retire_minutes * 60}
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
