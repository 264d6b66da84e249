"""How long the console's pages take on the server, with a journal of a million calls.

Builds (once, then reuses) a SQLite journal of ``--calls`` calls spread over the 90 days up
to the moment pages are timed, copied from real calls: a few hundred calls are placed
through the webhooks of a journaling app, at random moments and with random keys and dial
outcomes, and their rows are replicated with fresh CallSids, callers and times. Then each
page is requested through Flask's test client (server time only, no network) and the
median and worst of ``--runs`` requests are printed, with the 200 ms target.

    python bench/console_pages.py [--calls 1000000] [--runs 7] [--journal PATH]
"""

from __future__ import annotations

import argparse
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from werkzeug.security import generate_password_hash

from ivr.sim import Caller, InProcess, scripted
from ivr.web import create_app

ROOT = Path(__file__).resolve().parent.parent
MENUS = ROOT / "menus"
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
DAYS = 90
KEYS = list("1234567890*") + ["-"]
OUTCOMES = ["completed", "completed", "busy", "no-answer", "failed"]


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def templates(state: Path, count: int) -> tuple[list, list, dict]:
    """Rows of ``count`` real calls placed through a journaling app; (calls, steps, zones)."""
    clock = Clock()
    app = create_app({"MENUS": str(MENUS), "CLOCK": clock, "JOURNAL": True,
                      "STATE_DIR": str(state)})
    numbers = {line.numbers[0]: line for line in app.extensions["ivr.registry"].lines().values()}
    rng = random.Random(1)
    for _ in range(count):
        clock.now = NOW - timedelta(minutes=rng.randrange(7 * 24 * 60))
        keys = [rng.choice(KEYS) for _ in range(4)]
        Caller(InProcess(app), to=rng.choice(list(numbers)), keypad=scripted(keys),
               dial_statuses=[rng.choice(OUTCOMES) for _ in range(3)]).run()
    writer = app.extensions["ivr.journal"]
    assert writer.flush(60)
    database = sqlite3.connect(state / "journal.sqlite3")
    call_rows = database.execute("SELECT * FROM calls").fetchall()
    step_rows = database.execute("SELECT * FROM steps").fetchall()
    call_columns = [c[1] for c in database.execute("PRAGMA table_info(calls)")]
    step_columns = [c[1] for c in database.execute("PRAGMA table_info(steps)")]
    writer.close()
    writer.engine.dispose()
    zones = {line.id: line.zone for line in numbers.values()}
    return ([dict(zip(call_columns, row, strict=True)) for row in call_rows],
            [dict(zip(step_columns, row, strict=True)) for row in step_rows], zones)


def _when(at_ms: int, zone: ZoneInfo) -> dict:
    """The local day and hour of the week of an instant, as the journal stores them."""
    local = datetime.fromtimestamp(at_ms / 1000, UTC).astimezone(zone)
    return {"day": local.date().isoformat(), "how": local.weekday() * 24 + local.hour}


def build(path: Path, total: int) -> None:
    """A journal of ``total`` calls copied from real ones, spread over the last DAYS days."""
    database = sqlite3.connect(path)
    with tempfile.TemporaryDirectory() as folder:
        call_rows, step_rows, zones = templates(Path(folder), 400)
        with sqlite3.connect(Path(folder) / "journal.sqlite3") as made:
            made.backup(database)  # the schema exactly as the journal makes it
    by_sid: dict[str, list[dict]] = {}
    for step in step_rows:
        by_sid.setdefault(step["sid"], []).append(step)
    database.execute("DELETE FROM calls")
    database.execute("DELETE FROM steps")
    call_sql = f"INSERT INTO calls VALUES ({', '.join('?' * len(call_rows[0]))})"
    step_columns = [k for k in step_rows[0] if k != "id"]
    step_sql = (f"INSERT INTO steps ({', '.join(step_columns)}) "
                f"VALUES ({', '.join('?' * len(step_columns))})")
    rng = random.Random(2)
    start_ms = int((NOW - timedelta(days=DAYS)).timestamp() * 1000)
    span_ms = DAYS * 86_400_000
    calls_out, steps_out = [], []
    for n in range(total):
        template = rng.choice(call_rows)
        shift = start_ms + rng.randrange(span_ms) - template["started_ms"]
        sid, zone = f"CA{n:032x}", zones.get(template["line"], ZoneInfo("UTC"))
        call = {**template, "sid": sid, "caller": f"h{rng.randrange(total // 4):x}",
                **_when(template["started_ms"] + shift, zone)}
        for field in ("started_ms", "last_ms", "first_ring_ms", "ended_ms"):
            if call[field] is not None:
                call[field] += shift
        calls_out.append(tuple(call.values()))
        for step in by_sid.get(template["sid"], []):
            copied = {**step, "sid": sid, "at_ms": step["at_ms"] + shift,
                      **_when(step["at_ms"] + shift, zone)}
            steps_out.append(tuple(copied[k] for k in step_columns))
        if len(calls_out) >= 50_000 or n == total - 1:
            database.executemany(call_sql, calls_out)
            database.executemany(step_sql, steps_out)
            database.commit()
            calls_out, steps_out = [], []
            print(f"  {n + 1} calls written", file=sys.stderr)
    database.execute("ANALYZE")
    database.commit()
    database.close()


def time_pages(state: Path, runs: int) -> list[tuple[str, float, float]]:
    """(page, median ms, worst ms) for each console page, server time through the test client."""
    users = state / "console-users"
    users.write_text(f"admin:{generate_password_hash('bench', 'pbkdf2:sha256:1000')}\n")
    app = create_app({"MENUS": str(MENUS), "CLOCK": Clock(), "JOURNAL": True,
                      "STATE_DIR": str(state), "CONSOLE_USERS": str(users),
                      "RETAIN_DAYS": 3660})  # keep every generated call for the next run
    client = app.test_client()
    page = client.get("/console/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    client.post("/console/sign-in", data={"csrf": token, "name": "admin", "password": "bench"})
    token = re.search(r'data-csrf="([^"]+)"', client.get("/console/phone").get_data(
        as_text=True)).group(1)
    line = "orebro-kommunsupport"
    requests = {
        "overview": lambda: client.get("/console/"),
        "line page": lambda: client.get(f"/console/line/{line}"),
        "phone page": lambda: client.get(f"/console/phone?line={line}"),
        "phone call, keys 3 1 and a dial": lambda: client.post(
            "/console/phone/call", headers={"X-CSRF-Token": token},
            json={"line": line, "at": "2026-11-25T10:00", "keys": ["3", "1"],
                  "dials": ["busy"]}),
    }
    results = []
    for days in (28, 90):
        url = f"/console/line/{line}/stats?from={NOW.date() - timedelta(days=days - 1)}"
        started = time.perf_counter()
        first = client.get(url)
        cold = (time.perf_counter() - started) * 1000
        while "stats-data" not in client.get(url).get_data(as_text=True):
            time.sleep(0.05)
        counted = (time.perf_counter() - started) * 1000
        assert first.status_code == 200
        results.append((f"statistics, {days} days, while counting", cold, cold))
        results.append(("  (the count itself, off the request path)", counted, counted))
        requests[f"statistics, {days} days, counted"] = lambda url=url: client.get(url)
    for name, request in requests.items():
        assert request().status_code == 200, name
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            response = request()
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, name
        results.append((name, statistics.median(times), max(times)))
    app.extensions["ivr.journal"].close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--journal", type=Path, default=Path(tempfile.gettempdir())
                        / "ivr-console-bench")
    options = parser.parse_args()
    state = options.journal
    database = state / "journal.sqlite3"
    if not database.exists() or sqlite3.connect(database).execute(  # the phone's are tests
            "SELECT count(*) FROM calls WHERE NOT test").fetchone()[0] != options.calls:
        state.mkdir(parents=True, exist_ok=True)
        database.unlink(missing_ok=True)
        print(f"building a journal of {options.calls:,} calls in {state} …", file=sys.stderr)
        build(database, options.calls)
    count, steps = sqlite3.connect(database).execute(
        "SELECT (SELECT count(*) FROM calls WHERE NOT test), "
        "(SELECT count(*) FROM steps WHERE NOT test)").fetchone()
    print(f"journal: {count:,} calls, {steps:,} steps over {DAYS} days (SQLite)")
    print(f"{'page':36} {'median ms':>10} {'worst ms':>10}")
    for name, median, worst in time_pages(state, options.runs):
        print(f"{name:36} {median:10.1f} {worst:10.1f}")
    print("target: every page under 200 ms of server time; counts are kept for a minute")


if __name__ == "__main__":
    main()
