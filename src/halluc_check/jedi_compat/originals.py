"""A patch's original -> kept where its replacement calls it."""

from __future__ import annotations

from typing import Any


def _not_patched(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("the patch that keeps this original is not applied")


class Original:
    """The function (or class) of jedi or parso that a patch replaced, for the replacement to
    call; filled when the patch is applied (see :mod:`~halluc_check.jedi_compat.patches`)."""

    __slots__ = ("function",)

    def __init__(self) -> None:
        self.function: Any = _not_patched
