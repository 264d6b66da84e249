"""Production serving: the app under gunicorn, started from ``ivr serve``.

Each gunicorn worker builds its own app (and so its own menu registry), so the menus are
checked once up front, in the master, to fail fast with a clear message instead of
workers dying one by one.
"""

from __future__ import annotations

from gunicorn.app.base import BaseApplication


class Server(BaseApplication):
    """gunicorn, configured in code rather than from a gunicorn.conf.py."""

    def __init__(self, config: dict, options: dict) -> None:
        self.app_config, self.options = config, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from ivr.web import create_app

        return create_app(self.app_config)


def run(config: dict, *, host: str, port: int, workers: int) -> None:
    """Serve until stopped; access log on stdout, errors and call log on stderr."""
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "info",
        "timeout": 30,
        "graceful_timeout": 10,
        "forwarded_allow_ips": "127.0.0.1",
    }
    Server(config, options).run()
