"""A real ``ivr serve`` stays up: broken files, killed workers and slow sockets."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

from test_serve import free_port


def serve(menus, *args):
    """``ivr serve`` on a free port with 2 workers; (process, base URL)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ivr", "serve", "--insecure", "--menus", str(menus),
         "--port", str(port), "--workers", "2", *args],
        env={**os.environ, "TWILIO_AUTH_TOKEN": ""}, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(f"{base}/health", timeout=1)
            return process, base
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise AssertionError(process.stderr.read())


def health(base):
    with urllib.request.urlopen(f"{base}/health", timeout=5) as response:
        return json.load(response)


def every_worker(base, workers=2, rounds=50):
    """/health of each worker, by pid: bursts of parallel requests reach every worker."""
    seen = {}
    for _ in range(rounds):
        with ThreadPoolExecutor(8) as pool:
            for answer in pool.map(lambda _: health(base), range(16)):
                seen[answer["pid"]] = answer
        if len(seen) == workers:
            return seen
    raise AssertionError(f"only reached workers {sorted(seen)}")


def until(found, timeout=30.0):
    """What ``found()`` returns once it is true, asked again until then (a loaded machine
    takes longer, never a different way)."""
    deadline = time.monotonic() + timeout
    while not (answer := found()):
        assert time.monotonic() < deadline, "not seen in time"
        time.sleep(0.1)
    return answer


def noticed(worker):
    """The worker's background check has seen the broken edit and the directory."""
    return (worker["files"]["orebro-carelock.yaml"]["status"] == "broken"
            and "x.yaml" in worker["files"])


def replaced(workers, killed):
    """The workers, once the killed one is no longer among them; else nothing."""
    return workers if killed not in workers else {}


def test_broken_file_and_killed_worker_keep_one_menu(menus):
    """A worker killed while a file is broken, and directories stand where a menu and a switch
    file would be, comes back serving the same last good version."""
    process, base = serve(menus)
    try:
        good = every_worker(base)
        versions = {w["files"]["orebro-carelock.yaml"]["version"] for w in good.values()}
        assert len(versions) == 1
        (menus / "orebro-carelock.yaml").write_text("nodes: " + "[" * 1000, encoding="utf-8")
        (menus / "x.yaml").mkdir()
        (menus / "switches" / "intraphone.yaml").mkdir(parents=True)
        until(lambda: all(noticed(worker) for worker in every_worker(base).values()))
        killed = next(iter(good))
        os.kill(killed, signal.SIGKILL)
        after = until(lambda: replaced(every_worker(base), killed))
        assert process.poll() is None
        (version,) = versions
        for worker in after.values():
            carelock = worker["files"]["orebro-carelock.yaml"]
            assert carelock["status"] == "broken"
            assert re.match(r"orebro-carelock\.yaml:\d+:\d+: error: ", carelock["error"])
            assert carelock["serving"] == f"last good version {version}"
            assert "orebro-carelock" in worker["lines"] and "intraphone" in worker["lines"]
            assert "is not a regular file" in worker["files"]["x.yaml"]["error"]
    finally:
        process.terminate()
        process.wait(timeout=15)


def trickle(port, stop):
    """Send headers one byte every 0.2 s: a slow client holding its socket open."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        for byte in b"POST /voice HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200:
            if stop.wait(0.2):
                return
            sock.send(bytes([byte]))


def test_calls_are_answered_while_slow_sockets_are_open(menus):
    """With 50 slow sockets open, every call is answered at once: none waits for a slow
    socket to be cut (10 s after its headers began)."""
    process, base = serve(menus)
    stop = threading.Event()
    port = int(base.rsplit(":", 1)[1])
    threads = [threading.Thread(target=trickle, args=(port, stop), daemon=True)
               for _ in range(50)]
    try:
        for thread in threads:
            thread.start()
        time.sleep(0.5)
        body = urlencode({"To": "+4619212000", "CallSid": "CA1"}).encode()
        latencies = []
        for _ in range(100):
            started = time.perf_counter()
            with urllib.request.urlopen(f"{base}/voice", data=body, timeout=10) as response:
                assert b"<Gather" in response.read()
            latencies.append(time.perf_counter() - started)
        assert max(latencies) < 5
    finally:
        stop.set()
        process.terminate()
        process.wait(timeout=15)
