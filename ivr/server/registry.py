"""The phone lines a server answers: every menu file in a folder, kept current off the
request path.

A background thread per process (``watch``) looks at the folder's files every half second
(a ``stat`` per file, cheap) and loads a changed file on its own; requests only read the
current view, swapped in one assignment. A good version is kept in the state directory
(``lastgood``); a broken one is logged with every problem and the last good version, from
the state directory, keeps serving in every worker alike. Calls in progress are unaffected:
their state is in their URLs, and a node that vanished restarts the line politely.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from ivr.core.errors import IvrError, MenuError, Problem
from ivr.core.model import Line
from ivr.menufile import numbers, switchfile
from ivr.menufile.folder import MAX_BYTES, Unreadable, menu_paths, read_capped
from ivr.server.lastgood import LastGood, state_dir, version
from ivr.server.watch import every, native

log = logging.getLogger(__name__)


class MenusFolderError(IvrError):
    """The menus folder is missing, unreadable or holds no usable line."""


@dataclass(frozen=True)
class FileState:
    """One menu file as a worker sees it: what it serves, and what is wrong with it."""

    stamp: tuple
    line: Line | None
    version: str | None
    error: MenuError | None = None
    broken_since: datetime | None = None

    def report(self, name: str) -> dict:
        """For /health: ok, or broken since when, its first error (naming the file ``name``,
        as in the menus folder) and what is served."""
        if self.error is None:
            return {"status": "ok", "version": self.version}
        since = self.broken_since.isoformat() if self.broken_since else None
        first = self.error.problems[0] if self.error.problems else Problem(name, 1, 1, "", "?")
        return {"status": "broken", "since": since, "error": str(replace(first, file=name)),
                "serving": self.version and f"last good version {self.version}"}


def _stamp(path: Path | None) -> tuple[int, int] | None:
    if path is None:
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


class Registry:
    """Lines by id and by the numbers they answer, reloaded when their files change."""

    def __init__(self, folder: Path, *, state: Path | None = None,
                 max_bytes: int = MAX_BYTES, keep_state: bool = True) -> None:
        """``keep_state=False`` keeps last good versions and number owners in memory and
        writes nothing (an in-process simulator); else they live in ``state``."""
        self.folder, self.max_bytes = Path(folder), max_bytes
        state = (Path(state) if state else state_dir(self.folder)) if keep_state else None
        self.kept, self.owners = LastGood(state), numbers.Owners(state)
        self._files: dict[Path, FileState] = {}
        self._view: tuple[dict[str, Line], dict[str, Line]] = ({}, {})
        """Lines by id and by number, swapped in one assignment so readers see one version."""
        self._lock = native("_thread", "allocate_lock")()
        self._reported: set[tuple[str, str]] = set()
        self._conflicts: list[str] = []

    def load(self) -> list[MenuError]:
        """Read the folder now; raise MenusFolderError if it cannot serve any line."""
        if not self.folder.is_dir():
            raise MenusFolderError(f"{self.folder}: no such menus folder; pass --menus DIR "
                                   "or set IVR_MENUS")
        errors = self.refresh()
        if not self._view[0]:
            detail = "".join(f"\n{e}" for e in errors)
            raise MenusFolderError(f"{self.folder}: no valid menu file (*.yaml, *.yml){detail}")
        return errors

    def watch(self, interval: float = 0.5) -> None:
        """Check the folder every ``interval`` seconds in the background, for this process."""
        every(interval, self, Registry.refresh)

    def refresh(self) -> list[MenuError]:
        """Pick up added, changed and deleted files; return the errors of bad new versions."""
        with self._lock:
            try:
                paths = menu_paths(self.folder)
            except OSError as exc:
                log.error("menus folder %s cannot be read: %s; keeping the loaded lines",
                          self.folder, exc)
                return []
            errors: list[MenuError] = []
            files: dict[Path, FileState] = {}
            stems: dict[str, Path] = {}
            for path in paths:
                if path.stem in stems:
                    self._report_once(("file", path.name), "menu %s is ignored: %s has the "
                                      "same line name", _display(path), _display(stems[path.stem]))
                    continue
                stems[path.stem] = path
                state = self._guarded(path, self._files.get(path))
                if state is None:
                    continue
                files[path] = state
                if state.error and state is not self._files.get(path):
                    errors.append(state.error)
            for gone in self._files.keys() - files.keys():
                if gone.stem not in stems:
                    self.kept.forget(gone.stem)
                    log.info("menu %s is gone; its line is no longer served", _display(gone))
            self._publish(files)
            return errors

    def _stamps(self, path: Path) -> tuple:
        """What says a file needs checking again: it, its switch or its kept version changed."""
        return (_stamp(path), _stamp(switchfile.path_for(self.folder, path.stem)),
                _stamp(self.kept.path(path.stem)))

    def _file(self, path: Path, known: FileState | None) -> FileState | None:
        """The state of one file, reloaded if it, its switch or its kept version changed."""
        stamp = self._stamps(path)
        if stamp[0] is None and not path.is_symlink():
            return None
        if known and known.stamp == stamp:
            return known
        display = _display(path)
        try:
            data = self._read(path, display)
            line, kept = self.kept.check(path.stem, data, display), version(data)
            if known:
                log.info("menu %s reloaded (version %s)", display, kept)
            state = FileState(stamp, self._with_switch(line), kept)
        except MenuError as exc:
            fallback = self.kept.load(path.stem, display)
            log.error("menu %s has errors; %s:\n%s", display,
                      f"serving its last good version {fallback[1]}" if fallback
                      else "the line is not served", exc)
            since = datetime.fromtimestamp((stamp[0] or (time.time_ns(), 0))[0] / 1e9, UTC)
            state = FileState(stamp, fallback and self._with_switch(fallback[0]),
                              fallback and fallback[1], exc, since)
        return FileState(stamp[:2] + (_stamp(self.kept.path(path.stem)),), state.line,
                         state.version, state.error, state.broken_since)

    def _guarded(self, path: Path, known: FileState | None) -> FileState | None:
        """``_file``, with any surprise one file provokes kept as that file's error: its
        previous version keeps serving, the other files are checked as usual, and the
        surprise is logged once, then again only when the file changes."""
        try:
            return self._file(path, known)
        except Exception as exc:  # one file must never stop the check of the others
            log.exception("menu %s could not be checked; %s", _display(path),
                          "keeping what was served" if known and known.line
                          else "the line is not served")
            error = MenuError([Problem(_display(path), 1, 1, "", "could not be checked "
                                       f"({type(exc).__name__}: {exc}); please report this")])
            return FileState(self._stamps(path), known.line if known else None,
                             known.version if known else None, error, datetime.now(UTC))

    def _read(self, path: Path, display: str) -> bytes:
        try:
            return read_capped(path, self.max_bytes)
        except Unreadable as exc:
            raise MenuError([Problem(display, 1, 1, "", str(exc))]) from None

    def _publish(self, files: dict[Path, FileState]) -> None:
        lines = {state.line.id: state.line for state in files.values() if state.line}
        by_number, conflicts, record = numbers.assign(lines.values(), self.owners.read())
        for conflict in conflicts:
            self._report_once((conflict.number, conflict.refused.id), "%s", conflict)
        try:
            self.owners.write(record)
        except OSError as exc:
            log.error("cannot record who answers which number: %s", exc)
        self._files, self._conflicts = files, [str(c) for c in conflicts]
        self._view = (lines, by_number)

    def _report_once(self, key: tuple[str, str], message: str, *args) -> None:
        if key not in self._reported:
            self._reported.add(key)
            log.error(message, *args)

    def _with_switch(self, line: Line) -> Line:
        """The line with its manual switch, if one is set; a broken switch file is ignored."""
        try:
            switched = switchfile.attach(line, self.folder)
        except IvrError as exc:
            log.error("%s; the switch is ignored", exc)
            return line
        if switched.switch:
            log.info("line %s is switched %s until %s", line.id, switched.switch.state,
                     switched.switch.until.isoformat())
        return switched

    def line(self, line_id: str) -> Line | None:
        return self._view[0].get(line_id)

    def by_number(self, called: str) -> Line | None:
        """The line answering ``called`` (E.164, or the user part of a SIP address)."""
        if called.startswith("sip:"):
            called = called[4:].split("@")[0]
        return self._view[1].get(called.strip())

    def lines(self) -> dict[str, Line]:
        return dict(self._view[0])

    def conflicts(self) -> list[str]:
        """Numbers claimed by more than one line, and who keeps each, for /health."""
        return list(self._conflicts)

    def files(self) -> dict[str, dict]:
        """Each menu file's state, for /health."""
        return {path.name: state.report(path.name) for path, state in self._files.items()}


def _display(path: Path) -> str:
    """A path as an admin would type it: relative to the working folder when inside it."""
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except ValueError:
        return str(path)
