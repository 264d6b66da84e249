"""Where a call is, and its form in an action URL: ``State.to_query`` / ``State.from_query``.

A call's whole memory rides in the action URL that Twilio posts back (and signs), so any
worker can take the next step of any call. The query keys are written and read here only:
the TwiML renderer writes them, the webhooks read them back, nothing else knows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

MAX_COUNT = 100
"""A counter at or above this is no state the engine makes: the URL was tampered with."""
_KEYS = (("ni", "no_input"), ("bad", "invalid"), ("n", "attempt"))
"""Query key → counter; short, because every step of every call sends them."""


@dataclass(frozen=True)
class State:
    """Where a call is: the node it waits at, and the counters that node keeps."""

    node: str
    no_input: int = 0
    invalid: int = 0
    attempt: int = 0

    def to_query(self) -> dict[str, str]:
        """The state as query parameters: the node, and each counter that is not zero."""
        query = {"node": self.node}
        for key, name in _KEYS:
            value = getattr(self, name)
            if value:
                query[key] = str(value)
        return query

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> State | None:
        """The state in ``query``, or None when it is missing or garbled."""
        try:
            counters = [int(query.get(key, "0")) for key, _ in _KEYS]
        except ValueError:
            return None
        node = query.get("node", "")
        if not node or not all(0 <= count < MAX_COUNT for count in counters):
            return None
        return cls(node, *counters)
