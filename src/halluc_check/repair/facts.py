"""A finding -> the real API facts around it, for a model asked to repair the code.

Most facts are resolved while checking and travel on the :class:`~halluc_check.model.Finding`
(``nearest``, ``signatures``, ``notes``). One more is looked up here, only on demand: where else in
the same installed package a missing name is defined at module level (``ParseMode`` of
``from telegram import ParseMode`` lives in ``telegram.constants`` since python-telegram-bot 20).
The package's files are read as text, never imported. For a missing top-level module, what the
package index says of it (``telegraf`` does not exist on PyPI; ``yaml`` is PyYAML, not installed)
and which installed libraries have a similar import name (python-telegram-bot's ``telegram``).
"""

from __future__ import annotations

import keyword
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..knowledge.module_origin import Kind, origin_of
from ..knowledge.package_index import IndexError_, shipped
from ..model import Finding
from ..suggest import close_names
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
    module: str | None = None
    """For a missing top-level module (HAL001, HAL003): whether it is on PyPI and who provides
    it, and the installed libraries with a similar import name, as one sentence."""


def facts_for(finding: Finding, env: TargetEnvironment) -> ApiFacts:
    """The facts for ``finding``, resolved against ``env`` (the environment it was checked in)."""
    return ApiFacts(
        finding=finding,
        nearest=finding.nearest,
        signatures=finding.signatures,
        defined_in=tuple(defined_elsewhere(finding, env)),
        notes=finding.notes,
        module=module_fact(finding, env),
    )


_GENERIC_WORDS = frozenset(
    {"python", "py", "client", "clients", "utils", "tools", "helper", "helpers", "core", "lib"}
    | {"api", "sdk", "wrapper", "plugin", "extension", "async", "types", "common", "base"}
)
"""Words of an import name that tell nothing of what a library is for."""
_MAX_ALTERNATIVES = 3


def module_fact(finding: Finding, env: TargetEnvironment) -> str | None:
    """``"`telegraf` does not exist on PyPI (index of 2026-11); the library installed here with a
    similar import name is python-telegram-bot (`telegram`)"`` for a missing top-level module;
    None for other findings (and when the shipped index cannot be read)."""
    module = finding.name
    if finding.code not in ("HAL001", "HAL003") or not module or not module.isidentifier():
        return None
    try:
        origin = origin_of(module, env.version[:2])
        date = shipped().date
    except IndexError_:
        return None
    if origin.kind is Kind.UNKNOWN:
        fact = f"`{module}` does not exist on PyPI (index of {date})"
    elif origin.kind is Kind.OBSCURE:
        fact = (
            f"only a little-used distribution on PyPI is named `{origin.distributions[0]}` "
            f"(index of {date}), no well-known one provides `{module}`"
        )
    elif origin.kind is Kind.DISTRIBUTION:
        fact = f"`{module}` is provided by {origin.distributions[0]}, not installed here"
    else:
        return None  # the standard library of another Python: the message says which
    alternatives = installed_alternatives(module, env)
    if not alternatives:
        return f"{fact}; no library installed here has a similar import name"
    listed = ", ".join(f"{dist} (`{top}`)" for dist, top in alternatives)
    if len(alternatives) == 1:
        return f"{fact}; the library installed here with a similar import name is {listed}"
    return f"{fact}; the libraries installed here with similar import names are {listed}"


def installed_alternatives(module: str, env: TargetEnvironment) -> list[tuple[str, str]]:
    """``(distribution, import name)`` of installed libraries whose top-level import name is a
    near miss of ``module`` (``telegram`` for ``telegraf``), then of those whose distribution
    name shares a telling word with it (python-telegram-bot for ``telegram_bot_helpers``); one
    import name per distribution, at most three."""
    tops = {
        top: dist.name
        for top, dist in env.distributions.items()
        if top.isidentifier() and not top.startswith("_") and top != module
    }
    words = {w for w in module.lower().split("_") if len(w) >= 4} - _GENERIC_WORDS
    sharing = sorted(
        top for top, dist in tops.items() if words & set(re.split(r"[-_.]+", dist.lower()))
    )
    found: dict[str, str] = {}
    for top in [*close_names(module, tops, limit=_MAX_ALTERNATIVES), *sharing]:
        found.setdefault(tops[top], top)
    return list(found.items())[:_MAX_ALTERNATIVES]


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
