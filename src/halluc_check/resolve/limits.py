"""A jedi inference state -> fresh recursion counters for the next question asked of it."""

from __future__ import annotations

from typing import Any


def reset_limits(state: Any) -> None:
    """jedi stops inferring a node after 300 inferences per Script, and caches what hit a
    recursion limit: both make results depend on what was asked before. Start each question
    with fresh counters."""
    state.reset_recursion_limitations()
    state.inferred_element_counts.clear()
