"""One jedi inference state for the files of a project, kept from one file to the next.

jedi makes a new inference state for every Script, so each checked file inferred the installed
libraries it touches again from nothing: their classes' bases, MROs, metaclasses, type
variables, decorators, star imports, module-level assignments. Kept across the files of a run,
those answers are found in the state's memo instead (about a tenth of a cold run's time).

Only what belongs to modules on disk is kept. The state can be shared because:

* **A checked file is not a module of the state.** jedi registers a Script's own module under
  its dotted name; here it is taken out at once, so the modules that imports find are the ones
  read from disk, whichever file is checked.
* **What refers to the file is dropped.** After each file, every memo entry made during it
  whose key reaches the file's own tree, a tree parsed for the moment (a string annotation), or
  an object whose module cannot be told, is removed. An entry's value is worked out from its
  key, so a kept key means a value about modules on disk.
* **The import path stays the same.** jedi's import path depends on the checked file's folder
  (folders without ``__init__.py`` between it and the project root are on it), and so do the
  modules that imports find. A file whose import path differs starts a fresh state, and so
  does a file that changes ``sys.path`` itself.
* **A failed inference ends the state.** An exception inside jedi leaves memo entries at their
  recursion default and cached generators cut short; such a file's state is dropped whole.

A state is shared only for a batch of files read at one moment (a run): modules loaded from disk
are not read again while it lives.
"""

from __future__ import annotations

import contextlib
import enum
import itertools
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jedi
import jedi.api as jedi_api
from jedi.inference import InferenceState
from jedi.inference.base_value import ValueSet
from jedi.inference.compiled.subprocess import AccessHandle
from jedi.inference.sys_path import check_sys_path_modifications
from jedi.inference.value.module import ModuleValue
from parso.tree import NodeOrLeaf

from .failures import failure_count
from .setup import release_state

_PLAIN = (
    type(None),
    bool,
    int,
    float,
    str,
    bytes,
    type,
    InferenceState,
    AccessHandle,
    jedi.Project,
)
"""Memo key and value parts that belong to no checked file."""


class SharedInference:
    """The inference state of one jedi project, reused while the import path is the same."""

    def __init__(self, project: jedi.Project, environment: Any) -> None:
        self.project = project
        self.environment = environment
        self._state: Any = None
        self._sys_path: tuple[str, ...] | None = None
        self._sizes: dict[Any, int] = {}
        self._failures = 0
        self._reach = _Reach()
        self._file_open = False
        """A file's Script is out and not closed: what it left is not known."""

    def open(self, source: str, path: str | None) -> jedi.Script:
        """A Script for ``source`` on the shared state; :meth:`close` it when done."""
        if self._file_open:
            self.discard()  # the last file was never closed (its check broke off early)
        state = self._state_for(path)
        with _given_state(state):
            script = jedi.Script(
                source, path=path, project=self.project, environment=self.environment
            )
        module = script._get_module()
        cache = state.module_cache._name_cache
        for names, values in list(cache.items()):
            if any(value is module for value in values):
                del cache[names]
        self._sizes = {function: len(memo) for function, memo in state.memoize_cache.items()}
        self._failures = failure_count()
        self._file_open = True
        return script

    def close(self, script: jedi.Script, *, clean: bool) -> None:
        """Drop what the file left in the state, or the whole state if it cannot be kept."""
        state = self._state
        self._file_open = False
        if state is None:
            return
        module = script._get_module()
        if not clean or failure_count() != self._failures or _changes_sys_path(module):
            self.discard()
            return
        reach = self._reach
        reach.lasting = _lasting_trees(state)
        reach.tied_now = set()
        # looking at keys calls nothing of jedi's, so no entry is made meanwhile
        for function, memo in state.memoize_cache.items():
            added = len(memo) - self._sizes.get(function, 0)
            if added > 0:
                for key in list(itertools.islice(reversed(memo), added)):
                    if reach.tied(key):
                        del memo[key]
        state.inferred_element_counts.clear()
        self._sizes = {}

    def discard(self) -> None:
        """Start the next file on a fresh state."""
        if self._state is not None:
            release_state(self._state)
        self._state = None
        self._sys_path = None
        self._sizes = {}
        self._reach = _Reach()
        self._file_open = False

    def _state_for(self, path: str | None) -> Any:
        state = self._state
        script_path = _script_path(path)
        if state is not None:
            state.script_path = script_path
            for function in list(state.memoize_cache):
                if getattr(function, "__qualname__", "") == "Project._get_sys_path":
                    del state.memoize_cache[function]
            if tuple(state.get_sys_path()) == self._sys_path:
                return state
            self.discard()
        state = jedi_api.InferenceState(
            self.project, environment=self.environment, script_path=script_path
        )
        self._state = state
        self._sys_path = tuple(state.get_sys_path())
        return state


def _script_path(path: str | None) -> Any:
    """The path as jedi's Script keeps it."""
    return Path(path).absolute() if path else None


@contextlib.contextmanager
def _given_state(state: Any) -> Iterator[None]:
    """jedi's Script makes its own inference state; while this lasts, it takes ``state``."""
    original = jedi_api.InferenceState

    def given(*args: Any, **kwargs: Any) -> Any:
        return state

    jedi_api.InferenceState = given
    try:
        yield
    finally:
        jedi_api.InferenceState = original


def _changes_sys_path(module: Any) -> bool:
    """Whether the checked file adds to ``sys.path`` (its imports then find other modules)."""
    try:
        return bool(check_sys_path_modifications(module.as_context()))
    except Exception:
        return True


def _lasting_trees(state: Any) -> set[int]:
    """The trees of the modules that imports found on disk (by ``id``): what the state keeps."""
    modules = [value for values in state.module_cache._name_cache.values() for value in values]
    modules += [value for value in state.stub_module_cache.values() if value is not None]
    return {id(tree) for tree in map(_parsed_tree, modules) if tree is not None}


def _parsed_tree(module: Any) -> Any:
    """A module's tree if it has been parsed, without parsing it: a source module behind a stub
    is parsed only when first read (:class:`~halluc_check.jedi_compat.speed.LazyModuleValue`)."""
    return getattr(module, "__dict__", {}).get("tree_node")


class _Reach:
    """Whether a memo key reaches anything that must not outlive the file: a tree other than
    the lasting ones (the file's own, or one parsed for the moment), or an object whose module
    cannot be told.

    Only stored attributes are followed, never methods or properties: many of jedi's (a name's
    parent, a lazy wrapper's value) infer when read."""

    def __init__(self) -> None:
        self.lasting: set[int] = set()
        """The lasting trees, by ``id``."""
        self.clean: set[int] = set()
        """Objects (by ``id``) reachable from memo keys that were kept, from which nothing but
        lasting things was reachable when they were kept. The entries keep them alive while
        the state lives, so their ids stay theirs."""
        self.tied_now: set[int] = set()
        """Parts of keys (by ``id``) found to reach what must not be kept, while one file's
        entries are looked at: they are all alive until then."""

    def tied(self, key: Any) -> bool:
        """Whether the memo ``key`` reaches what must not be kept. If not, everything seen on
        the way is remembered as lasting: the entry stays, and with it all of that."""
        if type(key) is tuple and len(key) == 3 and type(key[1]) is tuple:
            parts = [key[0], *key[1], key[2]]  # (object, arguments, keyword arguments)
        else:
            parts = [key]
        visited: set[int] = set()
        for part in parts:
            if id(part) in self.tied_now:
                return True
            if self._reaches_bad(part, visited):
                self.tied_now.add(id(part))
                return True
        self.clean |= visited
        return False

    def _reaches_bad(self, thing: Any, visited: set[int]) -> bool:
        queue = [thing]
        clean = self.clean
        for item in queue:  # breadth first: a file's own objects are usually near the top
            kind = _KINDS.get(type(item))
            if kind is None:
                kind = _KINDS[type(item)] = _kind_of(type(item))
            if kind is _Kind.PLAIN:
                continue
            key = id(item)
            if key in visited or key in clean:
                continue
            visited.add(key)
            if kind is _Kind.OBJECT:
                fields = item.__dict__
                if "_memoize_method_dct" in fields:
                    # what an object's own methods worked out is about that object
                    queue.extend(v for k, v in fields.items() if k != "_memoize_method_dct")
                else:
                    queue.extend(fields.values())
            elif kind is _Kind.ITEMS:
                queue.extend(item)
            elif kind is _Kind.NODE:
                if not _in_lasting_tree(item, self.lasting):
                    return True
            elif kind is _Kind.VALUE_SET:
                queue.extend(item._set)
            elif kind is _Kind.MODULE:
                tree = _parsed_tree(item)
                if tree is not None and id(tree) not in self.lasting:
                    return True
            elif kind is _Kind.MAPPING:
                queue.extend(item.keys())
                queue.extend(item.values())
            elif kind is _Kind.METHOD:
                queue.append(item.__self__)
            elif kind is _Kind.UNKNOWN:
                return True
        return False


class _Kind(enum.Enum):
    PLAIN = "no part of a tree"
    OPAQUE = "code, not data"
    ITEMS = "a tuple, list or set: its items"
    MAPPING = "a dict: its keys and values"
    VALUE_SET = "a jedi value set: its values"
    NODE = "a node of a parse tree"
    MODULE = "a jedi module: its tree"
    METHOD = "a bound method: its object"
    OBJECT = "a jedi or parso object: its attributes"
    UNKNOWN = "anything else"


_KINDS: dict[type, _Kind] = {}


def _kind_of(cls: type) -> _Kind:
    if issubclass(cls, _PLAIN):
        return _Kind.PLAIN
    if issubclass(cls, (types.FunctionType, types.BuiltinFunctionType, types.GeneratorType)):
        return _Kind.OPAQUE  # a cached generator's elements are in the list next to it
    for base, kind in (
        ((tuple, list, frozenset, set), _Kind.ITEMS),
        (dict, _Kind.MAPPING),
        (ValueSet, _Kind.VALUE_SET),
        (NodeOrLeaf, _Kind.NODE),
        (ModuleValue, _Kind.MODULE),
        (types.MethodType, _Kind.METHOD),
    ):
        if issubclass(cls, base):
            return kind
    followed = cls.__module__.startswith(("jedi.", "parso.", "halluc_check."))
    if followed and "__dict__" in dir(cls) and not getattr(cls, "__slots__", ()):
        return _Kind.OBJECT
    return _Kind.UNKNOWN


def _in_lasting_tree(node: Any, lasting: set[int]) -> bool:
    """Whether ``node`` is part of one of the ``lasting`` trees. A tree jedi parses on the way
    (a string annotation, a type comment) hangs from a lasting tree by its parent, but is not
    among that parent's children: it is made again each time, so nothing about it is kept."""
    parent = node.parent
    while parent is not None:
        if node not in parent.children:
            return False
        node, parent = parent, parent.parent
    return id(node) in lasting
