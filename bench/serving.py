"""Servers on loopback for the benchmark and the soak test: a free port, start, wait.

Both scripts start ``ivr serve`` (and the benchmark its floor app) the same way, on a port
the system hands out, without TWILIO_AUTH_TOKEN, and wait until it answers HTTP.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


ROOT = Path(__file__).resolve().parent.parent


def start(command: list[str], token: str = "",
          log: Path | None = None) -> tuple[subprocess.Popen, str]:
    """Run ``command --port P`` and wait until it answers any HTTP request; (process, base).
    Its log (standard error) goes to ``log`` when given."""
    port = free_port()
    errors = log.open("ab") if log else subprocess.DEVNULL
    process = subprocess.Popen([*command, "--port", str(port)], stdout=subprocess.DEVNULL,
                               stderr=errors,
                               env={**os.environ, "TWILIO_AUTH_TOKEN": token})
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(f"{base}/health", timeout=1)
            return process, base
        except urllib.error.HTTPError:
            return process, base
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit(f"{' '.join(command)} did not start")


def ivr_serve(menus: Path, workers: int, journal: bool = True) -> tuple[subprocess.Popen, str]:
    """``ivr serve`` over ``menus`` with the test clock, so callers can pick the moment.

    Its journal is on, as in production (unless ``journal`` is false), and kept in
    ``<menus>/.state``, gone with the run.
    """
    return start([sys.executable, "-m", "ivr", "serve", "--insecure", "--test-clock",
                  "--menus", str(menus), "--workers", str(workers),
                  "--state", str(Path(menus) / ".state"), *([] if journal else ["--no-journal"])])


def start_signed(menus: Path, token: str, *options: str) -> tuple[subprocess.Popen, int]:
    """``ivr serve`` over ``menus`` checking signatures with ``token``; (process, port)."""
    process, base = start([sys.executable, "-m", "ivr", "serve", "--menus", str(menus),
                           *options], token)
    return process, int(base.rsplit(":", 1)[1])
