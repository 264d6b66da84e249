"""The statistics page: the journal's figures for a span of days, and the phone kept out."""

import json
import re
import threading
import time

import pytest
import sqlalchemy as sa
from conftest import Journaled, utc
from test_console import PASSWORD, sign_in, token_of
from werkzeug.security import generate_password_hash

from ivr.console import init_app
from ivr.console.figures import COUNTER


@pytest.fixture
def console(tmp_path, clock):
    """A journaled app with the console on, and a signed-in client."""
    users = tmp_path / "users"
    users.write_text(f"admin:{generate_password_hash(PASSWORD, 'pbkdf2:sha256:1000')}\n")
    made = Journaled(clock, tmp_path / "state", CONSOLE_USERS=str(users),
                     CONSOLE_STATS_WAIT=10.0, CONSOLE_STATS_FRESH=0.0)  # always a new count
    assert init_app(made.app)
    deadline = time.monotonic() + 10  # the writer makes the tables when it first wakes
    while not sa.inspect(made.writer.engine).has_table("calls"):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    made.client = made.app.test_client()
    assert sign_in(made.client).status_code == 302
    yield made
    made.writer.close()


def figures(response) -> dict:
    page = response.get_data(as_text=True)
    return json.loads(re.search(r'id="stats-data">(.*?)</script>', page, re.S).group(1))


def test_statistics_count_real_calls_over_the_span(console):
    """Two calls on Tuesday and one on Wednesday appear per day, by hour and by outcome."""
    console.call("2026-11-24T09:00Z", "3", "1", dial=("completed",))
    console.call("2026-11-24T09:30Z", "9", "9", "9")
    console.call("2026-11-25T10:00Z", "4", dial=("busy",))
    assert console.writer.flush(10)
    console.clock.now = utc("2026-11-26T12:00Z")
    response = console.client.get("/console/line/orebro-kommunsupport/stats")
    assert response.status_code == 200
    found = figures(response)
    assert found["calls"] == 3 and len(found["per_day"]) == 28
    assert (found["per_day"]["2026-11-24"], found["per_day"]["2026-11-25"]) == (2, 1)
    assert found["per_day"]["2026-11-26"] == 0
    assert found["outcomes"]["reached"] == 1 and found["outcomes"]["invalid-limit"] == 1
    assert found["by_hour_of_week"]["tue"][10] == 2
    assert {t["node"] for t in found["dial_targets"]} == {"tes-desk", "it-desk"}
    assert 'id="chart-menus"' in response.get_data(as_text=True)
    narrow = figures(console.client.get(
        "/console/line/orebro-kommunsupport/stats?from=2026-11-25&to=2026-11-25"))
    assert narrow["calls"] == 1 and list(narrow["per_day"]) == ["2026-11-25"]


def test_phone_calls_are_journaled_as_tests_and_not_counted(console):
    """A call from the console's phone is in the journal as a test, and no statistic counts it."""
    console.clock.now = utc("2026-11-26T12:00Z")
    csrf = token_of(console.client.get("/console/phone").get_data(as_text=True))
    answer = console.client.post("/console/phone/call", headers={"X-CSRF-Token": csrf}, json={
        "line": "orebro-kommunsupport", "at": "2026-11-25T10:00", "keys": ["3", "1"],
        "dials": ["completed"]}).get_json()
    assert answer["ended"] == "hangup"
    rows = console.rows("SELECT test, day FROM calls WHERE sid = :sid", sid=answer["sid"])
    assert [(bool(test), day) for test, day in rows] == [(True, "2026-11-25")]
    page = console.client.get("/console/line/orebro-kommunsupport/stats")
    assert "No calls from 2026-10-30 to 2026-11-26." in page.get_data(as_text=True)


@pytest.mark.parametrize("query,message", [
    ("from=2026-13-01", "is not a date"),
    ("from=2026-11-20&to=2026-11-01", "is after"),
    ("from=2020-01-01&to=2026-01-01", "at most 366 days"),
    ("to=0001-01-01", "outside 1970-2200"),
])
def test_bad_span_is_explained_on_the_page(console, query, message):
    """A garbled or reversed span is a 400 with the reason, and the default span is shown."""
    response = console.client.get(f"/console/line/orebro-kommunsupport/stats?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_unreadable_journal_is_a_message_not_a_500(console, tmp_path):
    """When the journal's database cannot be read, the page says so with a 503."""
    console.writer.engine = sa.create_engine(f"sqlite:///{tmp_path}/missing/journal.sqlite3")
    response = console.client.get("/console/line/orebro-kommunsupport/stats")
    assert response.status_code == 503
    assert "The journal cannot be read just now" in response.get_data(as_text=True)


def test_page_says_counting_and_reloads_while_a_long_count_runs(console):
    """A count that takes long leaves the page answering at once, saying so, reloading."""
    release = threading.Event()
    counter = console.app.extensions[COUNTER]
    count = counter._count
    counter._count, counter.wait = (lambda key: release.wait(5) and count(key)), 0.01
    try:
        page = console.client.get("/console/line/orebro-kommunsupport/stats")
        text = page.get_data(as_text=True)
        assert page.status_code == 200
        assert "Counting the calls" in text and 'http-equiv="refresh"' in text
    finally:
        release.set()


def test_without_a_journal_the_page_says_so(tmp_path):
    """A server run with --no-journal says there is nothing to count, not an error."""
    from conftest import MENUS

    from ivr.console import create_app

    users = tmp_path / "users"
    users.write_text(f"admin:{generate_password_hash(PASSWORD, 'pbkdf2:sha256:1000')}\n")
    client = create_app({"MENUS": str(MENUS), "CONSOLE_USERS": str(users)}).test_client()
    sign_in(client)
    response = client.get("/console/line/orebro-kommunsupport/stats")
    assert response.status_code == 200
    assert "keeps no journal" in response.get_data(as_text=True)


def test_one_call_is_one_call_not_one_calls(console):
    """The summary says '1 call from', in the singular."""
    console.call("2026-11-25T10:00Z", "4", dial=("busy",))
    assert console.writer.flush(10)
    console.clock.now = utc("2026-11-26T12:00Z")
    page = console.client.get("/console/line/orebro-kommunsupport/stats").get_data(as_text=True)
    assert "<strong>1</strong> call from 2026-10-30" in page and "1 calls" not in page
