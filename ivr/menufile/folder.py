"""A folder of menu files: which files are lines, the file of a line named by an admin,
reading a file with a size cap (never blocking on a FIFO), and writing a file whole so no
reader ever sees half of it.

Nothing here reads YAML or knows a server: the reader, the switch file, the number record
and the server's last good store build on it.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from ivr.core.errors import IvrError

SUFFIXES = (".yaml", ".yml")
MAX_BYTES = 1_000_000
"""Largest menu file read, by default: the largest shipped line is under 20 KB."""
MODE = 0o644
"""Permissions of every file written whole: its owner writes, everyone reads."""


class NoSuchLine(IvrError):
    """A line was asked for by a name or path that is no menu file."""


def menu_paths(folder: Path) -> list[Path]:
    """The menu files of ``folder`` (``.yaml`` and ``.yml`` alike), sorted by name."""
    return sorted(p for p in Path(folder).iterdir() if p.suffix in SUFFIXES)


def menu_file(folder: Path, name: str) -> Path:
    """The file of a line named as in ``folder`` ('orebro-carelock'), or given as a path.

    Raises NoSuchLine naming the lines the folder does have.
    """
    folder, path = Path(folder), Path(name)
    if not (path.suffix in SUFFIXES or os.sep in name):
        path = next((folder / f"{name}{s}" for s in SUFFIXES if (folder / f"{name}{s}")
                     .is_file()), folder / f"{name}.yaml")
    if not path.is_file():
        known = [p.stem for p in menu_paths(folder)] if folder.is_dir() else []
        raise NoSuchLine(f"no menu file {path}; the lines in {folder} are "
                         f"{', '.join(known) or 'none'}")
    return path


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so a reader sees the old file or the new, never half.

    Each writer has its own temporary file, so concurrent writers cannot interleave. The
    file is readable by all (``MODE``), as one written by an editor would be: a switch set by
    an admin must be readable by the service, which runs as another user.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, MODE)  # mkstemp makes it 0600
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Unreadable(Exception):
    """A file that is not a regular file, too large, or cannot be read; the message says."""


def read_capped(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``max_bytes``.

    The file is opened without blocking (a FIFO would wait forever for a writer) and checked
    on the open descriptor, so a symlink to ``/dev/zero`` or a swapped-in FIFO is refused
    before one byte is read, and no more than ``max_bytes + 1`` bytes are ever read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise Unreadable(f"cannot be read: {exc.strerror or exc}") from None
    try:
        return _read_regular(fd, max_bytes)
    except OSError as exc:
        raise Unreadable(f"cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _read_regular(fd: int, max_bytes: int) -> bytes:
    """The bytes behind an open descriptor, checked before the first read: a directory
    opens like a file, and only reading it would fail."""
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable("is not a regular file; only plain files are read")
    if info.st_size > max_bytes:
        raise Unreadable(f"is {info.st_size:,} bytes; the limit is {max_bytes:,}")
    with os.fdopen(fd, "rb", closefd=False) as file:
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise Unreadable(f"grew past the limit of {max_bytes:,} bytes while being read")
    return data
