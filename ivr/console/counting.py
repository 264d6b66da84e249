"""Statistics counted off the request path: results kept, the counting in a thread.

Counting a busy line's month in a journal of a million calls keeps the database busy for
seconds, and a page must answer in well under 200 ms. So a page asks the ``Counter``:
figures counted less than ``fresh`` seconds ago come back at once; otherwise a count starts
in a background thread (unless one for the same question is running) and the page waits
at most ``wait`` seconds for it. A quiet line's figures arrive in time; a busy line's page
shows the older figures, or says they are being counted. One count runs at a time per
worker, so the console never competes with the journal's writer more than that. The thread
is the operating system's even in a gevent worker (``watch.native``): a count in a greenlet
would hold every call the worker answers until it finished.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

from ivr.journal.background import native

log = logging.getLogger(__name__)
Key = TypeVar("Key", bound=Hashable)


@dataclass(frozen=True)
class Counted:
    """What a page gets: figures (None if never counted yet), their age, a failure."""

    figures: dict | None
    age: float | None
    counting: bool
    failed: bool = False


class Counter(Generic[Key]):
    """Answers from kept counts; counts again, in the background, what is missing or old."""

    def __init__(self, count: Callable[[Key], dict], *, fresh: float = 60.0,
                 wait: float = 0.1, keep: int = 64, running: int = 8) -> None:
        self._count = count
        self.fresh = fresh
        self.wait = wait
        self.keep = keep
        self._most_running = running
        self._done: OrderedDict[Key, tuple[float, dict | None]] = OrderedDict()
        self._running: set[Key] = set()
        lock = native("_thread", "allocate_lock")
        self._lock = lock()
        self._one = lock()

    def get(self, key: Key) -> Counted:
        """The figures for ``key`` now, waiting at most ``wait`` seconds for a new count."""
        done = self._started(key)
        if done is None or self._stale(done):
            deadline = time.monotonic() + self.wait
            while time.monotonic() < deadline and self._done.get(key) is done:
                time.sleep(0.005)
            done = self._done.get(key)
        if done is None:
            return Counted(None, None, key in self._running)
        return Counted(done[1], time.monotonic() - done[0], key in self._running,
                       failed=done[1] is None)

    def _stale(self, done: tuple[float, dict | None]) -> bool:
        return done[1] is None or time.monotonic() - done[0] > self.fresh

    def _started(self, key: Key) -> tuple[float, dict | None] | None:
        """What is kept for ``key``, after starting a count if it is missing or old."""
        with self._lock:
            done = self._done.get(key)
            if (done is None or self._stale(done)) and key not in self._running \
                    and len(self._running) < self._most_running:
                self._running.add(key)
                native("_thread", "start_new_thread")(self._run, (key,))
            return done

    def _run(self, key: Key) -> None:
        try:
            with self._one:
                figures = self._count(key)
        except Exception:  # a count that fails is shown as such, and tried again next time
            log.exception("counting the statistics for %s failed", key)
            figures = None
        with self._lock:
            self._done[key] = (time.monotonic(), figures)
            self._done.move_to_end(key)
            while len(self._done) > self.keep:
                self._done.popitem(last=False)
            self._running.discard(key)
