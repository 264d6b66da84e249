"""The console's reading pages: the overview of every line, and one line's page.

The overview answers "is it open, and until when?" for every line at once; a line's page
shows its call flow (the Mermaid text of ``ivr graph``, drawn in the browser), one week of
its hours as ``ivr hours`` computes them, and its switch form. Nothing here writes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from flask import abort, current_app, render_template, request

from ivr.console import forms, linestate
from ivr.console.blueprint import bp, now
from ivr.core.linenow import LOOKAHEAD_DAYS
from ivr.core.model import Line
from ivr.server.app import line_for_number, menu_files, served_line, served_lines
from ivr.views import graph, hours_table

WEEK = timedelta(days=7)


@bp.get("/")
def overview():
    """Every line: numbers, open or closed now, the next change, switch, placeholders, and
    its file: ok, or broken (since when, the error, the last good version served)."""
    moment = now()
    lines = sorted(served_lines(current_app).values(), key=lambda line: line.name.casefold())
    files = menu_files(current_app)
    rows = [(line, linestate.state(line, moment), moment.astimezone(line.zone),
             files.pop(Path(line.source).name, None)) for line in lines]
    return render_template("overview.html", rows=rows, unserved=sorted(files.items()),
                           lookahead=LOOKAHEAD_DAYS, local=_local)


def _local(instant: str, line: Line | None = None) -> str:
    """An ISO instant from the registry as local wall-clock time ('2026-11-24 14:05')."""
    moment = datetime.fromisoformat(instant)
    if line is None:
        return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    return f"{moment.astimezone(line.zone):%Y-%m-%d %H:%M}"


def line_or_404(line_id: str) -> Line:
    line = served_line(current_app, line_id)
    if line is None:
        abort(404, f"No line '{line_id}' is served; the overview lists those that are.")
    return line


def week_of(line: Line, text: str | None, moment: datetime) -> tuple[date, str | None]:
    """The Monday of the asked ISO week (default: this week in the line's zone), or an error."""
    if text:
        try:
            return forms.week(text), None
        except ValueError as exc:
            error = str(exc)
    else:
        error = None
    today = moment.astimezone(line.zone).date()
    return today - timedelta(days=today.weekday()), error


def render_line(line: Line, *, error: str | None = None, form: dict | None = None,
                status: int = 200):
    """A line's page; the switch form comes back with ``error`` and what was typed."""
    moment = now()
    monday, week_error = week_of(line, request.args.get("week"), moment)
    table = hours_table.rows(line, monday, 7, moment)

    def iso_week(day: date) -> str:
        year, number, _ = day.isocalendar()
        return f"{year}-W{number:02d}"

    return render_template(
        "line.html", line=line, state=linestate.state(line, moment),
        local_now=moment.astimezone(line.zone), flow=graph.mermaid(line),
        header=table[0], days=table[1:], week=iso_week(monday),
        previous=iso_week(monday - WEEK), following=iso_week(monday + WEEK),
        error=error or week_error, form=form or {}, elsewhere=answered_elsewhere(line),
    ), (400 if week_error and status == 200 else status)


def answered_elsewhere(line: Line) -> list[tuple[str, str]]:
    """The numbers of ``line`` that another line answers (a file claiming them first), with
    that line's name: their callers get neither this line nor its switch."""
    others = []
    for number in line.numbers:
        answering = line_for_number(current_app, number)
        if answering is not None and answering.id != line.id:
            others.append((number, answering.name))
    return others


@bp.get("/line/<line_id>")
def line_page(line_id: str):
    """One line: flow picture, a week of hours (``?week=2026-W52``), the switch."""
    return render_line(line_or_404(line_id))
