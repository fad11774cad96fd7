"""Migration hints: what replaced an API that a library (or Python) removed, renamed or moved.

The hints only explain findings the engine has already proved; nothing here creates a finding.
Entries come from ``data/migrations.toml`` (shipped) and from ``[tool.halluc-check]``
(``migrations = "file.toml"`` or ``[[tool.halluc-check.migrations]]`` tables).

An entry matches a finding by the resolved owner and the name, never by the name alone:

- a module entry (``api = "openai.error"``) matches ``import openai.error`` (HAL001) and the
  attribute or import name ``error`` looked up on the module ``openai`` (HAL101, HAL002);
- a member entry (``api = "pandas:DataFrame.append"``) matches ``append`` looked up on what
  ``pandas.DataFrame`` resolves to in the target environment (``pandas.core.frame.DataFrame``);
- a keyword entry (``api = "sqlalchemy:create_engine"``, ``keyword = "encoding"``) matches an
  unknown keyword argument of the callable that ``sqlalchemy.create_engine`` resolves to (HAL201).

It also needs the package: the owner's module must come from the entry's distribution (or from
the standard library for ``package = "python"``), installed at ``since`` or later.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..model import STDLIB, Migration
from ..target.environment import TargetEnvironment
from ..tomlfile import TomlError, parse_toml, read_toml

KINDS = ("removed", "renamed", "moved")
_FIELDS = ("api", "keyword", "package", "kind", "since", "replacement")
_REQUIRED = ("api", "package", "kind", "since", "replacement")
_DOTTED = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")
_VERSION = re.compile(r"^\d+(\.\d+)*")
_PACKAGE = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")


class MigrationError(ValueError):
    """An entry that cannot be used; the message names it and says why."""


def parse_entry(value: Any, where: str) -> Migration:
    """One ``[[migration]]`` table, validated; ``where`` names it in error messages."""
    if not isinstance(value, Mapping):
        raise MigrationError(f"{where} must be a table, not `{_shown(value)}`")
    unknown = sorted(set(value) - set(_FIELDS))
    if unknown:
        known = ", ".join(_FIELDS)
        raise MigrationError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {known})")
    missing = [key for key in _REQUIRED if key not in value]
    if missing:
        raise MigrationError(f"{where}: missing {', '.join(f'`{k}`' for k in missing)}")
    for key in _FIELDS:
        if key in value and (not isinstance(value[key], str) or not value[key].strip()):
            raise MigrationError(f"{where}: `{key}` must be a non-empty string")
    api = value["api"].strip()
    module, colon, member = api.partition(":")
    if not _DOTTED.match(module) or (colon and not _DOTTED.match(member)):
        raise MigrationError(
            f"{where}: `api` must be `module` or `module:Name.attr`, not `{_shown(api)}`"
        )
    keyword = value.get("keyword")
    if keyword is not None:
        keyword = keyword.strip()
        if not keyword.isidentifier():
            raise MigrationError(
                f"{where}: `keyword` must be an identifier, not `{_shown(keyword)}`"
            )
    kind = value["kind"].strip().lower()
    if kind not in KINDS:
        raise MigrationError(
            f"{where}: `kind` must be one of {', '.join(KINDS)}, not `{_shown(kind)}`"
        )
    since = value["since"].strip()
    if not _VERSION.match(since):
        raise MigrationError(
            f"{where}: `since` must be a version like `2.0.0`, not `{_shown(since)}`"
        )
    package = value["package"].strip()
    if not _PACKAGE.match(package):
        raise MigrationError(
            f"{where}: `package` must be a distribution name or `python`, not `{_shown(package)}`"
        )
    return Migration(
        api=api,
        package=package,
        kind=kind,
        since=since,
        replacement=" ".join(value["replacement"].split()),
        keyword=keyword,
    )


def parse_entries(values: Any, where: str) -> tuple[Migration, ...]:
    """A list of ``[[migration]]`` tables (``where[1]``, ``where[2]``, ... in error messages)."""
    if not isinstance(values, list):
        raise MigrationError(f"{where} must be a list of tables, not `{_shown(values)}`")
    return tuple(parse_entry(value, f"{where}[{index}]") for index, value in enumerate(values, 1))


def load_file(path: Path) -> tuple[Migration, ...]:
    """The ``[[migration]]`` tables of a TOML file."""
    try:
        data = read_toml(path)
    except TomlError as exc:
        raise MigrationError(f"{path}: {exc}") from None
    unknown = sorted(set(data) - {"migration"})
    if unknown:
        raise MigrationError(
            f"{path}: unknown key(s) {', '.join(unknown)} (entries are [[migration]] tables)"
        )
    return parse_entries(data.get("migration", []), f"{path}: migration")


@lru_cache(maxsize=1)
def builtin() -> tuple[Migration, ...]:
    """The entries shipped with halluc-check."""
    data = (resources.files("halluc_check.knowledge") / "data" / "migrations.toml").read_bytes()
    return parse_entries(parse_toml(data.decode("utf-8"))["migration"], "migrations.toml")


def _shown(value: Any) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 60 else text[:57] + "..."


def version_tuple(text: str) -> tuple[int, ...]:
    """The leading numeric release of a version string: ``2.0.0rc1`` -> ``(2, 0, 0)``."""
    match = _VERSION.match(text.strip())
    return tuple(int(part) for part in match.group(0).split(".")) if match else ()


def at_least(installed: tuple[int, ...], since: tuple[int, ...]) -> bool:
    width = max(len(installed), len(since))
    return installed + (0,) * (width - len(installed)) >= since + (0,) * (width - len(since))


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


Canonical = Callable[[str, tuple[str, ...]], frozenset[str]]
"""``(module, attribute path) -> the qualified names it resolves to`` in the target environment."""


class Migrations:
    """The shipped entries plus the user's (which replace shipped ones with the same API)."""

    def __init__(self, extra: Iterable[Migration] = (), *, shipped: bool = True) -> None:
        entries = {m.key: m for m in (builtin() if shipped else ())}
        entries.update({m.key: m for m in extra})
        self.entries = tuple(entries.values())
        self._names: dict[str, list[Migration]] = {}
        self._keywords: dict[str, list[Migration]] = {}
        for entry in self.entries:
            if entry.keyword:
                self._keywords.setdefault(entry.keyword, []).append(entry)
            else:
                self._names.setdefault(entry.dotted.rsplit(".", 1)[-1], []).append(entry)

    def for_module(self, module: str, env: TargetEnvironment) -> Migration | None:
        """The entry for a module that does not exist (``import urllib2``)."""
        for entry in self._names.get(module.rsplit(".", 1)[-1], ()):
            if not entry.member and entry.module == module and _installed(entry, env):
                return entry
        return None

    def for_member(
        self, owners: Iterable[str], name: str, env: TargetEnvironment, canonical: Canonical
    ) -> Migration | None:
        """The entry for ``name`` missing on every one of ``owners`` (resolved qualified names
        of modules and classes: ``openai``, ``pandas.core.frame.DataFrame``)."""
        wanted = set(owners)
        if not wanted:
            return None
        for entry in self._names.get(name, ()):
            if not _installed(entry, env):
                continue
            owner = entry.dotted.rsplit(".", 1)[0] if "." in entry.dotted else None
            if owner is None:
                continue
            names = {owner}
            if entry.member and "." in entry.member:  # a class (or deeper): resolve it
                parts = tuple(entry.member.split(".")[:-1])
                names |= canonical(entry.module, parts)
            if wanted <= names:
                return entry
        return None

    def for_keyword(
        self, callee: str, keyword: str, env: TargetEnvironment, canonical: Canonical
    ) -> Migration | None:
        """The entry for ``keyword`` not accepted by ``callee`` (its resolved qualified name)."""
        for entry in self._keywords.get(keyword, ()):
            if not _installed(entry, env):
                continue
            names = {entry.dotted}
            if entry.member:
                names |= canonical(entry.module, tuple(entry.member.split(".")))
            if callee in names:
                return entry
        return None


def _installed(entry: Migration, env: TargetEnvironment) -> bool:
    """The entry's package provides its module in ``env``, at ``since`` or later."""
    since = version_tuple(entry.since)
    top = entry.module.split(".", 1)[0]
    if entry.package == STDLIB:
        return env.distribution_of(top) is None and at_least(env.version, since)
    dist = env.distribution_of(top)
    if dist is None or normalise(dist.name) != normalise(entry.package):
        return False
    return at_least(version_tuple(dist.version), since)
