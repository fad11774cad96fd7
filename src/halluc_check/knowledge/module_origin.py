"""A top-level module name the target environment lacks -> where it could come from: the standard
library of another Python version, a well-known distribution on PyPI, a little-used one, nowhere.

Nothing is read until a module is missing: the standard-library tables (``stdlib_3.11.txt`` and
the differences in ``stdlib.toml``), the curated import names (``import_names.toml``) and the
package index are loaded on the first question.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..tomlfile import parse_toml
from .package_index import normalise, shipped

if TYPE_CHECKING:
    from .online import OnlineIndex

SUPPORTED = ((3, 10), (3, 11), (3, 12), (3, 13), (3, 14))
"""The Python versions whose standard library is known here."""


class Kind(str, enum.Enum):
    STDLIB_NEWER = "stdlib-newer"
    """In the standard library of a Python newer than the target."""
    STDLIB_REMOVED = "stdlib-removed"
    """Was in the standard library, removed before the target's version."""
    DISTRIBUTION = "distribution"
    """Provided by a well-known distribution (curated, or a popular one of the same name)."""
    OBSCURE = "obscure"
    """A distribution of the same name exists on PyPI, but it is little used."""
    UNKNOWN = "unknown"
    """No distribution on PyPI is known to provide it."""


@dataclass(frozen=True, slots=True)
class Origin:
    module: str
    kind: Kind
    distributions: tuple[str, ...] = ()
    """The providing distributions, the usual one first."""
    python: str | None = None
    """For the standard-library kinds: the version that added or removed the module (``3.11``)."""
    rank: int | None = None
    online: bool | None = None
    """For a name the snapshot does not know, asked of the package index (``--online``): True
    when it answered (the distribution is new, or it confirmed there is none), False when it did
    not (then nothing is known); None when it was not asked."""


def _data(name: str) -> bytes:
    return (resources.files("halluc_check.knowledge") / "data" / name).read_bytes()


@lru_cache(maxsize=1)
def _stdlib_tables() -> tuple[frozenset[str], dict[str, list[str]], dict[str, list[str]]]:
    base = frozenset(_data("stdlib_3.11.txt").decode("utf-8").split())
    table: dict[str, Any] = parse_toml(_data("stdlib.toml").decode("utf-8"))
    return base, dict(table.get("added", {})), dict(table.get("removed", {}))


def _version(text: str) -> tuple[int, int]:
    major, minor = text.split(".")
    return int(major), int(minor)


@lru_cache(maxsize=8)
def stdlib_names(version: tuple[int, int]) -> frozenset[str]:
    """The top-level standard-library modules of Python ``version`` (3.10 to 3.14)."""
    base, added, removed = _stdlib_tables()
    names = set(base)
    for when, modules in added.items():
        if _version(when) > (3, 11) and _version(when) <= version:
            names.update(modules)
        elif _version(when) <= (3, 11) and _version(when) > version:
            names.difference_update(modules)
    for when, modules in removed.items():
        if _version(when) <= version:
            names.difference_update(modules)
        # removed after 3.11: still present in 3.11's list, nothing to add back
    return frozenset(names)


def stdlib_change(module: str, version: tuple[int, int]) -> tuple[Kind, str] | None:
    """Whether ``module`` is standard library in another supported Python than ``version``:
    (STDLIB_NEWER, first version having it) or (STDLIB_REMOVED, version that removed it)."""
    if module in stdlib_names(version):
        return None
    for other in SUPPORTED:
        if other > version and module in stdlib_names(other):
            return Kind.STDLIB_NEWER, f"{other[0]}.{other[1]}"
    _, _, removed = _stdlib_tables()
    for when, modules in sorted(removed.items(), key=lambda item: _version(item[0])):
        if module in modules and _version(when) <= version:
            return Kind.STDLIB_REMOVED, when
    return None


@lru_cache(maxsize=1)
def curated() -> dict[str, tuple[str, ...]]:
    """Import name -> the distributions providing it, for names that differ (``yaml``: PyYAML)."""
    table: dict[str, Any] = parse_toml(_data("import_names.toml").decode("utf-8"))
    return {module: tuple(dists) for module, dists in table.get("modules", {}).items()}


def trivial_distribution(module: str) -> str | None:
    """The distribution named like the module (``flask_sqlalchemy`` -> ``flask-sqlalchemy``), when
    one is on PyPI. Only lower-case names: imports are case-sensitive, ``ConfigParser`` is not
    the ``configparser`` backport."""
    if module != module.lower():
        return None
    name = normalise(module)
    return name if shipped().exists(name) else None


def origin_of(module: str, version: tuple[int, int], online: OnlineIndex | None = None) -> Origin:
    """Where the top-level ``module``, missing from a target running Python ``version``, is from;
    with ``online``, a lower-case name the snapshot lacks is asked of the package index."""
    change = stdlib_change(module, version)
    if change is not None:
        return Origin(module, change[0], python=change[1])
    index = shipped()
    known = curated().get(module)
    if known:
        return Origin(module, Kind.DISTRIBUTION, known, rank=index.rank(known[0]))
    same = trivial_distribution(module)
    if same is None:
        if online is None or module != module.lower():
            return Origin(module, Kind.UNKNOWN)
        exists = online.exists(module)
        if exists:  # published after the snapshot: not among the popular ones
            return Origin(module, Kind.OBSCURE, (normalise(module),), online=True)
        return Origin(module, Kind.UNKNOWN, online=exists is not None)
    rank = index.rank(same)
    kind = Kind.DISTRIBUTION if rank is not None else Kind.OBSCURE
    return Origin(module, kind, (same,), rank=rank)
