"""Every answer of every shipped line is well-formed TwiML Twilio accepts.

The test walks each line through the webhooks (every key of every menu, silence, a wrong
key, every dial outcome) at several times of the week, and checks each document: a
<Response>; only Say, Play and Pause inside a Gather; a verb after every Gather for the
no-input path; Dial holding Numbers; nothing after a Hangup.
"""

import xml.etree.ElementTree as ET
from collections import deque

import pytest
from conftest import utc

from ivr.server.app import served_lines

VERBS = {"Say", "Play", "Pause", "Gather", "Dial", "Redirect", "Hangup"}
TIMES = ["2026-11-24T09:00Z", "2026-11-24T11:30Z", "2026-11-24T16:45Z", "2026-11-24T19:30Z",
         "2026-11-28T12:00Z", "2026-11-28T23:30Z", "2026-12-24T09:00Z"]
DIAL_STATUSES = ["completed", "busy", "no-answer", "failed", "canceled"]


def check(document: str) -> list[tuple[str, dict]]:
    """Assert the document is valid; return the requests Twilio could make next."""
    root = ET.fromstring(document)
    assert root.tag == "Response"
    children = list(root)
    nexts = []
    for index, verb in enumerate(children):
        assert verb.tag in VERBS, verb.tag
        if verb.tag == "Gather":
            assert {c.tag for c in verb} <= {"Say", "Play", "Pause"}
            assert index + 1 < len(children), "nothing after <Gather> for no input"
            options = [str(d) for d in range(10)] + ["*", "#"]
            nexts += [(verb.get("action"), {"Digits": d}) for d in options]
        elif verb.tag == "Dial":
            assert [c.tag for c in verb] == ["Number"]
            nexts += [(verb.get("action"), {"DialCallStatus": s}) for s in DIAL_STATUSES]
        elif verb.tag == "Redirect":
            nexts.append((verb.text, {}))
        elif verb.tag == "Say":
            assert verb.text and verb.get("language") and verb.get("voice")
        if verb.tag == "Hangup":
            assert index == len(children) - 1
    return nexts


@pytest.mark.parametrize("at", TIMES)
def test_every_reachable_answer_is_valid_twiml(shipped_app, clock, at):
    """Walk every path of every shipped line; each answer passes the TwiML checks."""
    clock.now = utc(at)
    client = shipped_app.test_client()
    seen, documents = set(), 0
    for line in served_lines(shipped_app).values():
        params = {"To": line.numbers[0], "From": "+46701740699", "CallSid": "CA" + "0" * 32}
        queue = deque([("/voice", {})])
        while queue:
            url, extra = queue.popleft()
            if (url, tuple(sorted(extra.items()))) in seen:
                continue
            seen.add((url, tuple(sorted(extra.items()))))
            response = client.post(url, data={**params, **extra})
            assert response.status_code == 200
            documents += 1
            queue.extend(check(response.get_data(as_text=True)))
    assert documents > 20
