"""ivr stats: every figure checked against calls whose outcome the test knows."""

import json

import pytest
from click.testing import CliRunner
from conftest import MENUS, Journaled, utc

from ivr.admin.commands import main

A, B, C, D, E, F = (f"+4670100000{n}" for n in range(6))
CALLS = [  # caller, UTC instant (local is +1 h), keys, dial outcomes, hang-up after (s)
    (A, "2026-11-24T09:00Z", ("3", "1"), ("completed",), None),  # reached tes-desk, rang at 20 s
    (B, "2026-11-24T11:15Z", ("4",), (), None),                  # IT lunch: after-hours
    (C, "2026-11-24T09:30Z", ("9", "9", "9"), (), None),         # invalid-limit at main-menu
    (A, "2026-11-24T09:50Z", ("3",), (), 20),                    # hung up; A again within 24 h
    (D, "2026-11-24T13:00Z", ("4",), ("no-answer",), None),      # IT desk no answer: line-ended
    (E, "2026-11-24T09:40Z", ("-", "-", "-"), (), None),         # no-input-limit at main-menu
    (F, "2026-11-24T19:00Z", ("3", "1", "2", "1"), ("completed",), None),  # after hours: SOS
    (B, "2026-11-25T10:00Z", ("4",), ("busy",), None),           # IT desk busy; B again, 22¾ h
    (C, "2026-11-26T09:30Z", ("4",), ("completed",), None),      # reached it-desk; C after 48 h
]


@pytest.fixture
def known(journaled):
    """The journaled app after the calls of CALLS, ten seconds a step."""
    for caller, at, keys, dial, hangup in CALLS:
        journaled.call(at, *keys, caller=caller, dial=dial, hangup_after=hangup, tick=10)
    assert journaled.writer.flush(10)
    return journaled


def stats(journaled, *args: str) -> dict:
    """``ivr stats orebro-kommunsupport --json`` over the journaled app's journal."""
    assert journaled.writer.flush(10)
    result = CliRunner().invoke(main, ["stats", "orebro-kommunsupport", "--json", "--menus",
                                       str(MENUS), "--state", str(journaled.state), *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_calls_per_day_and_hour_of_week(known):
    """Calls are counted on their local day and in their local hour of the week."""
    figures = stats(known)
    assert figures["calls"] == 9
    assert figures["per_day"] == {"2026-11-24": 7, "2026-11-25": 1, "2026-11-26": 1}
    week = figures["by_hour_of_week"]
    assert (week["tue"][10], week["tue"][12], week["tue"][14], week["tue"][20]) == (4, 1, 1, 1)
    assert (week["wed"][11], week["thu"][10], sum(map(sum, week.values()))) == (1, 1, 9)


def test_outcomes_and_where_they_happened(known):
    """Each call has one outcome, at the desk that answered or the node it ended at."""
    figures = stats(known)
    assert figures["outcomes"] == {"reached": 3, "after-hours": 1, "line-ended": 2,
                                   "caller-hung-up": 1, "no-input-limit": 1,
                                   "invalid-limit": 1, "error": 0, "in-progress": 0}
    assert figures["outcomes_by_node"] == {
        "reached": {"it-desk": 1, "sos-alarm": 1, "tes-desk": 1},
        "after-hours": {"goodbye": 1}, "line-ended": {"goodbye": 2},
        "caller-hung-up": {"business-systems": 1}, "no-input-limit": {"main-menu": 1},
        "invalid-limit": {"main-menu": 1}}


def test_menus_keys_rates_and_abandonment(known):
    """Per menu: keys pressed, wrong-key and silence rates, callers who hung up there."""
    menus = stats(known)["menus"]
    assert menus["main-menu"] == {"answers": 13, "keys": {"3": 3, "4": 4, "9": 3},
                                  "invalid": 3, "no_input": 3, "invalid_rate": 0.2308,
                                  "no_input_rate": 0.2308, "abandoned": 0}
    assert menus["business-systems"]["keys"] == {"1": 2}
    assert menus["business-systems"]["abandoned"] == 1
    assert menus["tes-after-hours"]["answers"] == 1


def test_dial_targets_by_outcome_and_hour(known):
    """Per desk: each ring's outcome, and by local hour, so an unanswered hour shows."""
    targets = {t["node"]: t for t in stats(known)["dial_targets"]}
    it = targets["it-desk"]
    assert (it["number"], it["attempts"], it["answered"], it["busy"], it["no-answer"]) == \
        ("+46701740606", 3, 1, 1, 1)
    assert {hour: {k: v for k, v in slot.items() if v} for hour, slot in it["by_hour"].items()} \
        == {"10": {"answered": 1}, "11": {"busy": 1}, "14": {"no-answer": 1}}
    assert targets["tes-desk"]["answered"] == targets["sos-alarm"]["answered"] == 1


def test_repeat_callers_and_time_to_ring(known):
    """A and B called again within 24 h (C after 48 h does not count); rings at 10 and 20 s."""
    figures = stats(known)
    assert figures["repeat_callers_24h"] == {"calls": 2}
    assert figures["median_seconds_to_ring"] == 10.0


def test_from_and_to_are_local_days(known):
    """--from/--to keep the calls of those local days only; a repeat looks back before them."""
    figures = stats(known, "--from", "2026-11-25", "--to", "2026-11-26")
    assert figures["calls"] == 2
    assert figures["outcomes"]["reached"] == 1 and figures["outcomes"]["line-ended"] == 1
    assert figures["repeat_callers_24h"] == {"calls": 1}  # B, who called the day before


def test_text_report_shows_every_section(known):
    """Without --json, the same figures as text, one section after another."""
    result = CliRunner().invoke(main, ["stats", "orebro-kommunsupport", "--menus", str(MENUS),
                                       "--state", str(known.state)])
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("orebro-kommunsupport: 9 calls, the start to now\n")
    assert "  W48 2026-11-23  " in text and "Tue   7 Wed   1 Thu   1" in text
    assert "  reached               3  33.3%  (it-desk 1, sos-alarm 1, tes-desk 1)" in text
    assert "    14:00  answered      0 of      1    0.0%" in text
    assert "Repeat calls within 24 hours: 2 (22.2% of calls)" in text
    assert "Median time from the start of a call to a desk's ring: 10 s" in text


def test_test_calls_are_left_out_unless_asked(tmp_path, clock):
    """Calls made with a tester's clock count only with --include-tests."""
    made = Journaled(clock, tmp_path / "state", TEST_CLOCK=True)
    client = made.app.test_client()
    form = {"To": "+4619212000", "From": A}
    client.post("/voice", data={**form, "CallSid": "CAt"},
                headers={"X-Ivr-Clock": "2026-11-24T10:00:00+01:00"})
    made.call("2026-11-24T09:00Z", "4")
    assert stats(made)["calls"] == 1
    assert stats(made, "--include-tests")["calls"] == 2
    made.writer.close()


def test_from_after_to_is_a_usage_error(known):
    """--from after --to names the option."""
    result = CliRunner().invoke(main, ["stats", "orebro-kommunsupport", "--state",
                                       str(known.state), "--from", "2026-12-02",
                                       "--to", "2026-12-01"])
    assert result.exit_code == 2 and "--from" in result.output


@pytest.mark.parametrize("today", ["2026-11-26", "2026-11-27", "2026-12-31"])
def test_rolled_up_days_give_the_same_figures(known, today):
    """Settled days read from the daily tallies add up to what the calls themselves say."""
    from datetime import date

    from ivr.journal.tallies import roll_up

    before = stats(known)
    with known.writer.engine.begin() as connection:
        assert roll_up(connection, date.fromisoformat(today)) > 0
    assert stats(known) == before
    assert stats(known, "--from", "2026-11-25") == stats(known, "--from", "2026-11-25")


def test_the_counts_outlive_the_calls(known):
    """Once rolled up, a day's figures stay after its calls are deleted by the retention."""
    from datetime import date

    from ivr.journal.privacy import retain
    from ivr.journal.tallies import roll_up

    before = stats(known)
    with known.writer.engine.begin() as connection:
        roll_up(connection, date(2027, 1, 1))
        assert retain(connection, utc("2027-03-01T00:00Z"), 90) == 9
    assert stats(known) == before


def test_steps_that_come_after_their_day_was_rolled_up_are_counted(known):
    """A call written only after its day's tallies were stored (a journal that waited out
    an outage) is in the figures, its outcome and its repeat caller too."""
    from datetime import date

    from ivr.journal.tallies import roll_up

    with known.writer.engine.begin() as connection:
        roll_up(connection, date(2026, 11, 28))  # stores the 24th to the 26th
    before = stats(known)
    known.call("2026-11-25T12:00Z", "3", "1", caller=C, dial=("busy",), tick=10)  # late
    after = stats(known)
    assert after["calls"] == before["calls"] + 1
    assert after["per_day"]["2026-11-25"] == before["per_day"]["2026-11-25"] + 1
    assert after["repeat_callers_24h"]["calls"] == before["repeat_callers_24h"]["calls"] + 1
    assert after == stats_counted_from_the_calls(known)


def test_late_steps_of_a_day_the_retention_reached_leave_its_counts(known, caplog):
    """Counting a day again needs its calls: once the retention has begun deleting them,
    a late step leaves the stored figures alone and says so in the log."""
    from datetime import date

    from ivr.journal.tallies import roll_up

    with known.writer.engine.begin() as connection:
        roll_up(connection, date(2026, 11, 28))
    before = stats(known)
    known.writer.clock = lambda: utc("2027-03-01T00:00Z")  # the writer's; the call's is 24 Nov
    known.writer.retain_days = 90
    known.call("2026-11-24T12:00Z", "3")
    assert stats(known, "--to", "2026-11-26") == {**before, "to": "2026-11-26"}
    assert "steps of orebro-kommunsupport on 2026-11-24 came after that day's figures were " \
           "stored, and the retention may have deleted" in caplog.text


def stats_counted_from_the_calls(journaled) -> dict:
    """The figures as they would be with no tallies stored: counted from the calls alone."""
    with journaled.writer.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM tallies")
        connection.exec_driver_sql("DELETE FROM rolled_up")
    return stats(journaled)


def test_workers_rolling_up_together_store_each_day_once(known):
    """Two workers start and roll up at once: no constraint error, and the figures are
    what one roll-up gives."""
    import threading
    from datetime import date

    from ivr.journal.schema import connect
    from ivr.journal.tallies import roll_up

    before, errors = stats(known), []
    url = str(known.writer.engine.url)

    def worker() -> None:
        try:
            with connect(url).begin() as connection:
                roll_up(connection, date(2026, 11, 28))
        except Exception as exc:  # any failure is what this test looks for
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and stats(known) == before
