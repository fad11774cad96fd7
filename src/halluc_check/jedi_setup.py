"""jedi settings and patches that keep inference static, deterministic and safe.

* Compiled modules are introspected by jedi in a subprocess of the target interpreter, which
  *imports* them: an installed typo-squat would run. Only stdlib modules may be loaded that way;
  everything else is resolved from source and stubs, or stays unknown.
* ``typing.Self`` is bound by jedi to the declaring class (``Path.parent`` becomes ``PurePath``),
  which invents missing attributes; an unresolved ``Self`` is safer.
* Star imports under ``if sys.version_info`` branches that cannot run are not followed.
* Stub files hide private names from jedi, which breaks the resolution of typeshed's own
  base classes.
* Dynamic parameter inference guesses types of unannotated parameters from call sites.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import jedi
import jedi.inference.compiled as jedi_compiled
from jedi.inference.base_value import NO_VALUES, ValueSet
from jedi.inference.cache import inference_state_method_cache
from jedi.inference.filters import ParserTreeFilter
from jedi.inference.flow_analysis import UNREACHABLE, reachability_check
from jedi.inference.gradual import annotation as jedi_annotation
from jedi.inference.gradual import typing as jedi_typing
from jedi.inference.gradual.stub_value import StubFilter
from jedi.inference.imports import Importer
from jedi.inference.value.module import ModuleMixin, ModuleValue

_lock = threading.Lock()
_allowed_compiled: set[str] = set()
_original_load_module: Callable[..., Any] | None = None


def _safe_load_module(inference_state: Any, dotted_name: str, **kwargs: Any) -> Any:
    if dotted_name.split(".", 1)[0] not in _allowed_compiled:
        return None
    assert _original_load_module is not None
    return _original_load_module(inference_state, dotted_name=dotted_name, **kwargs)


_SELF_ANNOTATIONS = frozenset({"Self", "typing.Self", "typing_extensions.Self"})
_original_return_types: Callable[..., Any] | None = None


def _unresolved_self(self: Any, context: Any) -> Any:
    return NO_VALUES


_original_stub_reachable: Callable[..., bool] | None = None


def _stub_name_reachable(self: Any, name: Any) -> bool:
    """Private names of a stub are reachable; plain (non-``as``) imports still are not.

    jedi hides private stub names to keep completions tidy, which breaks inference (``io.pyi``
    bases its classes on ``_io._TextIOBase``) and makes real names like ``sys._getframe`` look
    missing. Plain imports stay hidden: ``collections.pyi`` imports ``Mapping`` for its own
    annotations, and ``collections.Mapping`` is gone at run time.
    """
    assert _original_stub_reachable is not None
    if _original_stub_reachable(self, name):
        return True
    value = name.value
    if not value.startswith("_") or not ParserTreeFilter._is_name_reachable(self, name):
        return False
    definition = name.get_definition()
    return definition is not None and definition.type not in ("import_from", "import_name")


@inference_state_method_cache([])  # type: ignore[untyped-decorator]
def _reachable_star_imports(self: Any) -> list[Any]:
    """Star imports of a module, minus those in branches that cannot run on the target.

    typeshed writes ``if sys.version_info >= (3, 10): from x import (...) else: from y import *``;
    jedi follows the star import regardless, so ``collections.Mapping`` would look alive on 3.11.
    """
    modules: list[Any] = []
    context = self.as_context()
    for imp in self.tree_node.iter_imports():
        if not imp.is_star_import():
            continue
        if reachability_check(context, self.tree_node, imp) is UNREACHABLE:
            continue
        followed = Importer(
            self.inference_state, imp.get_paths()[-1], context, level=imp.level
        ).follow()
        for module in followed:
            if isinstance(module, ModuleValue):
                modules += module.star_imports()
        modules += followed
    return modules


def _return_types_with_self(function: Any, arguments: Any) -> Any:
    """``-> Self`` on a bound call returns the receiving instance itself (its real class)."""
    try:
        annotation = function.tree_node.annotation
    except AttributeError:
        annotation = None
    if annotation is not None and annotation.get_code().strip() in _SELF_ANNOTATIONS:
        try:
            _, receiver = next(iter(arguments.unpack()))
            values = receiver.infer()
        except Exception:
            return NO_VALUES
        return ValueSet.from_sets(
            v.execute_with_values() if v.is_class() else ValueSet([v]) for v in values
        )
    assert _original_return_types is not None
    return _original_return_types(function, arguments)


def configure(stdlib_names: frozenset[str] | set[str], cache_directory: str | None = None) -> None:
    """Apply the settings once per process; later calls only widen the stdlib allow-list."""
    global _original_load_module, _original_return_types, _original_stub_reachable
    with _lock:
        _allowed_compiled.update(stdlib_names)
        _allowed_compiled.add("builtins")
        if _original_load_module is None:
            _original_load_module = jedi_compiled.load_module
            jedi_compiled.load_module = _safe_load_module
            jedi_typing.SelfClass.execute_annotation = _unresolved_self
            _original_return_types = jedi_annotation.infer_return_types
            jedi_annotation.infer_return_types = _return_types_with_self
            ModuleMixin.star_imports = _reachable_star_imports
            _original_stub_reachable = StubFilter._is_name_reachable
            StubFilter._is_name_reachable = _stub_name_reachable
            jedi.settings.dynamic_params = False
            jedi.settings.dynamic_params_for_other_modules = False
            jedi.settings.auto_import_modules = []
        if cache_directory:
            jedi.settings.cache_directory = cache_directory
