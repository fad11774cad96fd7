"""``[tool.halluc-check]`` of the nearest ``pyproject.toml`` plus overrides -> a :class:`Config`."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .knowledge.migrations import MigrationError, load_file, parse_entries
from .knowledge.online import DEFAULT_INDEX_URL
from .model import Confidence, Migration
from .rules import REGISTRY, matching
from .tomlfile import TomlError, read_toml


class ConfigError(Exception):
    """A configuration value that cannot be used; the message says which and why."""


_KEYS = (
    "python",
    "select",
    "ignore",
    "exclude",
    "min-confidence",
    "dynamic",
    "migrations",
    "index-url",
)


@dataclass(frozen=True, slots=True)
class Config:
    python: str | None = None
    """The interpreter (or environment folder) whose installed packages the code is checked against."""
    select: frozenset[str] = field(default_factory=lambda: frozenset(REGISTRY))
    ignore: frozenset[str] = frozenset()
    exclude: tuple[str, ...] = ()
    min_confidence: Confidence = Confidence.MEDIUM
    dynamic: tuple[str, ...] = ()
    """Dotted prefixes (``boto3.client``) of receivers never reported: their attributes are dynamic."""
    migrations: tuple[Migration, ...] = ()
    """The user's migration hints, added to (and replacing) the shipped ones."""
    root: Path | None = None
    """The folder of the ``pyproject.toml`` the configuration came from."""
    online: bool = False
    """Ask the package index about distribution names its shipped snapshot does not know
    (``--online``; never from a configuration file)."""
    index_url: str = DEFAULT_INDEX_URL
    """The package index's JSON API asked with ``online`` (``<index_url>/<name>/json``)."""

    def enabled(self, code: str) -> bool:
        return code in self.select and code not in self.ignore

    def with_overrides(self, **changes: Any) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _strings(value: Any, key: str, what: str) -> list[str]:
    """``value`` as a list of non-empty strings, or a ``ConfigError`` naming ``key``."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"`{key}` must be a list of {what}, not `{_shown(value)}`")
    return [v.strip() for v in value]


def _shown(value: Any) -> str:
    """A short one-line rendering of a bad value for an error message."""
    shown = value if isinstance(value, str) and value.isprintable() else repr(value)
    text = " ".join(shown.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _codes(value: Any, key: str) -> frozenset[str]:
    if isinstance(value, str):
        value = [v for v in value.split(",") if v.strip()]
    selectors = _strings(value, key, "rule codes or names")
    try:
        return frozenset(matching(selectors))
    except ValueError as exc:
        raise ConfigError(f"`{key}`: {exc}") from None


def parse_confidence(value: Any) -> Confidence:
    """``high`` or ``medium`` (any case) as a :class:`Confidence`."""
    choices = ", ".join(c.value for c in Confidence)
    error = ConfigError(f"`min-confidence` must be one of {choices}, not `{_shown(value)}`")
    if not isinstance(value, str):
        raise error
    try:
        return Confidence(value.strip().lower())
    except ValueError:
        raise error from None


def parse_dynamic(value: Any) -> tuple[str, ...]:
    """Dotted names such as ``boto3.client`` or ``myproj.settings``, validated."""
    names = _strings(value, "dynamic", "dotted names such as `boto3.client`")
    for name in names:
        if not all(part.isidentifier() for part in name.split(".")):
            raise ConfigError(
                f"`dynamic`: `{_shown(name)}` is not a dotted name like `boto3.client`"
            )
    return tuple(dict.fromkeys(names))


def parse_migrations(value: Any, root: Path | None) -> tuple[Migration, ...]:
    """``migrations``: the path of a TOML file of ``[[migration]]`` tables, or the tables."""
    try:
        if isinstance(value, str) and value.strip():
            path = Path(value.strip()).expanduser()
            if root is not None and not path.is_absolute():
                path = root / path
            return load_file(path)
        if isinstance(value, list):
            return parse_entries(value, "migrations")
    except MigrationError as exc:
        raise ConfigError(str(exc)) from None
    raise ConfigError(
        "`migrations` must be the path of a TOML file or [[tool.halluc-check.migrations]] tables,"
        f" not `{_shown(value)}`"
    )


def parse_index_url(value: Any) -> str:
    """An ``http``/``https`` URL of a package index's JSON API (``https://pypi.org/pypi``)."""
    if isinstance(value, str):
        parts = urlsplit(value.strip())
        if parts.scheme in ("http", "https") and parts.netloc and not parts.query:
            return value.strip().rstrip("/")
    raise ConfigError(
        "`index-url` must be the http(s) URL of a package index's JSON API such as "
        f"`https://pypi.org/pypi`, not `{_shown(value)}`"
    )


def _python(value: Any, root: Path | None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(
            f"`python` must be the path of an interpreter or environment, not `{_shown(value)}`"
        )
    if root is not None and not Path(value).expanduser().is_absolute():
        return str(root / value)
    return str(Path(value).expanduser())


def _unknown(keys: list[str]) -> str:
    """``unknown key(s) in [tool.halluc-check]: a, b`` with a hint for near misses."""
    hints = []
    for key in keys:
        close = difflib.get_close_matches(key.replace("_", "-"), _KEYS, n=1, cutoff=0.6)
        if close:
            hints.append(f"`{key}` -> `{close[0]}`")
    message = f"unknown key(s) in [tool.halluc-check]: {', '.join(keys)}"
    return message + (f" (did you mean {', '.join(hints)}?)" if hints else "")


def from_mapping(table: Mapping[str, Any], root: Path | None = None) -> Config:
    """Validate every key of a ``[tool.halluc-check]`` table and build the :class:`Config`."""
    unknown = sorted(set(table) - set(_KEYS))
    if unknown:
        raise ConfigError(_unknown(unknown))
    changes: dict[str, Any] = {}
    if "python" in table:
        changes["python"] = _python(table["python"], root)
    if "select" in table:
        changes["select"] = _codes(table["select"], "select")
    if "ignore" in table:
        changes["ignore"] = _codes(table["ignore"], "ignore")
    if "exclude" in table:
        changes["exclude"] = tuple(_strings(table["exclude"], "exclude", "glob patterns"))
    if "min-confidence" in table:
        changes["min_confidence"] = parse_confidence(table["min-confidence"])
    if "dynamic" in table:
        changes["dynamic"] = parse_dynamic(table["dynamic"])
    if "migrations" in table:
        changes["migrations"] = parse_migrations(table["migrations"], root)
    if "index-url" in table:
        changes["index_url"] = parse_index_url(table["index-url"])
    return Config(root=root, **changes)


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
        data = read_toml(pyproject)
    except TomlError as exc:
        raise ConfigError(f"{pyproject}: {exc}") from None
    tool = data.get("tool", {})
    table = tool.get("halluc-check", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.halluc-check] must be a table")
    try:
        return from_mapping(table, root=pyproject.parent.resolve())
    except ConfigError as exc:
        raise ConfigError(f"{pyproject}: {exc}") from None
