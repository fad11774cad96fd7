"""The public entry points: ``check_source`` and ``check_paths``. They never print."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from .check import Checker
from .config import Config
from .model import Result
from .sources import iter_python_files, read_source

LOG = logging.getLogger(__name__)

_checkers: dict[Config, Checker] = {}


def _checker(config: Config | None) -> Checker:
    config = config or Config()
    if config not in _checkers:
        _checkers[config] = Checker(config)
    return _checkers[config]


def check_source(
    source: str, *, path: str | os.PathLike[str] | None = None, config: Config | None = None
) -> Result:
    """Check one piece of source code; ``path`` places it (for relative imports and messages)."""
    checker = _checker(config)
    return _guarded(checker, source, str(path) if path is not None else None)


def check_paths(
    paths: Iterable[str | os.PathLike[str]], *, config: Config | None = None
) -> Iterator[Result]:
    """Check every Python file under ``paths``, in a deterministic order, one Result per file."""
    checker = _checker(config)
    for file in iter_python_files([Path(p) for p in paths], exclude=checker.config.exclude):
        try:
            source = read_source(file)
        except (OSError, UnicodeDecodeError, SyntaxError) as exc:
            yield Result(str(file), error=f"cannot read: {exc}")
            continue
        yield _guarded(checker, source, str(file))


def _guarded(checker: Checker, source: str, path: str | None) -> Result:
    try:
        return checker.check_source(source, path)
    except RecursionError:
        return Result(path or "<stdin>", error="expression nesting too deep to analyse")
    except Exception as exc:  # one file must never abort a run
        LOG.debug("internal error on %s", path, exc_info=True)
        return Result(path or "<stdin>", error=f"internal error: {type(exc).__name__}: {exc}")
