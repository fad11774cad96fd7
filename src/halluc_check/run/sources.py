"""Paths -> the Python files to check (sorted, excludes applied) and their decoded text.

Every way a path can fail to be source text becomes a :class:`SourceError` with a one-line
reason: missing files, broken symbolic links and loops, unreadable files and folders, named pipes
and devices (never opened, so nothing can block), binary files, unknown encodings and bytes that
do not decode (located by line and column).
"""

from __future__ import annotations

import errno
import fnmatch
import io
import os
import stat
import tokenize
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from pathspec import GitIgnoreSpec

from ..text import LINE_BREAK

_SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        "__pycache__",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        "node_modules",
        "build",
        "dist",
        "site-packages",
    }
)


def excluded(path: Path, patterns: Iterable[str]) -> bool:
    """Whether an ``exclude`` pattern matches ``path``: the whole path, its name, its end, or a
    folder on it."""
    text = path.as_posix()
    return any(
        fnmatch.fnmatch(text, pattern)
        or fnmatch.fnmatch(path.name, pattern)
        or fnmatch.fnmatch(text, f"*/{pattern}")
        or fnmatch.fnmatch(text, f"*/{pattern}/*")
        for pattern in patterns
    )


class SourceError(Exception):
    """A path that cannot be checked as source text; the message is the one-line reason."""


def iter_python_files(
    paths: Iterable[Path],
    *,
    exclude: Iterable[str] = (),
    on_error: Callable[[Path, str], None] | None = None,
) -> Iterator[Path]:
    """Files named directly are always yielded; folders are walked for ``*.py`` files, in sorted
    order, skipping ``exclude`` patterns, what their ``.gitignore`` files ignore, virtual
    environments and build folders. A folder that cannot be listed is passed to ``on_error``
    with the reason (symbolic links to folders are not followed, so a walk cannot loop)."""
    patterns = tuple(exclude)
    seen: set[Path] = set()

    def walk_error(exc: OSError) -> None:
        if on_error is not None:
            where = Path(exc.filename) if exc.filename else Path(".")
            on_error(where, f"cannot list folder: {_reason(exc)}")

    for path in paths:
        if path.is_dir():
            found: list[Path] = []
            ignores: list[tuple[Path, GitIgnoreSpec]] = []
            for root, dirs, files in os.walk(path, onerror=walk_error):
                here = Path(root)
                if ".gitignore" in files:
                    spec = _gitignore(here / ".gitignore")
                    if spec is not None:
                        ignores.append((here, spec))
                dirs[:] = sorted(
                    d
                    for d in dirs
                    if d not in _SKIP_DIRS
                    and not d.endswith(".egg-info")
                    and not excluded(here / d, patterns)
                    and not _git_ignored(here / d, ignores, directory=True)
                )
                for name in files:
                    candidate = here / name
                    if (
                        name.endswith(".py")
                        and not excluded(candidate, patterns)
                        and not _git_ignored(candidate, ignores, directory=False)
                    ):
                        found.append(candidate)
            for candidate in sorted(found):
                if candidate not in seen:
                    seen.add(candidate)
                    yield candidate
        elif path not in seen:
            seen.add(path)
            yield path


def _gitignore(path: Path) -> GitIgnoreSpec | None:
    try:
        return GitIgnoreSpec.from_lines(
            path.read_text(encoding="utf-8", errors="replace").splitlines()
        )
    except (OSError, ValueError):
        return None


def _git_ignored(path: Path, ignores: list[tuple[Path, GitIgnoreSpec]], *, directory: bool) -> bool:
    """Whether a ``.gitignore`` of a walked folder above ``path`` ignores it."""
    for base, spec in ignores:
        try:
            relative = path.relative_to(base).as_posix()
        except ValueError:
            continue
        if spec.match_file(relative + ("/" if directory else "")):
            return True
    return False


_FILE_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def _reason(exc: OSError) -> str:
    """``Permission denied``: the system's words without the repeated path."""
    return exc.strerror or str(exc)


def path_problem(path: str | os.PathLike[str]) -> str | None:
    """Why ``path`` cannot be checked at all (``None`` when it is a folder or a regular file)."""
    try:
        info = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ENOENT and os.path.islink(path):
            return f"broken symbolic link (to {os.readlink(path)})"
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        if exc.errno == errno.ENOENT:
            return "no such file or directory"
        return _reason(exc)
    if stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode):
        return None
    kind = next((name for test, name in _FILE_KINDS if test(info.st_mode)), "not a regular file")
    return f"{kind}, not a source file (pipe code in with `-` to check standard input)"


def read_source(path: Path) -> str:
    """Decode like the interpreter does: BOM, PEP 263 coding cookie, else UTF-8.

    Raises :class:`SourceError` for anything that is not a readable regular file of text.
    Only regular files are opened: a named pipe or a device would block or never end.
    """
    problem = path_problem(path)
    if problem is None and path.is_dir():
        problem = "a folder, not a source file"
    if problem is not None:
        raise SourceError(problem)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read: {_reason(exc)}") from None
    return decode_source(data)


def decode_source(data: bytes) -> str:
    """Source bytes -> text, as the interpreter decodes a module, or a located ``SourceError``."""
    nul = data.find(b"\0")
    if nul != -1:
        raise SourceError(f"binary file (a NUL byte at {_location(data, nul, 'latin-1')})")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        message = str(exc)
        if message.startswith("unknown encoding"):
            raise SourceError(f"bad encoding declaration: {message}") from None
        if message.startswith("encoding problem"):
            raise SourceError("a UTF-8 byte order mark and a `# coding:` line disagree") from None
        encoding = "utf-8"  # one of the first two lines does not decode: located below
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        name = "UTF-8" if codec == "utf-8" else codec
        where = _location(data, exc.start, codec)
        hint = " (no `# coding:` line declares another encoding)" if codec == "utf-8" else ""
        raise SourceError(
            f"not valid {name}: byte 0x{data[exc.start]:02x} at {where}{hint}"
        ) from None
    return text.removeprefix("\ufeff")


def _location(data: bytes, offset: int, codec: str) -> str:
    """``line 3, column 7`` (1-based; lines end like the tokenizer's) of byte ``offset``."""
    before = LINE_BREAK.split(data[:offset].decode(codec, errors="replace"))
    column = len(before[-1]) + 1 - (1 if len(before) == 1 and before[0][:1] == "\ufeff" else 0)
    return f"line {len(before)}, column {column}"
