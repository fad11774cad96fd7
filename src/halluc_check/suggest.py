"""A missing name and the real names around it -> the closest real names ("did you mean")."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def close_names(name: str, candidates: Iterable[str], *, limit: int = 3) -> list[str]:
    """Real names that ``name`` was most likely meant to be, best first.

    A case- and underscore-insensitive match (``Filters`` / ``filters``) ranks first, then
    difflib's ratio with a cutoff of 0.75, then real names the invented one starts with
    (``json`` for ``json_data``).
    Private names are only offered for a private ``name``.
    """
    pool = {c for c in candidates if c and c != name}
    if not name.startswith("_"):
        pool = {c for c in pool if not c.startswith("_")}
    folded = _fold(name)
    exact = sorted(c for c in pool if _fold(c) == folded)
    ranked = difflib.get_close_matches(name, sorted(pool), n=limit + len(exact), cutoff=0.75)
    # `json_data` for `json`, `read` for `readAll`: the real name is the head of the invented one
    heads = sorted(
        (c for c in pool if len(c) >= 3 and _fold(name).startswith(_fold(c))),
        key=len,
        reverse=True,
    )
    # `iteritems` for `items`: or its tail
    tails = sorted(
        (c for c in pool if len(c) >= 4 and _fold(name).endswith(_fold(c))),
        key=len,
        reverse=True,
    )
    ordered = list(dict.fromkeys([*exact, *ranked, *heads, *tails]))
    return ordered[:limit]


def _fold(name: str) -> str:
    return name.replace("_", "").lower()


def nearest_names(name: str, candidates: Iterable[str], *, limit: int = 12) -> list[str]:
    """Up to ``limit`` real names ordered by closeness to ``name``, without a cutoff.

    The did-you-mean names of :func:`close_names` come first, then every other candidate by
    difflib's ratio on case- and underscore-folded names (ties by name). Private names are only
    offered for a private ``name``. Meant as facts for a reader choosing a replacement (a model
    repairing the code), not as a suggestion to apply.
    """
    pool = {c for c in candidates if c and c != name}
    if not name.startswith("_"):
        pool = {c for c in pool if not c.startswith("_")}
    best = close_names(name, pool, limit=limit)
    folded = _fold(name)
    matcher = difflib.SequenceMatcher(b=folded, autojunk=False)

    def closeness(candidate: str) -> float:
        matcher.set_seq1(_fold(candidate))
        return matcher.ratio()

    rest = sorted(pool - set(best), key=lambda c: (-closeness(c), c))
    return [*best, *rest][:limit]
