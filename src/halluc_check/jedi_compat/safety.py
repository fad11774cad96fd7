"""A compiled module's name -> whether jedi may introspect it: only the stdlib's.

jedi introspects compiled modules in a subprocess of the target interpreter, which *imports*
them: an installed typo-squat would run. Everything that is not the stdlib is resolved from
source and stubs, or stays unknown.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from .extension_sources import source_module
from .originals import Original

_lock = threading.Lock()
_allowed_compiled: set[str] = {"builtins"}
LOAD_MODULE = Original()
"""jedi's ``jedi.inference.compiled.load_module``."""


def allow_compiled(names: Iterable[str]) -> None:
    """Add top-level module names (the target's stdlib) to those jedi may introspect."""
    with _lock:
        _allowed_compiled.update(names)


def safe_load_module(inference_state: Any, dotted_name: str, **kwargs: Any) -> Any:
    """``load_module`` for an allowed (stdlib) module; for any other, the source it was compiled
    from when that is installed beside it (see :mod:`.extension_sources`), else nothing."""
    if dotted_name.split(".", 1)[0] not in _allowed_compiled:
        sys_path = kwargs.get("sys_path") or ()
        return source_module(inference_state, dotted_name, sys_path)
    return LOAD_MODULE.function(inference_state, dotted_name=dotted_name, **kwargs)
