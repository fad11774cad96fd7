"""How jedi and its patches fail -> exception types, and counts of the exceptions caught around
jedi: those turned into "unknown", and those a patch's own code raised."""

from __future__ import annotations

import os

STRICT_PATCHES_VARIABLE = "HALLUC_CHECK_STRICT_PATCHES"
"""Set to ``1``, a patch whose own code raises ``TypeError`` or ``AttributeError`` raises
:class:`PatchError` instead of letting the handlers around jedi turn it into "unknown"."""

_count = 0
_patch_errors = 0


class IncompatibleJedi(Exception):
    """The installed jedi or parso lacks what a patch changes, or has it in another shape (see
    :mod:`~halluc_check.jedi_compat.patches`); the message is one line."""


class PatchError(BaseException):
    """A patch of jedi or parso failed in its own code (strict mode only).

    Not an ``Exception``: the handlers around jedi catch ``Exception`` and answer "unknown", which
    is right for jedi's own failures and hides a patch that no longer fits jedi."""


def note_failure() -> None:
    """Called where an exception from jedi is caught: the file's shared state is not kept."""
    global _count
    _count += 1


def failure_count() -> int:
    """How many exceptions from jedi were caught in this process so far."""
    return _count


def strict_patches() -> bool:
    """Whether patch errors raise :class:`PatchError` (the test suite sets the variable)."""
    return os.environ.get(STRICT_PATCHES_VARIABLE) == "1"


def note_patch_error(patch: str, error: BaseException) -> None:
    """Count a ``TypeError``/``AttributeError`` raised by the code of ``patch``; in strict mode,
    raise it as a :class:`PatchError`."""
    global _patch_errors
    _patch_errors += 1
    if strict_patches():
        kind = type(error).__name__
        raise PatchError(f"patch {patch} raised {kind}: {error}") from error


def patch_error_count() -> int:
    """How many ``TypeError``/``AttributeError`` the patches' own code raised in this process."""
    return _patch_errors
