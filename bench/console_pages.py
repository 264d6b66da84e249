"""How long the console's pages take on the server, with a journal of a million calls.

Uses a journal filled by ``bench/journal.py`` (a year of calls made by the engine, written
by the journal's own code and rolled up as the server does), building one first when the
folder has none. Each page is requested through Flask's test client (server time only, no
network); the median and worst of ``--runs`` requests are printed, with the 200 ms target.
A statistics page never waits for the database: it is timed while its count runs, and
again once the count is kept; the count itself is timed too.

    python bench/console_pages.py [--journal DIR] [--calls 1000000] [--runs 7]
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from werkzeug.security import generate_password_hash

from ivr.console import create_app
from ivr.server.journaling import EXTENSION as JOURNAL

ROOT = Path(__file__).resolve().parent.parent
LINE = "orebro-kommunsupport"


def signed_in(state: Path):
    """A test client signed in to a console over the journal in ``state``."""
    users = state / "console-users"
    users.write_text(f"admin:{generate_password_hash('bench', 'pbkdf2:sha256:1000')}\n")
    app = create_app({"MENUS": str(ROOT / "menus"), "JOURNAL": True, "STATE_DIR": str(state),
                      "CONSOLE_USERS": str(users), "RETAIN_DAYS": 3660})
    client = app.test_client()
    page = client.get("/console/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    client.post("/console/sign-in", data={"csrf": token, "name": "admin", "password": "bench"})
    return app, client


def timed(request) -> float:
    started = time.perf_counter()
    response = request()
    assert response.status_code == 200, response.status_code
    return (time.perf_counter() - started) * 1000


def time_pages(state: Path, runs: int) -> list[tuple[str, float, float]]:
    """(page, median ms, worst ms) for each console page."""
    app, client = signed_in(state)
    token = re.search(r'data-csrf="([^"]+)"', client.get("/console/phone").get_data(
        as_text=True)).group(1)
    today = datetime.now(UTC).date()
    requests = {
        "overview": lambda: client.get("/console/"),
        "line page": lambda: client.get(f"/console/line/{LINE}"),
        "phone page": lambda: client.get(f"/console/phone?line={LINE}"),
        "phone call, keys 3 1 and a dial": lambda: client.post(
            "/console/phone/call", headers={"X-CSRF-Token": token},
            json={"line": LINE, "at": f"{today}T10:00", "keys": ["3", "1"],
                  "dials": ["busy"]}),
    }
    results = []
    for days in (28, 365):
        url = f"/console/line/{LINE}/stats?from={today - timedelta(days=days - 1)}"
        started = time.perf_counter()
        cold = timed(lambda url=url: client.get(url))
        while "stats-data" not in client.get(url).get_data(as_text=True):
            time.sleep(0.02)
        counted = (time.perf_counter() - started) * 1000
        results.append((f"statistics, {days} days, while counting", cold, cold))
        results.append(("  (the count, off the request path)", counted, counted))
        requests[f"statistics, {days} days, counted"] = lambda url=url: client.get(url)
    for name, request in requests.items():
        timed(request)
        times = [timed(request) for _ in range(runs)]
        results.append((name, statistics.median(times), max(times)))
    app.extensions[JOURNAL].close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journal", type=Path, help="Folder holding journal.sqlite3 "
                        "[default: a new one, filled by bench/journal.py]")
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    state = options.journal or Path(tempfile.mkdtemp(prefix="ivr-console-bench-"))
    database = state / "journal.sqlite3"
    if not database.exists():
        state.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / "journal.py"), "--calls",
                        str(options.calls), "--keep", str(state)], check=True)
    calls, steps = sqlite3.connect(database).execute(
        "SELECT (SELECT count(*) FROM calls WHERE NOT test), "  # the phone's calls are tests
        "(SELECT count(*) FROM steps WHERE NOT test)").fetchone()
    print(f"journal: {calls:,} calls, {steps:,} steps (SQLite, {database})")
    print(f"{'page':38} {'median ms':>10} {'worst ms':>10}")
    for name, median, worst in time_pages(state, options.runs):
        print(f"{name:38} {median:10.1f} {worst:10.1f}")
    print("target: every page under 200 ms of server time; counts are kept for a minute")


if __name__ == "__main__":
    main()
