"""gunicorn as ``ivr serve`` sets it up: its access log, its control socket, its own errors."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import MENUS, ROOT
from test_serve import free_port


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``ivr serve --insecure`` with its own home and runtime folder; (port, log, home)."""
    home = tmp_path_factory.mktemp("home")
    log = home / "access.log"
    port = free_port()
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "ivr", "serve", "--insecure", "--menus", str(MENUS),
             "--port", str(port), "--workers", "1"],
            env={**os.environ, "TWILIO_AUTH_TOKEN": "", "HOME": str(home),
                 "XDG_RUNTIME_DIR": str(home), "PYTHONUNBUFFERED": "1"},
            stdout=out, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            break
        except OSError:
            time.sleep(0.05)
    yield port, log, home
    process.terminate()
    process.wait(timeout=15)


def raw(port: int, request: bytes) -> bytes:
    """Send bytes as they are; the answer's first line."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(request)
        return sock.recv(65536).split(b"\r\n")[0]


def test_access_log_escapes_what_a_client_sends(served):
    """A Referer or User-Agent with a line break (U+0085), a double quote, a backslash or a
    long value, and a user name with spaces, is one escaped, cut access-log line whose
    escapes are all the log's own."""
    import base64

    port, log, _ = served
    user = base64.b64encode(b'me - [x] "GET:pw')
    raw(port, b"GET /health HTTP/1.1\r\nHost: x\r\nReferer: a\"q\\\x85FORGED LINE\r\n"
        b"Authorization: Basic " + user + b"\r\n"
        b"User-Agent: \xa0red\x85 " + b"u" * 500 + b"\r\nConnection: close\r\n\r\n")
    for _ in range(100):
        lines = [line for line in log.read_text(encoding="utf-8", errors="replace")
                 .split("\n") if "FORGED" in line]
        if lines:
            break
        time.sleep(0.05)
    (line,) = lines
    assert 'me\\x20-\\x20[x]\\x20\\"GET' in line
    assert 'a\\"q\\\\\\x85FORGED LINE' in line and "\\xa0red\\x85" in line and "u" * 201 not in line


def test_no_control_socket_is_opened(served):
    """gunicorn's control socket is off: a second server cannot take over the first's."""
    _, _, home = served
    assert not [p for p in home.rglob("*") if p.name.endswith(".ctl")]


@pytest.mark.parametrize(("request_bytes", "status"), [
    (b"NOT HTTP\r\n\r\n", b"400"),
    (b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", b"414"),
    (b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-A: b\r\n" * 60 + b"\r\n", b"431"),
], ids=["garbled", "long-line", "many-headers"])
def test_malformed_http_gets_gunicorns_documented_status(served, request_bytes, status):
    """Malformed HTTP is answered by gunicorn itself with a status docs/hardening.md lists."""
    assert raw(served[0], request_bytes).split(b" ")[1] == status
    hardening = (ROOT / "docs" / "hardening.md").read_text(encoding="utf-8")
    assert re.search(rf"{status.decode()}[^\n]*gunicorn|gunicorn[^.]*{status.decode()}",
                     hardening)
