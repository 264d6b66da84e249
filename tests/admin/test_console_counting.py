"""Statistics counted off the request path: kept while fresh, never waited for too long."""

import threading
import time

from ivr.console.counting import Counter


class SlowCount:
    """A count that finishes when the test says so, and counts how often it ran."""

    def __init__(self) -> None:
        self.release, self.runs = threading.Event(), 0

    def __call__(self, key):
        self.runs += 1
        assert self.release.wait(5)
        return {"key": key, "run": self.runs}


def settle(counter: Counter, key) -> None:
    deadline = time.monotonic() + 5
    while key in counter._running and time.monotonic() < deadline:
        time.sleep(0.01)


def test_a_slow_count_does_not_hold_the_page():
    """While the first count runs, the page gets 'counting' within the wait, not the figures."""
    count = SlowCount()
    counter = Counter(count, wait=0.05)
    started = time.monotonic()
    first = counter.get("line")
    assert time.monotonic() - started < 1.0
    assert (first.figures, first.counting) == (None, True)
    count.release.set()
    settle(counter, "line")
    assert counter.get("line").figures == {"key": "line", "run": 1}


def test_fresh_figures_are_not_counted_again():
    """Within 'fresh' seconds the kept figures answer, and the database is not asked again."""
    count = SlowCount()
    count.release.set()
    counter = Counter(count, fresh=60, wait=5)
    assert counter.get("line").figures["run"] == 1
    assert counter.get("line").figures["run"] == 1
    assert count.runs == 1


def test_old_figures_are_shown_while_a_new_count_runs():
    """Past 'fresh', the old figures come back at once and a new count starts behind them."""
    count = SlowCount()
    count.release.set()
    counter = Counter(count, fresh=0, wait=5)
    assert counter.get("line").figures["run"] == 1
    count.release.clear()
    counter.wait = 0.05
    again = counter.get("line")
    assert again.figures["run"] == 1 and again.counting
    count.release.set()
    settle(counter, "line")
    assert counter.get("line").figures["run"] >= 2


def test_a_failed_count_is_reported_and_tried_again():
    """A count that raises is shown as failed; the next request counts again."""
    calls = []

    def flaky(key):
        calls.append(key)
        if len(calls) == 1:
            raise RuntimeError("database away")
        return {"ok": True}

    counter = Counter(flaky, fresh=60, wait=5)
    assert counter.get("line").failed
    assert counter.get("line").figures == {"ok": True}


def test_kept_figures_are_bounded():
    """Only the most recent 'keep' questions are kept."""
    counter = Counter(lambda key: {"key": key}, wait=5, keep=2)
    for key in ("a", "b", "c"):
        counter.get(key)
    assert list(counter._done) == ["b", "c"]
