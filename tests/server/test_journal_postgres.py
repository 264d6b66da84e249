"""The journal on a real PostgreSQL: same figures as SQLite, several servers, an outage."""

import itertools
import time
import xml.etree.ElementTree as ET

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from click.testing import CliRunner
from conftest import MENUS, Journaled, Ticking, utc
from freezegun import freeze_time
from test_journal_stats import CALLS, stats

from ivr.admin.commands import main
from ivr.journal.schema import connect, metadata, upgrade
from ivr.sim.caller import Caller, scripted


@pytest.fixture
def on_postgres(tmp_path, clock, postgres_url):
    """A journaled app writing to a fresh PostgreSQL database."""
    made = Journaled(clock, tmp_path / "state", DATABASE_URL=postgres_url)
    yield made
    made.writer.close()


def test_the_migrations_build_the_tables_on_postgres(postgres_url):
    """Alembic's migrations give PostgreSQL exactly the tables the code uses."""
    engine = connect(postgres_url)
    upgrade(engine)
    upgrade(engine)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []


def test_postgres_gives_the_same_figures_as_sqlite(on_postgres, journaled):
    """The same calls give the same ivr stats on PostgreSQL as on SQLite."""
    for made in (on_postgres, journaled):
        for caller, at, keys, dial, hangup in CALLS:
            made.call(at, *keys, caller=caller, dial=dial, hangup_after=hangup, tick=10)
    on_sqlite = stats(journaled)
    figures = stats(on_postgres, "--database", on_postgres.writer.url)
    assert figures == on_sqlite
    assert figures["calls"] == 9 and figures["outcomes"]["reached"] == 3


class Alternating:
    """A load balancer that sends each webhook to the next server in turn."""

    def __init__(self, apps, clock) -> None:
        self.servers = itertools.cycle([Ticking(app, clock, 5) for app in apps])
        self.base = "http://localhost"

    def post(self, url, params):
        return next(self.servers).post(url, params)


def test_a_call_alternating_between_two_servers_is_one_call(tmp_path, clock, postgres_url):
    """Two servers on one PostgreSQL: a call whose steps alternate between them is one call."""
    one = Journaled(clock, tmp_path / "one", DATABASE_URL=postgres_url)
    two = Journaled(clock, tmp_path / "two", DATABASE_URL=postgres_url)
    try:
        for at in ("2026-11-24T09:00Z", "2026-11-24T09:10Z"):
            clock.now = utc(at)
            Caller(Alternating([one.app, two.app], clock), to="+4619212000",
                   keypad=scripted(["4"]), dial_statuses=["busy"]).run()
        assert one.writer.flush(10) and two.writer.flush(10)
        calls = one.rows("select sid, started_ms, last_node, first_ring_ms, day from calls")
        assert len(calls) == 2
        for sid, started, last_node, rang, day in calls:
            steps = one.rows("select node, event from steps where sid = :sid order by at_ms",
                             sid=sid)
            assert [tuple(s) for s in steps] == [(None, "start"), ("main-menu", "keys"),
                                                 ("it-desk", "dial")]
            assert (last_node, rang - started, day) == ("goodbye", 5_000, "2026-11-24")
    finally:
        one.writer.close()
        two.writer.close()


def test_calls_are_answered_while_the_database_is_down(on_postgres, postgres_server):
    """With PostgreSQL stopped mid-run, calls answer at once; the journal catches up after."""
    on_postgres.call("2026-11-24T09:00Z", "4")
    assert on_postgres.writer.flush(10)
    postgres_server.stop()
    try:
        started = time.monotonic()
        sids = [on_postgres.call("2026-11-24T09:05Z", "3", "1", dial=("completed",))
                for _ in range(5)]
        assert time.monotonic() - started < 2
        assert not on_postgres.writer.flush(1)
    finally:
        postgres_server.start()
    found = {r[0] for r in on_postgres.rows("select sid from calls where reached = 'tes-desk'")}
    assert found == set(sids)


def first_words(app) -> str:
    """What a caller hears first on Kommunsupport, now."""
    body = app.test_client().post("/voice", data={"To": "+4619212000", "CallSid": "CAsw",
                                                  "From": "+46701234567"}).get_data(True)
    return next(ET.fromstring(body).iter("Say")).text


def within_two_seconds(apps, words: str) -> None:
    """Wait until every app's first words are ``words``; fail after two seconds."""
    started = time.monotonic()
    while any(first_words(app) != words for app in apps):
        assert time.monotonic() - started < 2, [first_words(app) for app in apps]
        time.sleep(0.05)


def test_a_switch_reaches_every_server_within_two_seconds(tmp_path, clock, postgres_url,
                                                          monkeypatch):
    """With IVR_DATABASE_URL, ivr switch stores the switch there: both servers follow."""
    apps = [Journaled(clock, tmp_path / name, DATABASE_URL=postgres_url).app
            for name in ("one", "two")]
    monkeypatch.setenv("IVR_DATABASE_URL", postgres_url)
    clock.now = utc("2026-11-24T09:00Z")
    opened = first_words(apps[0])
    assert opened.startswith("Välkommen till Kommunsupport")
    override = ["switch", "orebro-kommunsupport", "--menus", str(MENUS)]
    with freeze_time("2026-11-24T08:00:00Z"):
        result = CliRunner().invoke(main, [*override, "closed", "--until", "2026-11-24 15:00",
                                           "--say", "Just nu har vi driftstörningar."])
        assert result.exit_code == 0, result.output
        assert result.output.endswith("written to the shared database\n")
        shown = CliRunner().invoke(main, override).output
    assert shown == ("orebro-kommunsupport: closed until 2026-11-24 15:00, saying: Just nu "
                     "har vi driftstörningar.\n")
    assert not (MENUS / "switches").exists()
    within_two_seconds(apps, "Just nu har vi driftstörningar.")
    with freeze_time("2026-11-24T08:30:00Z"):
        assert CliRunner().invoke(main, [*override, "off"]).exit_code == 0
    within_two_seconds(apps, opened)
    for app in apps:
        app.extensions["ivr.journal"].close()


def test_a_nul_in_a_request_value_loses_no_step_on_postgres(on_postgres):
    """PostgreSQL's text holds no NUL: the journal drops it from the values it keeps, so the
    step is written, not refused."""
    client = on_postgres.app.test_client()
    form = {"To": "+4619212000", "CallSid": "CA\x00nul", "From": "+46701234567"}
    client.post("/voice", data=form)
    client.post("/gather?line=orebro-kommunsupport&node=main\x00menu",
                data={**form, "Digits": "4\x00"})
    assert on_postgres.writer.flush(10)
    steps = on_postgres.rows("select sid, node, detail from steps order by at_ms, id")
    assert [tuple(step) for step in steps] == [("CAnul", None, None),
                                               ("CAnul", "mainmenu", "4")]
