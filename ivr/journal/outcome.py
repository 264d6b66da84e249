"""How a call ended, as one SQL expression over its ``calls`` row (same on both databases).

Worked out when asked rather than stored, because a call's row is completed in any order:
its last step, its status callback and a desk's answer may arrive from different servers.
"""

from __future__ import annotations

import sqlalchemy as sa

from ivr.journal.schema import calls

OUTCOMES = {
    "reached": "a desk answered",
    "after-hours": "the line ended the call on its after-hours path",
    "line-ended": "the line ended the call: a goodbye, or a desk that did not answer",
    "caller-hung-up": "the caller hung up, in a menu or while a desk rang",
    "no-input-limit": "the caller pressed nothing, as many times as the menu allows",
    "invalid-limit": "the caller pressed wrong keys, as many times as the menu allows",
    "error": "a step failed and the caller heard the apology",
    "in-progress": "no end recorded yet: still going, or no status callback came",
}
"""Every outcome ``ivr stats`` and ``ivr calls`` report, and what it means."""

c = calls.c
outcome = sa.case(
    (c.error, "error"),
    (c.reached.is_not(None), "reached"),
    (c.end_kind == "canceled", "caller-hung-up"),
    (c.end_kind.in_(["no-input-limit", "invalid-limit"]), c.end_kind),
    (sa.and_(c.last_action == "end", c.closed), "after-hours"),
    (c.last_action == "end", "line-ended"),
    (c.ended_ms.is_not(None), "caller-hung-up"),
    else_="in-progress",
).label("outcome")

node = sa.case((c.reached.is_not(None), c.reached), else_=c.last_node).label("at_node")
"""The node the outcome happened at: the desk that answered, else the last node."""

answered = sa.or_(c.last_ms.is_not(None), c.error)
"""A call some webhook answered: a status callback alone (for a CallSid no step of ours
saw, or a forged one) is no call of the line's, left out of its figures and its list."""
