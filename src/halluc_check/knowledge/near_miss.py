"""A distribution name -> the popular distribution it is a near miss of, and how it differs.

A near miss is what typosquatters register and what models misremember: a popular name with a
``python-``/``py-`` prefix or a ``-py``/``-python``/``-api``/``-sdk`` suffix added, its separators
dropped or moved (``python-telegrambot``), or one or two edits away (``reqeusts``). Popular names
never count as near misses of each other: the ranked distributions of the index are trusted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from .package_index import PackageIndex, normalise, shipped

PREFIXES = ("python-", "py-", "python3-")
SUFFIXES = ("-py", "-python", "-python3", "-api", "-sdk")
EDIT_POOL = 5000
"""Only the most downloaded distributions are compared by edit distance: the intended name
must be much more popular than the near miss for the guess to mean anything."""


@dataclass(frozen=True, slots=True)
class NearMiss:
    intended: str
    """The popular distribution's normalised name."""
    how: str
    """``one edit away``, ``a `python-` prefix added``, ``separators differ`` ..."""
    rank: int


@dataclass(frozen=True, slots=True)
class _Pool:
    ranks: dict[str, int]
    squashed: dict[str, str]
    by_length: dict[int, tuple[str, ...]]


@lru_cache(maxsize=4)
def _pool(index: PackageIndex) -> _Pool:
    ranks = index.ranks()
    squashed: dict[str, str] = {}
    by_length: dict[int, list[str]] = defaultdict(list)
    for name, rank in sorted(ranks.items(), key=lambda item: item[1]):
        squashed.setdefault(name.replace("-", ""), name)
        if rank <= EDIT_POOL:
            by_length[len(name)].append(name)
    return _Pool(ranks, squashed, {k: tuple(v) for k, v in by_length.items()})


def near_miss(name: str, index: PackageIndex | None = None) -> NearMiss | None:
    """The popular distribution ``name`` most likely stands for, if it is a near miss of one;
    None for a popular name itself and for names unlike any popular one."""
    index = index or shipped()
    pool = _pool(index)
    key = normalise(name)
    if key in pool.ranks:
        return None
    for intended, how in _affixed(key, pool):
        return NearMiss(intended, how, pool.ranks[intended])
    squashed = pool.squashed.get(key.replace("-", ""))
    if squashed is not None:
        return NearMiss(squashed, "separators differ", pool.ranks[squashed])
    limit = 1 if len(key) < 9 else 2
    if len(key) < 5:
        return None  # short names are all a few edits from some popular one
    best: tuple[int, int, str] | None = None
    for length in range(len(key) - limit, len(key) + limit + 1):
        for candidate in pool.by_length.get(length, ()):
            distance = edit_distance(key, candidate, limit)
            if distance <= limit and (best is None or (distance, pool.ranks[candidate]) < best[:2]):
                best = (distance, pool.ranks[candidate], candidate)
    if best is None:
        return None
    how = "one edit away" if best[0] == 1 else "two edits away"
    return NearMiss(best[2], how, best[1])


def _affixed(key: str, pool: _Pool) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for prefix in PREFIXES:
        rest = key.removeprefix(prefix)
        if rest != key and rest in pool.ranks:
            found.append((rest, f"a `{prefix}` prefix added"))
    for suffix in SUFFIXES:
        rest = key.removesuffix(suffix)
        if rest != key and rest in pool.ranks:
            found.append((rest, f"a `{suffix}` suffix added"))
    return found


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (insertions, deletions, substitutions, adjacent
    transpositions), or ``limit + 1`` as soon as it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[len(b)]
