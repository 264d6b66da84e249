"""Benchmark: ivr's webhooks against the floor of Flask + twilio, side by side in one run.

Starts ``ivr serve`` (2 workers) and, beside it, ``bench/floor.py`` (a minimal Flask app
answering a fixed <Gather><Say>, same gunicorn settings), drives both with the same load
(wrk where installed, else a Python load generator) for the first step of a call and for a
menu step, then a generated 5,000-node line the same way, and times ``ivr-sim`` from process
start to exit. Every answer during the load is read: one that is not the menu the run
times (an apology is a 200 too) is counted wrong, not as throughput. Prints right answers
per second, p50, p99 and wrong answers per run, and the ratios the targets are about.

The loads run in rounds (3 by default), each round every run once, so the floor and ivr
are timed minutes apart at most, under the same state of the machine; the figures are the
medians of the rounds, each ratio the median of the rounds' ratios (all of them printed).

    python bench/bench.py [--seconds 5] [--rounds 3] [--connections 16]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from serving import ivr_serve, start

from ivr.menufile.format import load_line

ROOT = Path(__file__).resolve().parent.parent
CLOCK = {"X-Ivr-Clock": "2026-11-24T09:00:00+00:00"}  # a Tuesday at 10:00 in Stockholm
BIG_NUMBER = "+46101234599"


def twilio_params(to: str, **extra: str) -> dict[str, str]:
    """A webhook body as Twilio sends it: the call's parameters and its geographic fields.

    ivr parses every one of them (the floor reads none), so the benchmark pays what a real
    call pays.
    """
    caller = "+46701740699"
    params = {"AccountSid": "AC" + "0" * 32, "ApiVersion": "2010-04-01",
              "CallSid": "CA" + "1" * 32, "CallStatus": "in-progress", "Direction": "inbound",
              "From": caller, "Caller": caller, "To": to, "Called": to}
    for side in ("From", "Caller", "To", "Called"):
        params.update({f"{side}City": "", f"{side}State": "", f"{side}Zip": "",
                       f"{side}Country": "SE"})
    return {**params, **extra}


def big_line(nodes: int = 5000) -> str:
    """A valid line of ``nodes`` nodes: menus and says in a long chain."""
    head = (ROOT / "menus" / "orebro-kommunsupport.yaml").read_text(encoding="utf-8")
    head = head.split("\nstart:")[0].replace('["+4619212000", "2000"]', f'["{BIG_NUMBER}"]')
    body = ["start: n0", "nodes:"]
    for i in range(nodes - 1):
        nxt, skip = f"n{i + 1}", f"n{min(i + 2, nodes - 1)}"
        if i % 2 == 0:
            body += [f"  n{i}:", "    type: menu", f"    prompt: Meny {i}. Tryck 1 eller 2.",
                     "    options:", f"      1: {nxt}", f"      2: {skip}"]
        else:
            body += [f"  n{i}:", "    type: say", f"    text: Steg {i}.", f"    then: {nxt}"]
    body += [f"  n{nodes - 1}:", "    type: hangup"]
    return head + "\n" + "\n".join(body) + "\n"


def load_runs(floor: str, ivr: str) -> dict[tuple[str, str], tuple[str, dict, str]]:
    """(step, server) → (URL, body, the menu it must answer with: its node, or any)."""
    shipped, keys = twilio_params("+4619212000"), {"Digits": "3", "FinishedOnKey": ""}
    return {
        ("first step", "floor"): (f"{floor}/voice", shipped, ""),
        ("first step", "ivr"): (f"{ivr}/voice", shipped, "main-menu"),
        ("first step", "ivr 5,000 nodes"): (f"{ivr}/voice", twilio_params(BIG_NUMBER), "n0"),
        ("menu step", "floor"): (f"{floor}/gather", {**shipped, **keys}, ""),
        ("menu step", "ivr"): (f"{ivr}/gather?line=orebro-kommunsupport&node=main-menu",
                               {**shipped, **keys}, "business-systems"),
        ("menu step", "ivr 5,000 nodes"): (f"{ivr}/gather?line=big&node=n4000",
                                           twilio_params(BIG_NUMBER, Digits="1",
                                                         FinishedOnKey=""), "n4002"),
    }


def is_menu(answer: str, node: str) -> bool:
    """Whether TwiML asks for keys (at ``node``, when given): the step the run is meant to time.

    A wrong node in a URL would restart the call politely, a wrong number apologise; timing
    either measures nothing.
    """
    try:
        gather = ET.fromstring(answer).find("Gather")
    except ET.ParseError:
        return False
    if gather is None:
        return False
    return not node or parse_qs(urlsplit(gather.get("action", "")).query).get("node") == [node]


def expect_menu(url: str, body: dict, node: str) -> None:
    """Stop unless ``url`` answers with the menu the run is meant to time."""
    request = urllib.request.Request(url, data=urlencode(body).encode(), headers=CLOCK)
    with urllib.request.urlopen(request, timeout=10) as response:
        answer = response.read().decode()
    if not is_menu(answer, node):
        raise SystemExit(f"{url} did not answer with the menu {node or 'of the floor'}:\n"
                         f"{answer}")


WRK_CHECK = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) right = 0; wrong = 0 end
function response(status, headers, body)
  if status == 200 and string.find(body, "<Gather", 1, true)
      and string.find(body, MARK, 1, true) then right = right + 1 else wrong = wrong + 1 end
end
function done(summary, latency, requests)
  local r, w = 0, 0
  for _, thread in ipairs(threads) do r = r + thread:get("right"); w = w + thread:get("wrong") end
  io.write(string.format("answers right %d wrong %d\\n", r, w))
end
"""
"""Each answer is read during the load: one that is not the menu the run times (an apology
is a 200 too) is counted wrong, and only right answers count as throughput."""


def wrk(url: str, body: dict, seconds: float, connections: int,
        node: str) -> tuple[float, float, float, int]:
    """(right answers/s, p50 ms, p99 ms, wrong answers) measured by wrk."""
    headers = "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in CLOCK.items())
    mark = f"node={node}" if node else "<Gather"
    script = (f'wrk.method = "POST"\nwrk.body = "{urlencode(body)}"\n'
              'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n' + headers
              + f'MARK = "{mark}"\n' + WRK_CHECK)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds:g}s", "--latency",
                          "-s", handle.name, url], capture_output=True, text=True).stdout
    os.unlink(handle.name)
    if "Non-2xx" in out or "Socket errors" in out:
        print(out, file=sys.stderr)
    right, wrong = map(int, re.search(r"answers right (\d+) wrong (\d+)", out).groups())
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])

    def percentile(label: str) -> float:
        value, unit = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return rps * right / max(right + wrong, 1), percentile("50"), percentile("99"), wrong


def python_load(url: str, body: dict, seconds: float, connections: int,
                node: str) -> tuple[float, float, float, int]:
    """The same measurement with threads, where wrk is not installed (less precise)."""
    data, latencies, deadline = urlencode(body).encode(), [], time.monotonic() + seconds
    lock = threading.Lock()
    wrong = 0

    def hammer():
        nonlocal wrong
        mine, bad = [], 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            request = urllib.request.Request(url, data=data, headers=CLOCK)
            answer = urllib.request.urlopen(request, timeout=10).read().decode()
            mine.append(1000 * (time.perf_counter() - started))
            bad += not is_menu(answer, node)
        with lock:
            latencies.extend(mine)
            wrong += bad

    threads = [threading.Thread(target=hammer) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return ((len(latencies) - wrong) / seconds, statistics.median(latencies),
            latencies[int(len(latencies) * 0.99) - 1], wrong)


def sim_seconds(runs: int = 5) -> float:
    """Median wall time of ivr-sim --menu orebro-kommunsupport --press 3 1 --json."""
    command = [str(Path(sys.executable).parent / "ivr-sim"), "--menu", "orebro-kommunsupport",
               "--press", "3", "1", "--json"]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def check_seconds(path: Path) -> float:
    """Wall time of ``ivr check`` on ``path``, process start to exit: the load plus the
    caller-time walk at every moment of the coming week."""
    started = time.perf_counter()
    subprocess.run([str(Path(sys.executable).parent / "ivr"), "check", str(path)], cwd=ROOT,
                   capture_output=True, check=True)
    return time.perf_counter() - started


def cpu_model() -> str:
    """The processor's name, so quoted figures say what they were measured on."""
    try:
        for row in Path("/proc/cpuinfo").read_text().splitlines():
            if row.startswith("model name"):
                return row.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5, help="Seconds per run.")
    parser.add_argument("--rounds", type=int, default=3, help="Rounds of every run.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--no-journal", action="store_true",
                        help="Serve ivr without its call journal (to see what the journal costs).")
    args = parser.parse_args()
    load = wrk if shutil.which("wrk") else python_load
    with tempfile.TemporaryDirectory() as folder:
        menus = Path(folder)
        shutil.copy(ROOT / "menus" / "orebro-kommunsupport.yaml", menus)
        (menus / "big.yaml").write_text(big_line(), encoding="utf-8")
        started = time.perf_counter()
        load_line(menus / "big.yaml")
        big_load = time.perf_counter() - started
        big_check = check_seconds(menus / "big.yaml")
        ivr, ivr_base = ivr_serve(menus, 2, journal=not args.no_journal)
        floor, floor_base = start([sys.executable, str(ROOT / "bench" / "floor.py"),
                                   "--workers", "2"])
        runs = load_runs(floor_base, ivr_base)
        try:
            for url, body, node in runs.values():
                expect_menu(url, body, node)
            rounds = [{key: load(url, body, args.seconds, args.connections, node)
                       for key, (url, body, node) in runs.items()} for _ in range(args.rounds)]
        finally:
            ivr.terminate()
            floor.terminate()
            ivr.wait(15)
            floor.wait(15)
    sim = sim_seconds()
    print(f"machine: {platform.system()} {platform.machine()}, {cpu_model()}, "
          f"{os.cpu_count()} cores, "
          f"Python {platform.python_version()}; load: {load.__name__}, "
          f"{args.connections} connections, {args.seconds:g} s per run, "
          f"median of {args.rounds} rounds")
    print(f"{'step':<12} {'server':<16} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'wrong':>6}")
    for key in runs:
        rps, p50, p99 = (statistics.median(one[key][i] for one in rounds) for i in range(3))
        wrong = sum(one[key][3] for one in rounds)
        print(f"{key[0]:<12} {key[1]:<16} {rps:>8.0f} {p50:>8.2f} {p99:>8.2f} {wrong:>6}")
    for step in ("first step", "menu step"):
        ratios = [one[(step, "ivr")][0] / one[(step, "floor")][0] for one in rounds]
        sizes = [one[(step, "ivr 5,000 nodes")][0] / one[(step, "ivr")][0] for one in rounds]
        print(f"{step}: ivr/floor {statistics.median(ratios):.2f} (rounds "
              f"{' '.join(f'{r:.2f}' for r in ratios)}; target ≥ 0.80); 5,000-node line at "
              f"{statistics.median(sizes):.0%} of the shipped line's req/s (target ≥ 90%)")
    print(f"5,000-node line loads and validates in {big_load:.2f} s (target < 1 s); "
          f"ivr check on it: {big_check:.2f} s, process start to exit (target < 2 s)")
    print(f"ivr-sim --menu orebro-kommunsupport --press 3 1 --json: {sim:.2f} s, process start "
          "to exit, median of 5 (target < 0.5 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
