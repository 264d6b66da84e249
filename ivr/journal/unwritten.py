"""A worker's count of journal entries queued and not yet written, kept where a hard kill
cannot take it.

A worker killed hard (SIGKILL, the out-of-memory killer) loses what its writer had queued,
up to about half a second of its calls; nothing in the worker can write it then. Its count
survives it: two numbers, entries queued and entries written, in a small file of its own in
the state directory, mapped into memory so that counting costs a webhook no system call,
and locked (``flock``) for as long as the worker lives. The kernel drops the lock of a
process however it ends, so the next writer to start on that state directory (gunicorn
starts one in the killed worker's place, a restarted server starts several) takes the file
of a worker that is gone and logs how many entries it lost.
"""

from __future__ import annotations

import fcntl
import logging
import mmap
import os
import secrets
import stat
import struct
import threading
from pathlib import Path

from ivr.journal.statedir import StateDir

log = logging.getLogger(__name__)
COUNTS = struct.Struct("<QQ")
"""Entries queued, entries written (or refused for their data): what a file holds."""


class Unwritten:
    """This worker's two counts, in its own locked, memory-mapped file."""

    def __init__(self, state: Path) -> None:
        folder = StateDir(Path(state)).queues
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{os.getpid()}-{secrets.token_hex(4)}"
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.ftruncate(self._fd, COUNTS.size)
        self._map = mmap.mmap(self._fd, COUNTS.size)
        self._lock = threading.Lock()  # webhooks of a threaded worker count at once
        self.queued = self.written = 0

    def add(self) -> None:
        """One entry queued."""
        with self._lock:
            self.queued += 1
            if not self._map.closed:
                COUNTS.pack_into(self._map, 0, self.queued, self.written)

    def done(self, entries: int) -> None:
        """``entries`` written, or refused by the database for their data (so not lost)."""
        with self._lock:
            self.written += entries
            if not self._map.closed:
                COUNTS.pack_into(self._map, 0, self.queued, self.written)

    def close(self) -> None:
        """A stop that said what it could not write: the file has nothing more to tell."""
        with self._lock:
            if self._map.closed:
                return
            try:
                self.path.unlink()
            except OSError:
                pass
            self._map.close()
            os.close(self._fd)


def start(state: Path) -> Unwritten | None:
    """Tell what gone workers lost, then count this one's queue; None (and a warning) when
    the state directory cannot hold the counts: the journal goes on without them."""
    try:
        collect(state)
        return Unwritten(state)
    except OSError as exc:
        log.warning("journal: cannot count the queue in %s (%s): what a hard kill loses will "
                    "not be told", state, exc)
        return None


def collect(state: Path) -> int:
    """Log, and remove, the counts left by workers of ``state`` that are gone without
    writing their queue; how many entries they lost in all."""
    folder, lost = StateDir(Path(state)).queues, 0
    try:
        left = sorted(folder.iterdir())
    except OSError:
        return 0
    for path in left:
        try:  # without waiting: a FIFO put here by hand must not hold a booting worker
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        except OSError:
            continue  # another worker took it meanwhile
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            log.warning("journal: %s is not a count a worker left; ignored", path)
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # its worker is running
        try:
            data = os.read(fd, COUNTS.size)
            path.unlink()
        except OSError:
            continue
        finally:
            os.close(fd)
        queued, written = COUNTS.unpack(data) if len(data) == COUNTS.size else (0, 0)
        pid = path.name.split("-")[0]
        if queued <= written:
            log.warning("journal: a worker (process %s) ended without stopping, killed or out "
                        "of memory; its queue was written: no entry lost", pid)
        else:
            log.error("journal: a worker (process %s) ended without writing its queue, "
                      "killed or out of memory: %d entries of its calls are lost",
                      pid, queued - written)
            lost += queued - written
    return lost
