"""A finding -> the real API facts around it, for a model asked to repair the code.

Most facts are resolved while checking and travel on the :class:`~halluc_check.model.Finding`
(``nearest``, ``signatures``, ``notes``). One more is looked up here, only on demand: where else in
the same installed package a missing name is defined at module level (``ParseMode`` of
``from telegram import ParseMode`` lives in ``telegram.constants`` since python-telegram-bot 20).
The package's files are read as text, never imported.
"""

from __future__ import annotations

import keyword
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..model import Finding
from ..target.environment import TargetEnvironment
from ..target.modules import ModuleFinder, Presence

#: Module-level definitions: ``class X``, ``def x``, ``async def x``, ``X = ...``, ``X: T = ...``.
_DEFINITION = re.compile(
    r"^(?:class\s+(\w+)|(?:async\s+)?def\s+(\w+)|(\w+)\s*(?:=(?!=)|:(?!=)\s*\S))", re.MULTILINE
)
_MAX_FILES = 5000
_MAX_BYTES = 2_000_000
_MAX_PLACES = 3


@dataclass(frozen=True, slots=True)
class ApiFacts:
    """What is real around one finding."""

    finding: Finding
    nearest: tuple[str, ...] = ()
    """The owner's real names closest to the missing one, best first."""
    signatures: tuple[str, ...] = ()
    """The callee's real signature(s), for HAL201/HAL202."""
    defined_in: tuple[str, ...] = ()
    """Public modules of the same installed package that define the missing name at module level."""
    notes: tuple[str, ...] = ()


def facts_for(finding: Finding, env: TargetEnvironment) -> ApiFacts:
    """The facts for ``finding``, resolved against ``env`` (the environment it was checked in)."""
    return ApiFacts(
        finding=finding,
        nearest=finding.nearest,
        signatures=finding.signatures,
        defined_in=tuple(defined_elsewhere(finding, env)),
        notes=finding.notes,
    )


def defined_elsewhere(finding: Finding, env: TargetEnvironment) -> list[str]:
    """Public modules of the owner's package that define ``finding.name`` (HAL002, module HAL101)."""
    name, owner = finding.name, finding.symbol
    if not name or not owner or finding.code not in ("HAL002", "HAL101"):
        return []
    finder = ModuleFinder(env, ())
    if finding.code == "HAL101" and finder.locate(owner).presence is not Presence.FOUND:
        return []  # the owner is a class or an instance: its attribute is not a module-level name
    top = owner.split(".", 1)[0]
    folders = tuple(finder.package_dirs(top))
    if not folders:
        return []
    places = _definitions(top, folders).get(name, ())
    return [module for module in places if module != owner][:_MAX_PLACES]


@lru_cache(maxsize=32)
def _definitions(top: str, folders: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Module-level names of package ``top`` -> the public modules defining them, shortest first."""
    found: dict[str, set[str]] = {}
    for module, path in _public_modules(top, folders):
        try:
            if os.path.getsize(path) > _MAX_BYTES:
                continue
            with open(path, encoding="utf-8", errors="replace") as handle:
                text = handle.read()
        except OSError:
            continue
        for match in _DEFINITION.finditer(text):
            defined = match.group(1) or match.group(2) or match.group(3)
            if keyword.iskeyword(defined):
                continue  # `else: pass`
            found.setdefault(defined, set()).add(module)
    return {
        name: tuple(sorted(modules, key=lambda m: (m.count("."), m)))
        for name, modules in found.items()
    }


def _public_modules(top: str, folders: Iterable[str]) -> list[tuple[str, str]]:
    """``(dotted name, file)`` for the package's source files outside private modules."""
    modules: list[tuple[str, str]] = []
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d.isidentifier() and not d.startswith("_"))
            relative = os.path.relpath(root, folder)
            parts = [top] if relative == "." else [top, *relative.split(os.sep)]
            for file in sorted(files):
                stem, _, suffix = file.partition(".")
                if suffix not in ("py", "pyi") or not stem.isidentifier():
                    continue
                if stem.startswith("_") and stem != "__init__":
                    continue
                dotted = ".".join(parts if stem == "__init__" else [*parts, stem])
                modules.append((dotted, os.path.join(root, file)))
                if len(modules) >= _MAX_FILES:
                    return modules
    return modules
