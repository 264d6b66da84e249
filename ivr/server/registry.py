"""The phone lines a server answers: every menu file in a folder, kept current off the
request path.

A background thread per process (``watch``) looks at the folder's files every half second
(a ``stat`` per file, cheap) and loads a changed file on its own; requests only read the
current view, swapped in one assignment. A good version is kept in the state directory
(``lastgood``); a broken one is logged with every problem and the last good version, from
the state directory, keeps serving in every worker alike. A file that is gone, or a folder
that cannot be read, is never taken for the admin's wish at once: the last good version
keeps serving until the file has been gone for ``retire_after`` (then the line is retired),
and a worker that boots meanwhile serves it too. Calls in progress are unaffected: their
state is in their URLs, and a node that vanished restarts the line politely.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from ivr.core.errors import IvrError, MenuError, Problem
from ivr.core.model import Line, Switch
from ivr.journal.background import every, native
from ivr.journal.statedir import state_dir
from ivr.menufile import numberclaims, switchfile
from ivr.menufile.folder import MAX_BYTES, Unreadable, menu_paths, read_capped
from ivr.server.filestate import FileState, admin_path, stamp_of
from ivr.server.lastgood import LastGood, version

log = logging.getLogger(__name__)
RETIRE_AFTER = timedelta(hours=24)
"""How long a line outlives its file by default: a night, so a deploy or an upload that
failed at 3 a.m. leaves the line answering until someone is there to see it."""


class MenusFolderError(IvrError):
    """The menus folder is missing, unreadable or holds no usable line."""


class FirstClaims(Protocol):
    """Who claimed each number first across the fleet (``journal.claims.Claims``)."""

    def first(self) -> dict[str, str]: ...

    def hold(self, decided: dict[str, str], served: dict[str, frozenset[str]]) -> None: ...


class SharedSwitches(Protocol):
    """The switches stored in the shared database (``journal.switchboard.Board``)."""

    def apply(self, line: Line) -> Line: ...


class Registry:
    """Lines by id and by the numbers they answer, reloaded when their files change."""

    def __init__(self, folder: Path, *, state: Path | None = None,
                 max_bytes: int = MAX_BYTES, keep_state: bool = True,
                 retire_after: timedelta = RETIRE_AFTER, claims: FirstClaims | None = None,
                 switches: SharedSwitches | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        """``keep_state=False`` keeps last good versions in memory and writes nothing (an
        in-process simulator); else they live in ``state``. ``claims`` is the fleet's record
        of who claimed each number first, and ``switches`` the switches set in the shared
        database, when servers share one."""
        self.folder = Path(folder)
        self.max_bytes = max_bytes
        self.retire_after = retire_after
        self.clock = clock
        state = (Path(state) if state else state_dir(self.folder)) if keep_state else None
        self.kept = LastGood(state, max_bytes)
        self.claims = claims
        self.switches = switches
        self._files: dict[Path, FileState] = {}
        self._view: tuple[dict[str, Line], dict[str, Line]] = ({}, {})
        """Lines by id and by number, swapped in one assignment so readers see one version."""
        self._lock = native("_thread", "allocate_lock")()
        self._reported: set[tuple[str, str]] = set()
        self._switches: dict[str, Switch | None] = {}
        self._conflicts: list[str] = []

    def load(self) -> list[MenuError]:
        """Read the folder now; raise MenusFolderError if it cannot serve any line."""
        if not self.folder.is_dir():
            kept = len(self.kept.ids())
            also = (f" ({kept} line(s) have a last good version in {self.kept.folder}: "
                    "the workers of a running server go on serving them, but a server does "
                    "not start without its menus folder)" if kept else "")
            raise MenusFolderError(f"{self.folder}: no such menus folder; pass --menus DIR "
                                   f"or set IVR_MENUS{also}")
        errors = self.refresh()
        if not self._view[0]:
            detail = "".join(f"\n{e}" for e in errors)
            raise MenusFolderError(f"{self.folder}: no valid menu file (*.yaml, *.yml){detail}")
        return errors

    def watch(self, interval: float = 0.5) -> None:
        """Check the folder every ``interval`` seconds in the background, for this process."""
        every(interval, self, Registry.refresh)

    def refresh(self, wait: bool = True) -> list[MenuError]:
        """Pick up added, changed and gone files; return the errors of bad new versions.

        ``wait=False`` returns at once when another refresh is under way (it will see what
        changed, or the next one will): a request must not hold its worker on the lock.
        """
        if not self._lock.acquire(blocking=wait):
            return []
        try:
            return self._refresh()
        finally:
            self._lock.release()

    def _refresh(self) -> list[MenuError]:
        try:
            paths, readable = menu_paths(self.folder), True
        except OSError as exc:
            self._report_once(("folder", str(exc)), "menus folder %s cannot be read: %s; "
                              "its lines are served from their last good versions",
                              self.folder, exc)
            paths, readable = [], False
        errors: list[MenuError] = []
        files: dict[Path, FileState] = {}
        stems: dict[str, Path] = {}
        for path in paths:
            if path.stem in stems:
                self._report_once(("file", path.name), "menu %s is ignored: %s has the "
                                  "same line name", admin_path(path),
                                  admin_path(stems[path.stem]))
                continue
            stems[path.stem] = path
            state = self._guarded(path, self._files.get(path))
            if state is None:
                continue
            files[path] = state
            if state.error and state is not self._files.get(path):
                errors.append(state.error)
        known = {path.stem: path for path in self._files}
        for line_id in sorted((self.kept.ids() | known.keys()) - stems.keys()):
            path = known.get(line_id, self.folder / f"{line_id}.yaml")
            gone = self._gone(line_id, path, self._files.get(path), readable)
            if gone is not None:
                files[path] = gone
        self._publish(files)
        return errors

    def _gone(self, line_id: str, path: Path, known: FileState | None,
              readable: bool) -> FileState | None:
        """A line whose file is missing: served from its last good version until it retires
        (never while the folder cannot be read); None once retired or with nothing kept."""
        now, display = self.clock(), admin_path(path)
        since, retires = (self.kept.gone(line_id, now, self.retire_after) if readable
                          else (known.gone[0] if known and known.gone else now, None))
        if retires is not None and now >= retires:
            self.kept.forget(line_id)
            if known is not None:
                log.warning("menu %s has been gone since %s: line %s is retired and no "
                            "longer served", display, f"{since:%Y-%m-%d %H:%M} UTC", line_id)
            return None
        stamp = ("gone", readable, stamp_of(self.kept.path(line_id)),
                 stamp_of(switchfile.path_for(self.folder, line_id)))
        if known and known.stamp == stamp:
            return known
        kept = self.kept.load(line_id, display)
        if kept is None and known and known.line and known.version:
            kept = known.line, known.version  # a state directory that could not be written
        if kept is None:
            return None
        if readable:
            log.warning("menu %s is gone; serving its last good version %s until %s, when "
                        "the line retires unless the file is back", display, kept[1],
                        f"{retires:%Y-%m-%d %H:%M} UTC")
        return FileState(stamp, self._with_switch(kept[0]), kept[1], gone=(since, retires))

    def _stamps(self, path: Path) -> tuple:
        """What says a file needs checking again: it, its switch or its kept version changed."""
        return (stamp_of(path), stamp_of(switchfile.path_for(self.folder, path.stem)),
                stamp_of(self.kept.path(path.stem)))

    def _file(self, path: Path, known: FileState | None) -> FileState | None:
        """The state of one file, reloaded if it, its switch or its kept version changed."""
        stamp = self._stamps(path)
        if stamp[0] is None and not path.is_symlink():
            return None
        if known and known.stamp == stamp:
            return known
        if (known and known.line and not known.error and known.gone is None
                and (known.stamp[0], known.stamp[2]) == (stamp[0], stamp[2])):
            # only the switch changed: attached again, the menu not parsed anew (a large one
            # takes most of a second, which a console's switch must not cost its worker)
            return FileState(stamp, self._with_switch(replace(known.line, switch=None)),
                             known.version)
        if known is None or known.gone is not None:
            self.kept.back(path.stem)
        display = admin_path(path)
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
        return FileState(stamp[:2] + (stamp_of(self.kept.path(path.stem)),), state.line,
                         state.version, state.error, state.broken_since)

    def _guarded(self, path: Path, known: FileState | None) -> FileState | None:
        """``_file``, with any surprise one file provokes kept as that file's error: its
        previous version keeps serving, the other files are checked as usual, and the
        surprise is logged once, then again only when the file changes."""
        try:
            return self._file(path, known)
        except Exception as exc:  # one file must never stop the check of the others
            log.exception("menu %s could not be checked; %s", admin_path(path),
                          "keeping what was served" if known and known.line
                          else "the line is not served")
            error = MenuError([Problem(admin_path(path), 1, 1, "", "could not be checked "
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
        gone = frozenset(state.line.id for state in files.values() if state.line and state.gone)
        by_number, conflicts = numberclaims.assign(
            lines.values(), gone=gone, first=self.claims.first() if self.claims else None)
        for conflict in conflicts:
            self._report_once((conflict.number, conflict.refused.id), "%s", conflict)
        if self.claims:
            self.claims.hold({number: line.id for number, line in by_number.items()
                              if line.id not in gone},
                             {line.id: frozenset(line.numbers) for line in lines.values()})
        self._files = files
        self._conflicts = [str(c) for c in conflicts]
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
        told = switchfile.change_told(line.id, self._switches.get(line.id), switched.switch)
        if told:
            log.info("%s", told)
        self._switches[line.id] = switched.switch
        return switched

    def _as_served(self, line: Line | None) -> Line | None:
        """``line`` as callers get it: its file's switch (attached at load) and, on top, the
        one set in the shared database, which every server reads alike."""
        if line is None or self.switches is None:
            return line
        return self.switches.apply(line)

    def line(self, line_id: str) -> Line | None:
        """The line served under ``line_id``, with its switch, or None."""
        return self._as_served(self._view[0].get(line_id))

    def by_number(self, called: str) -> Line | None:
        """The line answering ``called`` (E.164, or the user part of a SIP address)."""
        if called.startswith("sip:"):
            called = called[4:].split("@")[0]
        return self._as_served(self._view[1].get(called.strip()))

    def lines(self) -> dict[str, Line]:
        """Every line served, by id, each with its switch."""
        if self.switches is None:
            return dict(self._view[0])
        return {key: self.switches.apply(line) for key, line in self._view[0].items()}

    def conflicts(self) -> list[str]:
        """Numbers claimed by more than one line, and who keeps each, for /health."""
        return list(self._conflicts)

    def files(self) -> dict[str, dict]:
        """Each menu file's state, for /health."""
        return {path.name: state.report(path.name) for path, state in self._files.items()}
