"""The public entry points: source text or paths -> Results (``check_source``, ``check_paths``).
They never print."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from .config import Config
from .engine.units import check_text, get_checker
from .model import Result

if TYPE_CHECKING:
    from .cache import DiskCache

__all__ = ["check_paths", "check_source", "check_text", "get_checker"]


def check_source(
    source: str, *, path: str | os.PathLike[str] | None = None, config: Config | None = None
) -> Result:
    """Check one piece of source code; ``path`` places it (for relative imports and messages).

    A ``path`` ending in ``.md``/``.markdown`` or ``.ipynb`` checks the Python blocks or
    code cells of that text instead.
    """
    checker = get_checker(config)
    return check_text(checker, source, str(path) if path is not None else None)


def check_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    config: Config | None = None,
    jobs: int = 1,
    timeout: float | None = None,
    cache: DiskCache | None = None,
) -> Iterator[Result]:
    """Check every Python file under ``paths``, in a deterministic order, one Result per file.

    ``jobs`` > 1 checks in that many worker processes; ``timeout`` limits the seconds one file
    may take (it is then reported as not checked); ``cache`` keeps results between runs.
    """
    # the run layer (worker processes, source discovery, the result cache) loads only when paths
    # are checked: flake8 and pytest import this package at start-up, for every run
    from .run.runner import RunOptions, check_files

    options = RunOptions(jobs=jobs, timeout=timeout, cache=cache)
    yield from check_files(paths, config or Config(), options)
