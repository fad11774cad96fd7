"""A standard-library module's name -> its namespace as the target interpreter has it: the names
``dir()`` lists, its ``__getattr__``, its submodules.

The target interpreter is asked in a subprocess (``python -I -S -B``: no site-packages, no
``PYTHONPATH``, no checked project on its path, no bytecode written), never in halluc-check's own
process, and only about the standard library's modules; modules that do something when imported
(:data:`NOT_IMPORTED`) are never asked about. What one file needs is asked in one call, when the
first question comes, and only then: a file whose names all exist statically starts no process.
Answers depend only on the interpreter, so they are kept per interpreter, in memory for the life
of the process and in the on-disk cache. A call that fails (a timeout, a crash) answers nothing,
and nothing is claimed from it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cache import digest, folders_fingerprint
from .environment import TargetEnvironment, real_path

if TYPE_CHECKING:
    from ..cache import DiskCache

LOG = logging.getLogger(__name__)

NOT_IMPORTED = frozenset(
    {
        "__main__",  # the running program, not a module of the library
        "__hello__",  # frozen test modules that print when imported
        "__phello__",
        "antigravity",  # opens a web browser
        "this",  # prints the Zen of Python
        "idlelib",  # the IDLE application
        "tkinter",  # Tk's graphical toolkit
        "turtle",
        "turtledemo",
        "site",  # importing it runs the site-packages' .pth files
        "test",  # CPython's own test suite (test.autotest runs it)
    }
)
"""Top-level modules never imported to read their namespace: importing them does something
(a browser, output, a window, code from site-packages). Their namespaces stay open. Any
``__main__`` submodule (``unittest.__main__`` runs tests) is refused too."""

PROBE_SECONDS = 60.0
"""How long one call of the target interpreter may take (each module within it has 10 s)."""

_PROBE_SOURCE = (Path(__file__).with_name("stdlib_probe.py")).read_text(encoding="utf-8")
_CACHE_KIND = "stdlib-namespaces"


@dataclass(frozen=True, slots=True)
class ModuleNamespace:
    """What the target interpreter has in standard-library module ``module``."""

    module: str
    version: tuple[int, int, int]
    names: frozenset[str]
    """``dir(module)``, its ``__dict__`` and its ``__all__``."""
    submodules: frozenset[str]
    """What ``import module.name`` finds: the package's modules, and what importing ``module``
    registered in ``sys.modules`` (``os.path``)."""
    package: bool
    module_getattr: bool
    """The module defines ``__getattr__``: it may serve names beyond ``names``."""
    open_reason: str | None
    """Why names beyond these may exist whatever the module's ``__getattr__``, or None."""

    def has(self, name: str) -> bool:
        """``name`` is an attribute of the module, or a submodule (an attribute once imported)."""
        return name in self.names or name in self.submodules

    @property
    def described(self) -> str:
        """``typing` of Python 3.11.7``, for a finding's note."""
        return f"`{self.module}` of Python {'.'.join(str(part) for part in self.version)}"


@dataclass
class ProbeStatistics:
    """How often the target interpreter was asked, about how many modules, for how long."""

    calls: int = 0
    modules: int = 0
    seconds: float = 0.0
    failures: int = 0


STATISTICS = ProbeStatistics()
"""This process's calls of the target interpreter (see ``-v``, which logs each one)."""

_FAILED = object()
"""An answer that could not be had in this process (the call failed): not asked again here,
not kept on disk."""

_MEMORY: dict[str, dict[str, object]] = {}
"""interpreter key -> module -> its ModuleNamespace, None (not importable there) or _FAILED."""
_MEMORY_LOCK = threading.Lock()


def refused(module: str) -> bool:
    """A module never imported to read its namespace (see :data:`NOT_IMPORTED`)."""
    parts = module.split(".")
    return (
        parts[0] in NOT_IMPORTED
        or "__main__" in parts
        or not all(part.isidentifier() for part in parts)
    )


class StdlibNamespaces:
    """The namespaces of the target's standard-library modules, asked for lazily and kept."""

    def __init__(
        self,
        env: TargetEnvironment,
        disk: DiskCache | None = None,
        *,
        timeout: float = PROBE_SECONDS,
    ) -> None:
        self.env = env
        self.disk = disk
        self.timeout = timeout
        self._expected: tuple[str, ...] = ()

    @cached_property
    def interpreter_key(self) -> str:
        """What the answers depend on: the interpreter (its file, followed to the real one, and
        its version), its standard library's folders (their modification times change when it
        is upgraded) and the probe that asks."""
        executable = real_path(self.env.executable)
        try:
            stat = os.stat(executable)
            stamp: tuple[int, int] | None = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            stamp = None
        folders = sorted(
            {
                folder
                for stdlib in self.env.real_stdlib_dirs
                for folder in (stdlib, os.path.join(stdlib, "lib-dynload"))
            }
        )
        return digest(
            executable,
            stamp,
            self.env.version,
            folders_fingerprint(folders),
            _PROBE_SOURCE,
        )

    def expect(self, modules: Iterable[str]) -> None:
        """Modules the file about to be checked may ask about (its imports): asked in the same
        call as the first question, if one comes."""
        self._expected = tuple(dict.fromkeys(modules))

    def is_askable(self, module: str) -> bool:
        """A standard-library module of the target that may be imported to read it."""
        return bool(module) and self.env.is_stdlib(module) and not refused(module)

    def get(self, module: str) -> ModuleNamespace | None:
        """The namespace of ``module`` in the target interpreter; None when it is not the
        standard library's, is refused, cannot be imported there, or the interpreter did not
        answer."""
        if not self.is_askable(module):
            return None
        memory = self._memory()
        with _MEMORY_LOCK:
            asked = module in memory
        if not asked:
            self._fill([module, *self._expected], memory)
        with _MEMORY_LOCK:
            known = memory.get(module)
        return known if isinstance(known, ModuleNamespace) else None

    def _memory(self) -> dict[str, object]:
        with _MEMORY_LOCK:
            return _MEMORY.setdefault(self.interpreter_key, {})

    def _fill(self, modules: list[str], memory: dict[str, object]) -> None:
        """Answer ``modules`` from the disk cache, the rest from one call of the interpreter."""
        wanted: list[str] = []
        for module in dict.fromkeys(modules):
            if module in memory or not self.is_askable(module):
                continue
            cached = self._from_disk(module)
            if cached is None:
                wanted.append(module)
                continue
            with _MEMORY_LOCK:
                memory[module] = self._decode(module, cached)
        if not wanted:
            return
        answers = self._ask(wanted)
        for module in wanted:
            raw = answers.get(module)
            value = _FAILED if raw is None else self._decode(module, raw)
            if raw is not None and value is not _FAILED and self.disk is not None:
                self.disk.put(_CACHE_KIND, self._disk_key(module), raw)
            with _MEMORY_LOCK:
                memory[module] = value

    def _disk_key(self, module: str) -> str:
        return digest(self.interpreter_key, module)

    def _from_disk(self, module: str) -> dict[str, Any] | None:
        """The probe's answer kept on disk, or None."""
        if self.disk is None:
            return None
        raw = self.disk.get(_CACHE_KIND, self._disk_key(module))
        return raw if isinstance(raw, dict) else None

    def _decode(self, module: str, raw: dict[str, Any]) -> object:
        """An answer of the probe -> a ModuleNamespace; None for a module not importable there
        or not the standard library's; _FAILED for an answer that does not read as one."""
        if "error" in raw:
            return None
        try:
            file = raw["file"]
            namespace = ModuleNamespace(
                module=module,
                version=self.env.version,
                names=frozenset(_strings(raw["names"])),
                submodules=frozenset(_strings(raw["submodules"])),
                package=bool(raw["package"]),
                module_getattr=bool(raw["getattr"]),
                open_reason=raw["open"] if isinstance(raw["open"], str) else None,
            )
        except (KeyError, TypeError):
            return _FAILED
        if file is not None and not (isinstance(file, str) and self.env.is_stdlib_path(file)):
            return None  # whatever it is, it is not the standard library's
        return namespace

    def _ask(self, modules: list[str]) -> dict[str, Any]:
        """One call of the target interpreter per batch (one per module where the platform
        cannot fork, so that each module is imported alone); what did not answer is left out."""
        batches = [modules] if os.name == "posix" else [[module] for module in modules]
        answers: dict[str, Any] = {}
        for batch in batches:
            answers.update(self._call(batch))
        return answers

    def _call(self, modules: list[str]) -> dict[str, Any]:
        started = time.perf_counter()
        STATISTICS.calls += 1
        STATISTICS.modules += len(modules)
        command = [self.env.executable, "-I", "-S", "-B", "-c", _PROBE_SOURCE, json.dumps(modules)]
        try:
            output = _run(command, self.timeout, self.env.real_stdlib_dirs[:1])
            answers = json.loads(output) if output is not None else None
        except (OSError, ValueError) as exc:
            LOG.debug("the target interpreter did not answer about %s: %s", modules, exc)
            answers = None
        seconds = time.perf_counter() - started
        STATISTICS.seconds += seconds
        if not isinstance(answers, dict):
            STATISTICS.failures += 1
            LOG.debug("no namespaces read from %s for %s", self.env.label, ", ".join(modules))
            return {}
        LOG.debug(
            "read the namespaces of %d standard-library modules from %s in %.3f s: %s",
            len(modules),
            self.env.label,
            seconds,
            ", ".join(modules),
        )
        return {name: answer for name, answer in answers.items() if isinstance(answer, dict)}


def _run(command: list[str], timeout: float, cwd: tuple[str, ...]) -> bytes | None:
    """The output of ``command``, or None when it fails or outlives ``timeout``: then it is
    ended with every process it started (a module's import may have forked)."""
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=cwd[0] if cwd else None,
        start_new_session=os.name == "posix",
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        if os.name == "posix":
            with contextlib.suppress(OSError):
                os.killpg(process.pid, signal.SIGKILL)
        process.kill()
        process.communicate()
        LOG.debug("%s did not answer within %s seconds", command[0], timeout)
        return None
    return output if process.returncode == 0 else None


def _strings(value: object) -> list[str]:
    if not isinstance(value, list):
        raise TypeError("not a list")
    return [item for item in value if isinstance(item, str)]
