"""The call journal: every step of a call through the webhooks, written off the request path."""

import itertools
import sqlite3
import time

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import MENUS, utc

from ivr.journal.merge import combine, upsert
from ivr.journal.schema import calls, connect, metadata, upgrade


def test_a_call_is_one_row_and_its_steps(journaled):
    """Each webhook is a step (node, event, keys, dial outcome, where it went); one call row."""
    sid = journaled.call("2026-11-24T09:00Z", "3", "1", dial=("completed",))
    steps = journaled.rows("select node, event, detail, result, number, to_node, action "
                           "from steps where sid = :sid order by id", sid=sid)
    assert [tuple(s) for s in steps] == [
        (None, "start", None, None, None, "main-menu", "ask"),
        ("main-menu", "keys", "3", "option", None, "business-systems", "ask"),
        ("business-systems", "keys", "1", "option", None, "tes-desk", "connect"),
        ("tes-desk", "dial", "completed", "answered", "+46701740605", "tes-desk", "end")]
    (call,) = journaled.rows("select line, day, how, reached, last_action from calls")
    assert tuple(call) == ("orebro-kommunsupport", "2026-11-24", 24 + 10, "tes-desk", "end")


def test_steps_get_the_local_day_and_hour_at_midnight_and_dst_edges(journaled):
    """Day and hour of the week are Stockholm's, a minute before and at midnight and DST."""
    for at in ("2026-11-24T22:59Z", "2026-11-24T23:00Z", "2026-03-29T00:59Z",
               "2026-03-29T01:00Z", "2026-10-25T00:59Z", "2026-10-25T01:00Z"):
        journaled.call(at)
    rows = journaled.rows("select day, how from steps order by at_ms")
    assert [tuple(r) for r in rows] == [
        ("2026-03-29", 6 * 24 + 1), ("2026-03-29", 6 * 24 + 3),  # 01:59 CET, 03:00 CEST
        ("2026-10-25", 6 * 24 + 2), ("2026-10-25", 6 * 24 + 2),  # 02:59 CEST, 02:00 CET
        ("2026-11-24", 24 + 23), ("2026-11-25", 2 * 24)]  # Tuesday 23:59, Wednesday 00:00


def test_the_status_callback_records_the_end_and_duration(journaled):
    """A caller hanging up in a menu: the status callback gives the end and its duration."""
    sid = journaled.call("2026-11-24T09:00Z", "3", hangup_after=41)
    (call,) = journaled.rows("select status, duration, ended_ms, last_node from calls "
                             "where sid = :sid", sid=sid)
    assert tuple(call) == ("completed", 41, int(utc("2026-11-24T09:00Z").timestamp() * 1000),
                           "business-systems")


def test_a_failing_step_is_journaled_as_an_error(journaled):
    """When a step fails the caller hears the apology and the call is marked as an error."""
    good = journaled.app.config["CLOCK"]
    journaled.app.config["CLOCK"] = lambda: 1 / 0
    try:
        journaled.app.test_client().post("/voice", data={"To": "+4619212000", "CallSid": "CAx",
                                                         "From": "+46701234567"})
    finally:
        journaled.app.config["CLOCK"] = good
    assert [tuple(r) for r in journaled.rows("select sid, error from calls")] == [("CAx", 1)]


def test_a_bug_in_recording_a_step_never_reaches_the_caller(journaled, monkeypatch, caplog):
    """Making the journal's entry fails: the caller still hears the menu; the bug is logged."""
    from ivr.server import journaling as hooks

    def broken(seen):
        raise RuntimeError("bug")

    monkeypatch.setattr(hooks, "entry", broken)
    answer = journaled.app.test_client().post(
        "/voice", data={"To": "+4619212000", "CallSid": "CAbug", "From": "+46701234567"})
    assert answer.status_code == 200 and b"<Gather" in answer.data
    assert "a step of call CAbug cannot be recorded" in caplog.text


def test_an_entry_fills_the_steps_columns_in_order():
    """The rows webhooks queue are written by position: their columns are the table's."""
    from ivr.journal.entries import STEP_COLUMNS
    from ivr.journal.schema import steps

    assert STEP_COLUMNS == tuple(column.name for column in steps.c if column.name != "id")


def test_a_locked_database_never_delays_a_call(journaled):
    """While another process holds the database, calls answer at once; the journal catches up."""
    journaled.call("2026-11-24T09:00Z", "4")
    assert journaled.writer.flush(10)
    blocker = sqlite3.connect(journaled.state / "journal.sqlite3", isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        for _ in range(5):
            journaled.call("2026-11-24T09:05Z", "3", "1", dial=("busy",))
        assert time.monotonic() - started < 2
        assert not journaled.writer.flush(0.5)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert journaled.rows("select count(*) from calls")[0][0] == 6


def test_test_clock_calls_are_marked(tmp_path, clock):
    """A call made with a tester's clock (X-Ivr-Clock) is journaled as a test call."""
    from conftest import Journaled

    made = Journaled(clock, tmp_path / "state", TEST_CLOCK=True)
    client = made.app.test_client()
    form = {"To": "+4619212000", "CallSid": "CAtest", "From": "+46701234567"}
    client.post("/voice", data=form, headers={"X-Ivr-Clock": "2026-06-01T10:00:00+02:00"})
    client.post("/voice", data={**form, "CallSid": "CAreal"})
    assert sorted(tuple(r) for r in made.rows("select sid, test, day from calls")) == [
        ("CAreal", 0, "2026-11-24"), ("CAtest", 1, "2026-06-01")]
    made.writer.close()


def test_in_process_ivr_sim_writes_no_journal(tmp_path, monkeypatch):
    """ivr-sim's in-process server keeps no journal: no database, no key."""
    import shutil

    from click.testing import CliRunner

    from ivr.sim.ivrsim import main

    shutil.copytree(MENUS, tmp_path / "menus")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("IVR_STATE")
    result = CliRunner().invoke(main, ["--at", "2026-11-24 10:15", "--press", "3", "1"])
    assert result.exit_code == 0
    assert not list(tmp_path.rglob("journal*"))


def test_hostile_values_never_block_the_journal(journaled):
    """A huge CallSid, node name or duration is cut or dropped; later entries still land."""
    client = journaled.app.test_client()
    form = {"To": "+4619212000", "CallSid": "CA" + "x" * 500, "From": "1" * 300}
    client.post("/gather?line=orebro-kommunsupport&node=" + "n" * 500, data=form)
    client.post("/status", data={**form, "CallStatus": "c" * 99, "CallDuration": "9" * 40})
    sid = journaled.call("2026-11-24T09:00Z", "4")
    assert {r[0] for r in journaled.rows("select sid from calls")} == {"CA" + "x" * 62, sid}


def test_a_calls_rows_combine_in_any_order(tmp_path):
    """Steps and the status callback may arrive in any order: the stored call is the same."""
    base = {"sid": "CA1", "line": "l", "caller": None, "test": False, "day": "2026-11-24",
            "how": 34, "last_node": None, "last_action": None, "end_kind": None,
            "reached": None, "closed": False, "error": False, "first_ring_ms": None,
            "ended_ms": None, "duration": None, "status": None}
    parts = [
        {**base, "started_ms": 1000, "last_ms": 1000, "last_node": "main", "last_action": "ask",
         "caller": "abc"},
        {**base, "started_ms": 5000, "last_ms": 5000, "last_node": "desk",
         "last_action": "connect", "first_ring_ms": 5000, "day": "2026-11-25", "how": 40},
        {**base, "started_ms": 9000, "last_ms": 9000, "last_node": "desk", "last_action": "end",
         "end_kind": "reached", "reached": "desk", "closed": True},
        {**base, "started_ms": 9500, "last_ms": None, "ended_ms": 9500, "duration": 9,
         "status": "completed"}]
    engine = connect(f"sqlite:///{tmp_path / 'j.sqlite3'}")
    upgrade(engine)
    stored = set()
    for order in itertools.permutations(parts):
        with engine.begin() as connection:
            connection.execute(sa.delete(calls))
            for part in order:
                upsert(connection, [part])
            stored.add(tuple(connection.execute(sa.select(calls)).one()))
        folded = order[0]
        for part in order[1:]:
            folded = combine(folded, part)
        assert tuple(folded[c.name] for c in calls.c) in stored
    assert stored == {("CA1", "l", "abc", False, 1000, "2026-11-24", 34, 9000, "desk", "end",
                       "reached", "desk", True, False, 5000, 9500, 9, "completed")}


def test_the_migrations_build_the_tables_the_code_uses(tmp_path):
    """Alembic's migrations and the tables in schema.py agree, column for column."""
    engine = connect(f"sqlite:///{tmp_path / 'j.sqlite3'}")
    upgrade(engine)
    upgrade(engine)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []


def test_head_is_alembics_newest_migration():
    """schema.HEAD, which lets an up-to-date journal skip Alembic, is the newest migration."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from ivr.journal.schema import HEAD

    config = Config()
    config.set_main_option("script_location", "ivr.journal:migrations")
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD


def test_a_call_twilio_sends_to_the_fallback_is_an_error_not_a_hang_up(journaled):
    """The main webhook failed and Twilio asked the fallback: the caller heard the apology,
    so the call counts as an error even after its status callback."""
    form = {"To": "+4619212000", "CallSid": "CAfallback", "From": "+46701234567",
            "ErrorCode": "11200"}
    client = journaled.app.test_client()
    client.post("/fallback", data=form)
    client.post("/status", data={**form, "CallStatus": "completed", "CallDuration": "9"})
    assert journaled.writer.flush(10)
    (call,) = journaled.rows("select error, status from calls where sid = 'CAfallback'")
    assert tuple(call) == (1, "completed")


def test_a_duration_of_other_digits_is_no_duration_and_no_error(journaled):
    """CallDuration '²' (a digit to str.isdigit, not to int): the end is recorded without a
    duration, and the call is not marked an error."""
    form = {"To": "+4619212000", "CallSid": "CAsup", "From": "+46701234567"}
    response = journaled.app.test_client().post(
        "/status", data={**form, "CallStatus": "completed", "CallDuration": "²"})
    assert response.status_code == 200
    assert journaled.writer.flush(10)
    (call,) = journaled.rows("select status, duration, error from calls where sid = 'CAsup'")
    assert tuple(call) == ("completed", None, 0)


def test_a_database_failing_while_a_refused_batch_is_written_entry_by_entry_loses_nothing(
        journaled):
    """One entry refused, then the database gone: the entries not yet written wait in the
    queue, in order, for the next try."""
    journaled.writer.close()  # its thread stopped: this test writes by hand
    entries = [("+46701234567", None, {"sid": f"CA{n}"}) for n in range(5)]
    written = []

    def write(batch):
        if len(batch) > 1:
            raise sa.exc.IntegrityError("insert", {}, Exception("one bad entry"))
        if batch[0][2]["sid"] == "CA2":
            raise sa.exc.OperationalError("insert", {}, Exception("database gone"))
        written.append(batch[0][2]["sid"])

    journaled.writer._write = write
    journaled.writer._queue.extend(entries)
    with pytest.raises(sa.exc.OperationalError):
        journaled.writer._write_some()
    assert written == ["CA0", "CA1"]
    assert [entry[2]["sid"] for entry in journaled.writer._queue] == ["CA2", "CA3", "CA4"]


def test_a_roll_up_another_worker_holds_is_tried_again_soon_without_an_error(
        journaled, monkeypatch, caplog):
    """SQLite, workers starting together: one rolls up, the others find the journal locked;
    they say so at INFO and try again within a minute, not as a database failure."""
    from ivr.journal import tallies, writer

    def locked(connection, today):
        raise sa.exc.OperationalError("roll up", {}, Exception("database is locked"))

    journaled.writer.close()
    caplog.set_level("INFO", logger="ivr.journal.writer")
    monkeypatch.setattr(tallies, "roll_up", locked)
    journaled.writer._maintain()
    assert "another worker is storing the daily counts" in caplog.text
    assert "ERROR" not in caplog.text
    waited = time.monotonic() - journaled.writer._retained_at
    assert writer.MAINTENANCE_EVERY - 61 < waited < writer.MAINTENANCE_EVERY - 59


@pytest.mark.parametrize("url", ["postgresql://u@h/d", "postgres://u@h/d",
                                 "postgres+psycopg://u@h/d", "postgresql+psycopg://u@h/d"])
def test_every_postgresql_url_the_check_admits_opens_with_psycopg(url):
    """What checked_url lets through, connect opens with psycopg 3 (nothing is reached yet)."""
    from ivr.journal.schema import checked_url

    assert connect(checked_url(url)).url.drivername == "postgresql+psycopg"
