"""A standard-library module jedi resolved to -> what the target interpreter says of a name on it.

The static reading of a module (its stub, its source) cannot close every namespace: ``typing``
writes its own globals (``typing.override``, 3.12's, was then never reported on 3.11), a star
import may not be followed. For a module of the target's standard library, the namespace the
interpreter itself has (:mod:`~halluc_check.target.stdlib_namespaces`) settles the name: in it,
the name exists; absent from it, from its submodules and from what its ``__getattr__`` can serve,
it is missing. A module of the checked project or of site-packages, even under a standard
library name, is never asked about.
"""

from __future__ import annotations

import os
from typing import Any

from jedi.inference.gradual import typeshed as jedi_typeshed

from ..jedi_compat.failures import note_failure
from ..target.environment import TargetEnvironment
from ..target.stdlib_namespaces import ModuleNamespace, StdlibNamespaces
from .tree_reading import getattr_producible, module_level_getattr
from .values import string_names, value_path

_TYPESHED_STDLIB = os.path.realpath(jedi_typeshed.TYPESHED_PATH / "stdlib") + os.sep

OVERRULED = frozenset(
    {"module writes its own globals", "module source unavailable"}
    | {"star import that cannot be followed", "star import of a compiled module"}
)
"""Why the static reading (:meth:`.openness.Openness.module`) keeps a module open that the
interpreter's namespace overrules: what the module's import wrote and brought in is in it.
Any other reason stands: a namespace package's portions may lie anywhere on the path, a
``__getattr__`` may serve any name, and what a function writes into ``globals()`` later is not
in ``dir()`` yet."""


class StdlibEvidence:
    """What the target's standard library says of names on modules jedi resolved to."""

    def __init__(self, env: TargetEnvironment, namespaces: StdlibNamespaces) -> None:
        self.env = env
        self.namespaces = namespaces

    def namespace(self, module: Any, candidates: list[Any]) -> ModuleNamespace | None:
        """The target's namespace of ``module`` (``candidates``: it and its non-stub
        counterparts), or None when it is not the standard library's own module."""
        dotted = ".".join(string_names(module))
        if not self.namespaces.is_askable(dotted):
            return None
        if not all(self._is_stdlib_value(value) for value in candidates):
            return None
        return self.namespaces.get(dotted)

    def _is_stdlib_value(self, value: Any) -> bool:
        """A module read from the standard library's folders, typeshed's stubs of it, or the
        interpreter's own compiled module: never the checked project's or site-packages'."""
        if value.is_compiled():
            names = string_names(value)
            return bool(names) and self.env.is_stdlib(names[0])
        path = value_path(value)
        if not path:
            return False
        if value.is_stub():
            return os.path.realpath(path).startswith(_TYPESHED_STDLIB)
        return self.env.is_stdlib_path(path)

    def verdict(
        self, module: Any, candidates: list[Any], name: str, static_reason: str | None
    ) -> tuple[bool, str] | None:
        """``(exists, note)`` for ``name`` on ``module`` as the target has it: ``exists`` False
        only where the namespace is closed without it; None when the target does not say (not
        the standard library, not importable, no answer) or the static reading's reason to keep
        the module open stands (one not in :data:`OVERRULED`)."""
        namespace = self.namespace(module, candidates)
        if namespace is None:
            return None
        if namespace.has(name):
            return True, ""
        if namespace.open_reason or (static_reason and static_reason not in OVERRULED):
            return None
        if namespace.module_getattr:
            served = _getattr_serves(candidates)
            if served is None or name in served:
                return None
        return False, f"not in {namespace.described}"


def _getattr_serves(candidates: list[Any]) -> set[str] | None:
    """The names the module-level ``__getattr__`` of the module's source can serve; None when
    it may serve any name, or when no source shows it."""
    served: set[str] = set()
    seen = False
    for value in candidates:
        if value.is_stub() or value.is_compiled():
            continue
        try:
            node = value.tree_node
        except Exception:
            note_failure()
            return None
        for funcdef in module_level_getattr(node):
            seen = True
            names = getattr_producible(funcdef, node)
            if names is None:
                return None
            served |= names
    return served if seen else None
