"""The target's stdlib names -> jedi and parso patched and set up, once per process.

What is changed in jedi and parso, and why, is the table in
:mod:`~halluc_check.jedi_compat.patches`: inference is kept static (nothing of the target is
imported), deterministic (guesses become unknowns) and fast. Applying it checks every target
first: a jedi or parso release that renamed or reshaped one stops the start-up with one line
(:class:`~halluc_check.jedi_compat.failures.IncompatibleJedi`).
"""

from __future__ import annotations

import threading
from typing import Any

import jedi

from . import patches, safety
from .helper_answers import SIMPLE_OBJECTS
from .rows import Patch, Purpose

_lock = threading.Lock()
_applied = False


def configure(stdlib_names: frozenset[str] | set[str], cache_directory: str | None = None) -> None:
    """Apply the patches once per process; later calls only widen the stdlib allow-list.

    Raises :class:`~halluc_check.jedi_compat.failures.IncompatibleJedi` when the installed jedi or
    parso does not fit a patch. The replacement functions count the ``TypeError`` and
    ``AttributeError`` their own code raises, and with ``HALLUC_CHECK_STRICT_PATCHES=1`` (the
    test suite) raise them (:func:`~halluc_check.jedi_compat.failures.note_patch_error`)."""
    global _applied
    with _lock:
        safety.allow_compiled(stdlib_names)
        if not _applied:
            patches.apply(patches.PATCHES)
            _applied = True
        if cache_directory:
            where = Patch(
                jedi.settings,
                "cache_directory",
                cache_directory,
                Purpose.ROBUSTNESS,
                "The parse cache is kept where the caller says.",
            )
            patches.apply((where,))


def release_state(state: Any) -> None:
    """Empty the caches of an inference state that is no longer needed.

    The state and the values it caches refer to each other, so dropping the state leaves it all
    to the cyclic collector, which first traces every cached entry (millions of objects over a
    run). Emptying the caches frees most of it at once, by reference counting."""
    state.memoize_cache.clear()
    state.module_cache._name_cache.clear()
    for cache in (
        state.stub_module_cache,
        state.compiled_cache,
        state.mixed_cache,
        state.access_cache,
        state.inferred_element_counts,
        state.__dict__.get(SIMPLE_OBJECTS, {}),
    ):
        cache.clear()
