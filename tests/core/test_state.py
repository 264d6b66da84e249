"""The call state in an action URL: written and read back in one place, garbled is None."""

import pytest

from ivr.core.state import State


@pytest.mark.parametrize("state", [State("main"), State("main", 1, 2), State("desk", attempt=1)],
                         ids=["fresh", "counters", "attempt"])
def test_state_survives_the_round_trip(state):
    """Whatever to_query writes, from_query reads back as the same state."""
    assert State.from_query(state.to_query()) == state


def test_zero_counters_are_left_out():
    """A fresh node's URL carries only its name."""
    assert State("main").to_query() == {"node": "main"}
    assert State("main", 1).to_query() == {"node": "main", "ni": "1"}


@pytest.mark.parametrize("query", [
    pytest.param({}, id="no-node"), pytest.param({"node": ""}, id="empty-node"),
    pytest.param({"node": "main", "ni": "x"}, id="not-a-number"),
    pytest.param({"node": "main", "bad": "-1"}, id="negative"),
    pytest.param({"node": "main", "n": "100"}, id="too-large"),
])
def test_garbled_query_is_no_state(query):
    """A missing node or a counter no engine writes gives None (the call starts over)."""
    assert State.from_query(query) is None
