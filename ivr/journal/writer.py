"""The journal's writer: webhooks queue what they saw, one background thread writes it.

The thread is an operating-system thread even in a gevent worker (as the menus' background
check is, ``ivr.watch``): a database call there never holds up the worker's greenlets.

A webhook only appends its entry (plain rows, ``entries``) to an in-memory queue (no I/O),
so a slow, locked, full or stopped database never delays or fails a call. The thread wakes
every ``interval`` seconds, or sooner when asked, and writes what has gathered in one
transaction; when the database fails, the batch goes back to the front of the queue and the
thread tries again, backing off up to two seconds, until the journal has caught up. It
waits the whole interval even when entries came while it wrote (unless a full batch waits):
a write has a fixed cost of a few milliseconds of CPU, and a thread that wrote again at once
would write many tiny batches, taking that CPU from the webhooks. The queue is bounded
(``capacity``): beyond it, new entries are counted and dropped, so a long outage costs
journal entries, never memory or calls. Entries still queued when the process is killed
hard are lost (about ``interval`` seconds of its calls), and counted: the next writer on
the state directory logs how many (``unwritten``); a normal stop writes them first, and one
that cannot (the database away) logs how many are lost. An SQLite journal deleted or
replaced while serving is noticed before the next write, which starts a new one.
"""

from __future__ import annotations

import atexit
import logging
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from ivr.core.logsafe import clean, printable
from ivr.journal import privacy, tallies, unwritten
from ivr.journal.background import native
from ivr.journal.batches import write
from ivr.journal.entries import Entry
from ivr.journal.schema import connect, upgrade

log = logging.getLogger(__name__)
MAINTENANCE_EVERY = 3600.0
"""Seconds between two roll-ups of settled days and runs of the retention deletion."""


class Writer:
    """A queue of what webhooks saw, written to the database by a thread of its own."""

    def __init__(self, url: str, *, secret: bytes, clock: Callable[[], datetime],
                 state: Path | None = None, retain_days: int = 90, capacity: int = 100_000,
                 interval: float = 0.5, batch: int = 2000) -> None:
        self.url = url
        self.secret = secret
        self.clock = clock
        self.retain_days = retain_days
        self.capacity = capacity
        self.interval = interval
        self.batch = batch
        self.dropped = 0
        self._queue: deque = deque()
        self._stop = self._wanted = self._stopped = False
        self._busy = False
        self._ready = False
        self._retained_at = float("-inf")
        self.engine = connect(url)
        self._file = _sqlite_file(url)
        self._inode = self._file_id()
        self._sleep = native("time", "sleep")
        self._counts = unwritten.start(state) if state is not None else None
        native("_thread", "start_new_thread")(self._run, ())
        atexit.register(self.close)

    def put(self, entry: Entry) -> None:
        """Queue one entry; never blocks, never raises for the database's sake."""
        if len(self._queue) >= self.capacity:
            if self.dropped % 1000 == 0:
                log.error("journal: queue full (%d entries), dropping new entries; %d so far",
                          self.capacity, self.dropped + 1)
            self.dropped += 1
            return
        self._queue.append(entry)
        if self._counts is not None:
            self._counts.add()

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything queued so far is written; False if ``timeout`` passed."""
        deadline = time.monotonic() + timeout
        while self._queue or self._busy:
            if time.monotonic() > deadline:
                return False
            self._wanted = True
            time.sleep(0.01)
        return True

    def close(self, timeout: float = 5.0) -> None:
        """Write what is queued (for at most ``timeout`` seconds) and stop the thread."""
        self._stop = True
        deadline = time.monotonic() + timeout
        while not self._stopped and time.monotonic() < deadline:
            time.sleep(0.01)
        if not self._stopped:
            self._lost(f"stopping after {timeout:g} s with the journal behind")
        if self._counts is not None:  # what was not written is said: nothing left to count
            self._counts.close()

    def _pause(self, seconds: float) -> None:
        """Sleep (the operating system's sleep, even in a gevent worker), cut short when
        ``flush`` or ``close`` asks."""
        end = time.monotonic() + seconds
        while time.monotonic() < end and not (self._wanted or self._stop):
            self._sleep(0.02)
        self._wanted = False

    def _run(self) -> None:
        failures = 0
        while not (self._stop and (not self._queue or failures)):
            if len(self._queue) < self.batch:  # not straight on: tiny batches cost CPU
                self._pause(self.interval)
            try:
                self._write_some()
            except Exception as exc:  # any database trouble: log, keep the entries, retry
                self._busy = False
                failures += 1
                if failures == 1 or failures % 30 == 0:
                    log.error("journal: cannot write to the database (%s); %d entries wait, "
                              "calls go on", _short(exc), len(self._queue))
                self.engine.dispose()
                self._pause(min(2.0, 0.05 * 2 ** failures))
                continue
            if failures:
                log.warning("journal: the database is back; writing what waited")
                failures = 0
        self._lost("stopping while the database cannot be written")
        self._stopped = True

    def _lost(self, why: str) -> None:
        """Say how much of the journal a stop leaves unwritten, and of how many calls."""
        queued = list(self._queue)
        if queued or self.dropped:
            calls = len({entry[2]["sid"] for entry in queued})
            log.error("journal: %s: %d entries of %d calls are lost, and %d were dropped "
                      "earlier with the queue full", why, len(queued), calls, self.dropped)

    def _file_id(self) -> tuple[int, int] | None:
        try:
            info = self._file.stat() if self._file else None
        except OSError:
            return None
        return (info.st_dev, info.st_ino) if info else None

    def _same_file(self) -> None:
        """An SQLite journal deleted or replaced: open the one now at its path (made anew
        with its tables) instead of writing into the deleted file."""
        if self._file is None or self._file_id() == self._inode and self._inode is not None:
            return
        log.warning("journal: %s was deleted or replaced while serving; writing to a new "
                    "journal there (what was written before is in the old file, if kept)",
                    self._file)
        self.engine.dispose()
        self._ready = False

    def _write_some(self) -> None:
        if self._ready:
            self._same_file()
        if not self._ready:
            upgrade(self.engine)
            self._inode = self._file_id()
            self._ready = True
        if time.monotonic() - self._retained_at > MAINTENANCE_EVERY:
            self._maintain()
        if not self._queue:
            return
        self._busy = True
        batch = [self._queue.popleft() for _ in range(min(self.batch, len(self._queue)))]
        try:
            self._write(batch)
            self._written(len(batch))
        except (sa.exc.DataError, sa.exc.IntegrityError):
            self._write_alone(batch)
        except Exception:
            self._queue.extendleft(reversed(batch))
            raise
        finally:
            self._busy = False

    def _maintain(self) -> None:
        """Roll up the settled days, then delete calls past the retention (in that order)."""
        now = self.clock()
        try:
            with self.engine.begin() as connection:
                rolled = tallies.roll_up(connection, now.date())
        except sa.exc.OperationalError as exc:
            if "locked" not in str(exc):
                raise
            # SQLite: another worker of this server is rolling up (it takes the lock first)
            log.info("journal: another worker is storing the daily counts; trying again soon")
            self._retained_at = time.monotonic() - MAINTENANCE_EVERY + 60
            return
        with self.engine.begin() as connection:
            gone = privacy.retain(connection, now, self.retain_days)
        self._retained_at = time.monotonic()
        log.info("journal: %d daily counts stored, %d calls older than %d days deleted",
                 rolled, gone, self.retain_days)

    def _write_alone(self, batch: list[Entry]) -> None:
        """A batch the database refused for its data: write entry by entry, skip the bad;
        if the database fails meanwhile, what is not written yet waits in the queue."""
        for index, entry in enumerate(batch):
            try:
                self._write([entry])
            except (sa.exc.DataError, sa.exc.IntegrityError) as exc:
                log.error("journal: entry of call %s refused (%s); skipped",
                          clean(entry[2]["sid"]), _short(exc))
            except Exception:
                self._queue.extendleft(reversed(batch[index:]))
                raise
            self._written(1)

    def _written(self, entries: int) -> None:
        if self._counts is not None:
            self._counts.done(entries)

    def _write(self, batch: list[Entry]) -> None:
        with self.engine.begin() as connection:
            touched = write(connection, self.secret, batch)
        # the first local day whose calls are all kept, in any zone (UTC+14 at most): the
        # retention deletes calls that started before its cutoff, to the instant
        cutoff = self.clock() - timedelta(days=self.retain_days)
        kept_since = (cutoff + timedelta(hours=14)).date() + timedelta(days=1)
        try:  # apart: the steps are written whatever happens to the figures
            with self.engine.begin() as connection:
                lost = tallies.recount(connection, touched, kept_since)
        except Exception as exc:
            log.error("journal: the figures of days that steps came late for could not be "
                      "counted again (%s): %s", _short(exc),
                      ", ".join(sorted({f"{line} {day}" for line, day in touched}))[:500])
            return
        for line, day in lost:
            log.warning("journal: steps of %s on %s came after that day's figures were "
                        "stored, and the retention may have deleted some of its calls since: "
                        "they are not counted in its figures", line, day)


def _sqlite_file(url: str) -> Path | None:
    """The file of an SQLite journal; None for PostgreSQL or an in-memory database."""
    parsed = sa.make_url(url)
    database = parsed.database if parsed.get_backend_name() == "sqlite" else None
    return Path(database) if database and database != ":memory:" else None


def _short(exc: Exception) -> str:
    """The first line of a database error: its cause, without SQL or parameters."""
    return printable(str(getattr(exc, "orig", None) or exc).strip().splitlines()[0], 200)
