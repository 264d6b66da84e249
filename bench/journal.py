"""Benchmark: a year of calls in the journal, ``ivr stats`` over it, and its cost per step.

Fills a journal with calls made by the engine over the shipped lines through 2026 (callers
who press keys, wrongly now and then, stay silent, hang up mid-menu; desks that answer, are
busy or do not), written by the journal's own code in batches; then times ``ivr stats`` on
the busiest line for the whole year, reports the journal's size per call, and measures what
the journal adds to a webhook step in-process (the same steps with the journal off and on).

    python bench/journal.py [--calls 1000000] [--database postgresql://…] [--keep DIR]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ivr.core.engine import Ask, Connect, DialOutcome, Keys, Silence, Start, step  # noqa: E402
from ivr.core.nodes import MenuNode  # noqa: E402
from ivr.journal.batches import prepare, store  # noqa: E402
from ivr.journal.entries import StatusSeen, StepSeen, entry  # noqa: E402
from ivr.journal.schema import connect, upgrade  # noqa: E402
from ivr.journal.tallies import counted, roll_up  # noqa: E402
from ivr.menufile.format import load_line  # noqa: E402

LINES = {"orebro-kommunsupport": 0.5, "brukarstotte": 0.25, "orebro-carelock": 0.15,
         "intraphone": 0.10}
"""Share of the calls each shipped line gets."""
HOURS = [1, 1, 1, 1, 1, 2, 4, 10, 16, 16, 14, 12, 9, 13, 14, 12, 8, 5, 4, 3, 3, 2, 2, 1]
"""Relative calls per local hour of the day."""
DIAL = (["completed"] * 70 + ["busy"] * 10 + ["no-answer"] * 15 + ["failed"] * 5)
CALLERS = 40_000
AFTER = date(2027, 1, 3)
"""The day the statistics are asked for: the year is over, and every day of it settled."""
SECRET = b"bench-journal-key"


def calls_of_a_year(first: int, count: int):
    """Yield the journal entries of calls ``first`` … ``first + count - 1``, each call's in
    the order a server would see them; the same numbers give the same calls."""
    rng = random.Random(first)
    lines = {name: load_line(ROOT / "menus" / f"{name}.yaml") for name in LINES}
    names, weights = list(LINES), list(LINES.values())
    for n in range(first, first + count):
        line = lines[rng.choices(names, weights)[0]]
        day = datetime(2026, 1, 1) + timedelta(days=rng.randrange(365))
        if day.weekday() >= 5 and rng.random() < 0.7:  # fewer calls at weekends
            day += timedelta(days=rng.choice((-2, 2)))
        hour = rng.choices(range(24), HOURS)[0]
        local = day.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60))
        now = local.replace(tzinfo=line.zone)
        caller = f"+4670{min(int(rng.expovariate(1 / 6000)), CALLERS):07d}"
        yield list(_one_call(rng, line, f"CA{n:032x}", caller, now))


def _one_call(rng: random.Random, line, sid: str, caller: str, now: datetime):
    started, state, event = now, None, Start()
    for _ in range(30):
        turn = step(line, state, event, now)
        yield StepSeen(sid, caller, line, state, event, turn, now, False)
        last = turn.actions[-1]
        if isinstance(last, Ask):
            now += timedelta(seconds=rng.randint(4, 15))
            state, node = last.state, line.nodes[last.state.node]
            roll = rng.random()
            if roll < 0.04:
                break  # hangs up while the menu asks
            event = (Silence() if roll < 0.08 else Keys("7" if "7" not in node.options
                                                           else "0") if roll < 0.12
                     else Keys(rng.choice(sorted(node.options))))
            assert isinstance(node, MenuNode)
        elif isinstance(last, Connect):
            state, status = last.state, rng.choice(DIAL)
            now += timedelta(seconds=rng.randint(3, 30))
            if status == "completed":
                now += timedelta(seconds=rng.randint(30, 600))
            event = DialOutcome(status)
        else:
            break
    yield StatusSeen(sid, caller, line, "completed", int((now - started).total_seconds()),
                     now, False)


CHUNK = 5000


def make_chunk(job: tuple[int, int]) -> tuple[list[tuple], list[dict]]:
    """The rows of calls ``first`` … ``first + count - 1`` (made in a worker process)."""
    first, count = job
    return prepare(SECRET, [entry(seen) for call in calls_of_a_year(first, count)
                            for seen in call])


def fill(engine: sa.Engine, count: int, processes: int) -> float:
    """Write ``count`` calls, made by ``processes`` workers, written by this one; seconds."""
    started, done = time.perf_counter(), 0
    jobs = [(first, min(CHUNK, count - first)) for first in range(0, count, CHUNK)]
    with multiprocessing.Pool(processes) as pool:
        for step_rows, call_rows in pool.imap_unordered(make_chunk, jobs):
            with engine.begin() as connection:
                store(connection, step_rows, call_rows)
            done += len(call_rows)
            if done % (CHUNK * 20) == 0:
                print(f"  {done} calls, {time.perf_counter() - started:.0f} s", flush=True)
    return time.perf_counter() - started


def size_bytes(engine: sa.Engine, url: str) -> int:
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            return connection.scalar(sa.text("select pg_database_size(current_database())"))
    with engine.begin() as connection:
        connection.execute(sa.text("PRAGMA wal_checkpoint(TRUNCATE)"))
    return Path(sa.make_url(url).database).stat().st_size


def time_stats(url: str, runs: int = 3) -> list[float]:
    """Seconds for ``ivr stats orebro-kommunsupport --json`` over the whole year, per run."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "ivr", "stats", "orebro-kommunsupport", "--json",
                        "--menus", str(ROOT / "menus"), "--database", url], check=True,
                       stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return times


def step_cost(steps: int = 2000, rounds: int = 7) -> tuple[float, float]:
    """CPU µs per menu-step webhook in-process, journal off and on, the writer's thread and
    its writes included (the process's CPU time, so other load on the machine counts not);
    the best of ``rounds``. Three steps a call, as in a real call's menu, so each batch
    writes a call row for every third step."""
    from ivr.server.app import create_app

    params = {"CallSid": "CA" + "0" * 32, "AccountSid": "AC" + "0" * 32, "From": "+46701234567",
              "To": "+4619212000", "Caller": "+46701234567", "Called": "+4619212000",
              "CallStatus": "in-progress", "Direction": "inbound", "ApiVersion": "2010-04-01",
              "Digits": "3"}
    folder = Path(tempfile.mkdtemp(prefix="ivr-journal-step-"))
    apps = {journal: create_app({"MENUS": str(ROOT / "menus"), "JOURNAL": journal,
                                 "STATE_DIR": str(folder)}) for journal in (False, True)}
    url = "/gather?line=orebro-kommunsupport&node=main-menu"
    times: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(rounds):
        for journal, app in apps.items():
            client = app.test_client()
            started = time.process_time()
            for n in range(steps):
                client.post(url, data={**params, "CallSid": f"CA{n // 3:032d}"})
            if journal:
                app.extensions["ivr.journal"].flush(30)
            times[journal].append((time.process_time() - started) / steps * 1e6)
    return min(times[False]), min(times[True])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--steps-only", action="store_true",
                        help="Only measure the journal's cost per webhook step.")
    parser.add_argument("--database", help="A PostgreSQL URL (default: SQLite in --keep)")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", type=Path, help="Folder for the SQLite file (default: temp)")
    args = parser.parse_args()
    off, on = step_cost()
    print(f"webhook step in-process: {off:.0f} µs without the journal, {on:.0f} µs with it "
          f"(+{on - off:.0f} µs, +{100 * (on - off) / off:.0f}%)", flush=True)
    if args.steps_only:
        return 0
    folder = args.keep or Path(tempfile.mkdtemp(prefix="ivr-journal-bench-"))
    url = args.database or f"sqlite:///{folder / 'journal.sqlite3'}"
    engine = connect(url)
    upgrade(engine)
    with engine.connect() as connection:
        if connection.scalar(sa.text("select count(*) from calls")):
            print(f"{url}: journal not empty; give an empty database", file=sys.stderr)
            return 2
    print(f"filling {engine.dialect.name} with {args.calls} calls …", flush=True)
    seconds = fill(engine, args.calls, args.processes)
    started = time.perf_counter()
    with engine.begin() as connection:
        rolled = roll_up(connection, AFTER)
    rolling = time.perf_counter() - started
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM ANALYZE"))
    with engine.connect() as connection:
        steps = connection.scalar(sa.text("select count(*) from steps"))
        per_line = connection.execute(sa.text(
            "select line, count(*) from calls group by line order by 2 desc")).all()
    size = size_bytes(engine, url)
    times = time_stats(url)
    started = time.perf_counter()
    with engine.connect() as connection:
        list(counted(connection, "orebro-kommunsupport", None, None))
    uncounted = time.perf_counter() - started
    print(f"database     {engine.dialect.name}, {os.cpu_count()} cores")
    print(f"filled       {args.calls} calls, {steps} steps in {seconds:.0f} s "
          f"({args.calls / seconds:.0f} calls/s)")
    print("calls        " + ", ".join(f"{line} {count}" for line, count in per_line))
    print(f"roll-up      {rolled} daily counts in {rolling:.1f} s, as a server does it "
          f"(hourly, off the request path) on {AFTER}")
    print(f"size         {size / 1e6:.0f} MB, {size / args.calls:.0f} bytes per call")
    print("ivr stats    orebro-kommunsupport, whole year: "
          + ", ".join(f"{t:.2f}" for t in times) + " s (target < 2 s), process start to exit")
    print(f"             the same figures counted from the calls alone: {uncounted:.2f} s "
          "(queries only)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
