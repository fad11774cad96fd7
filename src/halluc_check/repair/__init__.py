"""Check, then let a chat model repair its own code with the real API in hand; re-check; repeat.

The public surface of the repair loop: :func:`repair` / :func:`arepair` for code that exists,
:func:`generate` / :func:`agenerate` for a task to write code for.
"""

from __future__ import annotations

from .driver import agenerate, arepair, generate, repair
from .extract import extract_code
from .results import RepairError, RepairResult, Round, Usage, unified_diff

__all__ = [
    "RepairError",
    "RepairResult",
    "Round",
    "Usage",
    "agenerate",
    "arepair",
    "extract_code",
    "generate",
    "repair",
    "unified_diff",
]
