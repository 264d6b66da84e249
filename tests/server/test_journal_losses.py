"""What the journal cannot write is said, with how much (a stop while the database is away;
an SQLite journal deleted while serving is started anew instead of lost silently; a worker
killed hard has what it lost counted by the next), and what
is no call of the line's stays out of its figures (status callbacks alone, replays)."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from conftest import Journaled
from test_journal_stats import stats

from ivr.journal.statedir import StateDir
from ivr.journal.unwritten import collect


def test_a_stop_while_the_database_is_away_says_how_much_is_lost(tmp_path, clock, caplog):
    """The database cannot be written at the stop: the log says how many entries of how
    many calls are lost, instead of dropping the queue in silence."""
    (tmp_path / "db").mkdir()  # a folder where the SQLite file should be: it cannot open
    journaled = Journaled(clock, tmp_path / "state",
                          DATABASE_URL=f"sqlite:///{tmp_path / 'db'}")
    for _ in range(3):
        journaled.call("2026-11-24T09:05Z", "3", "1", dial=("completed",))
    journaled.writer.close(timeout=5)
    assert "journal: stopping while the database cannot be written: " in caplog.text
    assert " entries of 3 calls are lost, and 0 were dropped earlier" in caplog.text


def test_a_deleted_sqlite_journal_is_started_anew(journaled, caplog):
    """The journal file deleted while serving: the next calls are written to a new journal
    at the same path (the old writes went with the file), and the log says so."""
    first = journaled.call("2026-11-24T09:05Z", "3", "1", dial=("completed",))
    assert [r[0] for r in journaled.rows("select sid from calls")] == [first]
    for suffix in ("", "-wal", "-shm"):
        Path(f"{StateDir(journaled.state).journal}{suffix}").unlink(missing_ok=True)
    later = journaled.call("2026-11-24T09:10Z", "3", "1", dial=("completed",))
    assert [r[0] for r in journaled.rows("select sid from calls")] == [later]
    assert StateDir(journaled.state).journal.is_file()
    assert "was deleted or replaced while serving; writing to a new journal" in caplog.text


def test_a_status_callback_for_a_call_never_answered_is_no_call(journaled):
    """Status callbacks for CallSids no webhook of ours saw (forged, or another app's
    number) are not counted as calls, and a duration past a day is not trusted."""
    client = journaled.app.test_client()
    for n in range(3):
        client.post("/status", data={"CallSid": f"CAghost{n}", "To": "+4619212000",
                                     "From": "+46701234567", "CallStatus": "completed",
                                     "CallDuration": "99999999"})
    sid = journaled.call("2026-11-24T09:05Z", "3", "1", dial=("completed",))
    client.post("/status", data={"CallSid": sid, "To": "+4619212000", "CallStatus":
                                 "completed", "CallDuration": "86401"})
    assert stats(journaled)["calls"] == 1
    assert journaled.rows("select duration from calls where sid = :sid", sid=sid) == [(None,)]


def test_a_step_replayed_after_the_call_ended_is_kept_out_of_the_figures(journaled):
    """A signed webhook replayed after the call's end (its status callback) neither adds
    key presses nor changes how the call ended."""
    sid = journaled.call("2026-11-24T09:05Z", "3", "1", dial=("completed",), hangup_after=60)
    figures = stats(journaled)
    ended = journaled.rows("select last_node, end_kind from calls where sid = :sid", sid=sid)
    journaled.clock.now += timedelta(minutes=5)
    client = journaled.app.test_client()
    for _ in range(4):
        client.post("/gather?line=orebro-kommunsupport&node=main",
                    data={"CallSid": sid, "To": "+4619212000", "From": "+46701234567",
                          "Digits": "4"})
    assert stats(journaled)["menus"] == figures["menus"]
    assert journaled.rows("select last_node, end_kind from calls where sid = :sid",
                          sid=sid) == ended
    assert len(journaled.rows("select id from steps where sid = :sid", sid=sid)) > 4


KILLED_WORKER = """
import sys, time
from datetime import UTC, datetime
from pathlib import Path
from ivr.journal.writer import Writer
state = Path(sys.argv[1])
writer = Writer(f"sqlite:///{state / 'journal.sqlite3'}", secret=b"k" * 32, state=state,
                clock=lambda: datetime.now(UTC), interval=3600)
for n in range(7):
    writer.put(("+46701234567", None, {"sid": f"CA{n}"}))
print("queued", flush=True)
time.sleep(60)
"""


def test_a_worker_killed_hard_has_its_lost_entries_counted_by_the_next(
        tmp_path, clock, caplog):
    """SIGKILL takes a worker's queue with it; the next writer on its state directory (the
    worker gunicorn starts in its place) logs how many entries were lost, once."""
    state = tmp_path / "state"
    state.mkdir()
    worker = subprocess.Popen([sys.executable, "-c", KILLED_WORKER, str(state)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert worker.stdout.readline() == "queued\n"
        assert collect(state) == 0  # running: its file is locked, not taken
    finally:
        worker.kill()
        worker.wait(10)
    replacement = Journaled(clock, state)
    assert (f"journal: a worker (process {worker.pid}) ended without writing its queue, "
            "killed or out of memory: 7 entries of its calls are lost") in caplog.text
    assert [p.name.split("-")[0] for p in StateDir(state).queues.iterdir()] == [str(os.getpid())]
    assert collect(state) == 0
    replacement.writer.close()
    assert list(StateDir(state).queues.iterdir()) == []


WRITTEN_WORKER = KILLED_WORKER.replace("interval=3600", "interval=0.01").replace(
    'print("queued"', 'time.sleep(0.5)\nprint("queued"')


def test_a_worker_killed_hard_with_its_queue_written_is_told_of_too(tmp_path, clock, caplog):
    """A kill after the writer wrote everything loses nothing, and the log says so: the
    operator who saw the kill need not wonder."""
    state = tmp_path / "state"
    state.mkdir()
    worker = subprocess.Popen([sys.executable, "-c", WRITTEN_WORKER, str(state)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert worker.stdout.readline() == "queued\n"
    finally:
        worker.kill()
        worker.wait(10)
    assert collect(state) == 0
    assert (f"journal: a worker (process {worker.pid}) ended without stopping, killed or out "
            "of memory; its queue was written: no entry lost") in caplog.text


def test_a_worker_stopped_normally_leaves_nothing_counted_as_lost(tmp_path, clock, caplog):
    """Written at the stop: the next writer finds no count and logs no loss."""
    first = Journaled(clock, tmp_path / "state")
    first.call("2026-11-24T09:05Z", "3", "1", dial=("completed",))
    first.writer.close()
    Journaled(clock, tmp_path / "state").writer.close()
    assert "ended without writing its queue" not in caplog.text


def test_a_state_directory_that_cannot_hold_the_counts_costs_no_call(tmp_path, clock, caplog):
    """journal-queues taken by a file: a warning, and calls are journaled all the same."""
    (tmp_path / "state").mkdir()
    StateDir(tmp_path / "state").queues.write_text("not a folder")
    journaled = Journaled(clock, tmp_path / "state")
    sid = journaled.call("2026-11-24T09:05Z", "3", "1", dial=("completed",))
    assert [r[0] for r in journaled.rows("select sid from calls")] == [sid]
    assert "journal: cannot count the queue in " in caplog.text
    journaled.writer.close()
