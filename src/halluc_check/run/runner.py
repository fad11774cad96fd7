"""Paths or units -> one Result per file, in the order given: cached results first, then the rest
checked in this process or in worker processes (:mod:`~halluc_check.run.pool`), each file within a
time limit."""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..cache import ResultCache, config_digest
from ..config import Config
from ..engine.units import check_text
from ..knowledge.install_lines import included_files, is_requirements_file
from ..model import Result
from ..target.environment import load_environment
from ..target.project import project_folders
from .options import DEFAULT_TIMEOUT, RunOptions, Unit, time_limit_message, worker_count
from .pool import in_workers
from .process import checker_for, settle_between_files
from .sources import SourceError, excluded, iter_python_files, read_source

if TYPE_CHECKING:
    from ..engine.checker import Checker

__all__ = [
    "DEFAULT_TIMEOUT",
    "RunOptions",
    "TimeLimitExceeded",
    "Unit",
    "check_files",
    "check_units",
    "collect_units",
    "worker_count",
]

LOG = logging.getLogger(__name__)


class TimeLimitExceeded(BaseException):
    """Raised inside a check that ran past its time limit (a BaseException, so that the
    engine's own ``except Exception`` blocks do not swallow it)."""


def check_files(
    paths: Iterable[str | os.PathLike[str]], config: Config, options: RunOptions
) -> Iterator[Result]:
    """One Result per Python file under ``paths``, in a deterministic order."""
    yield from check_units(collect_units([Path(p) for p in paths], config), config, options)


def collect_units(paths: list[Path], config: Config) -> list[Unit | Result]:
    """The files under ``paths``, read; the unreadable ones (and folders that cannot be listed)
    as Results saying why. The files requirements files include (``-r``, ``-c``) follow, each
    once, read as requirements files (see :func:`follow_includes`)."""
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
    follow_includes(units, config)
    return units


def follow_includes(units: list[Unit | Result], config: Config) -> None:
    """Add to ``units`` the files that its requirements files include, and the files those
    include, each once (a cycle ends where it comes back); paths are relative to the including
    file. An included file that cannot be read is a Result saying why and where it is included;
    one that ``exclude`` matches is left out."""
    known: dict[str, Unit | Result] = {}
    for unit in units:
        if unit.path is not None:
            known.setdefault(os.path.realpath(unit.path), unit)
    position = 0
    while position < len(units):
        unit = units[position]
        position += 1
        if not isinstance(unit, Unit) or unit.path is None:
            continue
        if not (unit.requirements or is_requirements_file(unit.path)):
            continue
        folder = os.path.dirname(unit.path)
        for included in included_files(unit.text):
            display = os.path.normpath(os.path.join(folder, os.path.expanduser(included.target)))
            real = os.path.realpath(display)
            seen = known.get(real)
            if isinstance(seen, Unit):
                seen.requirements = True  # named itself under a name not read as requirements
                continue
            if seen is not None or excluded(Path(display), config.exclude):
                continue
            try:
                text = read_source(Path(display))
            except SourceError as exc:
                option = "-c" if included.constraint else "-r"
                where = f"`{option} {included.target}` of {unit.path}:{included.line}"
                known[real] = Result(display, error=f"{exc} (included by {where})")
            else:
                known[real] = Unit(len(units), display, text, requirements=True)
            units.append(known[real])


def check_units(
    units: Sequence[Unit | Result], config: Config, options: RunOptions
) -> Iterator[Result]:
    """One Result per unit, in the order of ``units``; a Result among them is passed on as it is."""
    results: dict[int, Result] = {}
    for position, unit in enumerate(units):
        if isinstance(unit, Result):
            results[position] = unit
        else:
            unit.index = position
    pending = [u for u in units if isinstance(u, Unit)]
    cache = _result_cache(config, options) if pending else None
    if cache is not None:
        pending = _answer_from_cache(cache, pending, results)
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
        in_workers(pending, config, options, jobs) if jobs > 1 else _here(pending, config, options)
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
    if options.cache is None or config.online:
        # --online: a result may rest on answers of the package index that expire; the answers
        # are cached, and the files checked again
        return None
    env = load_environment(config.python, cwd=config.root, cache=options.cache)
    return ResultCache(options.cache, config_digest(config), env.fingerprint)


def _answer_from_cache(
    cache: ResultCache, pending: list[Unit], results: dict[int, Result]
) -> list[Unit]:
    """Put the cached results of ``pending`` into ``results``; return the units still to check
    (each with its cache key set, where it has one)."""
    still: list[Unit] = []
    for unit in pending:
        if unit.path is not None:
            root, imports, search = project_folders(unit.path)
            folders = (str(root), str(imports), *search)
            unit.key = cache.key(unit.path, unit.text, folders, requirements=unit.requirements)
        hit = cache.get(unit.key, unit.display, unit.text) if unit.key else None
        if hit is not None:
            results[unit.index] = hit
        else:
            still.append(unit)
    return still


# -- in this process -----------------------------------------------------------------------------
def _here(units: list[Unit], config: Config, options: RunOptions) -> Iterator[tuple[Unit, Result]]:
    if not units:
        return
    checker = options.checker or checker_for(config, options.cache)
    with checker.sharing_inference():
        for number, unit in enumerate(units, 1):
            result = _check_with_limit(checker, unit, options.timeout)
            if number < len(units):
                settle_between_files()
            yield unit, result


def _check_with_limit(checker: Checker, unit: Unit, seconds: float | None) -> Result:
    usable = (
        bool(seconds)
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        return check_text(checker, unit.text, unit.path, requirements=unit.requirements)
    assert seconds is not None

    def expire(signum: int, frame: object) -> None:
        raise TimeLimitExceeded

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return check_text(checker, unit.text, unit.path, requirements=unit.requirements)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except TimeLimitExceeded:
        LOG.info("%s: stopped after %s s", unit.path, seconds)
        return Result(unit.display, error=time_limit_message(seconds))
    finally:
        signal.signal(signal.SIGALRM, previous)
