"""A count of the exceptions from jedi that the engine caught and turned into "unknown"."""

from __future__ import annotations

_count = 0


def note_failure() -> None:
    """Called where an exception from jedi is caught: the file's shared state is not kept."""
    global _count
    _count += 1


def failure_count() -> int:
    """How many exceptions from jedi were caught in this process so far."""
    return _count
