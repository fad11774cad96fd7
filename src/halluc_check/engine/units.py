"""One unit of text -> Result: Python, Markdown or a notebook, never raising."""

from __future__ import annotations

import ctypes
import logging
import os
import sys
import threading
from dataclasses import replace
from typing import TYPE_CHECKING

from ..config import Config
from ..knowledge.install_lines import (
    Named,
    from_command_line,
    from_pyproject,
    from_requirements,
    is_requirements_file,
)
from ..knowledge.install_lines import from_shell as from_shell_block
from ..model import TOO_DEEP, Finding, Result, Span
from ..rules.install_lines import install_findings
from ..syntax.embedded import Embedded, from_markdown, from_notebook, shell_blocks
from ..target.environment import load_environment
from ..text import split_lines
from .suppress import suppressed

if TYPE_CHECKING:
    from ..cache import DiskCache
    from .checker import Checker

LOG = logging.getLogger(__name__)

_checkers: dict[Config, Checker] = {}


def get_checker(config: Config | None) -> Checker:
    """The shared Checker for ``config`` (environment probed once per configuration)."""
    config = config or Config()
    if config not in _checkers:
        _checkers[config] = new_checker(config)
    return _checkers[config]


def new_checker(config: Config, cache: DiskCache | None = None) -> Checker:
    """A Checker of its own; ``cache`` keeps the environment probe and what is read from
    installed packages between runs."""
    # jedi and libcst load with the checker module, only once something is checked: importing
    # the package (flake8 and pytest do so at start-up) and the command line stay light
    from .checker import Checker

    if cache is None:
        return Checker(config)
    env = load_environment(config.python, cwd=config.root, cache=cache)
    return Checker(config, env=env, cache=cache)


def check_text(
    checker: Checker, source: str, path: str | None, *, requirements: bool = False
) -> Result:
    """Check one unit; never raises: a failure becomes a Result that says why it was not checked.
    ``requirements``: read it as a requirements file whatever its name (another one includes it)."""
    try:
        if requirements:
            return _check_install_lines(checker, source, path, from_requirements(source))
        return check_unit(checker, source, path)
    except RecursionError:
        # Python's own parser accepted the nesting (the checker asks it first, at the normal
        # limit) but the tree walkers ran out of frames: retry with room for them
        return _check_deeply_nested(checker, source, path)
    except Exception as exc:  # one file must never abort a run
        return _internal_error(exc, path)


def _internal_error(exc: BaseException, path: str | None) -> Result:
    LOG.debug("internal error on %s", path, exc_info=True)
    return Result(path or "<stdin>", error=f"internal error: {type(exc).__name__}: {exc}")


_DEEP_STACK_BYTES = 512 * 1024 * 1024
"""Stack of the thread that checks a deeply nested unit (reserved, touched only as needed)."""
_DEEP_RECURSION_LIMIT = 25_000
_deep_lock = threading.Lock()


def _check_deeply_nested(checker: Checker, source: str, path: str | None) -> Result:
    """``check_unit`` in a thread with a large stack and a raised recursion limit.

    The depth is bounded before: ``ast.parse`` at the normal limit gives up on nesting beyond
    a few thousand levels, and such a unit is reported as not checked without coming here.
    jedi must never run in two threads at once: when this thread is interrupted while it waits
    (a time limit, Ctrl-C), the same exception is raised in the checking thread, and that thread
    is waited for before the exception goes on.
    """
    outcome: list[Result | BaseException] = []
    done = threading.Event()

    def work() -> None:
        try:
            outcome.append(check_unit(checker, source, path))
        except RecursionError:
            outcome.append(Result(path or "<stdin>", error=TOO_DEEP, source=source))
        except Exception as exc:
            outcome.append(_internal_error(exc, path))
        except BaseException as exc:  # the interruption passed on from the waiting thread
            outcome.append(exc)
        finally:
            done.set()

    with _deep_lock:
        previous_limit = sys.getrecursionlimit()
        worker = threading.Thread(target=work, name="halluc-check-deep", daemon=True)
        try:
            sys.setrecursionlimit(max(previous_limit, _DEEP_RECURSION_LIMIT))
            _run_to_the_end(worker, done)
        finally:
            sys.setrecursionlimit(previous_limit)
    result = outcome[0] if outcome else None
    if isinstance(result, Result):
        return result
    return Result(path or "<stdin>", error=TOO_DEEP, source=source)


def _run_to_the_end(worker: threading.Thread, done: threading.Event) -> None:
    """Start ``worker`` with the large stack and wait until it sets ``done``. An exception raised
    in this thread meanwhile is raised in the worker too, and the worker is waited for before
    it goes on. (``Thread.join`` cannot be used: interrupted by a signal, Python 3.11's marks
    the thread as stopped while it still runs.)"""
    try:
        previous_stack = threading.stack_size(_DEEP_STACK_BYTES)
        try:
            worker.start()
        finally:
            threading.stack_size(previous_stack)
        done.wait()
    except BaseException as exc:
        if worker.ident is not None and not done.is_set():
            ctypes.pythonapi.PyThreadState_SetAsyncExc(
                ctypes.c_ulong(worker.ident), ctypes.py_object(type(exc))
            )
            done.wait()
        raise


def check_unit(checker: Checker, text: str, path: str | None) -> Result:
    """Check Python source, or the Python inside Markdown and notebooks, mapped back."""
    suffix = os.path.splitext(path or "")[1].lower()
    name = os.path.basename(path or "").lower()
    if is_requirements_file(path):
        return _check_install_lines(checker, text, path, from_requirements(text))
    if name == "pyproject.toml":
        return _check_install_lines(checker, text, path, from_pyproject(text))
    if suffix in (".md", ".markdown"):
        return _check_embedded(checker, text, path, from_markdown(text), notebook=False)
    if suffix == ".ipynb":
        try:
            embedded = from_notebook(text)
        except (ValueError, TypeError) as exc:
            return Result(path or "<stdin>", error=f"not a readable notebook: {exc}")
        return _check_embedded(checker, text, path, embedded, notebook=True)
    return checker.check_source(text, path)


def _check_embedded(
    checker: Checker, text: str, path: str | None, embedded: Embedded, *, notebook: bool
) -> Result:
    display = path or "<stdin>"
    lines = text.count("\n") + 1
    installs = _embedded_install_lines(checker, text, display, embedded, notebook)
    if not embedded.code:
        return Result(
            display, tuple(installs), lines=lines, source=text, notes=tuple(embedded.skipped)
        )
    inner = checker.check_source(embedded.code, path)
    if inner.error is not None:
        return replace(inner, notes=tuple(embedded.skipped))
    findings = [f for f in (_map_back(f, embedded, notebook) for f in inner.findings) if f]
    findings = sorted([*findings, *installs], key=lambda f: (f.cell or (0, 0), f.span, f.code))
    return Result(
        display,
        tuple(findings),
        lines=lines,
        source=embedded.shown if notebook else text,
        notes=tuple(embedded.skipped),
    )


def _map_back(finding: Finding, embedded: Embedded, notebook: bool) -> Finding | None:
    origin = embedded.origin(finding.span.line)
    if origin is None:
        return None
    if notebook:
        return replace(finding, cell=(origin.block, origin.line), file_line=origin.file_line)
    offset = origin.column_offset
    span = finding.span
    end_origin = embedded.origin(span.end_line) or origin
    mapped = Span(origin.line, span.column + offset, end_origin.line, span.end_column + offset)
    suggestions = tuple(replace(s, span=mapped) for s in finding.suggestions)
    return replace(finding, span=mapped, suggestions=suggestions)


def _kept(checker: Checker, findings: list[Finding], text: str) -> list[Finding]:
    """What the configuration selects and no suppression comment silences."""
    lines = tuple(split_lines(text))
    return [f for f in findings if checker.config.enabled(f.code) and not suppressed(f, lines)]


def _check_install_lines(
    checker: Checker, text: str, path: str | None, named: list[Named]
) -> Result:
    """A requirements file or ``pyproject.toml``: the distributions it names, nothing else."""
    display = path or "<stdin>"
    findings = _kept(
        checker, install_findings(named, display, checker.online, checker.env.required_names), text
    )
    findings.sort(key=lambda f: (f.span, f.code))
    return Result(display, tuple(findings), lines=text.count("\n") + 1, source=text)


def _embedded_install_lines(
    checker: Checker, text: str, display: str, embedded: Embedded, notebook: bool
) -> list[Finding]:
    """Install commands outside the Python code: the shell blocks of a Markdown document, the
    ``%pip``/``!pip`` lines of a notebook's cells (mapped to their cell like Python findings)."""
    if notebook:
        named = [
            found
            for number, line in enumerate(embedded.shown.splitlines(), 1)
            if line.lstrip()[:1] in ("%", "!")
            for found in from_command_line(line, number)
        ]
        findings = install_findings(named, display, checker.online, checker.env.required_names)
        kept = _kept(checker, findings, embedded.shown)
        return [f for f in (_map_back(f, embedded, True) for f in kept) if f]
    named = []
    for first_line, indent, body in shell_blocks(text):
        for found in from_shell_block(body, first_line):
            named.append(replace(found, column=found.column + indent))
    return _kept(
        checker, install_findings(named, display, checker.online, checker.env.required_names), text
    )
