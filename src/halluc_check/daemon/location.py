"""Where a daemon listens: a Unix socket in a folder only the user can enter, one per target
environment.

The folder is ``$XDG_RUNTIME_DIR/halluc-check`` (the user's runtime folder), else
``halluc-check-<uid>`` in the temporary folder. It is made with mode 0700 and refused, by the
daemon and by its clients alike, when it is a symbolic link, is owned by someone else or lets
the group or others in; the socket itself has mode 0600 and is refused unless the user owns it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..cache import digest

FOLDER_NAME = "halluc-check"


class UnsafeLocation(Exception):
    """The daemon's folder or socket could be reached by someone else; the message says why."""


@dataclass(frozen=True)
class Location:
    """The files of the daemon of one target environment."""

    folder: Path
    key: str

    @property
    def socket(self) -> Path:
        return self.folder / f"{self.key}.sock"

    @property
    def lock(self) -> Path:
        """Held (``flock``) by the running daemon for as long as it lives: one per environment."""
        return self.folder / f"{self.key}.lock"

    @property
    def log(self) -> Path:
        """The daemon's standard error: why it could not start, warnings."""
        return self.folder / f"{self.key}.log"


def supported() -> bool:
    """Unix sockets and per-user ids: not on Windows."""
    return sys.platform != "win32" and hasattr(os, "getuid")


def runtime_folder(*, create: bool) -> Path:
    """The daemon folder, checked (and made, with ``create``); raises :class:`UnsafeLocation`,
    or ``FileNotFoundError`` when it does not exist and ``create`` is false."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    if base and os.path.isabs(base) and os.path.isdir(base):
        folder = Path(base) / FOLDER_NAME
    else:
        folder = Path(tempfile.gettempdir()) / f"{FOLDER_NAME}-{os.getuid()}"
    if create:
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
    check_private(folder, directory=True)
    return folder


def check_private(path: Path, *, directory: bool) -> None:
    """Raise :class:`UnsafeLocation` unless ``path`` (not followed if a link) is a folder (or a
    socket) owned by this user, without permissions for the group or others."""
    info = os.lstat(path)
    kind = "folder" if directory else "socket"
    expected = stat.S_ISDIR(info.st_mode) if directory else stat.S_ISSOCK(info.st_mode)
    if not expected:
        raise UnsafeLocation(f"{path} is not a {kind}")
    if info.st_uid != os.getuid():
        raise UnsafeLocation(f"{path} is owned by another user")
    if info.st_mode & 0o077:
        mode = stat.S_IMODE(info.st_mode)
        raise UnsafeLocation(f"{path} lets the group or others in (mode {mode:o})")


def environment_key(executable: str) -> str:
    """What names a target environment's daemon: its interpreter, and the variables that change
    what the interpreter's ``sys.path`` holds."""
    return digest(executable, os.environ.get("PYTHONPATH"), os.environ.get("PYTHONHOME"))[:24]


def location_for(executable: str, *, create: bool = False) -> Location:
    """The daemon files of the target interpreter ``executable`` (see :func:`runtime_folder`)."""
    return Location(runtime_folder(create=create), environment_key(executable))
