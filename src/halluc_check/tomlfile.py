"""TOML files (``pyproject.toml``, migration tables) read with every failure as one line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class TomlError(ValueError):
    """Why a TOML file cannot be used, in one line, without the file's path."""


def read_toml(path: Path) -> dict[str, Any]:
    """The tables of the TOML file at ``path``."""
    try:
        with open(path, "rb") as fh:
            data: dict[str, Any] = tomllib.load(fh)
            return data
    except OSError as exc:
        raise TomlError(f"cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise TomlError(f"invalid TOML: {' '.join(str(exc).split())}") from None
    except UnicodeDecodeError as exc:
        raise TomlError(f"invalid TOML: not UTF-8 (byte {exc.start})") from None


def parse_toml(text: str) -> dict[str, Any]:
    data: dict[str, Any] = tomllib.loads(text)
    return data
