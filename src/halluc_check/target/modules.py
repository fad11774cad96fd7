"""Dotted module name -> where it lives on disk (or proof that it lives nowhere), without importing."""

from __future__ import annotations

import enum
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from .environment import TargetEnvironment, real_path

_SOURCE_SUFFIXES = (".py", ".pyi", ".pyw")
_DYNAMIC_PACKAGE = re.compile(r"sys\.modules|__path__|pkgutil|extend_path|meta_path|path_hooks")


class Presence(str, enum.Enum):
    FOUND = "found"
    MISSING = "missing"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Located:
    presence: Presence
    missing_part: str | None = None
    """For ``MISSING``: the dotted prefix that does not exist (``openai.fancy`` of ``openai.fancy.x``)."""


def _listdir(folder: str) -> frozenset[str]:
    """The names in ``folder``, read again when the folder has changed since (a module made
    while a long-lived process checks is found)."""
    try:
        stamp = os.stat(folder).st_mtime_ns
    except OSError:
        return frozenset()
    return _listing(folder, stamp)


@lru_cache(maxsize=4096)
def _listing(folder: str, stamp: int) -> frozenset[str]:
    try:
        return frozenset(os.listdir(folder))
    except OSError:
        return frozenset()


def _entry_kinds(folder: str, name: str) -> tuple[list[str], bool]:
    """Package folders called ``name`` in ``folder``, and whether a module file exists there."""
    entries = _listdir(folder)
    packages: list[str] = []
    module_file = False
    if name in entries and os.path.isdir(os.path.join(folder, name)):
        packages.append(os.path.join(folder, name))
    if f"{name}-stubs" in entries:
        module_file = True
    for entry in entries:
        if entry.startswith(name + "."):
            suffix = entry[len(name) :]
            if suffix in _SOURCE_SUFFIXES or suffix.endswith((".so", ".pyd")):
                module_file = True
    return packages, module_file


class ModuleFinder:
    """Finds modules the way the import system would, from the target's sys.path and the project."""

    def __init__(
        self,
        env: TargetEnvironment,
        project_paths: tuple[str, ...],
        checked_path: str | None = None,
    ) -> None:
        self.env = env
        self.search_path = tuple(dict.fromkeys((*project_paths, *env.sys_path)))
        self.checked_path = os.path.realpath(checked_path) if checked_path else None

    def _is_checked_file(self, folder: str, name: str) -> bool:
        if self.checked_path is None:
            return False
        return real_path(os.path.join(folder, name + ".py")) == self.checked_path

    def locate(self, dotted: str) -> Located:
        parts = dotted.split(".")
        top = parts[0]
        packages: list[str] = []
        found_file = False
        for folder in self.search_path:
            if self._is_checked_file(folder, top):
                continue
            pkgs, module_file = _entry_kinds(folder, top)
            packages.extend(p for p in pkgs if _is_package_dir(p) or not module_file)
            found_file = found_file or module_file
        if not packages and not found_file:
            if self.env.is_stdlib(top) or top in self.env.distributions:
                return Located(Presence.UNKNOWN)
            return Located(Presence.MISSING, missing_part=top)
        return self._locate_submodules(parts, packages, found_file)

    def _locate_submodules(
        self, parts: list[str], packages: list[str], found_file: bool
    ) -> Located:
        for index in range(1, len(parts)):
            if not packages:
                return Located(Presence.UNKNOWN)
            name = parts[index]
            next_packages: list[str] = []
            next_file = False
            for folder in packages:
                pkgs, module_file = _entry_kinds(folder, name)
                next_packages.extend(pkgs)
                next_file = next_file or module_file
            if not next_packages and not next_file:
                if any(_is_dynamic_package(folder) for folder in packages):
                    return Located(Presence.UNKNOWN)
                return Located(
                    Presence.MISSING,
                    missing_part=".".join(parts[: index + 1]),
                )
            packages, _found_file = next_packages, next_file
        return Located(Presence.FOUND)

    def from_stdlib(self, top: str) -> bool:
        """Whether ``import top`` imports the standard library's module: a builtin one, or the
        first found on the path lies in the standard library's folders (a project's own
        ``logging.py`` comes first and is not the standard library's)."""
        if top in self.env.builtin_names:
            return True
        for folder in self.search_path:
            if self._is_checked_file(folder, top):
                continue
            packages, module_file = _entry_kinds(folder, top)
            if packages or module_file:
                return self.env.is_stdlib_path(os.path.join(folder, top))
        return False

    def package_dirs(self, dotted: str) -> list[str]:
        """The folders of package ``dotted`` (several for a namespace package)."""
        parts = dotted.split(".")
        folders = [os.path.join(f, parts[0]) for f in self.search_path]
        folders = [f for f in folders if os.path.isdir(f)]
        for name in parts[1:]:
            folders = [
                os.path.join(f, name) for f in folders if os.path.isdir(os.path.join(f, name))
            ]
        return folders

    def has_submodule(self, dotted: str, name: str) -> bool | None:
        """Whether package ``dotted`` has a submodule ``name``; None when it cannot be told."""
        folders = self.package_dirs(dotted)
        if not folders:
            return None
        for folder in folders:
            pkgs, module_file = _entry_kinds(folder, name)
            if pkgs or module_file:
                return True
        return False


def _is_package_dir(folder: str) -> bool:
    entries = _listdir(folder)
    return "__init__.py" in entries or "__init__.pyi" in entries


@lru_cache(maxsize=1024)
def _is_dynamic_package(folder: str) -> bool:
    """A package whose ``__init__`` can make submodules appear (``sys.modules`` tricks, lazy loaders)."""
    entries = _listdir(folder)
    if "__init__.py" not in entries and "__init__.pyi" not in entries:
        return False  # a namespace package: only real folders and files are submodules
    for init in ("__init__.py", "__init__.pyi"):
        if init in entries:
            try:
                with open(os.path.join(folder, init), encoding="utf-8", errors="replace") as fh:
                    if _DYNAMIC_PACKAGE.search(fh.read()):
                        return True
            except OSError:
                return True
    return False
