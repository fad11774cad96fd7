"""What a run is given: its options (workers, time limit, cache, memory) and the units of text."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..cache import DiskCache

if TYPE_CHECKING:
    from ..engine.checker import Checker

DEFAULT_TIMEOUT = 120.0
"""Seconds one file may take by default: generous, so only a runaway inference hits it."""

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while files are checked."""

RUN_MEMORY_MIB = 800.0
"""What the workers of one run may hold together, about: jedi keeps the parse trees of every
library module it has read, so a worker's memory grows with the code it has checked."""
WORKER_MEMORY_FLOOR_MIB = 300.0
"""No worker is recycled below this: it would spend its time warming up again."""


@dataclass(frozen=True)
class RunOptions:
    jobs: int = 1
    """Worker processes; 1 checks in this process."""
    timeout: float | None = None
    """Seconds one file may take; ``None`` or 0: no limit."""
    cache: DiskCache | None = None
    """Where checked results are kept between runs; ``None``: no result cache."""
    progress: Progress | None = field(default=None, compare=False)
    worker_memory_mib: float | None = None
    """A worker whose resident memory passes this after a file is replaced by a fresh one;
    ``None``: :data:`RUN_MEMORY_MIB` shared by the workers."""
    checker: Checker | None = field(default=None, compare=False)
    """The Checker of files checked in this process, kept warm by its owner (the daemon);
    ``None``: the run's own (see :func:`~halluc_check.run.process.checker_for`)."""

    def worker_budget(self, workers: int) -> float:
        if self.worker_memory_mib is not None:
            return self.worker_memory_mib
        return max(WORKER_MEMORY_FLOOR_MIB, RUN_MEMORY_MIB / max(1, workers))


@dataclass
class Unit:
    """One text to check; ``path`` places it (``None``: stdin)."""

    index: int
    path: str | None
    text: str
    key: str | None = None
    requirements: bool = False
    """Read as a requirements file whatever its name: another requirements file includes it."""

    @property
    def display(self) -> str:
        return self.path or "<stdin>"


def time_limit_message(seconds: float) -> str:
    """The reason a file that ran past the time limit was not checked."""
    return f"not checked: took longer than the time limit of {seconds:g} s (see --timeout)"


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def worker_count(requested: int | None) -> int:
    """``-j 0`` or no value: one per available core."""
    return default_jobs() if not requested else max(1, requested)
