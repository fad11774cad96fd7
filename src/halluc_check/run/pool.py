"""Units -> (unit, Result) pairs checked in worker processes, each within the time limit.

jedi is not thread-safe and keeps large per-process caches, so parallel checking uses processes:
each worker builds its own :class:`~halluc_check.engine.checker.Checker` once and checks one file at a
time. A worker that dies, or a file that takes longer than the limit, costs only that file: it is
reported as not checked, and a fresh worker takes over.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING

from ..cache import DiskCache
from ..config import Config
from ..engine.units import check_text
from ..model import Result
from ..target.environment import EnvironmentError_
from .options import RunOptions, Unit, time_limit_message
from .process import (
    checker_for,
    exit_at_once,
    resident_mib,
    settle_between_files,
    tune_collector,
)

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from ..engine.checker import Checker

LOG = logging.getLogger(__name__)


def in_workers(
    units: list[Unit], config: Config, options: RunOptions, size: int
) -> Iterator[tuple[Unit, Result]]:
    """Check ``units`` in ``size`` worker processes; pairs in the order they are done."""
    pool = _Pool(config, options, size)
    try:
        yield from pool.run(units)
    except BaseException:  # Ctrl-C, or the consumer stopped early: no waiting on busy workers
        pool.close(kill=True)
        raise
    pool.close()


# -- in a worker process -------------------------------------------------------------------------
def _worker_main(
    connection: Connection, config: Config, cache_directory: str | None, budget: float
) -> None:
    """A worker: build a Checker, say ready, then check what arrives until told to stop. Each
    answer says whether the worker has outgrown its memory ``budget`` and should be replaced."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops workers
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    tune_collector()
    disk = DiskCache(Path(cache_directory)) if cache_directory is not None else None
    try:
        checker = checker_for(config, disk)
    except EnvironmentError_ as exc:
        connection.send(("failed", str(exc)))
        return
    connection.send(("ready", None))
    checker.start_sharing_inference()  # the worker lives for one run
    _serve(connection, checker, budget)
    exit_at_once(0)


def _serve(connection: Connection, checker: Checker, budget: float) -> None:
    """Check what arrives until told to stop."""
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            break
        if task is None:
            break
        index, path, text, requirements = task
        result = check_text(checker, text, path, requirements=requirements)
        settle_between_files()
        memory = resident_mib()
        connection.send(("done", (index, result, memory is not None and memory > budget)))


# -- in the parent process -----------------------------------------------------------------------
@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection
    unit: Unit | None = None
    deadline: float | None = None
    ready: bool = False


class _Runs:
    """The files, in path order, cut into one run per worker: a worker checks neighbouring files
    (one package, the same library trees in its memory) while the runs last, then takes from the
    end of the longest run left."""

    def __init__(self, units: list[Unit], size: int) -> None:
        count = len(units)
        self.runs = [deque(units[count * i // size : count * (i + 1) // size]) for i in range(size)]

    def __bool__(self) -> bool:
        return any(self.runs)

    def take(self, home: int) -> Unit:
        run = self.runs[home]
        if run:
            return run.popleft()
        return max(self.runs, key=len).pop()


class _Pool:
    def __init__(self, config: Config, options: RunOptions, size: int) -> None:
        self.config = config
        self.options = options
        self.context = multiprocessing.get_context("spawn")
        directory = options.cache.directory if options.cache is not None else None
        self.cache_directory = str(directory) if directory is not None else None
        self.budget = options.worker_budget(size)
        self.workers = [self._start() for _ in range(size)]
        self.deaths = 0
        """Workers that stopped before or between files."""

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(
            target=_worker_main,
            args=(child, self.config, self.cache_directory, self.budget),
            name="halluc-check worker",
            daemon=True,
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def _replace(self, worker: _Worker) -> None:
        _stop(worker, kill=True)
        self.workers[self.workers.index(worker)] = self._start()

    def close(self, *, kill: bool = False) -> None:
        """Every worker is told first, then awaited: they end side by side."""
        killed = [_ask_to_stop(w, kill=kill or w.unit is not None) for w in self.workers]
        for worker, was_killed in zip(self.workers, killed, strict=True):
            _await_stop(worker, kill=was_killed)

    def run(self, units: list[Unit]) -> Iterator[tuple[Unit, Result]]:
        queue = _Runs(units, len(self.workers))
        limit = self.options.timeout or None
        while queue or any(w.unit is not None for w in self.workers):
            for home, worker in enumerate(self.workers):
                if worker.ready and worker.unit is None and queue:
                    unit = queue.take(home)
                    worker.connection.send((unit.index, unit.path, unit.text, unit.requirements))
                    worker.unit = unit
                    worker.deadline = time.monotonic() + limit if limit else None
            deadlines = [w.deadline for w in self.workers if w.deadline is not None]
            wait_for = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            ready = wait([w.connection for w in self.workers], timeout=wait_for)
            for worker in list(self.workers):
                if worker.connection in ready:
                    yield from self._receive(worker)
            now = time.monotonic()
            for worker in list(self.workers):
                if (
                    worker.unit is not None
                    and worker.deadline is not None
                    and now >= worker.deadline
                ):
                    unit = worker.unit
                    assert limit is not None
                    LOG.info("%s: stopped after %s s", unit.path, limit)
                    self._replace(worker)
                    yield unit, Result(unit.display, error=time_limit_message(limit))

    def _receive(self, worker: _Worker) -> Iterator[tuple[Unit, Result]]:
        try:
            kind, payload = worker.connection.recv()
        except (EOFError, OSError):
            worker.process.join(timeout=5)
            code = worker.process.exitcode
            unit = worker.unit
            self._replace(worker)
            if unit is None:
                # died before or between files: nothing lost, a fresh worker takes over
                LOG.warning("a worker process stopped unexpectedly (exit code %s)", code)
                self._give_up_if_all_failing()
                return
            yield (
                unit,
                Result(
                    unit.display,
                    error=f"not checked: the checking process stopped unexpectedly (exit code {code})",
                ),
            )
            return
        if kind == "failed":
            raise EnvironmentError_(str(payload))
        if kind == "ready":
            worker.ready = True
            return
        unit = worker.unit
        assert unit is not None
        index, result, outgrown = payload
        assert index == unit.index
        worker.unit = worker.deadline = None
        if outgrown:
            LOG.info("a worker passed %.0f MiB: replacing it with a fresh one", self.budget)
            _stop(worker, kill=False)
            self.workers[self.workers.index(worker)] = self._start()
        yield unit, result

    def _give_up_if_all_failing(self) -> None:
        self.deaths += 1
        if self.deaths > 3 * len(self.workers):
            raise EnvironmentError_("worker processes keep stopping before checking anything")


def _stop(worker: _Worker, *, kill: bool) -> None:
    _await_stop(worker, kill=_ask_to_stop(worker, kill=kill))


def _ask_to_stop(worker: _Worker, *, kill: bool) -> bool:
    """Tell a worker to end (or kill it); returns whether it was killed."""
    if not kill:
        try:
            worker.connection.send(None)
        except (OSError, ValueError):
            kill = True
    if kill and worker.process.is_alive():
        worker.process.kill()
    return kill


def _await_stop(worker: _Worker, *, kill: bool) -> None:
    worker.process.join(timeout=None if kill else 10)
    if worker.process.is_alive():
        worker.process.kill()
        worker.process.join()
    worker.connection.close()
