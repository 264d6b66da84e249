"""Soak test: many simulated callers against ``ivr serve`` while menus change and a worker dies.

Each caller walks a random path (random keys, silences and dial outcomes) of a random line
at a random moment of the year, over HTTP on loopback, as ``ivr-sim --url`` does. Meanwhile
menu files are rewritten (valid edits, invalid edits, restores) and one gunicorn worker is
killed halfway. Prints calls completed, failed calls, non-TwiML answers and per-step
latency; exits 1 unless failed calls and non-TwiML answers are both zero.

    python bench/soak.py [--seconds 60] [--callers 16] [--workers 2] [--kill-signal TERM]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from serving import ivr_serve

from ivr.registry import Registry
from ivr.sim import Caller, OverHttp, scripted

ROOT = Path(__file__).resolve().parent.parent
KEYS = list("0123456789*#") + ["-", "-"]
OUTCOMES = ["completed", "busy", "no-answer", "failed", "canceled"]
YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)


class Timed(OverHttp):
    """OverHttp that records each step's latency and turns network failures into answers."""

    def __init__(self, *args, stats, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stats = stats

    def post(self, url, params):
        started = time.perf_counter()
        try:
            status, body = super().post(url, params)
        except (OSError, http.client.HTTPException) as exc:
            status, body = 599, f"network error: {exc}"
        self.stats.step(time.perf_counter() - started, status == 200 and "<Response" in body)
        return status, body


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.non_twiml = self.completed = self.failed = 0

    def step(self, seconds: float, twiml: bool) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.non_twiml += not twiml

    def call(self, ok: bool) -> None:
        with self.lock:
            self.completed += ok
            self.failed += not ok


def caller_loop(base: str, lines: list, stats: Stats, deadline: float, seed: int) -> None:
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        line = rng.choice(lines)
        at = YEAR_START + timedelta(minutes=rng.randrange(365 * 24 * 60))
        keys = [rng.choice(KEYS) for _ in range(rng.randrange(1, 7))]
        transport = Timed(base, at=at, stats=stats)
        call = Caller(transport, to=line.numbers[0], keypad=scripted(keys),
                      dial_statuses=[rng.choice(OUTCOMES) for _ in range(4)]).run()
        stats.call(call.ended != "error")


def editor_loop(menus: Path, deadline: float, counts: dict) -> None:
    """Rewrite menu files in turn: a valid edit, an invalid edit, then the original back."""
    originals = {path: path.read_text(encoding="utf-8") for path in menus.glob("*.yaml")}
    paths = sorted(originals)
    step = 0
    while time.monotonic() < deadline:
        path = paths[step % len(paths)]
        kind = ("valid", "invalid", "restore")[step // len(paths) % 3]
        text = originals[path]
        if kind == "valid":
            text = text.replace("Hej då.", "Hej då och välkommen åter.")
        elif kind == "invalid":
            text = text.replace("start: ", "start: no-such-node-", 1)
        path.write_text(text, encoding="utf-8")
        counts[kind] += 1
        step += 1
        time.sleep(0.5)
    for path, text in originals.items():
        path.write_text(text, encoding="utf-8")


def kill_a_worker(base: str, how: signal.Signals) -> int:
    with urllib.request.urlopen(f"{base}/health", timeout=5) as response:
        pid = json.load(response)["pid"]
    os.kill(pid, how)
    return pid


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--callers", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kill-signal", choices=["TERM", "KILL"], default="TERM")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        menus = Path(folder) / "menus"
        shutil.copytree(ROOT / "menus", menus)
        registry = Registry(menus)
        registry.load()
        lines = list(registry.lines().values())
        server, base = ivr_serve(menus, args.workers)
        stats, edits = Stats(), {"valid": 0, "invalid": 0, "restore": 0}
        deadline = time.monotonic() + args.seconds
        threads = [threading.Thread(target=caller_loop, args=(base, lines, stats, deadline, i))
                   for i in range(args.callers)]
        threads.append(threading.Thread(target=editor_loop, args=(menus, deadline, edits)))
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(args.seconds / 2)
        killed = kill_a_worker(base, getattr(signal, f"SIG{args.kill_signal}"))
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        server.terminate()
        server.wait(timeout=15)
    ms = sorted(1000 * s for s in stats.latencies)
    p50, p99 = statistics.median(ms), ms[int(len(ms) * 0.99) - 1]
    print(f"soak: {elapsed:.0f} s, {args.callers} callers, {args.workers} workers, "
          f"menus rewritten {sum(edits.values())} times ({edits['invalid']} invalid), "
          f"worker {killed} killed (SIG{args.kill_signal}) halfway")
    print(f"calls completed    {stats.completed}")
    print(f"failed calls       {stats.failed}")
    print(f"non-TwiML answers  {stats.non_twiml}")
    print(f"steps              {len(ms)}  ({len(ms) / elapsed:.0f}/s)  p50 {p50:.1f} ms  "
          f"p99 {p99:.1f} ms")
    return 1 if stats.failed or stats.non_twiml else 0


if __name__ == "__main__":
    sys.exit(main())
