"""A line's statistics page: the journal's figures, as ``ivr stats`` computes them, drawn.

Calls per day, the hour-of-week heat map, outcomes, each menu's keys and drop-off and each
desk's answers, over a span of local dates (default: the last four weeks). The figures come
from ``ivr.journal.stats.summary`` alone (the database does the counting); this
module only fills the days without calls and hands the numbers to the page, where Chart.js
draws them.
Counting happens off the request path (``counting``): a page never waits for the database.
Calls from the console's phone are marked as tests in the journal and are not counted.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask, current_app, render_template, request

from ivr.console import forms
from ivr.console.blueprint import bp, now
from ivr.console.counting import Counter
from ivr.console.pages import line_or_404
from ivr.server.app import journal_engine

COUNTER = "ivr.console.counter"
DEFAULT_DAYS = 28
LONGEST = 366
"""The longest span a page counts: a year."""


def span(today: date, first: str, last: str) -> tuple[date, date]:
    """The asked span of local dates (defaults: four weeks to ``today``); ValueError if bad."""
    end = forms.day(last) if last else today
    start = forms.day(first) if first else end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise ValueError(f"'from' ({start}) is after 'to' ({end})")
    if (end - start).days >= LONGEST:
        raise ValueError(f"a span of at most {LONGEST} days, please")
    return start, end


def init_app(app: Flask) -> None:
    """Give the app a Counter over its journal, when it keeps one."""
    if journal_engine(app) is None:
        return

    def count(key: tuple[str, date, date]) -> dict:
        from ivr.journal import stats

        line_id, first, last = key
        with journal_engine(app).connect() as connection:  # the writer's, as it is now
            figures = stats.summary(connection, line_id, first=first, last=last)
        days = [(first + timedelta(days=n)).isoformat()
                for n in range((last - first).days + 1)]
        figures["per_day"] = {day: figures["per_day"].get(day, 0) for day in days}
        return figures

    app.extensions[COUNTER] = Counter(count, fresh=app.config.get("CONSOLE_STATS_FRESH", 60.0),
                                      wait=app.config.get("CONSOLE_STATS_WAIT", 0.1))


@bp.get("/line/<line_id>/stats")
def statistics(line_id: str):
    """Charts of a line's calls between ``from`` and ``to`` (local dates, YYYY-MM-DD)."""
    line = line_or_404(line_id)
    today = now().astimezone(line.zone).date()
    error, status = None, 200
    try:
        first, last = span(today, request.args.get("from", ""), request.args.get("to", ""))
    except ValueError as exc:
        error, status = str(exc), 400
        first, last = span(today, "", "")
    counter = current_app.extensions.get(COUNTER)
    counted = counter.get((line.id, first, last)) if counter else None
    if counted and counted.failed and not error:
        error, status = "The journal cannot be read just now; the server log says why.", 503
    figures = counted.figures if counted else None
    peak = max((max(hours) for hours in figures["by_hour_of_week"].values()),
               default=0) if figures else 0
    return render_template("stats.html", line=line, figures=figures, counted=counted,
                           first=first, last=last, peak=peak, error=error), status
