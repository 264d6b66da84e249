"""``ivr explore``: the whole-calendar table agrees with single calls at any moment."""

import json
import random
from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner
from conftest import MENUS, Clock

from ivr.admin.commands import main as ivr_main
from ivr.server.app import in_process_app, served_lines
from ivr.sim.ivrsim import main as sim_main
from ivr.sim.stretches import explore, render
from ivr.sim.transport import InProcess


@pytest.fixture(scope="module")
def tables():
    """Two weeks around Christmas of every shipped line, explored to depth 2 (with the
    module's own app and clock, which no test changes)."""
    clock = Clock()
    app = in_process_app(MENUS, clock=clock)

    def transport_at(instant):
        clock.now = instant
        return InProcess(app)

    return {line_id: (line, explore(line, transport_at, date(2026, 12, 18), 14, 2))
            for line_id, line in served_lines(app).items()}


def moments(seed: int, count: int):
    rng = random.Random(seed)
    start = datetime(2026, 12, 18)
    return [start + timedelta(minutes=rng.randrange(14 * 24 * 60)) for _ in range(count)]


@pytest.mark.parametrize("seed", range(4))
def test_table_matches_single_calls_at_sampled_moments(tables, place_call, seed):
    """At random moments, every path in the table ends as a single call with those keys."""
    checked = 0
    for line, table in tables.values():
        for local in moments(seed * 10 + len(line.id), 3):
            stretch = next(s for s in table if s.start <= local < s.end)
            at = local.replace(tzinfo=line.zone).astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")
            for outcome in stretch.outcomes:
                if "other" in outcome.keys or outcome.ended == "asks":
                    continue
                keys = [label.split("/")[0] for label in outcome.keys]
                call = place_call(line.numbers[0], at, *keys)
                assert (tuple(call.dialed), call.ended) == (outcome.dialed, outcome.ended), (
                    line.id, local, outcome)
                checked += 1
    assert checked > 20


def test_stretches_cover_the_days_without_gaps(tables):
    """Stretches follow each other from the first midnight to the last, no gap, no overlap."""
    for _, table in tables.values():
        assert table[0].start == datetime(2026, 12, 18)
        assert table[-1].end == datetime(2027, 1, 1)
        assert all(a.end == b.start for a, b in zip(table, table[1:], strict=False))


def test_edges_follow_the_calendar(tables):
    """Kommunsupport's stretches start at its opening edges; Julafton is closed all day, and
    only the Carelock advice (key 1) changes, at 07:00 and 22:00, as at a weekend."""
    table = tables["orebro-kommunsupport"][1]
    starts = {s.start for s in table}
    for edge in ("2026-12-21 07:00", "2026-12-21 08:00", "2026-12-21 12:00",
                 "2026-12-21 13:00", "2026-12-21 16:30", "2026-12-21 17:00"):
        assert datetime.fromisoformat(edge) in starts
    julafton = next(s for s in table if s.start <= datetime(2026, 12, 24, 10) < s.end)
    assert julafton.start <= datetime(2026, 12, 24) and julafton.end >= datetime(2026, 12, 25)
    assert ("4",) in {o.keys for o in julafton.outcomes}
    assert not {"+46701740605", "+46701740606"} & {n for o in julafton.outcomes
                                                    for n in o.dialed}


def test_intraphone_is_one_stretch(tables):
    """A line without schedules behaves the same all the time: a single row."""
    assert len(tables["intraphone"][1]) == 1


def test_explore_command_agrees_with_ivr_sim():
    """The CLI's JSON table and an ivr-sim call at a moment inside a stretch agree."""
    runner = CliRunner()
    result = runner.invoke(ivr_main, ["explore", "--menus", str(MENUS), "orebro-carelock",
                                      "--from", "2026-11-24", "--days", "1", "--json"])
    assert result.exit_code == 0, result.output
    table = json.loads(result.stdout)
    evening = next(s for s in table["stretches"] if s["from"] == "2026-11-24T17:00")
    assert evening["to"] == "2026-11-24T22:00"
    path = next(p for p in evening["paths"] if p["keys"] == ["1"])
    single = runner.invoke(sim_main, ["--menus", str(MENUS), "--menu", "orebro-carelock",
                                      "--at", "2026-11-24 19:45", "--press", "1", "--json"])
    assert json.loads(single.stdout)["dialed"] == path["dialed"] == ["+4619214944"]


def parse_rendered(text: str) -> tuple[dict[str, list[str]], dict[date, list[tuple]]]:
    """The text table read back: behaviour blocks by letter, and each day's starts."""
    behaviours, days, current = {}, {}, None
    for row in text.splitlines():
        if row.startswith("Behaviour "):
            current = behaviours.setdefault(row.split()[1], [])
        elif row.startswith("    "):
            current.append(row.strip())
        elif row[:3] in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"):
            dates = [date.fromisoformat(w) for w in row[:31].split() if "-" in w[1:]]
            times = row[31:].split()
            starts = list(zip(times[::2], times[1::2], strict=True))
            day = dates[0]
            while day <= dates[-1]:
                days[day] = starts
                day += timedelta(days=1)
    return behaviours, days


def test_text_table_says_what_every_stretch_does(tables):
    """Read back, the text gives each minute of every stretch that stretch's key paths."""
    for _, table in tables.values():
        behaviours, days = parse_rendered(render(table))
        assert len(behaviours) == len({s.outcomes for s in table})
        assert sorted(days) == [date(2026, 12, 18) + timedelta(days=n) for n in range(14)]
        for stretch in table:
            for local in (stretch.start, stretch.end - timedelta(minutes=1)):
                starts = days[local.date()]
                minute = f"{local:%H:%M}"
                letter = [label for at, label in starts if at <= minute][-1]
                assert behaviours[letter] == [
                    f"{' '.join(o.keys) or '(start)':<14} {o.summary}" for o in stretch.outcomes]


def test_like_days_share_a_row():
    """A week of Kommunsupport: Monday to Thursday one row; Friday, Saturday, Sunday their own."""
    result = CliRunner().invoke(ivr_main, ["explore", "--menus", str(MENUS),
                                           "orebro-kommunsupport", "--from", "2026-11-23",
                                           "--days", "7", "--depth", "3"])
    lines = result.output.splitlines()
    assert lines[0].startswith("Kommunsupport, Örebro kommun (Europe/Stockholm), 2026-11-23")
    behaviours, days = parse_rendered(result.output)
    rows = [line[:31].strip() for line in lines if line[:3] in ("Mon", "Fri", "Sat")]
    assert rows == ["Mon 2026-11-23 – Thu 2026-11-26", "Fri 2026-11-27", "Sat 2026-11-28"]
    at_eight = dict(days[date(2026, 11, 24)])["08:00"]
    assert "3 1            dial +46701740605" in behaviours[at_eight]
    friday = dict(days[date(2026, 11, 27)])
    assert days[date(2026, 11, 28)] == [("00:00", friday["22:00"]), ("07:00", friday["17:00"]),
                                        ("22:00", friday["22:00"])]
    friday_four = dict(days[date(2026, 11, 27)])["16:00"]
    assert any(row.startswith("4              hangs up after «IT och telefoni har stängt just "
                              "nu och öppnar igen på måndag klockan 7.»")
               for row in behaviours[friday_four])


def test_ivr_sim_has_no_explore_mode():
    """Explore is a command of ``ivr`` now: ``ivr-sim --explore`` is an unknown option."""
    result = CliRunner().invoke(sim_main, ["--menus", str(MENUS), "--explore",
                                           "orebro-carelock", "--press", "1"])
    assert result.exit_code == 2 and "No such option '--explore'" in result.output


def test_ctrl_c_during_explore_exits_130_with_one_line(monkeypatch):
    """Ctrl-C while exploring: one line on stderr and exit 130, not 'Aborted!' and 1."""
    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("ivr.sim.stretches.explore", interrupted)
    result = CliRunner().invoke(ivr_main, ["explore", "--menus", str(MENUS),
                                           "orebro-carelock", "--days", "1"])
    assert result.exit_code == 130
    assert "Aborted" not in result.output
    assert result.stderr.strip() == "explore interrupted (Ctrl-C); nothing printed"
