"""A checking process's own upkeep: its Checker, garbage-collector tuning, memory, a quick exit."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from typing import TYPE_CHECKING, NoReturn

from ..cache import DiskCache
from ..config import Config
from ..engine.units import get_checker, new_checker

if TYPE_CHECKING:
    from ..engine.checker import Checker


def checker_for(config: Config, disk: DiskCache | None) -> Checker:
    """The Checker a run uses: the shared one for ``config``, or with a disk cache one of its
    own that reads and writes it."""
    if disk is None:
        return get_checker(config)
    return new_checker(config, disk)


def tune_collector() -> None:
    """Make the cyclic garbage collector run less often in a checking process.

    jedi and parso build millions of small objects that live as long as a parse tree;
    with the default threshold (700 allocations) the collector rescans them over and over,
    which costs about a sixth of a run. Only processes that exist to check call this."""
    global _checking_process
    gc.set_threshold(50_000, 20, 100)
    _checking_process = True


_checking_process = False


def settle_between_files() -> None:
    """In a process that exists to check: collect what the last file left behind, then set
    everything that is still alive aside from later collections.

    What outlives a file (library parse trees, the caches kept for the next files) lives as
    long as the process, and rescanning it at every collection cost about a tenth of a run;
    jedi's state for one file is garbage once the file is done, and is freed here."""
    if _checking_process:
        gc.collect()
        gc.freeze()


def resident_mib() -> float | None:
    """This process's resident memory now, where the system tells it (Linux)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def exit_at_once(code: int) -> NoReturn:
    """End the process without tearing down its objects one by one: after a check it holds the
    parse trees of every library module it has read, and freeing them took seconds. Everything
    it writes (results, caches) is written by then; jedi's helper process ends when its pipe
    closes."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    os._exit(code)
