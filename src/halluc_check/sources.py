"""Paths -> the Python files to check (sorted, excludes applied) and their decoded text."""

from __future__ import annotations

import fnmatch
import io
import os
import tokenize
from collections.abc import Iterable, Iterator
from pathlib import Path

from pathspec import GitIgnoreSpec

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


def _excluded(path: Path, patterns: Iterable[str]) -> bool:
    text = path.as_posix()
    return any(
        fnmatch.fnmatch(text, pattern)
        or fnmatch.fnmatch(path.name, pattern)
        or fnmatch.fnmatch(text, f"*/{pattern}")
        or fnmatch.fnmatch(text, f"*/{pattern}/*")
        for pattern in patterns
    )


def iter_python_files(paths: Iterable[Path], *, exclude: Iterable[str] = ()) -> Iterator[Path]:
    """Files named directly are always yielded; folders are walked for ``*.py`` files, in sorted
    order, skipping ``exclude`` patterns, what their ``.gitignore`` files ignore, virtual
    environments and build folders."""
    patterns = tuple(exclude)
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found: list[Path] = []
            ignores: list[tuple[Path, GitIgnoreSpec]] = []
            for root, dirs, files in os.walk(path):
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
                    and not _excluded(here / d, patterns)
                    and not _git_ignored(here / d, ignores, directory=True)
                )
                for name in files:
                    candidate = here / name
                    if (
                        name.endswith(".py")
                        and not _excluded(candidate, patterns)
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


def read_source(path: Path) -> str:
    """Decode like the interpreter does: BOM, PEP 263 coding cookie, else UTF-8."""
    data = path.read_bytes()
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    text = data.decode("utf-8" if encoding == "utf-8-sig" else encoding)
    return text.removeprefix("\ufeff")
