"""Production serving: a WSGI app under gunicorn, started from ``ivr serve``.

Each gunicorn worker builds its own app (and so its own menu registry). The settings live in
``options`` so the benchmark can serve its reference app exactly the same way.
"""

from __future__ import annotations

from collections.abc import Callable

from gunicorn.app.base import BaseApplication


class Server(BaseApplication):
    """gunicorn, configured in code rather than from a gunicorn.conf.py."""

    def __init__(self, load: Callable[[], object], options: dict) -> None:
        self.load_app, self.options = load, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.load_app()


def options(*, host: str, port: int, workers: int) -> dict:
    """The gunicorn settings ivr is served with: access log on stdout, errors on stderr."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "info",
        "timeout": 30,
        "graceful_timeout": 10,
        "forwarded_allow_ips": "127.0.0.1",
    }


def run(config: dict, *, host: str, port: int, workers: int) -> None:
    """Serve the ivr app until stopped."""
    from ivr.web import create_app

    Server(lambda: create_app(config), options(host=host, port=port, workers=workers)).run()
