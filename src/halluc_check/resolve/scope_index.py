"""What the code around a class says about its attributes, read once per folder.

Before an attribute is reported missing, halluc-check asks whether the code around its class
stores the name from outside (``obj.name = value``, ``setattr(obj, "name", value)``), and which
subclasses may override a method. Answering that means reading every Python file of the stdlib,
of an installed distribution or of the checked project. A :class:`ScopeIndex` reads them once and
keeps what the questions need: the names stored, and the class statements by base class.

An installed folder changes only when packages are installed or removed, so its index is kept in
the on-disk cache, keyed by the path, size and modification time of every file it was read from.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..cache import DiskCache, digest

LOG = logging.getLogger(__name__)

#: ``obj.name = ...`` (or ``+=`` and the like) on something other than ``self``/``cls``. The
#: patterns start with a literal, and look behind only where it matched: many times faster.
_STORED_ON_OTHERS = re.compile(r"\.(?<!\bself\.)(?<!\bcls\.)(\w+)\s*(?:=(?!=)|[-+*/|&]=)")
#: ``setattr(obj, "name", ...)``.
_SETATTR = re.compile(r"setattr\([^,]+,\s*[\"'](\w+)[\"']")
#: For classes of the checked project, a subclass elsewhere in it may also define the name.
_DEFINED = re.compile(r"def(?<=\bdef)\s+(\w+)\b")
_BOUND_INDENTED = re.compile(r"^\s+(\w+)\s*[:=]", re.MULTILINE)

_CLASS_BASES = re.compile(r"^\s*(?P<keyword>class)\s+\w+\s*\((?P<bases>[^)]*)\)", re.MULTILINE)
_UNINDENTED_LINE = re.compile(r"^\S", re.MULTILINE)

_SKIP_DIRS = frozenset(
    {"node_modules", "__pycache__", "site-packages", "build", "dist", "venv", "test", "tests"}
)

KIND = "scopes"
"""The on-disk cache's kind for indexes."""

_LAYOUT = digest(
    "1",
    [p.pattern for p in (_STORED_ON_OTHERS, _SETATTR, _DEFINED, _BOUND_INDENTED, _CLASS_BASES)],
    sorted(_SKIP_DIRS),
)
"""Changes whenever what an index holds would: the patterns that read the files."""

ClassStatement = tuple[str, int, int]
"""``(file, start, end)``: a class statement from the start of its ``class`` line to the end of
its body, as character offsets into the file's text."""


@dataclass(frozen=True)
class ScopeIndex:
    """The facts of one folder (or one file) that the attribute checks ask about."""

    stored_outside: frozenset[str]
    """Names stored on objects other than ``self``/``cls``, or through ``setattr``."""
    defined: frozenset[str]
    """Names a ``def`` defines, or that an indented block binds (``name = ...``, ``name: T``)."""
    subclasses: Mapping[str, tuple[ClassStatement, ...]]
    """A base class's short name -> the class statements that list it as a base."""

    def to_json(self) -> dict[str, Any]:
        return {
            "stored_outside": sorted(self.stored_outside),
            "defined": sorted(self.defined),
            "subclasses": {
                base: [list(s) for s in found] for base, found in self.subclasses.items()
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ScopeIndex:
        return cls(
            frozenset(data["stored_outside"]),
            frozenset(data["defined"]),
            {
                str(base): tuple((str(f), int(s), int(e)) for f, s, e in found)
                for base, found in data["subclasses"].items()
            },
        )


def read_text(file: str) -> str:
    """A file's text as the index reads it: undecodable bytes replaced, an unreadable file empty."""
    try:
        with open(file, encoding="utf-8", errors="replace") as fh:
            return fh.read()
    except OSError:
        return ""


def build(files: list[str]) -> ScopeIndex:
    """Read ``files`` and index them."""
    stored: set[str] = set()
    defined: set[str] = set()
    subclasses: dict[str, list[ClassStatement]] = {}
    for file in files:
        text = read_text(file)
        stored.update(m.group(1) for m in _STORED_ON_OTHERS.finditer(text))
        stored.update(m.group(1) for m in _SETATTR.finditer(text))
        defined.update(m.group(1) for m in _DEFINED.finditer(text))
        defined.update(m.group(1) for m in _BOUND_INDENTED.finditer(text))
        for bases, start, end in class_statements(text):
            for base in bases:
                subclasses.setdefault(base, []).append((file, start, end))
    return ScopeIndex(
        frozenset(stored),
        frozenset(defined),
        {base: tuple(found) for base, found in subclasses.items()},
    )


def load(folder: str, recursive: bool, disk: DiskCache | None, *, max_files: int) -> ScopeIndex:
    """The index of ``folder`` (or of one file): from ``disk`` when its files are unchanged since
    it was kept there, else read now (and kept, when ``disk`` is given)."""
    files = list_files(folder, recursive, max_files=max_files)
    if disk is None:
        return build(files)
    key = digest(_LAYOUT, folder, recursive, _stamps(files))
    entry = disk.get(KIND, key)
    if isinstance(entry, dict):
        try:
            return ScopeIndex.from_json(entry)
        except (KeyError, TypeError, ValueError) as exc:
            LOG.debug("scope index of %s does not decode (%s): read again", folder, exc)
    index = build(files)
    disk.put(KIND, key, index.to_json())
    return index


def _stamps(files: list[str]) -> list[tuple[str, int, int]]:
    stamps = []
    for file in files:
        try:
            stat = os.stat(file)
        except OSError:
            stamps.append((file, -1, -1))
        else:
            stamps.append((file, stat.st_mtime_ns, stat.st_size))
    return stamps


def list_files(folder: str, recursive: bool, *, max_files: int) -> list[str]:
    """The Python files of ``folder`` (itself, when it is a file), tests and build output left
    out; at most about ``max_files`` of them."""
    if os.path.isfile(folder):
        return [folder]
    if not recursive:
        try:
            return sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".py"))
        except OSError:
            return []
    files: list[str] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
        files.extend(os.path.join(root, n) for n in sorted(names) if n.endswith(".py"))
        if len(files) > max_files:
            break
    return files


def class_statements(text: str) -> Iterator[tuple[list[str], int, int]]:
    """``(base short names, start, end)`` of every class statement in ``text`` that lists bases:
    from the start of the line of its ``class`` keyword to the end of its body."""
    for match in _CLASS_BASES.finditer(text):
        bases = listed_bases(match.group("bases"))
        if not bases:
            continue
        body_start = text.find("\n", match.end()) + 1
        if body_start == 0:
            continue
        start = text.rfind("\n", 0, match.start("keyword")) + 1
        following = _UNINDENTED_LINE.search(text, body_start)
        yield bases, start, following.start() if following else len(text)


def listed_bases(bases_text: str) -> list[str]:
    """The short names of the comma-separated bases (``mod.Name[T]`` -> ``Name``); keywords
    such as ``metaclass=`` are not bases."""
    depth, current, bases = 0, "", []
    for char in bases_text:
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        if char == "," and depth == 0:
            bases.append(current)
            current = ""
        else:
            current += char
    bases.append(current)
    names = []
    for base in bases:
        base = base.strip()
        if not base or "=" in base:
            continue
        names.append(re.sub(r"\[.*", "", base, flags=re.DOTALL).strip().rsplit(".", 1)[-1])
    return names
