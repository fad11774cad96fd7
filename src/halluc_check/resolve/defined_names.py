"""(name, checked file) -> whether anything in the target environment or the checked file's project
could define that name: what decides a name on an instance typed as an abstract class or protocol.

Such an instance is always an instance of some other class: a subclass, or for a protocol any
class with its members. Its names are those of its own MRO and those a class that stands for it
defines. A class can only define a name whose text is written somewhere: as a ``def`` or
``class``, an assignment, an attribute store, or a string given to ``setattr``, ``__slots__`` or
``type()``. So when a name is written *nowhere* in the environment's sources (the standard
library, the stubs jedi reads, every folder on the interpreter's path, the extension modules
that have no source beside them) nor in the checked project, no class can define it statically,
and a lookup of it on the abstract instance fails.

The index is deliberately coarse, which is what makes it sound and cheap: every identifier
written anywhere (code, strings, comments; the identifier-like strings of compiled extension
modules) counts as possibly defined, as a sorted array of 32-bit hashes (a collision only makes
a name look defined). The checked file itself is the exception: its own uses of the name are
not definitions, so from it only what it binds and the identifier strings it writes count, and
the project is counted without it.

The installed part is built once per environment and kept on disk, keyed by the interpreter,
the distributions and the folders on its path (and the files of folders on the path outside
the installed ones, such as an editable install's source); the project part is keyed by the
project's files. Both are built only when an abstract instance lacks a name.
"""

from __future__ import annotations

import array
import base64
import logging
import os
import re
import sys
import zipfile
import zlib
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import jedi

from ..cache import DiskCache, digest, project_files, project_fingerprint
from ..target.environment import TargetEnvironment, real_path

LOG = logging.getLogger(__name__)

KIND = "names"
"""The on-disk cache's kind for name indexes."""

_SOURCE_SUFFIXES = (".py", ".pyi")
_BINARY_SUFFIXES = (".so", ".pyd")

_MAX_FILES = 400_000
"""More files than this on the interpreter's path: the index is not built (and nothing said)."""

_SKIPPED_IN_STDLIB = frozenset({"site-packages", "dist-packages", "__pycache__"})
"""Folders of the standard library's folder that are not the standard library: the packages
of the interpreter's own installation are not the target environment's unless on its path."""


def _identifier_table() -> bytes:
    """Bytes that may be part of an ASCII identifier stay, every other byte becomes a space."""
    keep = {*range(ord("0"), ord("9") + 1), *range(ord("A"), ord("Z") + 1)}
    keep |= {*range(ord("a"), ord("z") + 1), ord("_")}
    return bytes(c if c in keep else ord(" ") for c in range(256))


_IDENTIFIER_BYTES = _identifier_table()

_LAYOUT = digest("1", _IDENTIFIER_BYTES.decode("latin-1"), _SOURCE_SUFFIXES, _BINARY_SUFFIXES)
"""Changes whenever what an index holds would."""

#: A string literal that could name an attribute: an identifier, or identifiers separated by
#: spaces or commas (``namedtuple("P", "x y")``).
_NAME_STRINGS = re.compile(r"[\"']([A-Za-z_][\w ,]{0,200})[\"']")
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


def identifiers(data: bytes) -> set[bytes]:
    """Every ASCII identifier written in ``data`` (also parts of non-ASCII ones)."""
    return set(data.translate(_IDENTIFIER_BYTES).split())


def _hash(token: bytes) -> int:
    return zlib.crc32(token)


@dataclass(frozen=True)
class InstalledNames:
    """The identifiers written in the environment's sources, as sorted 32-bit hashes."""

    hashes: array.array[int]
    files: int
    """How many files were read."""

    def __contains__(self, name: str) -> bool:
        value = _hash(name.encode("ascii"))
        index = bisect_left(self.hashes, value)
        return index < len(self.hashes) and self.hashes[index] == value

    def to_json(self) -> dict[str, Any]:
        data = self.hashes if sys.byteorder == "little" else _swapped(self.hashes)
        return {"hashes": base64.b64encode(data.tobytes()).decode("ascii"), "files": self.files}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InstalledNames:
        hashes = array.array("I")
        hashes.frombytes(base64.b64decode(data["hashes"]))
        if sys.byteorder != "little":
            hashes.byteswap()
        return cls(hashes, int(data["files"]))


def _swapped(hashes: array.array[int]) -> array.array[int]:
    copy = array.array("I", hashes)
    copy.byteswap()
    return copy


@dataclass(frozen=True)
class ProjectNames:
    """The identifiers written in a project's Python files, with how many files write each."""

    counts: Counter[str]
    files: frozenset[str]

    def written_besides(self, name: str, path: str | None) -> bool:
        """Whether a project file other than ``path`` writes ``name``."""
        count = self.counts.get(name, 0)
        if count and path is not None and path in self.files:
            # the checked file as the index read it, from disk
            count -= name.encode("ascii") in identifiers(_read(path))
        return count > 0


@dataclass(frozen=True)
class _Sources:
    """What the installed part is read from."""

    sources: list[str]
    binaries: list[str]
    archives: list[str]
    outside: tuple[str, ...]
    """Folders on the path that are not installed ones (editable sources): keyed by their files."""


class DefinedNames:
    """The name indexes of one target environment: the installed part, made on first use, and
    one project part per project; kept for the life of the process and on ``disk``."""

    def __init__(self, env: TargetEnvironment, *, disk: DiskCache | None = None) -> None:
        self.env = env
        self.disk = disk
        self._installed: InstalledNames | None = None
        self._installed_failed = False
        self._projects: dict[tuple[str, ...], ProjectNames | None] = {}

    def installed(self) -> InstalledNames | None:
        """The installed part; None when it cannot be built."""
        if self._installed is None and not self._installed_failed:
            self._installed = self._load_installed()
            self._installed_failed = self._installed is None
        return self._installed

    def project(self, folders: tuple[str, ...]) -> ProjectNames | None:
        """The project part of the project in ``folders``; None when it cannot be built."""
        key = tuple(sorted(set(folders)))
        if key not in self._projects:
            self._projects[key] = self._load_project(key)
        return self._projects[key]

    # -- building --------------------------------------------------------------------------------
    def _load_installed(self) -> InstalledNames | None:
        found = _installed_sources(self.env)
        if found is None:
            return None
        outside = project_fingerprint(found.outside) if found.outside else ""
        key = None
        if self.disk is not None and outside is not None:
            distributions = sorted((d.name, d.version) for d in self.env.distributions.values())
            key = digest(_LAYOUT, self.env.fingerprint, distributions, jedi.__version__, outside)
            entry = self.disk.get(KIND, key)
            if isinstance(entry, dict):
                try:
                    return InstalledNames.from_json(entry)
                except (KeyError, TypeError, ValueError) as exc:
                    LOG.debug("name index does not decode (%s): read again", exc)
        tokens: set[bytes] = set()
        for file in found.sources:
            tokens |= identifiers(_read(file))
        for file in found.binaries:
            tokens |= identifiers(_read(file))
        for archive in found.archives:
            tokens |= _archive_identifiers(archive)
        hashes = array.array("I", sorted({_hash(t) for t in tokens}))
        files = len(found.sources) + len(found.binaries) + len(found.archives)
        index = InstalledNames(hashes, files)
        if self.disk is not None and key is not None:
            self.disk.put(KIND, key, index.to_json())
        return index

    def _load_project(self, folders: tuple[str, ...]) -> ProjectNames | None:
        entries = project_files(folders)
        if entries is None:
            return None
        files = [path for path, _, _ in entries if path.endswith(_SOURCE_SUFFIXES)]
        key = digest(_LAYOUT, "project", entries)
        if self.disk is not None:
            entry = self.disk.get(KIND, key)
            if isinstance(entry, dict):
                try:
                    return ProjectNames(
                        Counter({str(k): int(v) for k, v in entry["counts"].items()}),
                        frozenset(files),
                    )
                except (KeyError, TypeError, ValueError, AttributeError) as exc:
                    LOG.debug("project name index does not decode (%s): read again", exc)
        counts: Counter[str] = Counter()
        for file in files:
            counts.update(t.decode("ascii") for t in identifiers(_read(file)))
        if self.disk is not None:
            self.disk.put(KIND, key, {"counts": dict(sorted(counts.items()))})
        return ProjectNames(counts, frozenset(files))


def bound_in_file(module_node: Any) -> frozenset[str]:
    """What a checked file (its parso tree) could define an attribute with: every name it binds
    (``def``, ``class``, assignments, ``obj.name = ...``, imports, parameters) and the
    identifiers of its short literal strings (``setattr(obj, "name", v)``, ``__slots__``)."""
    names = {
        name
        for name, leaves in module_node.get_used_names().items()
        if any(leaf.is_definition() for leaf in leaves)
    }
    for literal in _NAME_STRINGS.finditer(module_node.get_code()):
        names.update(_IDENTIFIER.findall(literal.group(1)))
    return frozenset(names)


def _read(file: str) -> bytes:
    try:
        with open(file, "rb") as stream:
            return stream.read()
    except OSError:
        return b""


def _archive_identifiers(archive: str) -> set[bytes]:
    tokens: set[bytes] = set()
    try:
        with zipfile.ZipFile(archive) as opened:
            for member in opened.namelist():
                if member.endswith(_SOURCE_SUFFIXES + _BINARY_SUFFIXES):
                    tokens |= identifiers(opened.read(member))
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError) as exc:
        LOG.debug("cannot read %s (%s)", archive, exc)
    return tokens


def _installed_sources(env: TargetEnvironment) -> _Sources | None:
    """Every file the installed part is read from, or None when there are too many."""
    stdlib = [real_path(d) for d in env.stdlib_dirs if d]
    sites = list(env.site_dirs)
    installed = [*stdlib, *sites]
    folders: list[tuple[str, frozenset[str]]] = [(d, _SKIPPED_IN_STDLIB) for d in stdlib]
    folders += [(d, frozenset({"__pycache__"})) for d in sites]
    outside: list[str] = []
    archives: list[str] = []
    for entry in env.sys_path:
        real = real_path(entry)
        if os.path.isfile(real):
            archives.append(real)
        elif os.path.isdir(real) and not _inside(real, installed):
            outside.append(real)
    outside.extend(d for d in _editable_folders(sites) if not _inside(d, installed))
    outside = sorted(set(outside))
    sources: list[str] = []
    if outside:
        # read as the cache key sees them (see `_load_installed`)
        entries = project_files(tuple(outside))
        if entries is None:
            LOG.debug("name index not built: too many files in %s", outside)
            return None
        sources.extend(path for path, _, _ in entries if path.endswith(_SOURCE_SUFFIXES))
    typeshed = os.path.join(os.path.dirname(jedi.__file__), "third_party")
    folders.append((real_path(typeshed), frozenset({"__pycache__"})))
    binaries: list[str] = []
    visited: set[str] = set()
    for folder, skipped in folders:
        for file in _walk(folder, skipped, visited):
            if file.endswith(_SOURCE_SUFFIXES):
                sources.append(file)
            elif file.endswith(_BINARY_SUFFIXES) and not _has_source(file):
                binaries.append(file)
            if len(sources) + len(binaries) > _MAX_FILES:
                LOG.debug("name index not built: more than %d files on the path", _MAX_FILES)
                return None
    return _Sources(sources, binaries, archives, tuple(outside))


def _inside(folder: str, parents: Iterable[str]) -> bool:
    return any(folder == p or folder.startswith(p + os.sep) for p in parents)


def _walk(folder: str, skipped: frozenset[str], visited: set[str]) -> Iterator[str]:
    """The files under ``folder``, through symbolic links, each real folder once."""
    pending = [folder]
    while pending:
        current = pending.pop()
        real = real_path(current)
        if real in visited:
            continue
        visited.add(real)
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir():
                    if entry.name not in skipped:
                        pending.append(entry.path)
                elif entry.is_file():
                    yield entry.path
            except OSError:
                continue


def _has_source(binary: str) -> bool:
    """An extension module with a ``.py`` or ``.pyi`` of the same module beside it: the source
    is read instead (mypyc's modules, stubbed extensions)."""
    folder, name = os.path.split(binary)
    stem = name.split(".", 1)[0]
    return any(os.path.exists(os.path.join(folder, stem + s)) for s in _SOURCE_SUFFIXES)


_EDITABLE_MAPPING = re.compile(r"[\"']([^\"'\n]+)[\"']")


def _editable_folders(sites: Iterable[str]) -> list[str]:
    """The source folders that setuptools' editable finders (``__editable___*_finder.py``) map
    packages to: importable, but not on the path."""
    found: list[str] = []
    for site in sites:
        try:
            names = sorted(os.listdir(site))
        except OSError:
            continue
        for name in names:
            if name.startswith("__editable__") and name.endswith("_finder.py"):
                text = _read(os.path.join(site, name)).decode("utf-8", "replace")
                for literal in _EDITABLE_MAPPING.findall(text):
                    if os.path.isabs(literal) and os.path.isdir(literal):
                        found.append(real_path(literal))
    return found


class NamesAround:
    """Whether a name could be defined by any class one checked file's objects can be: written
    in the environment, in the file's project besides the file, or bound by the file itself."""

    def __init__(
        self,
        names: DefinedNames,
        *,
        folders: tuple[str, ...],
        path: str | None,
        module_node: Any,
    ) -> None:
        self._names = names
        self._folders = folders
        self._path = path
        self._module_node = module_node
        self._bound: frozenset[str] | None = None

    def defined_somewhere(self, name: str) -> bool | None:
        """True when something could define ``name``, False when nothing can; None when that
        cannot be told (an index could not be built, a name that is not ASCII)."""
        if not (name.isascii() and name.isidentifier()):
            return None
        installed = self._names.installed()
        project = self._names.project(self._folders)
        if installed is None or project is None:
            return None
        if name in installed or project.written_besides(name, self._path):
            return True
        if self._bound is None:
            self._bound = bound_in_file(self._module_node)
        return name in self._bound
