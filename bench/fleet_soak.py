"""Fleet soak: two servers on one PostgreSQL, each with its own menus folder and state, while
files are deleted and written back broken, workers are killed, the database restarts and
50 addresses guess the console's password.

Every call to a shipped line must be answered with TwiML and no apology (a line whose file
is gone or broken answers from its last good version); the real admin, whose browser signed
in before, must get in each time she tries while the database is up; and the journal must
hold every call that reached a server, apart from those a killed worker had not written yet
(the servers log how many). Prints the figures; exits 1 if any call to a good line failed,
if the admin was ever refused while the database was up, or if the journal lost a call
that the servers did not report as lost.

    python bench/fleet_soak.py [--seconds 60] [--callers 8] [--guessers 50] [--kills 2]
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import os
import random
import re
import shutil
import signal
import struct
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from serving import ROOT, start
from soak import KEYS, OUTCOMES, Stats, Timed, kill_workers

from ivr.journal.statedir import StateDir
from ivr.journal.unwritten import COUNTS
from ivr.server.registry import Registry
from ivr.server.webhooks import LAST_RESORT
from ivr.sim.caller import Caller, scripted

sys.path.insert(0, str(ROOT / "tests"))
from pgserver import Server, binaries  # noqa: E402  (the tests' own PostgreSQL starter)

PASSWORD = "the real admin's long passphrase"


def serve(menus: Path, state: Path) -> tuple:
    """A server of two workers; its log in ``<state>.log``, read for what it lost."""
    return start([sys.executable, "-m", "ivr", "serve", "--insecure", "--test-clock",
                  "--menus", str(menus), "--state", str(state), "--workers", "2",
                  "--proxy-hops", "1"], log=state.with_suffix(".log"))


def backlog(states: list[Path], deadline: float, largest: list[int]) -> None:
    """The most journal entries a worker held unwritten at once, read off the counts each
    keeps in ``<state>/journal-queues/`` (what a kill at that moment would lose)."""
    while time.monotonic() < deadline:
        for path in (p for state in states for p in StateDir(state).queues.glob("*")):
            try:
                queued, written = COUNTS.unpack(path.read_bytes())
            except (OSError, struct.error):
                continue
            largest[0] = max(largest[0], queued - written)
        time.sleep(0.1)


def counted_lost(log: Path) -> tuple[int, int]:
    """Journal entries a server's log says were lost: (a killed worker's queue, counted by
    the worker that replaced it; a stop that could not write all it had)."""
    text = log.read_text(encoding="utf-8", errors="replace")
    killed = re.findall(r"killed or out of memory: (\d+) entries of", text)
    stopped = re.findall(r"journal: stopping .*?: (\d+) entries of", text)
    return sum(map(int, killed)), sum(map(int, stopped))


def callers(bases: list[str], lines: list, stats: Stats, deadline: float, seed: int,
            sids: list[str], failures: list[str]) -> None:
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        line = rng.choice(lines)
        # every hour of a week, in the coming week: within the journal's retention, and on
        # days whose figures are not stored yet, as live calls are (a step for a day already
        # rolled up makes the writer count that day again, which live calls never need)
        at = datetime.now(UTC) + timedelta(minutes=rng.randrange(7 * 24 * 60))
        base = rng.choice(bases)
        transport = Timed(base, at=at, stats=stats)
        caller = Caller(transport, to=line.numbers[0],
                        keypad=scripted([rng.choice(KEYS) for _ in range(rng.randrange(1, 7))]),
                        dial_statuses=[rng.choice(OUTCOMES) for _ in range(4)])
        sids.append((base, caller.params["CallSid"]))
        call = caller.run()
        apology = next((step["url"] for step in call.steps if any(
            words in step["twiml"] for words in (line.apology, LAST_RESORT[0][0]))), None)
        ok = call.ended != "error" and apology is None
        stats.call(ok, transport.cut_at)
        if not ok and transport.cut_at is None and len(failures) < 5:
            failures.append(f"{line.id} at {at:%Y-%m-%d %H:%M} UTC on {base}: "
                            f"{call.problem or 'an apology at ' + str(apology)}")


def editor(folders: list[Path], deadline: float, counts: dict) -> None:
    """On every server alike: a file deleted, written back broken, then restored."""
    names = sorted(p.name for p in folders[0].glob("*.yaml"))
    originals = {name: (folders[0] / name).read_text(encoding="utf-8") for name in names}
    step = 0
    while time.monotonic() < deadline:
        name = names[step % len(names)]
        for stage, text in (("deleted", None), ("broken", originals[name] + "nodes: [\n"),
                            ("restored", originals[name])):
            for folder in folders:
                if text is None:
                    (folder / name).unlink()
                else:
                    (folder / name).write_text(text, encoding="utf-8")
            counts[stage] += 1
            time.sleep(1.2)
        step += 1


class Browser:
    """A browser on one address: its cookies (the device cookie among them) kept."""

    def __init__(self, base: str, address: str, jar=None) -> None:
        self.base, self.address = base, address
        self.jar = jar or http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  NoRedirect)

    def sign_in(self, password: str) -> int:
        try:
            page = self._open("/console/sign-in").read().decode()
            token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
            return self._open("/console/sign-in", {"csrf": token, "name": "admin",
                                                   "password": password}).status
        except urllib.error.HTTPError as exc:
            return exc.code
        except (OSError, AttributeError, http.client.HTTPException):
            return 599  # the worker answering was killed

    def _open(self, path: str, form: dict | None = None):
        request = urllib.request.Request(
            self.base + path, data=urllib.parse.urlencode(form).encode() if form else None,
            headers={"X-Forwarded-For": self.address})
        return self.opener.open(request, timeout=10)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def guess(base: str, address: str, deadline: float, statuses: dict, lock) -> None:
    browser = Browser(base, address)
    while time.monotonic() < deadline:
        status = browser.sign_in(f"guess-{random.randrange(10**6):06d}")
        with lock:
            statuses[status] = statuses.get(status, 0) + 1
        time.sleep(0.05)


def device_cookie(base: str) -> list:
    """The admin signs in once before the soak: her browser's device cookie."""
    first = Browser(base, "10.0.0.1")
    status = first.sign_in(PASSWORD)
    if status != 302:
        raise SystemExit(f"the admin could not sign in before the soak ({status})")
    return [c for c in first.jar if c.name == "ivr_console_device"]


def admin(bases: list[str], device: list, deadline: float, db_down: threading.Event,
          tries: dict) -> None:
    """Every 2 s a new session on either server, with her device cookie only (a browser
    she used before, behind the same tunnel address as some guessers)."""
    n = 0
    while time.monotonic() < deadline:
        jar = http.cookiejar.CookieJar()
        for cookie in device:
            jar.set_cookie(cookie)
        down = db_down.is_set()
        status = Browser(bases[n % 2], "10.0.0.1", jar).sign_in(PASSWORD)
        tries["while the database was down" if down or db_down.is_set() else
              "in" if status == 302 else f"refused ({status})"] += 1
        n += 1
        time.sleep(2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--callers", type=int, default=8)
    parser.add_argument("--guessers", type=int, default=50)
    parser.add_argument("--kills", type=int, default=2)
    args = parser.parse_args()
    bin_dir = binaries()
    if bin_dir is None:
        raise SystemExit("PostgreSQL is not installed: apt-get install postgresql")
    database = Server(bin_dir)
    database.start()
    url = database.new_database()
    os.environ.update(IVR_DATABASE_URL=url, IVR_CONSOLE_PASSWORD=PASSWORD,
                      IVR_CONSOLE_SECRET="fleet soak secret shared by both servers")
    with tempfile.TemporaryDirectory() as work:
        folders = [Path(work) / f"menus-{i}" for i in (1, 2)]
        for folder in folders:
            shutil.copytree(ROOT / "menus", folder)
        registry = Registry(folders[0], keep_state=False)
        registry.load()
        lines = list(registry.lines().values())
        servers = [serve(folder, Path(work) / f"state-{i}")
                   for i, folder in enumerate(folders, 1)]
        bases = [base for _, base in servers]
        stats, sids, lock = Stats(), [], threading.Lock()
        edits = {"deleted": 0, "broken": 0, "restored": 0}
        guesses: dict = {}
        tries = {"in": 0, "while the database was down": 0}
        db_down = threading.Event()
        deadline = time.monotonic() + args.seconds
        failures: list[str] = []
        threads = [threading.Thread(target=callers, args=(bases, lines, stats, deadline, i,
                                                           sids, failures))
                   for i in range(args.callers)]
        threads.append(threading.Thread(target=editor, args=(folders, deadline, edits)))
        largest = [0]
        threads.append(threading.Thread(target=backlog, args=(
            [Path(work) / f"state-{i}" for i in (1, 2)], deadline, largest)))
        threads += [threading.Thread(target=guess, args=(bases[i % 2], f"10.1.{i // 250}.{i}",
                                                         deadline, guesses, lock))
                    for i in range(args.guessers)]
        threads.append(threading.Thread(target=admin, args=(bases, device_cookie(bases[0]),
                                                            deadline, db_down, tries)))
        started = time.monotonic()
        for thread in threads:
            thread.start()
        killed = []
        for base in bases:
            killed += kill_workers(base, signal.SIGKILL, args.kills, args.seconds / 6, stats)
        db_down.set()
        database.stop()
        time.sleep(3)
        database.start()
        time.sleep(2)
        db_down.clear()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        for process, _ in servers:
            process.send_signal(signal.SIGTERM)
        for process, _ in servers:
            process.wait(timeout=30)
        counted = [counted_lost(Path(work) / f"state-{i}.log") for i in (1, 2)]
        killed_lost, stop_lost = (sum(n) for n in zip(*counted, strict=True))
    import psycopg

    with psycopg.connect(url) as connection:
        found = {row[0] for row in connection.execute(
            "SELECT sid FROM calls WHERE sid = ANY(%s)", ([sid for _, sid in sids],))}
    journaled = len(found)
    for base in bases:
        made = [sid for b, sid in sids if b == base]
        print(f"{base}: {len(made)} calls, {len(found & set(made))} in the journal")
    database.remove()
    refused = sum(n for key, n in tries.items() if key.startswith("refused"))
    print(f"fleet soak: {elapsed:.0f} s, 2 servers x 2 workers on one PostgreSQL (restarted "
          f"once), {len(killed)} workers killed (SIGKILL), files deleted/broken/restored "
          f"{edits['deleted']}/{edits['broken']}/{edits['restored']} times")
    print(f"calls                          {len(sids)}")
    print(f"failed calls to good lines     {stats.failed}")
    for failure in failures:
        print(f"  {failure}")
    print(f"non-TwiML answers              {stats.non_twiml}")
    print(f"cut in flight on killed worker {stats.in_flight} calls ({stats.cut_steps} steps)")
    print(f"calls in the journal           {journaled} of {len(sids)}; entries the servers "
          f"counted lost: {killed_lost} with killed workers, {stop_lost} at the stop")
    print(f"largest journal backlog        {largest[0]} entries on one worker")
    print(f"sign-in guesses from {args.guessers} addresses: "
          + ", ".join(f"{n} x {status}" for status, n in sorted(guesses.items())))
    print(f"the real admin's sign-ins      {tries}")
    # each call missing from the journal lost one entry at least
    unexplained = len(sids) - journaled > killed_lost + stop_lost
    return 1 if stats.failed or stats.non_twiml or refused or unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
