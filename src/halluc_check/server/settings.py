"""The client's settings and ``[tool.halluc-check]`` -> a Config per document, and one
long-lived Checker per configuration.

Settings come from ``initializationOptions`` and ``workspace/didChangeConfiguration``, either
flat (``{"python": ".venv/bin/python"}``) or under a ``halluc-check`` (or ``hallucCheck``) key.
They take the keys of ``[tool.halluc-check]`` and override the nearest ``pyproject.toml`` above
each document; a relative ``python`` is taken from the document's workspace folder. The server's
own key is ``debounce``: seconds to wait after an edit before checking (default 0.15).
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cache import DiskCache
from ..config import Config, ConfigError, find_pyproject, from_mapping, load_config
from ..engine.units import new_checker

if TYPE_CHECKING:
    from ..engine.checker import Checker

DEFAULT_DEBOUNCE = 0.15
MAX_CHECKERS = 4
"""Checkers kept at once: each holds its environment's parse trees (hundreds of MiB); the least
recently used goes when a fifth configuration (a folder, an edited pyproject.toml) is checked."""
_FIELDS = {
    "python": "python",
    "select": "select",
    "ignore": "ignore",
    "exclude": "exclude",
    "min-confidence": "min_confidence",
    "dynamic": "dynamic",
    "migrations": "migrations",
}
_SECTIONS = ("halluc-check", "hallucCheck", "halluc_check")


@dataclass(frozen=True)
class Settings:
    """What the client asked for: ``[tool.halluc-check]`` keys and the debounce delay."""

    table: Mapping[str, Any]
    debounce: float = DEFAULT_DEBOUNCE


def parse_settings(raw: Any) -> Settings:
    """The client's settings object; raises ConfigError on a key or value that cannot be used."""
    if not isinstance(raw, Mapping):
        return Settings({})
    for section in _SECTIONS:
        if isinstance(raw.get(section), Mapping):
            raw = raw[section]
            break
    table = {k: v for k, v in raw.items() if v is not None}
    debounce = table.pop("debounce", DEFAULT_DEBOUNCE)
    if not isinstance(debounce, (int, float)) or isinstance(debounce, bool) or debounce < 0:
        raise ConfigError(f"`debounce` must be a number of seconds, not `{debounce!r}`")
    from_mapping(table)  # validates every key and value now, not at the first check
    return Settings(table, float(debounce))


class Configurations:
    """Configs and Checkers for documents. Checks ask it from the checking thread only; the
    server's thread replaces the settings and folders whole (one assignment each)."""

    def __init__(self, cache: DiskCache | None = None) -> None:
        self.settings = Settings({})
        self.folders: tuple[Path, ...] = ()
        self._cache = cache
        self._files: dict[tuple[str, int, int], Config] = {}
        self._checkers: OrderedDict[Config, Checker] = OrderedDict()
        self._seen_settings = self.settings

    def folder_of(self, path: Path | None) -> Path | None:
        """The innermost workspace folder holding ``path`` (the first folder for an unsaved one)."""
        if path is None:
            return self.folders[0] if self.folders else None
        holding = [f for f in self.folders if path == f or f in path.parents]
        return max(holding, key=lambda f: len(f.parts)) if holding else None

    def config_for(self, path: Path | None) -> Config:
        """The nearest ``pyproject.toml``'s configuration above the document (or its workspace
        folder), with the client's settings over it."""
        if self.settings is not self._seen_settings:
            # other settings: the Checkers of the old ones are not needed any more
            self._seen_settings = self.settings
            self._checkers.clear()
        folder = self.folder_of(path)
        start = path.parent if path is not None else folder or Path.cwd()
        base = self._file_config(start)
        if base.root is None and folder is not None:
            # no pyproject.toml: `./.venv` and relative paths are the workspace folder's
            base = replace(base, root=folder)
        if not self.settings.table:
            return base
        given = from_mapping(self.settings.table, root=folder or base.root)
        changes = {
            field: getattr(given, field)
            for key, field in _FIELDS.items()
            if key in self.settings.table
        }
        return replace(base, **changes)

    def _file_config(self, start: Path) -> Config:
        pyproject = find_pyproject(start) if start.is_dir() else None
        if pyproject is None:
            return Config()
        try:
            stat = os.stat(pyproject)
        except OSError:
            return Config()
        key = (str(pyproject), stat.st_mtime_ns, stat.st_size)
        if key not in self._files:
            # an edited pyproject.toml has another key: it is read again at the next check
            self._files = {k: v for k, v in self._files.items() if k[0] != key[0]}
            self._files[key] = load_config(path=pyproject)
        return self._files[key]

    def checker_for(self, config: Config) -> Checker:
        """The Checker of ``config``, made at its first use (it probes the interpreter)."""
        checker = self._checkers.get(config)
        if checker is None:
            checker = new_checker(config, self._cache)
            self._checkers[config] = checker
            while len(self._checkers) > MAX_CHECKERS:
                self._checkers.popitem(last=False)
        self._checkers.move_to_end(config)
        return checker
