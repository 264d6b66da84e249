"""The journal's commands: ivr calls, ivr call, ivr stats and ivr journal forget at the edge."""

import sqlalchemy as sa
from click.testing import CliRunner
from conftest import MENUS

from ivr.admin.commands import main


def ivr(journaled, *args: str):
    """Run an ivr command against the journaled app's state directory."""
    assert journaled.writer.flush(10)
    return CliRunner().invoke(main, [*args[:1], "--menus", str(MENUS), "--state",
                                     str(journaled.state), *args[1:]])


def test_calls_lists_the_latest_calls_with_their_outcome(journaled):
    """ivr calls shows each call's local start, outcome and node, newest first."""
    journaled.call("2026-11-24T09:00Z", "3", "1", dial=("completed",))
    journaled.call("2026-11-24T09:14Z", "3", hangup_after=30)
    result = ivr(journaled, "calls", "orebro-kommunsupport", "--last", "5")
    assert result.exit_code == 0, result.output
    rows = result.output.splitlines()[1:]
    assert rows[0].startswith("2026-11-24 10:14:00")
    assert rows[0].endswith("caller-hung-up at business-systems")
    assert rows[1].startswith("2026-11-24 10:00:00")
    assert rows[1].endswith("reached at tes-desk")


def test_call_shows_one_calls_path(journaled):
    """ivr call CALLSID prints each step: the node, what came, where it went."""
    sid = journaled.call("2026-11-24T09:00Z", "4", dial=("no-answer",))
    result = ivr(journaled, "call", sid)
    assert result.exit_code == 0, result.output
    assert "outcome: line-ended at goodbye" in result.output
    assert "10:00:00  it-desk              dial no-answer +46701740606 -> goodbye (end)" \
        in result.output


def test_unknown_line_and_call_are_clear_errors(journaled):
    """A line without calls, or an unknown CallSid, is a usage error naming what is known."""
    journaled.call("2026-11-24T09:00Z", "4")
    result = ivr(journaled, "calls", "nosuch")
    assert result.exit_code == 2
    assert "no calls of line 'nosuch'" in result.output
    assert "orebro-kommunsupport" in result.output
    assert ivr(journaled, "call", "CAnope").exit_code == 2


def test_a_served_line_without_calls_yet_has_zero_figures(journaled):
    """A line in the menus folder that nobody has called yet: zero calls, not an error."""
    journaled.call("2026-11-24T09:00Z", "4")
    stats = ivr(journaled, "stats", "brukarstotte", "--json")
    assert stats.exit_code == 0, stats.output
    assert '"calls": 0' in stats.output
    calls = ivr(journaled, "calls", "brukarstotte")
    assert calls.exit_code == 0, calls.output


def test_a_database_url_the_journal_cannot_use_is_a_wrong_argument(tmp_path):
    """Garbage, another database or a missing SQLite file: one line, nothing created."""
    for url, said in [("nonsense", "'nonsense' is not a database the journal can use"),
                      ("mysql://u@h/d", "mysql://u@h/d is not a database the journal can use"),
                      (f"sqlite:///{tmp_path}/none/j.sqlite3", "no journal at")]:
        result = CliRunner().invoke(main, ["stats", "orebro-kommunsupport", "--menus",
                                           str(MENUS), "--database", url])
        assert result.exit_code in (1, 2) and said in result.output, result.output
        assert "Traceback" not in result.output
    assert not (tmp_path / "none").exists()


def test_no_journal_yet_says_where_it_looked(tmp_path):
    """Without a journal, the commands say where they looked and what writes one."""
    result = CliRunner().invoke(main, ["calls", "orebro-kommunsupport", "--menus", str(MENUS),
                                       "--state", str(tmp_path)])
    assert result.exit_code == 1
    assert f"no journal in {tmp_path}" in result.output


def test_unreachable_database_is_a_clear_error(tmp_path):
    """A database that cannot be reached is one line naming it, password hidden."""
    result = CliRunner().invoke(main, ["calls", "x", "--database",
                                       "postgresql://ivr:secret@127.0.0.1:9/ivr"])
    assert result.exit_code == 1
    assert "cannot open the journal at postgresql://ivr:***@127.0.0.1:9/ivr" \
        in result.output
    assert "secret" not in result.output


def test_readme_call_example_is_what_ivr_call_prints(tmp_path, clock, monkeypatch):
    """The README's `ivr call` example is the command's real output for that call."""
    from datetime import timedelta

    from conftest import Journaled, utc
    from test_readme import blocks

    monkeypatch.setenv("IVR_JOURNAL_KEY", "readme-example-key")
    made = Journaled(clock, tmp_path / "state")
    client, sid = made.app.test_client(), "CA0123456789abcdef0123456789abcdef"
    form = {"To": "+4619212000", "From": "+46701234567", "CallSid": sid}
    clock.now = utc("2026-11-24T09:14:02Z")
    for url, extra, seconds in [
            ("/voice", {}, 9), ("/gather?line=orebro-kommunsupport&node=main-menu",
                                {"Digits": "4"}, 22),
            ("/dial?line=orebro-kommunsupport&node=it-desk", {"DialCallStatus": "no-answer"}, 16),
            ("/status", {"CallStatus": "completed", "CallDuration": "47"}, 0)]:
        client.post(url, data={**form, **extra})
        clock.now += timedelta(seconds=seconds)
    result = ivr(made, "call", sid)
    made.writer.close()
    assert result.output == next(b for b in blocks("text") if b.startswith(f"call {sid}"))


def test_calls_leaves_test_calls_out_unless_asked(journaled):
    """ivr calls lists real calls only; --include-tests adds the test calls too."""
    real = journaled.call("2026-11-24T09:00Z", "4")
    rehearsal = journaled.call("2026-11-24T09:10Z", "4")
    journaled.rows("select 1")  # everything written
    with journaled.writer.engine.begin() as connection:
        connection.execute(sa.text("update calls set test = :yes where sid = :sid"),
                           {"yes": True, "sid": rehearsal})
    plain = ivr(journaled, "calls", "orebro-kommunsupport")
    assert plain.exit_code == 0, plain.output
    assert len(plain.output.splitlines()) == 2 and "10:00:00" in plain.output
    both = ivr(journaled, "calls", "orebro-kommunsupport", "--include-tests")
    assert len(both.output.splitlines()) == 3 and "10:10:00" in both.output
    assert real != rehearsal


def test_values_from_requests_reach_the_terminal_escaped(journaled):
    """A CallSid with an escape sequence is shown escaped by ivr calls and ivr call."""
    sid = "CA\x1b[31mred"
    journaled.app.test_client().post("/voice", data={"To": "+4619212000", "CallSid": sid,
                                                     "From": "+46701234567"})
    for result in (ivr(journaled, "calls", "orebro-kommunsupport"), ivr(journaled, "call", sid)):
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output and "CA\\x1b[31mred" in result.output


def test_calls_with_only_test_calls_says_they_are_left_out(tmp_path, clock):
    """A journal of test calls only: ivr calls says why it lists none, and how to see them."""
    from conftest import Journaled

    made = Journaled(clock, tmp_path / "state", TEST_CLOCK=True)
    made.app.test_client().post("/voice", data={"To": "+4619212000", "CallSid": "CAt"},
                                headers={"X-Ivr-Clock": "2026-06-01T10:00:00+02:00"})
    result = ivr(made, "calls", "orebro-kommunsupport")
    made.writer.close()
    assert result.exit_code == 0 and "add --include-tests" in result.stderr
    assert "CAt" in ivr(made, "calls", "orebro-kommunsupport", "--include-tests").output
