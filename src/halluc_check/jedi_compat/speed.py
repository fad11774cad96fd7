"""jedi's slow paths -> the same answers, faster: name indexes, skipped bindings, lazy parsing.

Each replacement answers what jedi answers; the rows that install them are in
:mod:`~halluc_check.jedi_compat.patches`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import jedi
from jedi.inference.context import CompForContext, TreeContextMixin
from jedi.inference.filters import AbstractFilter
from jedi.inference.gradual.base import GenericClass
from jedi.inference.gradual.type_var import TypeVar
from jedi.inference.value.module import ModuleValue
from jedi.parser_utils import get_cached_code_lines, is_scope
from parso.utils import python_bytes_to_unicode, split_lines

from .originals import Original

ANNOTATED_CLASS = Original()
"""jedi's ``TreeInstance._get_annotated_class_object``."""
SELF_ATTRIBUTE_FILTER = Original()
"""jedi's ``jedi.inference.value.instance.SelfAttributeFilter`` (a class)."""
JEDI_CREATE_CONTEXT: Callable[[Any, Any], Any] = TreeContextMixin.create_context
"""jedi's own ``TreeContextMixin.create_context``, which :func:`create_context` replaces (the
tests compare the two)."""


class _NameIndex:
    """Per parse tree: names in ``global`` statements, and names with an annotated assignment."""

    def __init__(self, used_names: Mapping[str, list[Any]]) -> None:
        self.in_global: dict[str, tuple[Any, ...]] = {}
        self.annotated: set[str] = set()
        for key, names in used_names.items():
            found = tuple(name for name in names if name.parent.type == "global_stmt")
            if found:
                self.in_global[key] = found
            for name in names:
                parent = name.parent
                if parent.type == "expr_stmt" and parent.children[1].type == "annassign":
                    self.annotated.add(key)
                    break


def _name_index(used_names: Any) -> _NameIndex:
    """The index of a module's ``UsedNamesMapping``, stored on it (it lives as long as the tree)."""
    index: _NameIndex | None = getattr(used_names, "_halluc_index", None)
    if index is None:
        index = _NameIndex(used_names)
        used_names._halluc_index = index
    return index


def global_names_get(self: Any, name: str) -> Any:
    """``GlobalNameFilter.get``: the names of ``global`` statements, from the index."""
    return self._convert_names(_name_index(self._used_names).in_global.get(name, ()))


class _UsedNamesSkippingOnce(Mapping[str, list[Any]]):
    """Stands in for a module's used names until the first access, then puts the real ones back.

    ``tree_name_to_values`` starts by scanning every use of the looked-up name for an annotated
    assignment. When the index shows there is none, that one ``get`` answers with no names; any
    other first access is answered in full, so the worst case is the original (slow) scan.
    """

    def __init__(self, module: Any, real: Any, skipped: str) -> None:
        self._module, self._real, self._skipped = module, real, skipped

    def _restore(self) -> Any:
        if self._module._used_names is self:
            self._module._used_names = self._real
        return self._real

    def get(self, key: str, default: Any = None) -> Any:
        real = self._restore()
        return default if key == self._skipped else real.get(key, default)

    def __getitem__(self, key: str) -> list[Any]:
        return self._restore()[key]  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[str]:
        return iter(self._restore())

    def __len__(self) -> int:
        return len(self._restore())


def real_used_names(module: Any) -> Any:
    """The module's used-names mapping itself, never the stand-in of a lookup in progress."""
    used = module.get_used_names()
    return used._restore() if isinstance(used, _UsedNamesSkippingOnce) else used


class IndexedLookups:
    """A jedi plugin: ``tree_name_to_values`` skips the annotation scan the index rules out."""

    @staticmethod
    def tree_name_to_values(callback: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(inference_state: Any, context: Any, tree_name: Any) -> Any:
            module = context.get_root_context().tree_node
            if module is None or getattr(module, "type", None) != "file_input":
                return callback(inference_state, context, tree_name)
            real = module.get_used_names()
            if tree_name.value in _name_index(real).annotated:
                return callback(inference_state, context, tree_name)
            module._used_names = _UsedNamesSkippingOnce(module, real, tree_name.value)
            try:
                return callback(inference_state, context, tree_name)
            finally:
                if module._used_names is not real:
                    module._used_names = real

        return wrapper


def annotated_class_if_generic(self: Any) -> Any:
    """jedi binds an instance's type variables by matching the constructor call against every
    ``__init__`` signature, inferring each argument; for a class with no type variables the
    binding changes nothing, and it cost almost half of all inference time."""
    try:
        generic = bool(self.class_value.list_type_vars())
    except Exception:
        generic = True
    if not generic or fully_parametrized(self.class_value):
        return None
    return ANNOTATED_CLASS.function(self)


def fully_parametrized(class_value: Any) -> bool:
    """``dict[str, int]`` from an annotation: every type variable is given, so there is nothing
    left for the constructor's arguments to bind (a sixth of the time went to trying)."""
    if not isinstance(class_value, GenericClass):
        return False
    try:
        generics = class_value.get_generics()
    except Exception:
        return False
    return all(values and not any(isinstance(v, TypeVar) for v in values) for values in generics)


class _NoNames(AbstractFilter):  # type: ignore[misc]
    """A filter that finds nothing."""

    def get(self, name: Any) -> list[Any]:
        return []

    def values(self) -> list[Any]:
        return []


_NO_NAMES = _NoNames()


def self_attribute_filter(
    instance: Any, instance_class: Any, node_context: Any, origin_scope: Any
) -> Any:
    """jedi's filter of ``self.name = ...`` stores, one per class of an instance's MRO, asked
    before any class body; a stub's methods have no bodies, so its classes store nothing (and
    typeshed's ``dict`` alone has nine classes in its MRO)."""
    if node_context.get_root_context().is_stub():
        return _NO_NAMES
    return SELF_ATTRIBUTE_FILTER.function(instance, instance_class, node_context, origin_scope)


class _ParsedOnFirstUse:
    """A module attribute (``tree_node``, ``code_lines``) worked out when first read, then kept
    in the instance's dict, where later reads find it without this descriptor."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, module: Any, owner: type | None = None) -> Any:
        if module is None:
            return self
        module._fill(self.name)
        return module.__dict__[self.name]


class LazyModuleValue(ModuleValue):  # type: ignore[misc]
    """A source module parsed only when its tree is read.

    jedi imports a module's source before looking for its stub, and then answers from the stub:
    ``import ssl`` parsed (and pickled) ``ssl.py`` as well as ``ssl.pyi``. The source of a stub
    module is read only when the stub lacks a name, so most stdlib sources are never parsed.
    """

    tree_node = _ParsedOnFirstUse()
    code_lines = _ParsedOnFirstUse()

    def __init__(
        self, inference_state: Any, file_io: Any, string_names: Any, is_package: bool
    ) -> None:
        super().__init__(
            inference_state,
            None,
            None,
            file_io=file_io,
            string_names=string_names,
            is_package=is_package,
        )
        del self.tree_node, self.code_lines  # the instance's None; the descriptors fill them

    def _fill(self, name: str) -> None:
        if name == "code_lines" and "tree_node" not in self.__dict__:
            # a package's ``__path__`` reads the first lines: no parse needed for those
            code = python_bytes_to_unicode(self.file_io.read(), errors="replace")
            self.__dict__["code_lines"] = split_lines(code, keepends=True)
            return
        node = self.inference_state.parse(
            file_io=self.file_io,
            cache=True,
            diff_cache=jedi.settings.fast_parser,
            cache_path=jedi.settings.cache_directory,
        )
        self.__dict__["tree_node"] = node
        self.__dict__["code_lines"] = get_cached_code_lines(
            self.inference_state.grammar, self.file_io.path
        )


def load_module_lazily(
    inference_state: Any, file_io: Any, import_names: Any = None, is_package: bool = False
) -> Any:
    """``jedi.inference.imports._load_python_module``, parsing the source when it is read."""
    return LazyModuleValue(inference_state, file_io, import_names, is_package)


_COMPREHENSIONS = ("comp_for", "sync_comp_for")


def create_context(self: Any, node: Any) -> Any:
    """jedi's ``TreeContextMixin.create_context``, the context a node's names live in, without
    its two closures: one calls itself, so every call (several per inferred name) left a cycle
    of garbage that only the cyclic collector could free."""
    scope_node = _parent_scope(node)
    if scope_node.type in ("funcdef", "classdef"):
        colon = scope_node.children[scope_node.children.index(":")]
        if node.start_pos < colon.start_pos:
            # a decorator, base class, default or annotation: the enclosing scope's, but a
            # parameter's name is the function's
            parent = node.parent
            if not (parent.type == "param" and parent.name == node):
                scope_node = _parent_scope(scope_node)
    return _context_of_scope(self, node, scope_node)


def _context_of_scope(context: Any, node: Any, scope_node: Any) -> Any:
    if scope_node == context.tree_node:
        return context
    if scope_node.type in ("funcdef", "lambdef", "classdef"):
        return context.create_value(scope_node).as_context()
    if scope_node.type in _COMPREHENSIONS:
        outer = _context_of_scope(context, node, _parent_scope(scope_node.parent))
        if node.start_pos >= scope_node.children[-1].start_pos:
            return outer  # the iterable of the first `for` is evaluated outside
        return CompForContext(outer, scope_node)
    raise Exception(f"There's a scope that was not managed: {scope_node}")


def _parent_scope(node: Any) -> Any:
    """The scope around ``node``: a function, class, lambda, module or comprehension."""
    while True:
        node = node.parent
        if is_scope(node):
            return node
        if node.type in ("argument", "testlist_comp"):
            if node.children[1].type in _COMPREHENSIONS:
                return node.children[1]
        elif node.type == "dictorsetmaker":
            for child in node.children[1:4]:
                # in a dict comprehension the `for` can follow a key and a value
                if child.type in _COMPREHENSIONS:
                    return child
