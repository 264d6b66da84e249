"""Slow clients: signed calls to ``ivr serve`` while 50 sockets trickle their headers.

Opens ``--sockets`` connections that send a request's headers one byte a second (as a
slow or hostile client does), then places signed first-step calls one after another and
prints their p50/p99 latency and how many failed. ``--worker-class`` picks gunicorn's worker.

    python bench/slowclients.py [--worker-class gevent] [--sockets 50] [--seconds 10]
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import sys
import threading
import time
from urllib.parse import urlencode

from serving import ROOT, start_signed
from twilio.request_validator import RequestValidator

from bench import twilio_params

TOKEN = "slow-clients-token"


def trickle(port: int, stop: threading.Event) -> None:
    """Send a request's headers one byte a second until told to stop."""
    header = b"POST /voice HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Slow: " + b"a" * 4000
    with socket.create_connection(("127.0.0.1", port)) as sock:
        for byte in header:
            if stop.wait(1.0):
                return
            try:
                sock.send(bytes([byte]))
            except OSError:
                return


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker-class", default="gevent")
    parser.add_argument("--sockets", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    server, port = start_signed(ROOT / "menus", TOKEN, "--worker-class", args.worker_class)
    stop = threading.Event()
    for _ in range(args.sockets):
        threading.Thread(target=trickle, args=(port, stop), daemon=True).start()
    time.sleep(2)
    params = twilio_params("+4619212000")
    url = f"http://127.0.0.1:{port}/voice"
    headers = {"X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(url, params),
               "Content-Type": "application/x-www-form-urlencoded"}
    body, latencies, failed = urlencode(params), [], 0
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("POST", "/voice", body=body, headers=headers)
            response = conn.getresponse()
            ok = response.status == 200 and b"<Gather" in response.read()
            conn.close()
        except OSError:
            ok = False
        latencies.append(1000 * (time.perf_counter() - started))
        failed += not ok
    stop.set()
    server.terminate()
    server.wait(timeout=15)
    ms = sorted(latencies)
    print(f"{args.worker_class}: {args.sockets} slow sockets, {len(ms)} signed calls, "
          f"{failed} failed, p50 {statistics.median(ms):.1f} ms, "
          f"p99 {ms[max(0, int(len(ms) * 0.99) - 1)]:.1f} ms, max {ms[-1]:.0f} ms")
    return 1 if failed or ms[max(0, int(len(ms) * 0.99) - 1)] > 100 else 0


if __name__ == "__main__":
    os.environ.pop("TWILIO_AUTH_TOKEN", None)
    sys.exit(main())
