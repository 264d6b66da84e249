"""The manual switch: force a line closed (with a message) or open, until a set time.

For the unexpected outage: ``ivr switch LINE closed --until … --say …`` writes
``<menus>/switches/<line>.yaml``; every worker picks it up with the menus, and it expires
by itself, so it is never forgotten. While closed, every schedule of the line counts as
closed (callers get the line's own after-hours path); while open, every schedule counts as
open; a schedule marked ``switch: ignore`` (another service's hours) is left as it is.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from ivr.core.errors import IvrError, MenuError
from ivr.core.model import Line, Switch
from ivr.menufile.folder import write_atomically
from ivr.menufile.reader import YamlMapping
from ivr.menufile.reader import load as load_yaml
from ivr.menufile.shapes import Field, Struct
from ivr.menufile.spec import Context, Plain, one_of
from ivr.menufile.speech import spoken_text

FOLDER = "switches"
LONGEST = timedelta(days=7)
"""A switch can be set at most this far ahead: long closures belong in calendar overrides."""
STATES = ("closed", "open")


def change_told(line_id: str, before: Switch | None, after: Switch | None) -> str | None:
    """The log line for a line's switch going from ``before`` to ``after``; None if the same.

    The servers log each change once, where they notice it (the file, the shared database),
    so an operator reading the log sees when callers began and stopped getting a switch.
    """
    if after == before:
        return None
    if after is None:
        return f"line {line_id}: the switch is off"
    return f"line {line_id} is switched {after.state} until {after.until.isoformat()}"


def path_for(menus: Path, line_id: str) -> Path:
    return Path(menus) / FOLDER / f"{line_id}.yaml"


def read(path: Path) -> Switch | None:
    """The switch in ``path``, None when there is no file; IvrError when it is unusable
    (a directory or anything else that is not a readable regular file included)."""
    if not os.path.lexists(path):
        return None
    document, problems = load_yaml(path, str(path))
    if problems:
        raise MenuError(problems)
    ctx = Context(str(path))
    switch = SWITCH.convert(document, ctx, "")
    if not ctx.problems and isinstance(document, YamlMapping):
        set_at = switch.since or _modified(path)
        if switch.until - set_at > LONGEST:
            ctx.report(document["until"], "until",
                       f"{switch.until.isoformat()} is more than {LONGEST.days} days after the "
                       f"switch was set ({set_at.isoformat()}); a switch is for the unexpected "
                       "outage, a long closure is a calendar override")
    if ctx.problems:
        raise MenuError(ctx.problems)
    return switch


def _aware(text: str) -> datetime:
    """An instant with its offset, as ``ivr switch`` writes it."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ValueError(f"'{text}' is not a time with an offset; write it like "
                         "2026-11-24T15:00:00+01:00, or set the switch again with ivr switch")
    return moment


SWITCH = Struct({"state": Field(one_of(list(STATES)), True), "until": Field(Plain(_aware), True),
                 "since": Field(Plain(_aware)), "say": Field(Plain(spoken_text))},
                lambda state, until, since, say: Switch(state, until, say, since))
"""What a switch file holds; read with the menu format's specs, so every problem is located."""


def _modified(path: Path) -> datetime:
    """When ``path`` was last written: when a switch without ``since`` was set."""
    try:
        return datetime.fromtimestamp(os.stat(path).st_mtime, UTC)
    except OSError as exc:
        raise IvrError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def attach(line: Line, folder: Path) -> Line:
    """``line`` with the switch set for it in ``folder``, if any (IvrError if unusable)."""
    current = read(path_for(folder, line.id))
    return replace(line, switch=current) if current else line


def check_say(text: str) -> str:
    """The message as given, if a caller can hear it: one line of printable text, said as
    written (a menu's ``{opens:…}`` and ``{tel:…}`` would be read out as they stand)."""
    if not text.strip() or not text.isprintable() or len(text) > 500:
        raise ValueError("--say must be one line of printable text, at most 500 characters")
    if PLACEHOLDER.search(text):
        raise ValueError("--say is said as written: {opens:…} and {tel:…} are filled in only "
                         "in a menu file; write the time or the number out")
    return text


PLACEHOLDER = re.compile(r"\{\s*[a-z]+\s*:")
"""The start of a menu file's placeholder (``{opens:…}``, ``{tel:…}``)."""


def validate(switch: Switch, now: datetime) -> None:
    """ValueError unless ``switch`` ends in the future, within ``LONGEST``, saying sense."""
    if switch.until <= now:
        raise ValueError("--until is in the past; a switch must end in the future")
    if switch.until - now > LONGEST:
        raise ValueError(f"--until is more than {LONGEST.days} days ahead; for a long closure "
                         "add a calendar override to the menu file")
    if switch.say is not None:
        check_say(switch.say)


def write(path: Path, switch: Switch, now: datetime) -> None:
    """Write a switch after checking it ends in the future and within ``LONGEST``.

    The YAML is produced by the YAML library and read back before it is put in place,
    through a temporary file of this writer's own and ``os.replace``: a reader sees the old
    switch or the new one, never a mix, and concurrent writers cannot corrupt the file.
    """
    validate(switch, now)
    record = {"state": switch.state, "since": now.isoformat(),
              "until": switch.until.isoformat()}
    if switch.say:
        record["say"] = switch.say
    text = "# Written by `ivr switch`; it ends by itself at 'until'.\n" + yaml.safe_dump(
        record, allow_unicode=True, sort_keys=False)
    check = Path(tempfile.mkdtemp(prefix="ivr-switch-")) / "check.yaml"
    try:
        check.write_text(text, encoding="utf-8")
        read(check)
    finally:
        shutil.rmtree(check.parent, ignore_errors=True)
    try:
        write_atomically(path, text.encode("utf-8"))
    except OSError as exc:
        raise IvrError(f"{path}: cannot be written ({exc.strerror or exc})") from None


def remove(path: Path) -> None:
    """End a switch by removing its file (nothing to do when there is none)."""
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise IvrError(f"{path}: cannot be removed ({exc.strerror or exc}); "
                       "remove it by hand") from None
