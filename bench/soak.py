"""Soak test: many simulated callers against ``ivr serve`` while menus change and workers die.

Each caller walks a random path (random keys, silences and dial outcomes) of a random
shipped line at a random moment of the year, over HTTP on loopback, as ``ivr-sim --url``
does. Meanwhile menu files are rewritten (valid edits, invalid edits, restores), hostile
files are dropped into the folder (deep nesting, an alias bomb, a file over the size cap,
symlinks to /dev/zero and to a FIFO, a .yml copy, a copy claiming a live line's numbers),
and a gunicorn worker is killed ``--kills`` times. Prints calls, failed calls to the good
lines, non-TwiML answers and per-step latency, with calls cut by a network error within a
second of a kill (in flight on the killed worker) counted apart; exits 1 unless failed
calls and non-TwiML answers outside those are zero.

    python bench/soak.py [--seconds 60] [--callers 16] [--workers 2] [--kills 4]
                         [--kill-signal KILL]
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

from ivr.server.registry import Registry
from ivr.sim.caller import Caller, scripted
from ivr.sim.transport import OverHttp, Unreachable

ROOT = Path(__file__).resolve().parent.parent
KEYS = list("0123456789*#") + ["-", "-"]
OUTCOMES = ["completed", "busy", "no-answer", "failed", "canceled"]
YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)


class Timed(OverHttp):
    """OverHttp that records each step's latency and turns network failures into answers."""

    def __init__(self, *args, stats, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stats, self.cut_at = stats, None

    def post(self, url, params):
        started = time.perf_counter()
        try:
            status, body = super().post(url, params)
        except (Unreachable, OSError, http.client.HTTPException) as exc:
            status, body = 599, f"network error: {exc}"
            self.cut_at = time.monotonic()
        self.stats.step(time.perf_counter() - started, status == 200 and "<Response" in body,
                        cut=status == 599)
        return status, body


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.kills: list[float] = []
        self.non_twiml = self.cut_steps = self.completed = self.failed = self.in_flight = 0

    def step(self, seconds: float, twiml: bool, cut: bool) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.non_twiml += not twiml and not cut
            self.cut_steps += cut

    def call(self, ok: bool, cut_at: float | None) -> None:
        with self.lock:
            near_kill = cut_at is not None and any(abs(cut_at - k) < 1 for k in self.kills)
            self.completed += ok
            self.in_flight += not ok and near_kill
            self.failed += not ok and not near_kill


def caller_loop(base: str, lines: list, stats: Stats, deadline: float, seed: int) -> None:
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        line = rng.choice(lines)
        at = YEAR_START + timedelta(minutes=rng.randrange(365 * 24 * 60))
        keys = [rng.choice(KEYS) for _ in range(rng.randrange(1, 7))]
        transport = Timed(base, at=at, stats=stats)
        call = Caller(transport, to=line.numbers[0], keypad=scripted(keys),
                      dial_statuses=[rng.choice(OUTCOMES) for _ in range(4)]).run()
        stats.call(call.ended != "error", transport.cut_at)


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


def drop_hostile_files(menus: Path) -> list[str]:
    """Put files into the folder that must not disturb any line; their names."""
    carelock = (menus / "orebro-carelock.yaml").read_text(encoding="utf-8")
    kommun = (menus / "orebro-kommunsupport.yaml").read_text(encoding="utf-8")
    texts = {
        "nested.yaml": "name: x\nnodes: " + "[" * 50_000 + "\n",
        "alias-bomb.yaml": "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
            f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi",
                                                                         strict=True)),
        "huge.yaml": "k: v\n" * 600_000,
        "many-keys.yaml": "".join(f"k{i}: v\n" for i in range(110_000)),
        "orebro-carelock.yml": carelock,
        "a-copy.yaml": kommun.replace("Välkommen", "Kopia"),
    }
    for name, text in texts.items():
        (menus / name).write_text(text, encoding="utf-8")
    (menus / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(menus / "fifo-target")
    (menus / "fifo.yaml").symlink_to(menus / "fifo-target")
    return [*texts, "zero.yaml", "fifo.yaml"]


def kill_workers(base: str, how: signal.Signals, times: int, every: float,
                 stats: Stats) -> list[int]:
    """Kill the worker that answers /health, ``times`` times, ``every`` seconds apart."""
    killed = []
    for _ in range(times):
        time.sleep(every)
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=5) as response:
                pid = json.load(response)["pid"]
        except OSError:
            continue
        with stats.lock:
            stats.kills.append(time.monotonic())
        os.kill(pid, how)
        killed.append(pid)
    return killed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--callers", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kills", type=int, default=4)
    parser.add_argument("--kill-signal", choices=["TERM", "KILL"], default="KILL")
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
        time.sleep(1)
        hostile = drop_hostile_files(menus)
        killed = kill_workers(base, getattr(signal, f"SIG{args.kill_signal}"), args.kills,
                              (args.seconds - 1) / (args.kills + 1), stats)
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        server.terminate()
        server.wait(timeout=15)
    ms = sorted(1000 * s for s in stats.latencies)
    p50, p99 = statistics.median(ms), ms[int(len(ms) * 0.99) - 1]
    print(f"soak: {elapsed:.0f} s, {args.callers} callers, {args.workers} workers, "
          f"menus rewritten {sum(edits.values())} times ({edits['invalid']} invalid), "
          f"{len(hostile)} hostile files dropped, {len(killed)} workers killed "
          f"(SIG{args.kill_signal})")
    print(f"calls                          {stats.completed + stats.failed + stats.in_flight}")
    print(f"failed calls to good lines     {stats.failed}")
    print(f"non-TwiML answers              {stats.non_twiml}")
    print(f"cut in flight on killed worker {stats.in_flight} calls ({stats.cut_steps} steps)")
    print(f"steps              {len(ms)}  ({len(ms) / elapsed:.0f}/s)  p50 {p50:.1f} ms  "
          f"p99 {p99:.1f} ms")
    return 1 if stats.failed or stats.non_twiml else 0


if __name__ == "__main__":
    sys.exit(main())
