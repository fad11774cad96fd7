"""The on-disk cache: checked results keyed by everything they depend on, and interpreter probes.

Entries are small JSON files written atomically (a temporary file renamed into place), so runs
that share the cache never see half an entry. A corrupt entry is a miss; an unwritable cache is
a warning, once, and the run goes on without it. Nothing in the cache is executed or unpickled.

A result depends on: the checked text and its path, the configuration, halluc-check itself (its
version and source files), the installed jedi and libcst, the target environment (its interpreter
and every folder on its path, whose modification times change when packages are installed or
removed), and the Python files of the checked file's own project (any change re-checks them all).
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from .model import Confidence, Finding, Migration, Result, Severity, Span, Suggestion
from .version import __version__

LOG = logging.getLogger(__name__)

FORMAT = "1"
"""Bumped when the layout or the meaning of entries changes."""

MAX_PROJECT_FILES = 20_000
"""Projects with more Python files than this are not fingerprinted: their results are not cached."""

_SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", "__pycache__", ".tox", ".nox", ".mypy_cache"}
    | {".ruff_cache", ".pytest_cache", "node_modules", "site-packages", ".ci-venv"}
)


def default_directory() -> Path:
    """``$HALLUC_CHECK_CACHE_DIR``, else the platform's user cache folder + ``halluc-check``."""
    explicit = os.environ.get("HALLUC_CHECK_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "halluc-check"


def replace_atomically(target: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target``, then rename it over ``target``:
    a reader in another process sees the old file or the new one, never half of one."""
    folder = os.path.dirname(os.fspath(target))
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


class DiskCache:
    """JSON entries under ``directory/v{FORMAT}/{kind}/``; every fault degrades to a miss."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory if directory is not None else default_directory()
        self.root = self.directory / f"v{FORMAT}"
        self._warned = False

    def _path(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / f"{key[2:]}.json"

    def get(self, kind: str, key: str) -> Any | None:
        path = self._path(kind, key)
        try:
            with open(path, encoding="utf-8") as fh:
                return json.load(fh)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            LOG.debug("cache entry %s unreadable (%s): treated as a miss", path, exc)
            return None

    def put(self, kind: str, key: str, value: Any) -> None:
        path = self._path(kind, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            replace_atomically(path, json.dumps(value, separators=(",", ":")).encode("utf-8"))
        except OSError as exc:
            self._warn(f"cannot write the cache at {self.directory}: {exc.strerror or exc}")

    def _warn(self, message: str) -> None:
        if not self._warned:
            self._warned = True
            LOG.warning("%s; going on without it", message)

    # -- maintenance -----------------------------------------------------------------------------
    def info(self) -> dict[str, Any]:
        """Location, entries and bytes per kind."""
        kinds: dict[str, dict[str, int]] = {}
        if self.root.is_dir():
            for kind in sorted(p for p in self.root.iterdir() if p.is_dir()):
                entries = size = 0
                for file in kind.rglob("*.json"):
                    with contextlib.suppress(OSError):
                        size += file.stat().st_size
                        entries += 1
                kinds[kind.name] = {"entries": entries, "bytes": size}
        return {"directory": str(self.directory), "format": FORMAT, "kinds": kinds}

    def clear(self) -> int:
        """Remove every entry; return how many files were removed."""
        if not self.directory.is_dir():
            return 0
        removed = sum(1 for _ in self.directory.rglob("*.json"))
        for child in self.directory.iterdir():
            if child.is_dir() and child.name.startswith("v"):
                shutil.rmtree(child, ignore_errors=True)
        return removed


# -- fingerprints --------------------------------------------------------------------------------
def digest(*parts: object) -> str:
    """The parts, each in :func:`canonical` form, hashed together."""
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(json.dumps(canonical(part), sort_keys=True).encode("utf-8"))
        hasher.update(b"\0")
    return hasher.hexdigest()


def canonical(value: Any) -> Any:
    """A JSON-able form of ``value`` that is the same in every process (sets sorted)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return canonical(value.value)
    if isinstance(value, (set, frozenset)):
        return sorted((canonical(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


@lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """halluc-check's version and source files, jedi's and libcst's versions."""
    package = Path(__file__).resolve().parent
    files = []
    for file in sorted(package.rglob("*")):
        if file.suffix in (".py", ".toml", ".json") and "__pycache__" not in file.parts:
            with contextlib.suppress(OSError):
                stat = file.stat()
                files.append((str(file.relative_to(package)), stat.st_mtime_ns, stat.st_size))
    versions: list[tuple[str, str | None]] = []
    for name in ("jedi", "parso", "libcst"):
        try:
            versions.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            versions.append((name, None))
    return digest(__version__, sys.version, versions, files)


def folders_fingerprint(folders: Iterable[str]) -> list[tuple[str, int | None]]:
    """Each folder with its modification time: it changes when an entry is added or removed."""
    stamps: list[tuple[str, int | None]] = []
    for folder in folders:
        try:
            stamps.append((folder, os.stat(folder).st_mtime_ns))
        except OSError:
            stamps.append((folder, None))
    return stamps


@lru_cache(maxsize=64)
def project_fingerprint(folders: tuple[str, ...]) -> str | None:
    """The path, size and modification time of every Python file under ``folders`` (None: too
    many files to fingerprint cheaply)."""
    entries = project_files(folders)
    return None if entries is None else digest(entries)


@lru_cache(maxsize=64)
def project_files(folders: tuple[str, ...]) -> tuple[tuple[str, int, int], ...] | None:
    """``(path, modification time, size)`` of every Python file (``.py``, ``.pyi``, ``.pth``)
    under ``folders``, sorted; None when there are more than :data:`MAX_PROJECT_FILES`."""
    entries: list[tuple[str, int, int]] = []
    pending = [Path(f) for f in dict.fromkeys(folders)]
    seen: set[str] = set()
    while pending:
        folder = pending.pop()
        key = os.path.realpath(folder)
        if key in seen:
            continue
        seen.add(key)
        try:
            scanner = os.scandir(folder)
        except OSError:
            continue
        with scanner:
            for entry in scanner:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name not in _SKIP_DIRS and not entry.name.endswith(".egg-info"):
                            pending.append(Path(entry.path))
                    elif entry.name.endswith((".py", ".pyi", ".pth")):
                        stat = entry.stat()
                        entries.append((entry.path, stat.st_mtime_ns, stat.st_size))
                except OSError:
                    continue
                if len(entries) > MAX_PROJECT_FILES:
                    return None
    return tuple(sorted(entries))


# -- results -------------------------------------------------------------------------------------
def config_digest(config: object) -> str:
    """The configuration's share of a result's key: every field, the same in every process."""
    return digest(config)


def result_key(
    config_key: str,
    environment_key: str,
    project: str | None,
    path: str,
    text: str,
    *,
    requirements: bool = False,
) -> str:
    """Everything a result depends on, hashed: halluc-check itself (:func:`tool_fingerprint`),
    the configuration (:func:`config_digest`), the target environment (its ``fingerprint``), the
    checked file's project (:func:`project_fingerprint`; ``None``: not part of the key), the
    path and the text, and whether it is read as a requirements file whatever its name."""
    content = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    checked = [path, content, "requirements"] if requirements else [path, content]
    return digest(tool_fingerprint(), config_key, environment_key, project, checked)


@dataclass
class ResultCache:
    """Results of checked files, valid while nothing they depend on has changed."""

    disk: DiskCache
    config_key: str
    environment_key: str

    KIND = "results"

    def key(
        self, path: str, text: str, folders: Iterable[str], *, requirements: bool = False
    ) -> str | None:
        """The key of ``text`` checked at ``path``; ``folders``: the checked file's project (see
        :func:`~halluc_check.target.project.project_folders`); ``requirements``: read as a
        requirements file whatever its name. ``None``: not cacheable."""
        project = project_fingerprint(tuple(sorted(set(folders))))
        if project is None:
            return None
        resolved = str(Path(path).resolve())
        return result_key(
            self.config_key,
            self.environment_key,
            project,
            resolved,
            text,
            requirements=requirements,
        )

    def get(self, key: str, path: str, text: str) -> Result | None:
        entry = self.disk.get(self.KIND, key)
        if not isinstance(entry, dict):
            return None
        try:
            result = result_from_json(entry)
        except (KeyError, TypeError, ValueError) as exc:
            LOG.debug("cache entry for %s does not decode (%s): treated as a miss", path, exc)
            return None
        return dataclasses.replace(result, path=path, source=text)

    def put(self, key: str, result: Result) -> None:
        if result.checked:  # a file that could not be checked is tried again next time
            self.disk.put(self.KIND, key, result_to_json(result))


def result_to_json(result: Result) -> dict[str, Any]:
    data: dict[str, Any] = canonical(result)
    data.pop("source", None)
    return data


def _tuples(value: Any) -> Any:
    """JSON lists back to the tuples the frozen model uses."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


def _span(data: Mapping[str, Any]) -> Span:
    return Span(data["line"], data["column"], data["end_line"], data["end_column"])


def _finding(data: Mapping[str, Any]) -> Finding:
    fields: dict[str, Any] = {}
    for name, value in data.items():
        if name == "span":
            fields[name] = _span(value)
        elif name == "suggestions":
            fields[name] = tuple(
                Suggestion(s["message"], s["replacement"], _span(s["span"])) for s in value
            )
        elif name == "severity":
            fields[name] = Severity(value)
        elif name == "confidence":
            fields[name] = Confidence(value)
        elif name == "migration":
            fields[name] = None if value is None else Migration(**value)
        else:
            fields[name] = _tuples(value)
    return Finding(**fields)


def result_from_json(data: Mapping[str, Any]) -> Result:
    fields = {k: _tuples(v) for k, v in data.items() if k != "findings"}
    findings = tuple(_finding(f) for f in data["findings"])
    return Result(findings=findings, **fields)
