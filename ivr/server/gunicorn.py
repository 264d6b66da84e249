"""Production serving: a WSGI app under gunicorn, started from ``ivr serve``.

Each gunicorn worker builds its own app (and so its own menu registry and its own
background check of the menus folder, started after the fork). The settings live in
``options`` so the benchmark can serve its reference app exactly the same way.

The worker model was chosen by measurement (docs/hardening.md, "Slow clients"): gevent
workers hold a slow or idle socket for the cost of a greenlet, so fifty sockets trickling
headers a byte at a time cannot keep calls waiting, where sync workers stall and a gthread
worker gives each such socket a thread of its pool. They run as
``gevent_worker.FairGeventWorker``, which takes turns between connections.
"""

from __future__ import annotations

from collections.abc import Callable

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger, SafeAtoms

from ivr.core.logsafe import printable

WORKER_CLASSES = ("gevent", "gthread", "sync")
GUNICORN_WORKERS = {"gevent": "ivr.server.gevent_worker.FairGeventWorker"}
"""The class gunicorn runs for a worker model, where it is not gunicorn's own."""
LONGEST_LOGGED = 200
"""Most characters of one request value (a header, the request line) in the access log."""
UNQUOTED = ("h", "u")
"""Access-log fields a client can fill that the format does not quote: address and user."""


class _EscapedAtoms(SafeAtoms):
    """The access log's values, each one line of printable text: a client's Referer or
    User-Agent cannot start a forged log line (gunicorn escapes only double quotes), and
    backslashes are doubled so an escape in the log is always the log's own.

    Escaped when the log format reads them, not all at once: the atoms hold every request
    and response header and the whole WSGI environment, and the format reads nine of them
    (escaping them all took a tenth of a worker's time per request).
    """

    def __init__(self, atoms: dict) -> None:
        dict.__init__(self, atoms)

    def __getitem__(self, key: str):
        value = super().__getitem__(key)
        if not isinstance(value, str):
            return value
        text = printable(value[:LONGEST_LOGGED].replace("\\", "\\\\"), 4 * LONGEST_LOGGED)
        if key in UNQUOTED:  # a space there would start a field of the client's making
            text = text.replace(" ", "\\x20")
        return text.replace('"', '\\"')


class EscapedLogger(Logger):
    """gunicorn's logger, with every value taken from a request escaped in the access log."""

    atoms_wrapper_class = _EscapedAtoms


class Server(BaseApplication):
    """gunicorn, configured in code rather than from a gunicorn.conf.py."""

    def __init__(self, load: Callable[[], object], options: dict) -> None:
        self.load_app = load
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.load_app()


def options(*, host: str, port: int, workers: int, proxy_hops: int = 0,
            worker_class: str = "gevent") -> dict:
    """The gunicorn settings ivr is served with: access log on stdout, errors on stderr.

    gunicorn trusts forwarded headers (``X-Forwarded-Proto``, ``SCRIPT_NAME``…) from the
    addresses in ``forwarded_allow_ips``; with no proxy in front none is trusted, so no
    header can change the URL a signature is checked against. A client's ``SCRIPT_NAME``
    is never taken, proxy or not.
    """
    trusted = "127.0.0.1,::1" if proxy_hops else ""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": GUNICORN_WORKERS.get(worker_class, worker_class),
        "worker_connections": 1000,
        "threads": 32 if worker_class == "gthread" else 1,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "info",
        "logger_class": EscapedLogger,
        "control_socket_disable": True,
        "timeout": 30,
        "graceful_timeout": 10,
        "forwarded_allow_ips": trusted,
        "proxy_allow_ips": trusted,
        "forwarder_headers": "",
        "limit_request_line": 4094,
        "limit_request_fields": 50,
        "limit_request_field_size": 8190,
    }


def run(config: dict, *, host: str, port: int, workers: int, proxy_hops: int = 0,
        worker_class: str = "gevent", factory: Callable[[dict], object] | None = None) -> None:
    """Serve the ivr app (or what ``factory`` builds from ``config``) until stopped."""
    from ivr.server.app import create_app

    build = factory or create_app
    Server(lambda: build(config),
           options(host=host, port=port, workers=workers, proxy_hops=proxy_hops,
                   worker_class=worker_class)).run()
