"""Checking many files: cached results first, then the rest in this process or in worker
processes, each file within a time limit, results in the order the files were given.

jedi is not thread-safe and keeps large per-process caches, so parallel checking uses processes:
each worker builds its own :class:`~halluc_check.engine.checker.Checker` once and checks one file at a
time. A worker that dies, or a file that takes longer than the limit, costs only that file: it is
reported as not checked, and a fresh worker takes over.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from ..cache import DiskCache, ResultCache, digest
from ..config import Config
from ..model import Result
from ..target.environment import EnvironmentError_, load_environment
from .sources import SourceError, iter_python_files, read_source

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from ..engine.checker import Checker

LOG = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 120.0
"""Seconds one file may take by default: generous, so only a runaway inference hits it."""

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while files are checked."""


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

    def worker_budget(self, workers: int) -> float:
        if self.worker_memory_mib is not None:
            return self.worker_memory_mib
        return max(WORKER_MEMORY_FLOOR_MIB, RUN_MEMORY_MIB / max(1, workers))


RUN_MEMORY_MIB = 800.0
"""What the workers of one run may hold together, about: jedi keeps the parse trees of every
library module it has read, so a worker's memory grows with the code it has checked."""
WORKER_MEMORY_FLOOR_MIB = 300.0
"""No worker is recycled below this: it would spend its time warming up again."""


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class Unit:
    """One text to check; ``path`` places it (``None``: stdin)."""

    index: int
    path: str | None
    text: str
    key: str | None = None

    @property
    def display(self) -> str:
        return self.path or "<stdin>"


class TimeLimitExceeded(BaseException):
    """Raised inside a check that ran past its time limit (a BaseException, so that the
    engine's own ``except Exception`` blocks do not swallow it)."""


def _time_limit_message(seconds: float) -> str:
    return f"not checked: took longer than the time limit of {seconds:g} s (see --timeout)"


def check_files(
    paths: Iterable[str | os.PathLike[str]], config: Config, options: RunOptions
) -> Iterator[Result]:
    """One Result per Python file under ``paths``, in a deterministic order."""
    yield from check_units(collect_units([Path(p) for p in paths], config), config, options)


def collect_units(paths: list[Path], config: Config) -> list[Unit | Result]:
    """The files under ``paths``, read; the unreadable ones (and folders that cannot be listed)
    as Results saying why."""
    units: list[Unit | Result] = []

    def unlisted(folder: Path, reason: str) -> None:
        units.append(Result(str(folder), error=reason))

    for file in iter_python_files(paths, exclude=config.exclude, on_error=unlisted):
        try:
            text = read_source(file)
        except SourceError as exc:
            units.append(Result(str(file), error=str(exc)))
            continue
        units.append(Unit(len(units), str(file), text))
    return units


def check_units(
    units: Sequence[Unit | Result], config: Config, options: RunOptions
) -> Iterator[Result]:
    results: dict[int, Result] = {}
    for position, unit in enumerate(units):
        if isinstance(unit, Result):
            results[position] = unit
        else:
            unit.index = position
    pending = [u for u in units if isinstance(u, Unit)]
    cache = _result_cache(config, options) if pending else None
    if cache is not None:
        still: list[Unit] = []
        for unit in pending:
            if unit.path is not None:
                unit.key = cache.key(unit.path, unit.text)
            hit = cache.get(unit.key, unit.display, unit.text) if unit.key else None
            if hit is not None:
                results[unit.index] = hit
            else:
                still.append(unit)
        pending = still
    total, done = len(units), len(results)
    next_index = 0

    def ready() -> Iterator[Result]:
        nonlocal next_index
        while next_index in results:
            yield results.pop(next_index)
            next_index += 1

    yield from ready()
    jobs = min(options.jobs, len(pending))
    checked = (
        _in_workers(pending, config, options, jobs) if jobs > 1 else _here(pending, config, options)
    )
    for unit, result in checked:
        if cache is not None and unit.key is not None:
            cache.put(unit.key, result)
        results[unit.index] = result
        done += 1
        if options.progress is not None:
            options.progress(done, total)
        yield from ready()
    yield from ready()


def _result_cache(config: Config, options: RunOptions) -> ResultCache | None:
    if options.cache is None:
        return None
    env = load_environment(config.python, cwd=config.root, cache=options.cache)
    return ResultCache(options.cache, digest(config), env.fingerprint)


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


# -- in this process -----------------------------------------------------------------------------
def _here(units: list[Unit], config: Config, options: RunOptions) -> Iterator[tuple[Unit, Result]]:
    if not units:
        return
    checker = _checker(config, options.cache)
    with checker.sharing_inference():
        for number, unit in enumerate(units, 1):
            result = _check_with_limit(checker, unit, options.timeout)
            if number < len(units):
                settle_between_files()
            yield unit, result


def _checker(config: Config, disk: DiskCache | None) -> Checker:
    from ..api import get_checker
    from ..engine.checker import Checker

    if disk is None:
        return get_checker(config)
    env = load_environment(config.python, cwd=config.root, cache=disk)
    return Checker(config, env=env, cache=disk)


def _check_with_limit(checker: Checker, unit: Unit, seconds: float | None) -> Result:
    from ..api import check_text

    usable = (
        bool(seconds)
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        return check_text(checker, unit.text, unit.path)
    assert seconds is not None

    def expire(signum: int, frame: object) -> None:
        raise TimeLimitExceeded

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return check_text(checker, unit.text, unit.path)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except TimeLimitExceeded:
        LOG.info("%s: stopped after %s s", unit.path, seconds)
        return Result(unit.display, error=_time_limit_message(seconds))
    finally:
        signal.signal(signal.SIGALRM, previous)


# -- in worker processes -------------------------------------------------------------------------
def resident_mib() -> float | None:
    """This process's resident memory now, where the system tells it (Linux)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError, AttributeError):
        return None


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
        checker = _checker(config, disk)
    except EnvironmentError_ as exc:
        connection.send(("failed", str(exc)))
        return
    connection.send(("ready", None))
    checker.start_sharing_inference()  # the worker lives for one run
    _serve(connection, checker, budget)
    exit_at_once(0)


def _serve(connection: Connection, checker: Checker, budget: float) -> None:
    """Check what arrives until told to stop."""
    from ..api import check_text

    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            break
        if task is None:
            break
        index, path, text = task
        result = check_text(checker, text, path)
        settle_between_files()
        memory = resident_mib()
        connection.send(("done", (index, result, memory is not None and memory > budget)))


def exit_at_once(code: int) -> NoReturn:
    """End the process without tearing down its objects one by one: after a check it holds the
    parse trees of every library module it has read, and freeing them took seconds. Everything
    it writes (results, caches) is written by then; jedi's helper process ends when its pipe
    closes."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    os._exit(code)


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
                    worker.connection.send((unit.index, unit.path, unit.text))
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
                    yield unit, Result(unit.display, error=_time_limit_message(limit))

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


def _in_workers(
    units: list[Unit], config: Config, options: RunOptions, size: int
) -> Iterator[tuple[Unit, Result]]:
    pool = _Pool(config, options, size)
    try:
        yield from pool.run(units)
    except BaseException:  # Ctrl-C, or the consumer stopped early: no waiting on busy workers
        pool.close(kill=True)
        raise
    pool.close()


def worker_count(requested: int | None) -> int:
    """``-j 0`` or no value: one per available core."""
    return default_jobs() if not requested else max(1, requested)
