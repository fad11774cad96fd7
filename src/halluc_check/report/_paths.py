"""Finding paths → repository-relative POSIX paths and URIs, as code scanning and annotations want."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from urllib.parse import quote


def relative_path(path: str, base: Path | None = None) -> str | None:
    """``path`` relative to ``base`` (default: the current directory) in POSIX form, or ``None``.

    ``None`` means the file lies outside ``base`` (or the path cannot be made relative).
    Paths are normalised lexically (``./a/../b.py`` → ``b.py``); symbolic links are not followed.
    """
    try:
        relative = os.path.relpath(os.path.abspath(path), os.path.abspath(base or Path.cwd()))
    except ValueError:  # another drive on Windows, or a NUL byte
        return None
    normal = PurePosixPath(relative.replace(os.sep, "/"))
    if normal.is_absolute() or (normal.parts and normal.parts[0] == ".."):
        return None
    return str(normal)


def display_path(path: str, base: Path | None = None) -> str:
    """The relative path when there is one, else ``path`` unchanged."""
    return relative_path(path, base) or path


def path_uri(path: str, base: Path | None = None) -> tuple[str, bool]:
    """A URI for ``path`` and whether it is relative to ``base`` (the ``%SRCROOT%`` of SARIF).

    Relative URIs are percent-encoded UTF-8 (``a b.py`` → ``a%20b.py``); files outside ``base``
    get an absolute ``file://`` URI.
    """
    relative = relative_path(path, base)
    if relative is not None:
        return quote(relative, safe="/", errors="surrogateescape"), True
    try:
        return Path(os.path.abspath(path)).as_uri(), False
    except ValueError:
        return quote(path.replace(os.sep, "/"), safe="/", errors="surrogateescape"), False


def base_uri(base: Path | None = None) -> str:
    """``file:///…/`` of ``base`` (default: the current directory), with the trailing slash SARIF needs."""
    uri = (base or Path.cwd()).resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def inert_path(path: str) -> str:
    """``path``, prefixed with ``./`` when a log line starting with it would be read as a command.

    The runner treats every output line that starts with ``::`` (or ``##[``), after leading
    whitespace, as a workflow command; a file named ``::error file=x::y.py`` must not be one.
    """
    return "./" + path if is_command_like(path) else path


def is_command_like(line: str) -> bool:
    """Whether a CI runner would read ``line`` as a workflow command (``::name`` or ``##[name``)."""
    return line.lstrip().startswith(("::", "##["))
