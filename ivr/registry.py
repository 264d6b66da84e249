"""The phone lines a server answers: every ``*.yaml`` in a menus folder, kept current.

Each worker process holds its own registry and looks at the folder's files at most every
``interval`` seconds (a ``stat`` per file, cheap). A changed file is loaded and checked on
its own; a good version replaces the old one in one assignment, a bad one is logged with
every problem and the last good version keeps serving. Calls in progress are unaffected:
their state is in their URLs, and a node that vanished restarts the line politely.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from ivr import switch
from ivr.errors import IvrError, MenuError
from ivr.menufile import load_line
from ivr.model import Line

log = logging.getLogger(__name__)


class MenusFolderError(IvrError):
    """The menus folder is missing, unreadable or holds no usable line."""


class NoSuchLine(IvrError):
    """A line was asked for by a name or path that is no menu file."""


def menu_file(folder: Path, name: str) -> Path:
    """The file of a line named as in ``folder`` ('orebro-carelock'), or given as a path.

    Raises NoSuchLine naming the lines the folder does have.
    """
    folder, path = Path(folder), Path(name)
    if not (path.suffix in (".yaml", ".yml") or os.sep in name):
        path = folder / f"{name}.yaml"
    if not path.is_file():
        known = sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []
        raise NoSuchLine(f"no menu file {path}; the lines in {folder} are {known}")
    return path


@dataclass(frozen=True)
class _Loaded:
    stamp: tuple
    line: Line | None
    error: MenuError | None


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


class Registry:
    """Lines by id and by the numbers they answer, reloaded when their files change."""

    def __init__(self, folder: Path, *, interval: float = 2.0) -> None:
        self.folder, self.interval = Path(folder), interval
        self._files: dict[Path, _Loaded] = {}
        self._view: tuple[dict[str, Line], dict[str, Line]] = ({}, {})
        """Lines by id and by number, swapped in one assignment so readers see one version."""
        self._checked = float("-inf")

    def load(self) -> list[MenuError]:
        """Read the folder now; raise MenusFolderError if it cannot serve any line."""
        if not self.folder.is_dir():
            raise MenusFolderError(f"{self.folder}: no such menus folder; pass --menus DIR "
                                   "or set IVR_MENUS")
        errors = self.refresh(force=True)
        if not self._view[0]:
            detail = "".join(f"\n{e}" for e in errors)
            raise MenusFolderError(f"{self.folder}: no valid menu file (*.yaml){detail}")
        return errors

    def refresh(self, *, force: bool = False) -> list[MenuError]:
        """Pick up added, changed and deleted files; return the errors of bad new versions."""
        now = time.monotonic()
        if not force and now - self._checked < self.interval:
            return []
        self._checked = now
        try:
            paths = sorted(self.folder.glob("*.yaml"))
        except OSError as exc:
            log.error("menus folder %s cannot be read: %s; keeping the loaded lines",
                      self.folder, exc)
            return []
        errors, files = [], {}
        for path in paths:
            switch_path = switch.path_for(self.folder, path.stem)
            stamp = (_stamp(path), _stamp(switch_path))
            if stamp[0] is None:
                continue
            known = self._files.get(path)
            if known and known.stamp == stamp:
                files[path] = known
                continue
            try:
                line = self._with_switch(load_line(path, _display(path)))
                files[path] = _Loaded(stamp, line, None)
                if known:
                    log.info("menu %s reloaded", _display(path))
            except MenuError as exc:
                errors.append(exc)
                log.error("menu %s has errors; %s:\n%s", _display(path),
                          "keeping the last good version" if known and known.line
                          else "the line is not served", exc)
                files[path] = _Loaded(stamp, known.line if known else None, exc)
        self._publish(files)
        return errors

    def _publish(self, files: dict[Path, _Loaded]) -> None:
        lines = {loaded.line.id: loaded.line for loaded in files.values() if loaded.line}
        numbers = {}
        for line in lines.values():
            for number in line.numbers:
                if number in numbers:
                    log.error("number %s is claimed by both %s and %s; %s answers it",
                              number, numbers[number].source, line.source,
                              numbers[number].source)
                    continue
                numbers[number] = line
        self._files = files
        self._view = (lines, numbers)

    def _with_switch(self, line: Line) -> Line:
        """The line with its manual switch, if one is set; a broken switch file is ignored."""
        try:
            switched = switch.attach(line, self.folder)
        except IvrError as exc:
            log.error("%s; the switch is ignored", exc)
            return line
        if switched.switch:
            log.info("line %s is switched %s until %s", line.id, switched.switch.state,
                     switched.switch.until.isoformat())
        return switched

    def line(self, line_id: str) -> Line | None:
        self.refresh()
        return self._view[0].get(line_id)

    def by_number(self, called: str) -> Line | None:
        """The line answering ``called`` (E.164, or the user part of a SIP address)."""
        self.refresh()
        if called.startswith("sip:"):
            called = called[4:].split("@")[0]
        return self._view[1].get(called.strip())

    def lines(self) -> dict[str, Line]:
        self.refresh()
        return dict(self._view[0])


def _display(path: Path) -> str:
    """A path as an admin would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
