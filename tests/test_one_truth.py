"""What the owner's views say callers reach is what a call through the webhooks reaches.

Hypothesis picks (80 times) a shipped line, a moment of 2026, a manual switch (none, closed
or open, for up to a week) and a calendar override in the menu file (none, a closure counted
as a holiday, or other hours for one schedule) on the moment's day or the day before. The
console's line state (``core.linenow``, as ``ivr lines`` uses it) names each desk a call
rings and the keys to it; a call through the webhooks pressing those keys, at that moment,
with that switch, must ring that desk; and each schedule it calls open or closed, there and
in the hours table of ``ivr hours`` and the line page, is what the engine decides.
"""

import shutil
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import yaml
from conftest import MENUS, Clock
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ivr.console import linestate
from ivr.core.model import Switch
from ivr.core.moments import is_open, switch_in_force
from ivr.menufile import switchfile
from ivr.server.app import create_app, line_for_number, refresh
from ivr.sim.caller import Caller, scripted
from ivr.sim.transport import InProcess
from ivr.views import hours_table

LINES = {"orebro-kommunsupport": "+4619212000", "orebro-carelock": "+46701740610",
         "brukarstotte": "+4770162999", "intraphone": "+46701740620"}
YEAR = datetime(2026, 1, 1, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Stockholm")
"""The shipped lines' zones have the same offsets all year (Stockholm, Oslo)."""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One server over a copy of the shipped menus, its clock and its menus folder."""
    menus = tmp_path_factory.mktemp("truth") / "menus"
    shutil.copytree(MENUS, menus)
    clock = Clock()
    return create_app({"MENUS": str(menus), "CLOCK": clock, "RELOAD_INTERVAL": 0}), clock, menus


OVERRIDES = st.one_of(
    st.none(),
    st.tuples(st.integers(-1, 0), st.just("holiday")),
    st.tuples(st.integers(-1, 0), st.integers(0), st.integers(0, 23 * 60),
              st.integers(1, 24 * 60)))
"""None; (day offset, 'holiday'); or (day offset, which schedule, start minute, length)."""


def write_override(menus, line_id: str, override, day) -> None:
    """The shipped menu file of ``line_id``, with ``override`` as its only calendar override
    (none on a line without schedules); written only when it changes."""
    source = yaml.safe_load((MENUS / f"{line_id}.yaml").read_text(encoding="utf-8"))
    names = sorted(source.get("schedules") or {})
    if override is not None and names:
        when = str(day + timedelta(days=override[0]))
        if override[1] == "holiday":
            entry = {"date": when, "name": "closed", "holiday": True}
        else:
            _, which, start, length = override
            ranges = f"{_clock(start)}-{_clock(min(start + length, 24 * 60))}"
            entry = {"date": when, "name": "other hours",
                     "hours": {names[which % len(names)]: ranges}}
        source.setdefault("calendar", {})["overrides"] = [entry]
    text = yaml.safe_dump(source, allow_unicode=True)
    path = menus / f"{line_id}.yaml"
    if path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def rung(app, number: str, keys: tuple[str, ...]) -> str | None:
    """The first number a call to ``number`` pressing ``keys`` rings, if any."""
    call = Caller(InProcess(app), to=number, keypad=scripted(list(keys)),
                  dial_statuses=["completed"]).run()
    for step in call.steps:
        for dial in ET.fromstring(step["twiml"]).iter("Dial"):
            return next((n.text for n in dial.iter("Number")), dial.text)
    return None


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(line_id=st.sampled_from(sorted(LINES)), minute=st.integers(0, 365 * 24 * 60 - 1),
       switch=st.one_of(st.none(), st.tuples(st.sampled_from(["closed", "open"]),
                                             st.integers(1, 7 * 24 * 60 - 1))),
       override=OVERRIDES)
def test_what_the_views_say_callers_reach_is_what_a_call_reaches(served, line_id, minute,
                                                                  switch, override):
    app, clock, menus = served
    clock.now = YEAR + timedelta(minutes=minute)
    for other in LINES:
        write_override(menus, other, override if other == line_id else None,
                       clock.now.astimezone(ZONE).date())
    path = switchfile.path_for(menus, line_id)
    if switch is None:
        switchfile.remove(path)
    else:
        state, lasts = switch
        switchfile.write(path, Switch(state, clock.now + timedelta(minutes=lasts), None,
                                      clock.now), clock.now)
    refresh(app)
    line = line_for_number(app, LINES[line_id])
    assert line is not None and line.id == line_id
    assert (switch_in_force(line, clock.now) is not None) == (switch is not None)
    got = linestate.state(line, clock.now)
    local = clock.now.astimezone(line.zone)
    for schedule in got.schedules:
        assert schedule.open == is_open(line, switch_in_force(line, clock.now), schedule.name,
                                        local), schedule.name
    table = hours_table.rows(line, local.date(), 1, clock.now)
    minute_now = local.hour * 60 + local.minute
    for name, cell in zip(table[0][2:-1], table[1][2:-1], strict=True):
        shown_open = any(_minutes(r.split("-")[0]) <= minute_now < _minutes(r.split("-")[1])
                         for r in cell.split() if cell != "closed")
        assert shown_open == is_open(line, switch_in_force(line, clock.now), name, local), (
            name, cell)
    for desk, ways in got.reachable:
        for keys in ways:
            assert rung(app, LINES[line_id], tuple(keys.split())) == \
                line.nodes[desk].numbers[0], (desk, keys)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(clock_time: str) -> int:
    hours, minutes = clock_time.split(":")
    return int(hours) * 60 + int(minutes)
