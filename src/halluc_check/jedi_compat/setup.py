"""jedi settings and patches that keep inference static, deterministic and safe.

* Compiled modules are introspected by jedi in a subprocess of the target interpreter, which
  *imports* them: an installed typo-squat would run. Only stdlib modules may be loaded that way;
  everything else is resolved from source and stubs, or stays unknown.
* ``typing.Self`` is bound by jedi to the declaring class (``Path.parent`` becomes ``PurePath``),
  which invents missing attributes; an unresolved ``Self`` is safer.
* Star imports under ``if sys.version_info`` branches that cannot run are not followed.
* Stub files hide private names from jedi, which breaks the resolution of typeshed's own
  base classes.
* Guesses become unknowns: an unannotated parameter's default value, docstring parameter types,
  an operator jedi cannot evaluate (it returns both operands), the union of overloads none of
  which matches the arguments.
* Dynamic parameter inference guesses types of unannotated parameters from call sites.
* Sources over 10 MB are cropped by jedi, so positions near their end did not exist for it.
* Two lookups scan every use of a name in the module: ``global`` statements and annotated
  assignments. A long module with a name used thousands of times made every lookup of it cost
  as much as the whole module; both are answered from an index built once per parse tree.
* An instance of a class without type variables, or of a generic whose parameters are all
  given (``dict[str, int]`` from an annotation), is not matched against every ``__init__``
  signature to bind them: there is nothing to bind, and the matching infers every argument.
* An instance's lookups do not ask its stub classes for ``self.name = ...`` stores: a stub's
  methods have no bodies.
* A module's source is parsed when its tree is first read, not when it is imported: jedi
  imports the source of every stdlib module before answering from its typeshed stub, and most
  of those sources were parsed (and pickled) for nothing.
* Where a module is found and what a literal is are asked of jedi's helper process once per
  process, not once per checked file; a module not found is looked for again, and one found
  is read from its file as it is now. A literal's value is made once per file, and its value
  is known without asking.
* Once a file is checked, its inference state's caches are emptied (:func:`release_state`), and
  ``create_context`` has no self-referencing closures: the garbage of a file is freed by
  reference counting instead of waiting for the cyclic collector.
* Python grammars parse with :class:`~halluc_check.jedi_compat.parso_parser.InlinedParser`: parso's parser
  loop written out, the same trees.
* Parse trees pickled on disk are written whole or not at all (a temporary file, then a rename),
  and a pickle that cannot be read is a cache miss: parallel workers and concurrent runs share
  the cache, and a half-written pickle read by another process made a library module unknown.
  A cache folder that cannot be written costs the pickles, not the check. A tree is pickled
  with the cyclic collector paused.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import jedi
import jedi.inference.compiled as jedi_compiled
import parso.cache as parso_cache
from jedi.file_io import FileIO, KnownContentFileIO
from jedi.inference import docstrings as jedi_docstrings
from jedi.inference import imports as jedi_imports
from jedi.inference import syntax_tree as jedi_syntax_tree
from jedi.inference.base_value import NO_VALUES, ValueSet
from jedi.inference.cache import inference_state_method_cache
from jedi.inference.compiled.subprocess import AccessHandle, InferenceStateSubprocess
from jedi.inference.context import CompForContext, TreeContextMixin
from jedi.inference.filters import AbstractFilter, GlobalNameFilter, ParserTreeFilter
from jedi.inference.flow_analysis import UNREACHABLE, reachability_check
from jedi.inference.gradual import annotation as jedi_annotation
from jedi.inference.gradual import typeshed as jedi_typeshed
from jedi.inference.gradual import typing as jedi_typing
from jedi.inference.gradual.base import GenericClass
from jedi.inference.gradual.stub_value import StubFilter
from jedi.inference.gradual.type_var import TypeVar
from jedi.inference.imports import Importer
from jedi.inference.names import AnonymousParamName
from jedi.inference.value import instance as jedi_instance
from jedi.inference.value import module as jedi_module_value
from jedi.inference.value.function import OverloadedFunctionValue
from jedi.inference.value.instance import TreeInstance
from jedi.inference.value.module import ModuleMixin, ModuleValue
from jedi.parser_utils import get_cached_code_lines, get_parent_scope, is_scope
from jedi.plugins import plugin_manager
from parso.utils import python_bytes_to_unicode, split_lines

from ..cache import replace_atomically
from . import parso_parser

LOG = logging.getLogger(__name__)
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
    """Private names of a stub are reachable; plain (non-``as``) imports only when the stub's
    ``__all__`` lists them, as the typing spec says.

    jedi hides private stub names to keep completions tidy, which breaks inference (``io.pyi``
    bases its classes on ``_io._TextIOBase``) and makes real names like ``sys._getframe`` look
    missing. Plain imports stay hidden: ``collections.pyi`` imports ``Mapping`` for its own
    annotations, and ``collections.Mapping`` is gone at run time. A name the stub exports
    through ``__all__`` is public even without ``as`` (numpy's ``__init__.pyi`` re-exports
    ``from numpy._core.multiarray import array, zeros, ...`` that way).
    """
    assert _original_stub_reachable is not None
    if _original_stub_reachable(self, name):
        return True
    if not ParserTreeFilter._is_name_reachable(self, name):
        return False
    definition = name.get_definition()
    if definition is None:
        return False
    if definition.type in ("import_from", "import_name"):
        module = name.get_root_node()
        return get_parent_scope(name) is module and name.value in _stub_exports(module)
    return bool(name.value.startswith("_"))


def _stub_exports(module: Any) -> frozenset[str]:
    """The string literals a stub module puts into ``__all__`` (``=``, ``+=``, ``.extend``,
    ``.append``, in any branch); stored on the module's used-names mapping, which lives as long
    as the tree."""
    used_names = _real_used_names(module)
    cached: frozenset[str] | None = getattr(used_names, "_halluc_exports", None)
    if cached is not None:
        return cached
    names: set[str] = set()
    for leaf in used_names.get("__all__", ()):
        if get_parent_scope(leaf) is not module:
            continue
        statement = leaf.parent
        if statement.type == "expr_stmt" and statement.children[0] is leaf:
            if len(statement.children) == 3 and statement.children[1].value in ("=", "+="):
                names |= _strings(statement.children[2])
        elif statement.type in ("power", "atom_expr") and len(statement.children) == 3:
            method, call = statement.children[1], statement.children[2]
            is_method = method.type == "trailer" and method.children[0] == "."
            is_call = call.type == "trailer" and call.children[0] == "("
            if is_method and is_call and method.children[1].value in ("extend", "append"):
                names |= _strings(call.children[1])
    result = frozenset(names)
    used_names._halluc_exports = result
    return result


def _strings(node: Any) -> set[str]:
    """Every string literal inside a literal list/tuple (or a single string)."""
    if node.type == "string":
        try:
            return {str(node._get_payload())}
        except Exception:
            return set()
    if node.type in ("atom", "testlist_comp", "testlist", "testlist_star_expr", "exprlist"):
        found: set[str] = set()
        for child in node.children:
            found |= _strings(child)
        return found
    return set()


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


_original_anonymous_param: Callable[..., Any] | None = None
_original_comparison: Callable[..., Any] | None = None
_original_comparison_sets: Callable[..., Any] | None = None
_BOOLEAN_OPERATORS = frozenset({"and", "or", "not", "if", "else"})


def _param_without_default_guess(self: Any) -> Any:
    """An unannotated parameter is not the type of its default value (``policy=compat32``)."""
    param = self._get_param_node()
    if param.default is not None and not param.star_count and param.annotation is None:
        return NO_VALUES
    assert _original_anonymous_param is not None
    return _original_anonymous_param(self)


def _no_docstring_params(function_value: Any, param: Any) -> Any:
    """Docstring parameter types describe what is accepted, loosely; they are not proof."""
    return NO_VALUES


def _comparison_without_guess(
    inference_state: Any, context: Any, left: Any, operator: Any, right: Any
) -> Any:
    """jedi answers an operator it cannot evaluate with both operands (``"%s" % args`` is a tuple)."""
    assert _original_comparison is not None
    result = _original_comparison(inference_state, context, left, operator, right)
    name = operator.value if hasattr(operator, "value") else str(operator)
    if name not in _BOOLEAN_OPERATORS and left in result and right in result and left != right:
        return NO_VALUES
    return result


def _comparison_sets_without_guess(
    context: Any, left_values: Any, operator: Any, right_values: Any
) -> Any:
    """With one operand unknown, jedi answers with the other one (``fmt % args`` is a tuple)."""
    assert _original_comparison_sets is not None
    name = operator if isinstance(operator, str) else str(operator.value)
    if name not in _BOOLEAN_OPERATORS and (not left_values or not right_values):
        return NO_VALUES
    return _original_comparison_sets(context, left_values, operator, right_values)


def _overloads_or_nothing(self: Any, arguments: Any) -> Any:
    """No overload matches: the union of all of them is a guess; an unresolvable one is unknown."""
    executions = []
    for signature in self.get_signatures():
        execution = signature.value.as_context(arguments)
        if signature.matches_signature(arguments):
            return execution.infer()
        executions.append(execution)
    results = [execution.infer() for execution in executions]
    if not results or any(not values for values in results):
        return NO_VALUES
    return ValueSet.from_sets(results)


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


def _generic_class_get(self: Any, instance: Any, class_value: Any) -> Any:
    """A parametrised class read as a class attribute (``DEFAULT_TYPE = CallbackContext[...]``)
    is no descriptor: it is itself. jedi's wrapper forwards ``py__get__`` to the bare class,
    which drops the type arguments (and with them what ``context.bot`` is)."""
    return ValueSet([self])


def _drop_stale_stub_aliases() -> None:
    """jedi reads ``_socket`` from ``socket.pyi`` (a shortcut from before typeshed had its own
    ``_socket.pyi``): ``class socket(_socket.socket)`` then bases itself on itself. A module
    with its own stub is read from that stub."""
    stdlib = jedi_typeshed.TYPESHED_PATH / "stdlib"
    for name in list(jedi_typeshed._IMPORT_MAP):
        if (stdlib / f"{name}.pyi").exists() or (stdlib / name / "__init__.pyi").exists():
            del jedi_typeshed._IMPORT_MAP[name]


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


def _global_names_get(self: Any, name: str) -> Any:
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


def _real_used_names(module: Any) -> Any:
    """The module's used-names mapping itself, never the stand-in of a lookup in progress."""
    used = module.get_used_names()
    return used._restore() if isinstance(used, _UsedNamesSkippingOnce) else used


class _IndexedLookups:
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


_original_pickle_load: Callable[..., Any] | None = None


def _load_pickled_tree(
    hashed_grammar: str, path: Any, p_time: float, cache_path: Any = None
) -> Any:
    """parso's load of a pickled tree, where a truncated or unreadable pickle is a miss."""
    assert _original_pickle_load is not None
    try:
        return _original_pickle_load(hashed_grammar, path, p_time, cache_path=cache_path)
    except Exception:
        LOG.debug("unreadable parse cache entry for %s: parsing again", path, exc_info=True)
        return None


def _save_pickled_tree(hashed_grammar: str, path: Any, item: Any, cache_path: Any = None) -> None:
    """parso's save of a pickled tree, made atomic: readers see the old file or the new one."""
    hashed_path: Callable[..., str] = parso_cache._get_hashed_path
    try:
        target = hashed_path(hashed_grammar, path, cache_path=cache_path)
        replace_atomically(target, _dumps_without_collections(item))
    except Exception:
        LOG.debug("parse cache entry for %s not written", path, exc_info=True)


def _dumps_without_collections(item: Any) -> bytes:
    """``pickle.dumps`` with the cyclic collector paused: pickling a tree makes a short-lived
    tuple per node, and each collection they set off rescans the whole tree, just parsed."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return pickle.dumps(item, pickle.HIGHEST_PROTOCOL)
    finally:
        if paused:
            gc.enable()


_original_cache_upkeep: Callable[..., Any] | None = None


def _cache_upkeep(cache_path: Any = None) -> Any:
    """parso's clean-up of old pickles after a save; a cache folder that cannot be written or
    read is no reason to stop checking."""
    assert _original_cache_upkeep is not None
    try:
        return _original_cache_upkeep(cache_path=cache_path)
    except OSError:
        LOG.debug("parse cache clean-up skipped", exc_info=True)
        return False


def _share_parse_cache_safely() -> None:
    global _original_pickle_load, _original_cache_upkeep
    _original_pickle_load = parso_cache._load_from_file_system
    _original_cache_upkeep = parso_cache._remove_cache_and_update_lock
    parso_cache._load_from_file_system = _load_pickled_tree
    parso_cache._save_to_file_system = _save_pickled_tree
    parso_cache._remove_cache_and_update_lock = _cache_upkeep


_original_annotated_class: Callable[..., Any] | None = None


def _annotated_class_if_generic(instance: Any) -> Any:
    """jedi binds an instance's type variables by matching the constructor call against every
    ``__init__`` signature, inferring each argument; for a class with no type variables the
    binding changes nothing, and it cost almost half of all inference time."""
    try:
        generic = bool(instance.class_value.list_type_vars())
    except Exception:
        generic = True
    if not generic or _fully_parametrized(instance.class_value):
        return None
    assert _original_annotated_class is not None
    return _original_annotated_class(instance)


def _fully_parametrized(class_value: Any) -> bool:
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
_original_self_attribute_filter: Callable[..., Any] | None = None


def _self_attribute_filter(
    instance: Any, instance_class: Any, node_context: Any, origin_scope: Any
) -> Any:
    """jedi's filter of ``self.name = ...`` stores, one per class of an instance's MRO, asked
    before any class body; a stub's methods have no bodies, so its classes store nothing (and
    typeshed's ``dict`` alone has nine classes in its MRO)."""
    if node_context.get_root_context().is_stub():
        return _NO_NAMES
    assert _original_self_attribute_filter is not None
    return _original_self_attribute_filter(instance, instance_class, node_context, origin_scope)


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


class _LazyModuleValue(ModuleValue):  # type: ignore[misc]
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


def _load_module_lazily(
    inference_state: Any, file_io: Any, import_names: Any = None, is_package: bool = False
) -> Any:
    return _LazyModuleValue(inference_state, file_io, import_names, is_package)


_original_state_getattr: Callable[..., Any] | None = None
#: questions to jedi's helper process whose answer depends only on their arguments
_SETTLED_QUESTIONS = frozenset({"safe_literal_eval", "get_module_info"})
_NOT_ASKED = object()


def _helper_question(self: Any, name: str) -> Any:
    """jedi's round trip to its helper process, answered from memory when asked before.

    Every checked file gets a fresh inference state, and each asked the helper again where
    every import is (``get_module_info``) and what every literal is (``safe_literal_eval``):
    thousands of round trips, a tenth of a run. A literal's value never changes; a module that
    was found is asked for again only when its file is gone, and "not found" is never
    remembered (a package installed meanwhile is found). Answered from memory, the question
    does not count as a use of the helper by this inference state."""
    assert _original_state_getattr is not None
    ask = _original_state_getattr(self, name)
    if name not in _SETTLED_QUESTIONS:
        return ask
    answers: dict[Any, Any] = self._compiled_subprocess.__dict__.setdefault("_halluc_answers", {})

    def remembered(*args: Any, **kwargs: Any) -> Any:
        key = (name, args, _frozen(kwargs))
        try:
            answer = answers.get(key, _NOT_ASKED)
        except TypeError:  # an argument that cannot be a key
            return ask(*args, **kwargs)
        if answer is not _NOT_ASKED:
            if name == "safe_literal_eval" or _still_there(answer):
                return answer
            del answers[key]
        answer = ask(*args, **kwargs)
        if name == "safe_literal_eval":
            answers[key] = answer
        elif answer[1] is not None and _still_there(answer):
            found = answer[0]
            if isinstance(found, KnownContentFileIO):
                # the module's text as it was then: remembered, it would hide later edits
                found = FileIO(found.path)
            answers[key] = (found, answer[1])
        return answer

    return remembered


def _frozen(kwargs: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in kwargs.items()))


def _still_there(module_info: Any) -> bool:
    """Whether a module found before is still where it was found."""
    path = getattr(module_info[0], "path", None)
    return path is None or os.path.exists(path)


_original_simple_object: Callable[..., Any] | None = None


def _simple_object_once(inference_state: Any, obj: Any) -> Any:
    """jedi's value of a literal (``'utf-8'``, ``0``), made once per inference state: each was
    a round trip to the helper process, then another to read it back."""
    assert _original_simple_object is not None
    objects: dict[Any, Any] = inference_state.__dict__.setdefault("_halluc_simple_objects", {})
    key = (type(obj), obj)
    try:
        return objects[key]
    except KeyError:
        value = objects[key] = _original_simple_object(inference_state, obj)
        _answer_safe_value(value, obj)
        return value
    except TypeError:  # a slice: not hashable
        return _original_simple_object(inference_state, obj)


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
        state.__dict__.get("_halluc_simple_objects", {}),
    ):
        cache.clear()


#: Types whose value jedi's helper process gives back as it is (``get_safe_value``).
_SAFE_VALUE_TYPES = (bool, bytes, float, int, str)
_CACHED_RESULTS = AccessHandle._cached_results.__wrapped__


def _answer_safe_value(value: Any, obj: Any) -> None:
    """A literal's value is the object it was made from: put it where jedi looks for the helper
    process's answers, instead of asking the helper for it (about one round trip in six)."""
    if type(obj) not in _SAFE_VALUE_TYPES:
        return
    handle = getattr(getattr(value, "_compiled_value", None), "access_handle", None)
    if not isinstance(handle, AccessHandle):
        return
    answers = handle.__dict__.setdefault("_memoize_method_dct", {}).setdefault(_CACHED_RESULTS, {})
    answers.setdefault((("get_safe_value",), frozenset()), obj)


_COMPREHENSIONS = ("comp_for", "sync_comp_for")
_jedi_create_context: Callable[[Any, Any], Any] = TreeContextMixin.create_context


def _create_context(self: Any, node: Any) -> Any:
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
            global _original_anonymous_param, _original_comparison
            _original_anonymous_param = AnonymousParamName.infer
            AnonymousParamName.infer = _param_without_default_guess
            jedi_docstrings.infer_param = _no_docstring_params
            _original_comparison = jedi_syntax_tree._infer_comparison_part
            jedi_syntax_tree._infer_comparison_part = _comparison_without_guess
            OverloadedFunctionValue.py__call__ = _overloads_or_nothing
            global _original_comparison_sets
            _original_comparison_sets = jedi_syntax_tree._infer_comparison
            jedi_syntax_tree._infer_comparison = _comparison_sets_without_guess
            _original_stub_reachable = StubFilter._is_name_reachable
            StubFilter._is_name_reachable = _stub_name_reachable
            GlobalNameFilter.get = _global_names_get
            plugin_manager.register(_IndexedLookups)
            # jedi crops sources over 10 MB; the positions asked about come from the whole file
            jedi.settings._cropped_file_size = sys.maxsize
            jedi.settings.dynamic_params = False
            jedi.settings.dynamic_params_for_other_modules = False
            jedi.settings.auto_import_modules = []
            _drop_stale_stub_aliases()
            GenericClass.py__get__ = _generic_class_get
            global _original_annotated_class
            _original_annotated_class = TreeInstance._get_annotated_class_object
            TreeInstance._get_annotated_class_object = _annotated_class_if_generic
            global _original_self_attribute_filter
            _original_self_attribute_filter = jedi_instance.SelfAttributeFilter
            jedi_instance.SelfAttributeFilter = _self_attribute_filter
            _share_parse_cache_safely()
            global _original_state_getattr, _original_simple_object
            _original_state_getattr = InferenceStateSubprocess.__getattr__
            InferenceStateSubprocess.__getattr__ = _helper_question
            _original_simple_object = jedi_compiled.create_simple_object
            for module in (jedi_compiled, jedi_module_value, jedi_typing):
                module.create_simple_object = _simple_object_once
            jedi_imports._load_python_module = _load_module_lazily
            TreeContextMixin.create_context = _create_context
            parso_parser.install()
        if cache_directory:
            jedi.settings.cache_directory = cache_directory
