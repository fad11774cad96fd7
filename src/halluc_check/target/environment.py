"""Target interpreter -> what is installed there: sys.path, stdlib and builtin names, distributions.

The target is found as ``--python``, else ``$VIRTUAL_ENV``, else ``./.venv``, else the interpreter
running halluc-check. Its facts are read with ``python -I -S`` (no site hooks, no user code);
distributions are read from ``*.dist-info`` metadata files, never by importing anything.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..jedi_compat.environments import interpreter_sys_path, jedi_environment

if TYPE_CHECKING:
    from ..cache import DiskCache

LOG = logging.getLogger(__name__)


@lru_cache(maxsize=8192)
def real_path(path: str) -> str:
    """``os.path.realpath``, remembered: the checks ask it of the same few hundred paths (module
    files, the stdlib's folders) thousands of times per run."""
    return os.path.realpath(path)


_PROBE = r"""
import json, sys, sysconfig
paths = sysconfig.get_paths()
print(json.dumps({
    "version": list(sys.version_info[:3]),
    "builtin": list(sys.builtin_module_names),
    "stdlib_names": sorted(getattr(sys, "stdlib_module_names", ())),
    "stdlib": [paths.get("stdlib"), paths.get("platstdlib")],
    "prefix": sys.prefix,
}))
"""

_EXTENSION_SUFFIXES = (".so", ".pyd")
OLDEST_TARGET = (3, 10)
"""The oldest Python the pinned jedi can analyse as a target environment."""


class EnvironmentError_(Exception):
    """The target interpreter could not be found or run."""


@dataclass(frozen=True, slots=True)
class Distribution:
    name: str
    version: str

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


@dataclass
class TargetEnvironment:
    """Facts about the interpreter whose installed packages the checked code is resolved against."""

    executable: str
    version: tuple[int, int, int]
    sys_path: tuple[str, ...]
    stdlib_names: frozenset[str]
    builtin_names: frozenset[str]
    stdlib_dirs: tuple[str, ...]
    facts: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """What the probe read, as cached (see :func:`load_environment`)."""

    @cached_property
    def jedi_environment(self) -> Any:
        return jedi_environment(self.executable)

    @cached_property
    def fingerprint(self) -> str:
        """Changes when the interpreter or anything on its path gains or loses an entry."""
        from ..cache import digest, folders_fingerprint

        return digest(self.executable, self.facts, folders_fingerprint(self.sys_path))

    @property
    def label(self) -> str:
        major, minor, micro = self.version
        return f"Python {major}.{minor}.{micro} at {self.executable}"

    @cached_property
    def site_dirs(self) -> tuple[str, ...]:
        stdlib = tuple(os.path.realpath(d) for d in self.stdlib_dirs)
        dirs = []
        for entry in self.sys_path:
            real = os.path.realpath(entry)
            if not os.path.isdir(real) or any(real == d for d in stdlib):
                continue
            if "site-packages" in real or "dist-packages" in real:
                dirs.append(real)
        return tuple(dirs)

    @cached_property
    def distributions(self) -> dict[str, Distribution]:
        """Top-level import name -> the installed distribution that provides it."""
        found: dict[str, Distribution] = {}
        for site in self.site_dirs:
            try:
                entries = sorted(os.listdir(site))
            except OSError:
                continue
            for entry in entries:
                if entry.endswith(".dist-info"):
                    _read_dist_info(Path(site, entry), found)
        return found

    @cached_property
    def required_names(self) -> frozenset[str]:
        """Normalised names of every requirement (extras included) of the installed
        distributions: real packages, even where they are not installed."""
        names: set[str] = set()
        for site in self.site_dirs:
            try:
                entries = os.listdir(site)
            except OSError:
                continue
            for entry in entries:
                if entry.endswith(".dist-info"):
                    names |= _requirements(Path(site, entry))
        return frozenset(names)

    def is_known_requirement(self, module: str) -> bool:
        return _normalise(module.split(".", 1)[0]) in self.required_names

    def distribution_of(self, module: str) -> Distribution | None:
        return self.distributions.get(module.split(".", 1)[0])

    def is_stdlib(self, module: str) -> bool:
        top = module.split(".", 1)[0]
        return top in self.stdlib_names or top in self.builtin_names

    @cached_property
    def real_stdlib_dirs(self) -> tuple[str, ...]:
        """The stdlib's folders, symbolic links resolved."""
        return tuple(real_path(d) for d in self.stdlib_dirs if d)

    def is_stdlib_path(self, path: str | None) -> bool:
        if not path:
            return False
        real = real_path(path)
        if any(real.startswith(site + os.sep) for site in self.site_dirs):
            return False
        return any(real.startswith(d + os.sep) for d in self.real_stdlib_dirs)

    def is_library_path(self, path: str | None) -> bool:
        """True for installed packages and the stdlib, false for the checked project's files."""
        if not path:
            return True
        real = real_path(path)
        if "typeshed" in real or self.is_stdlib_path(real):
            return True
        return any(real.startswith(site + os.sep) for site in self.site_dirs)


def _read_dist_info(folder: Path, found: dict[str, Distribution]) -> None:
    name = version = None
    try:
        with open(folder / "METADATA", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("Name:"):
                    name = line[5:].strip()
                elif line.startswith("Version:"):
                    version = line[8:].strip()
                if (name and version) or not line.strip():
                    break
    except OSError:
        return
    if not name or not version:
        return
    dist = Distribution(name, version)
    tops: set[str] = set()
    with contextlib.suppress(OSError):
        tops.update(
            line.strip()
            for line in (folder / "top_level.txt").read_text(encoding="utf-8").splitlines()
            if line.strip()
        )
    try:
        with open(folder / "RECORD", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                first = line.split(",", 1)[0].split("/", 1)
                head = first[0]
                if head.endswith((".dist-info", ".data")) or head in ("..", "__pycache__"):
                    continue
                if len(first) == 2:
                    tops.add(head)
                elif head.endswith((".py", ".pyi")):
                    tops.add(head.rsplit(".", 1)[0])
                elif head.endswith(_EXTENSION_SUFFIXES):
                    tops.add(head.split(".", 1)[0])
    except OSError:
        pass
    for top in tops:
        found.setdefault(top.replace("/", "."), dist)


_REQUIREMENT_NAME = re.compile(r"^Requires-Dist:\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _requirements(folder: Path) -> set[str]:
    found: set[str] = set()
    try:
        with open(folder / "METADATA", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if not line.strip():
                    break  # the headers end at the first blank line
                match = _REQUIREMENT_NAME.match(line)
                if match:
                    found.add(_normalise(match.group(1)))
    except OSError:
        pass
    return found


def _interpreter_from(candidate: str) -> str | None:
    """The interpreter file of ``candidate`` (itself, or inside an environment folder), absolute:
    a bare relative name would otherwise be looked up on ``PATH`` when it is run."""
    path = Path(candidate).absolute()
    if path.is_dir():
        for sub in ("bin/python3", "bin/python", "Scripts/python.exe"):
            if (path / sub).is_file():
                return str(path / sub)
        return None
    return str(path) if path.exists() else None


def find_interpreter(python: str | None, *, cwd: Path | None = None) -> str:
    """The interpreter to resolve against, by the documented order of precedence."""
    if python:
        found = _interpreter_from(python)
        if found is None:
            raise EnvironmentError_(f"--python {python}: no such interpreter or environment")
        return found
    venv = os.environ.get("VIRTUAL_ENV")
    if venv:
        found = _interpreter_from(venv)
        if found:
            return found
    local = (cwd or Path.cwd()) / ".venv"
    if local.is_dir():
        found = _interpreter_from(str(local))
        if found:
            return found
    return sys.executable


def load_environment(
    python: str | None = None, *, cwd: Path | None = None, cache: DiskCache | None = None
) -> TargetEnvironment:
    """Probe the target interpreter (or reuse a cached probe of the same, unchanged interpreter);
    raise :class:`EnvironmentError_` with a clear reason."""
    executable = find_interpreter(python, cwd=cwd)
    key = _probe_key(executable)
    facts = cache.get("probes", key) if cache is not None and key else None
    if not _complete(facts):
        facts = _probe(executable)
        if cache is not None and key:
            cache.put("probes", key, facts)
    assert facts is not None
    stdlib_names = frozenset(facts["stdlib_names"]) or _stdlib_names_from_dirs(facts["stdlib"])
    return TargetEnvironment(
        executable=executable,
        version=(facts["version"][0], facts["version"][1], facts["version"][2]),
        sys_path=tuple(facts["sys_path"]),
        stdlib_names=stdlib_names,
        builtin_names=frozenset(facts["builtin"]),
        stdlib_dirs=tuple(d for d in facts["stdlib"] if d),
        facts=facts,
    )


_FACT_KEYS = ("version", "builtin", "stdlib_names", "stdlib", "prefix", "sys_path")


def _complete(facts: object) -> bool:
    return isinstance(facts, dict) and all(k in facts for k in _FACT_KEYS)


def _probe_key(executable: str) -> str | None:
    """What a probe's answer depends on: the interpreter file, its environment's configuration
    and the variables that change ``sys.path``."""
    from ..cache import digest

    try:
        real = os.path.realpath(executable)
        stat = os.stat(real)
    except OSError:
        return None
    configuration = Path(executable).parent.parent / "pyvenv.cfg"
    try:
        venv_stamp: int | None = configuration.stat().st_mtime_ns
    except OSError:
        venv_stamp = None
    return digest(
        executable,
        real,
        stat.st_mtime_ns,
        stat.st_size,
        venv_stamp,
        os.environ.get("PYTHONPATH"),
        os.environ.get("PYTHONHOME"),
    )


def _probe(executable: str) -> dict[str, Any]:
    facts = _interpreter_facts(executable)
    try:
        facts["sys_path"] = interpreter_sys_path(executable)
    except Exception as exc:  # jedi raises its own InvalidPythonEnvironment and friends
        raise EnvironmentError_(f"{executable}: jedi cannot use this interpreter: {exc}") from exc
    return facts


def _interpreter_facts(executable: str) -> dict[str, Any]:
    """The facts ``_PROBE`` prints, or an :class:`EnvironmentError_` with a one-line reason."""

    def unusable(reason: str) -> EnvironmentError_:
        return EnvironmentError_(f"{executable} is not a usable Python interpreter: {reason}")

    if not os.access(executable, os.X_OK) or not os.path.isfile(executable):
        raise unusable("not an executable file")
    try:
        completed = subprocess.run(
            [executable, "-I", "-S", "-c", _PROBE],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        raise unusable("it did not answer within 60 seconds") from None
    except OSError as exc:
        raise unusable(exc.strerror or str(exc)) from None
    if completed.returncode != 0:
        said = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        if said and said[0].startswith("Unknown option: -I"):
            raise unusable("it is not Python 3 (it does not know the -I option)")
        tail = f": {said[-1][:200]}" if said else ""
        raise unusable(f"it exited with status {completed.returncode}{tail}")
    try:
        facts = json.loads(completed.stdout)
        version = facts["version"]
        valid = (
            isinstance(facts, dict)
            and len(version) == 3
            and all(isinstance(part, int) for part in version)
            and isinstance(facts["builtin"], list)
            and isinstance(facts["stdlib_names"], list)
            and isinstance(facts["stdlib"], list)
        )
    except (ValueError, TypeError, KeyError):
        valid = False
    if not valid:
        raise unusable("it does not answer like a Python interpreter")
    if tuple(facts["version"][:2]) < OLDEST_TARGET:
        shown = ".".join(str(part) for part in facts["version"])
        oldest = ".".join(str(part) for part in OLDEST_TARGET)
        raise unusable(f"it is Python {shown}; jedi analyses Python {oldest} or newer")
    return dict(facts)


def _stdlib_names_from_dirs(dirs: list[str | None]) -> frozenset[str]:
    names: set[str] = set()
    for folder in dirs:
        if not folder or not os.path.isdir(folder):
            continue
        for entry in os.listdir(folder):
            if entry in ("site-packages", "dist-packages"):
                continue
            names.add(entry.split(".", 1)[0])
    return frozenset(names)
