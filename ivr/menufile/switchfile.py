"""The manual switch: force a line closed (with a message) or open, until a set time.

For the unexpected outage: ``ivr switch LINE closed --until … --say …`` writes
``<menus>/switches/<line>.yaml``; every worker picks it up with the menus, and it expires
by itself, so it is never forgotten. While closed, every schedule of the line counts as
closed (callers get the line's own after-hours path); while open, every schedule counts as
open.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import yaml

from ivr.core.errors import IvrError
from ivr.core.model import Line, Switch
from ivr.menufile.folder import write_atomically
from ivr.menufile.reader import YamlMapping
from ivr.menufile.reader import load as load_yaml

FOLDER = "switches"
LONGEST = timedelta(days=7)
"""A switch can be set at most this far ahead: long closures belong in calendar overrides."""
STATES = ("closed", "open")


def path_for(menus: Path, line_id: str) -> Path:
    return Path(menus) / FOLDER / f"{line_id}.yaml"


def read(path: Path) -> Switch | None:
    """The switch in ``path``, None when there is no file; IvrError when it is unusable."""
    if not path.exists() and not path.is_symlink():
        return None
    document, problems = load_yaml(path, str(path))
    if problems or not isinstance(document, YamlMapping):
        raise IvrError(f"{path}: not a switch file: {'; '.join(map(str, problems))}")
    try:
        until = datetime.fromisoformat(document["until"])
        since = datetime.fromisoformat(document["since"]) if "since" in document else None
        state, say = str(document["state"]), document.get("say")
    except (KeyError, TypeError, ValueError) as exc:
        raise IvrError(f"{path}: not a switch file ({exc})") from None
    if state not in STATES or until.tzinfo is None or (since and since.tzinfo is None):
        raise IvrError(f"{path}: state must be closed or open, until must have an offset")
    return Switch(state, until, str(say) if say else None, since)


def attach(line: Line, folder: Path) -> Line:
    """``line`` with the switch set for it in ``folder``, if any (IvrError if unusable)."""
    current = read(path_for(folder, line.id))
    return replace(line, switch=current) if current else line


def check_say(text: str) -> str:
    """The message as given, if a caller can hear it: one line of printable text."""
    if not text.strip() or not text.isprintable() or len(text) > 500:
        raise ValueError("--say must be one line of printable text, at most 500 characters")
    return text


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
    write_atomically(path, text.encode("utf-8"))
