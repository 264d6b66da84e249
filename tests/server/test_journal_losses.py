"""What the journal cannot write is said, with how much: a stop while the database is away,
and an SQLite journal deleted while serving is started anew instead of lost silently."""

from conftest import Journaled

from ivr.server.journal.schema import FILE


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
        (journaled.state / f"{FILE}{suffix}").unlink(missing_ok=True)
    later = journaled.call("2026-11-24T09:10Z", "3", "1", dial=("completed",))
    assert [r[0] for r in journaled.rows("select sid from calls")] == [later]
    assert (journaled.state / FILE).is_file()
    assert "was deleted or replaced while serving; writing to a new journal" in caplog.text
