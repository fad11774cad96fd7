"""``[tool.halluc-check]`` of the nearest ``pyproject.toml`` plus overrides -> a :class:`Config`."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .model import Confidence
from .rules import REGISTRY, matching

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class ConfigError(Exception):
    """A configuration value that cannot be used; the message says which and why."""


_KEYS = {"python", "select", "ignore", "exclude", "min-confidence"}


@dataclass(frozen=True, slots=True)
class Config:
    python: str | None = None
    """The interpreter (or environment folder) whose installed packages the code is checked against."""
    select: frozenset[str] = field(default_factory=lambda: frozenset(REGISTRY))
    ignore: frozenset[str] = frozenset()
    exclude: tuple[str, ...] = ()
    min_confidence: Confidence = Confidence.MEDIUM
    root: Path | None = None
    """The folder of the ``pyproject.toml`` the configuration came from."""

    def enabled(self, code: str) -> bool:
        return code in self.select and code not in self.ignore

    def with_overrides(self, **changes: Any) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _codes(value: Any, key: str) -> frozenset[str]:
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"`{key}` must be a list of rule codes or names")
    try:
        return frozenset(matching(value))
    except ValueError as exc:
        raise ConfigError(f"`{key}`: {exc}") from None


def parse_confidence(value: Any) -> Confidence:
    try:
        return Confidence(str(value).lower())
    except ValueError:
        choices = ", ".join(c.value for c in Confidence)
        raise ConfigError(f"`min-confidence` must be one of {choices}, not `{value}`") from None


def from_mapping(table: Mapping[str, Any], root: Path | None = None) -> Config:
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(f"unknown key(s) in [tool.halluc-check]: {', '.join(unknown)}")
    config = Config(root=root)
    if "python" in table:
        if not isinstance(table["python"], str):
            raise ConfigError("`python` must be a path")
        python = table["python"]
        if root is not None and not Path(python).is_absolute():
            python = str(root / python)
        config = replace(config, python=python)
    if "select" in table:
        config = replace(config, select=_codes(table["select"], "select"))
    if "ignore" in table:
        config = replace(config, ignore=_codes(table["ignore"], "ignore"))
    if "exclude" in table:
        exclude = table["exclude"]
        if not isinstance(exclude, list) or not all(isinstance(v, str) for v in exclude):
            raise ConfigError("`exclude` must be a list of glob patterns")
        config = replace(config, exclude=tuple(exclude))
    if "min-confidence" in table:
        config = replace(config, min_confidence=parse_confidence(table["min-confidence"]))
    return config


def find_pyproject(start: Path) -> Path | None:
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(start: Path | None = None, *, path: Path | None = None) -> Config:
    """The configuration of the nearest ``pyproject.toml`` above ``start`` (or of ``path``)."""
    pyproject = path or find_pyproject(start or Path.cwd())
    if pyproject is None:
        return Config()
    try:
        with open(pyproject, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{pyproject}: {exc}") from None
    table = data.get("tool", {}).get("halluc-check", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.halluc-check] must be a table")
    return from_mapping(table, root=pyproject.parent)
