"""End to end over real HTTP: ``ivr serve`` (gunicorn) called by ``ivr-sim --url``."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import MENUS, utc
from twilio.request_validator import RequestValidator

TOKEN = "serve-test-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(*args, env):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ivr", "serve", "--menus", str(MENUS), "--port", str(port),
         "--workers", "1", *args], env={**os.environ, **env}, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise AssertionError(process.stderr.read())


def sim(url, *args, env):
    result = subprocess.run([sys.executable, "-m", "ivr.sim.ivrsim", "--menus", str(MENUS),
                             "--url", url, *args], env={**os.environ, **env},
                            capture_output=True, text=True, timeout=30)
    return result


@pytest.fixture(scope="module")
def signed_server():
    process, url = start(env={"TWILIO_AUTH_TOKEN": TOKEN})
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def test_clock_server():
    process, url = start("--insecure", "--test-clock", env={"TWILIO_AUTH_TOKEN": ""})
    yield url
    process.terminate()
    process.wait(timeout=10)


def test_signed_call_through_gunicorn(signed_server):
    """A signed call over HTTP passes gunicorn and the signature check, query string intact."""
    result = sim(signed_server, "--press", "4", "--json", env={"TWILIO_AUTH_TOKEN": TOKEN})
    assert result.returncode == 0, result.stderr
    call = json.loads(result.stdout)
    assert call["ended"] in ("hangup", "caller")
    assert [step["status"] for step in call["steps"]] == [200] * len(call["steps"])


def test_wrong_token_is_refused_by_the_server(signed_server):
    """Requests signed with another token get 403: exit 4, with a hint about the token."""
    result = sim(signed_server, "--press", "4", "--json", env={"TWILIO_AUTH_TOKEN": "wrong"})
    assert result.returncode == 4
    call = json.loads(result.stdout)
    assert call["ended"] == "error" and call["steps"][0]["status"] == 403
    assert "the server refused the signature (403): is TWILIO_AUTH_TOKEN the server's?" in (
        result.stderr)


def test_at_over_http_needs_the_test_clock(signed_server, test_clock_server):
    """--at reaches a --test-clock server; one ignoring it stops at the first step (exit 4)."""
    args = ("--at", "2026-11-24 10:00", "--press", "3", "1", "--json")
    result = sim(test_clock_server, *args, env={"TWILIO_AUTH_TOKEN": ""})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["dialed"] == ["+46701740605"]
    ignored = sim(signed_server, *args, env={"TWILIO_AUTH_TOKEN": TOKEN})
    assert ignored.returncode == 4 and "ivr serve --insecure --test-clock" in ignored.stderr
    assert json.loads(ignored.stdout)["said"] == []  # nothing played at the wrong time


def signed_post(url, token, headers=(), signed_for=None):
    """POST a first step to ``url``, signed for ``signed_for`` (default: ``url``); status."""
    params = {"To": "+4619212000", "CallSid": "CA1"}
    signature = RequestValidator(token).compute_signature(signed_for or url, params)
    request = urllib.request.Request(url, data=urllib.parse.urlencode(params).encode(),
                                     headers={"X-Twilio-Signature": signature, **dict(headers)})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.parametrize(("header", "forged"), [
    (("X-Forwarded-Proto", "https"), "https://127.0.0.1:{port}/voice"),
    (("X-Forwarded-Ssl", "on"), "https://127.0.0.1:{port}/voice"),
    (("X-Forwarded-Host", "evil.example"), "http://evil.example/voice"),
    (("SCRIPT_NAME", "/voice"), "http://127.0.0.1:{port}/voice/voice"),
])
def test_forwarded_headers_change_nothing_without_proxy_hops(signed_server, header, forged):
    """With --proxy-hops 0, no forwarded header, nor a client's SCRIPT_NAME, changes the URL
    signatures are checked against, even from loopback (and never a 500)."""
    url, port = f"{signed_server}/voice", signed_server.rsplit(":", 1)[1]
    assert signed_post(url, TOKEN, [header]) == 200
    assert signed_post(url, TOKEN, [header], signed_for=forged.format(port=port)) == 403


@pytest.mark.parametrize(("options", "logged"), [((), False), (("--log-steps",), True)])
def test_steps_are_logged_only_when_asked_beside_the_journal(tmp_path, options, logged):
    """With the journal on, the steps are in it, under the retention and ``forget``: the
    log leaves them out unless ``--log-steps``; a call to the fallback is still logged."""
    process, url = start("--insecure", "--state", str(tmp_path), *options,
                         env={"TWILIO_AUTH_TOKEN": ""})
    form = urllib.parse.urlencode({"To": "+4619212000", "CallSid": "CAlog",
                                   "From": "+46701234567"}).encode()
    try:
        for path in ("/voice", "/fallback"):
            urllib.request.urlopen(url + path, data=form, timeout=5).read()
    finally:
        process.terminate()
        errors = process.communicate(timeout=15)[1]
    assert ("call=CAlog from=+46*******67 line=orebro-kommunsupport node=-" in errors) is logged
    assert "call=CAlog from=+46*******67 line=orebro-kommunsupport fallback" in errors


def test_a_test_call_is_journaled_step_by_step_and_ended_by_its_status(tmp_path):
    """ivr-sim --url --at: each step is stamped at its time into the call, seconds apart (not
    all at --at), and the status callback at its end gives the journal its duration."""
    import sqlite3

    process, url = start("--insecure", "--test-clock", "--state", str(tmp_path),
                         env={"TWILIO_AUTH_TOKEN": ""})
    try:
        result = sim(url, "--at", "2026-11-24 10:15", "--press", "3", "1", "--json", env={})
    finally:
        process.terminate()
        process.wait(timeout=15)  # a normal stop writes what is queued
    assert result.returncode == 0, result.stderr
    seconds = json.loads(result.stdout)["seconds"]
    journal = sqlite3.connect(tmp_path / "journal.sqlite3")
    at = [row[0] for row in journal.execute("SELECT at_ms FROM steps ORDER BY at_ms")]
    assert len(at) == 4 and at[0] == utc("2026-11-24T09:15Z").timestamp() * 1000
    assert at[0] < at[1] < at[2] < at[3]  # start, 3, 1, the desk's answer
    (call,) = journal.execute("SELECT test, status, duration, end_kind FROM calls")
    assert call == (1, "completed", -(-seconds // 1), "reached")


def _raw(url: str, request: bytes) -> bytes:
    """Send bytes as they are to the server at ``url``; its status line."""
    import socket

    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        return sock.recv(65536).split(b"\r\n")[0]


def _chunked(body: bytes, tail: bytes = b"0\r\n\r\n") -> bytes:
    return (b"POST /voice HTTP/1.1\r\nHost: x\r\nX-Twilio-Signature: forged\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            + f"{len(body):x}\r\n".encode() + body + b"\r\n" + tail)


def test_a_body_that_cannot_be_read_is_refused_never_taken_for_a_failed_call(signed_server):
    """A broken chunk, a chunked body over 16 KB, thousands of fields: 400 or 413 before the
    signature check could be skipped; never the line's apology for a forged CallSid."""
    call = b"CallSid=CAforged&To=%2B4619212000&From=%2B46701234567"
    assert _raw(signed_server, _chunked(call, b"zz\r\n")).startswith(b"HTTP/1.1 400 ")
    assert _raw(signed_server, _chunked(call + b"&P=" + b"x" * 17_000)).startswith(
        b"HTTP/1.1 413")
    many = b"&".join([call, *([b"a="] * 1000)])
    assert _raw(signed_server, _chunked(many)).startswith(b"HTTP/1.1 400 ")
    assert _raw(signed_server, _chunked(call)).startswith(b"HTTP/1.1 403 ")  # as ever


def test_a_body_that_never_comes_or_trickles_frees_its_connection(signed_server):
    """Headers, then no body: the worker gives up after its read timeout (400). A body sent
    a byte every three seconds: after the request's deadline (closed). Calls meanwhile are
    answered as ever (a greenlet waits, not the worker)."""
    import socket
    import threading
    import time

    from ivr.server.gevent_worker import READ_TIMEOUT, REQUEST_DEADLINE

    host, port = signed_server.removeprefix("http://").split(":")
    head = (b"POST /voice HTTP/1.1\r\nHost: x\r\nContent-Length: 200\r\n"
            b"X-Twilio-Signature: forged\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n\r\n")
    ended: dict[str, tuple[float, bytes]] = {}

    def client(name: str, trickle: bool) -> None:
        with socket.create_connection((host, int(port)), timeout=3) as sock:
            sock.sendall(head)
            started = time.monotonic()
            while True:
                try:
                    answer = sock.recv(65536)
                    break
                except TimeoutError:
                    if trickle:
                        sock.sendall(b"a")
            ended[name] = (time.monotonic() - started, answer)

    clients = [threading.Thread(target=client, args=(name, name == "trickle"))
               for name in ("silent", "trickle")]
    for thread in clients:
        thread.start()
    assert sim(signed_server, "--press", "4", env={"TWILIO_AUTH_TOKEN": TOKEN}).returncode == 0
    for thread in clients:
        thread.join(REQUEST_DEADLINE + 10)
    waited, answer = ended["silent"]
    assert answer.startswith(b"HTTP/1.1 400") and READ_TIMEOUT - 1 < waited < READ_TIMEOUT + 3
    waited, answer = ended["trickle"]
    assert answer == b"" and REQUEST_DEADLINE - 1 < waited < REQUEST_DEADLINE + 4
