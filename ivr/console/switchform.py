"""The switch form on a line's page: close or open a line until a time, or turn it off.

The same rules as ``ivr switch``, through the same code: ``scalars.instant`` (by way of
``forms``) reads the local end time, refusing the hour the clocks skip, and
``switchboard.save`` (a switch file, or the shared database) refuses an end in the
past or more than a week ahead and a message a caller could not hear, and stores the switch
where every worker reads it. A refused form comes back with the reason on the page.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for

from ivr.console import forms
from ivr.console.auth import audit
from ivr.console.blueprint import bp, now
from ivr.console.pages import line_or_404, render_line
from ivr.core.errors import IvrError
from ivr.core.model import Switch
from ivr.journal import switchboard
from ivr.menufile import switchfile
from ivr.server.app import menus_folder, refresh


@bp.post("/line/<line_id>/switch")
def set_switch(line_id: str):
    """Write or remove the line's switch, then show the line as callers now get it."""
    line = line_or_404(line_id)
    form = {key: request.form.get(key, "").strip() for key in ("state", "until", "say")}
    if form["state"] == "off":
        try:
            _store(line.id, None)
        except IvrError as exc:
            return render_line(line, error=str(exc), form=form, status=400)
        audit("switch-off", line=line.id)
        flash("The switch is off: the line follows its hours again.")
    else:
        problem = _problem(form)
        if problem:
            return render_line(line, error=problem, form=form, status=400)
        try:
            ends = forms.moment(form["until"], line.zone)
            _store(line.id, Switch(form["state"], ends.astimezone(line.zone),
                                   form["say"] or None))
        except (ValueError, IvrError) as exc:  # a rule broken, or a file that cannot be written
            message = str(exc).replace("--until", "The end time").replace("--say", "The message")
            return render_line(line, error=message, form=form, status=400)
        audit("switch", line=line.id, state=form["state"], until=ends.isoformat(),
              say=form["say"])
        flash(f"Switched {form['state']} until {form['until'].replace('T', ' ')}.")
    refresh(current_app, wait=False)  # a switch alone is re-attached, not parsed anew
    return redirect(url_for("console.line_page", line_id=line.id))


def _store(line_id: str, chosen: Switch | None) -> None:
    """Where ``ivr switch`` keeps it (``switchboard.save``); None turns the switch off."""
    switchboard.save(menus_folder(current_app), line_id, chosen, now())


def _problem(form: dict[str, str]) -> str | None:
    """What the form lacks before the switch's own rules are asked."""
    if form["state"] not in switchfile.STATES:
        return "Choose closed, open or off."
    if not form["until"]:
        return "A switch needs an end time: it must always end by itself."
    return None
