"""(source, path) -> one jedi Script and the questions the rules ask of it: what a position
infers to, what a receiver's definitions infer to, what an import resolves to, and (through
:class:`~.lookup.MemberLookup`) whether a name exists on what it inferred to."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any

import jedi
from jedi.api import helpers as jedi_helpers
from jedi.inference.base_value import ValueSet
from jedi.inference.imports import Importer
from jedi.parser_utils import get_parent_scope

from ..jedi_compat.failures import note_failure
from ..jedi_compat.setup import release_state
from ..jedi_compat.shared_inference import SharedInference
from ..target.environment import TargetEnvironment
from ..target.project import project_folders
from ..target.stdlib_namespaces import StdlibNamespaces
from .decorators import Decorators
from .defined_names import DefinedNames, NamesAround
from .limits import reset_limits
from .lookup import ClassBodies, MemberLookup
from .openness import Openness
from .project_scan import ProjectScan
from .stdlib_evidence import StdlibEvidence
from .tree_reading import contains, decorator_name, enclosing_loops, leaf_at, method_class
from .values import describe, in_stable_order, runtime_values, unwrap
from .verdicts import Resolution

__all__ = ["FileResolver", "ProjectScan"]

LOG = logging.getLogger(__name__)


#: Methods that Python binds to their class without a decorator.
_IMPLICIT_CLASSMETHODS = frozenset({"__new__", "__init_subclass__", "__class_getitem__"})


@dataclass(frozen=True)
class _Method:
    """What a method's body says of its receiver, the same at every line of the method."""

    receiver: str
    """The first parameter's name (``self``, ``cls``)."""
    class_names: frozenset[str]
    """The names its class body binds."""
    binding: tuple[int, str, tuple[str, ...]]
    """The class and how the method binds its receiver (``__new__``, its decorators): methods
    that agree on it see the same ``self.name``."""


class FileResolver:
    """One jedi Script per checked file; every lookup of that file goes through it."""

    def __init__(
        self,
        source: str,
        path: str | None,
        *,
        env: TargetEnvironment,
        project: jedi.Project,
        project_scan: ProjectScan,
        names: DefinedNames | None = None,
        folders: tuple[str, ...] | None = None,
        inference: SharedInference | None = None,
        stdlib: StdlibNamespaces | None = None,
    ) -> None:
        """``names``: where names are written in the environment and the projects (made here
        when not given); ``folders``: the checked file's project (see
        :func:`~halluc_check.target.project.project_folders`); ``inference``: the project's
        state, shared with its other files; without it, the file has a state of its own;
        ``stdlib``: the target interpreter's standard-library namespaces, consulted where the
        static reading of such a module does not settle a name."""
        self.env = env
        self.path = os.path.realpath(path) if path else None
        self._inference = inference
        if inference is not None:
            self.script = inference.open(source, path)
        else:
            self.script = jedi.Script(
                source, path=path, project=project, environment=env.jedi_environment
            )
        self._state = self.script._inference_state
        self.grammar = self._state.grammar
        self._module_node = self.script._module_node
        self._module_context = self.script._get_module_context()
        self._methods: dict[int, _Method | None] = {}
        self._receiver_attributes: dict[tuple[Any, ...], list[Any]] = {}
        self.project_scan = project_scan
        # what the file's checks learn of classes, modules and decorators, kept until release()
        self._class_bodies = ClassBodies()
        self._decorators = Decorators(self._state)
        self._openness = Openness(self._state, env, self._decorators)
        around = NamesAround(
            names if names is not None else DefinedNames(env),
            folders=folders if folders is not None else project_folders(path)[2],
            path=self.path,
            module_node=self._module_node,
        )
        self._lookup = MemberLookup(
            self._state,
            env,
            self.path,
            project_scan=project_scan,
            openness=self._openness,
            class_bodies=self._class_bodies,
            names=around,
            stdlib=None if stdlib is None else StdlibEvidence(env, stdlib),
        )

    def release(self, *, clean: bool = True) -> None:
        """Let go of what jedi inferred for this file, once its checks are done: what the
        project's shared state may keep stays (``clean``: the checks ended normally), the rest
        is freed (see :func:`~halluc_check.jedi_compat.setup.release_state`)."""
        if self._inference is not None:
            self._inference.close(self.script, clean=clean)
        else:
            release_state(self._state)
        self._openness.clear()
        self._methods.clear()
        self._class_bodies.clear()
        self._receiver_attributes.clear()

    @property
    def state(self) -> Any:
        """The jedi inference state the file is resolved in."""
        return self._state

    def reset_limits(self) -> None:
        """Fresh recursion counters for the next question (see :func:`.limits.reset_limits`)."""
        reset_limits(self._state)

    # -- inference -------------------------------------------------------------------------------
    def infer_at(self, position: tuple[int, int]) -> list[Any]:
        leaf = leaf_at(self._module_node, position, include_prefixes=True)
        if leaf is None:
            return []
        key = self._receiver_attribute_key(leaf)
        if key is not None and key in self._receiver_attributes:
            return self._receiver_attributes[key]
        self.reset_limits()
        try:
            context = self._module_context.create_context(leaf)
            values = in_stable_order(jedi_helpers.infer(self._state, context, leaf))
        except Exception:
            note_failure()
            LOG.debug("inference failed at %s", position, exc_info=True)
            return []
        if key is not None:
            self._receiver_attributes[key] = values
        return values

    def _receiver_attribute_key(self, leaf: Any) -> tuple[Any, ...] | None:
        """For ``self.name`` ending at ``leaf``, where ``self`` is a method's receiver that the
        method never rebinds: what it infers to depends only on the class, on how the method
        binds its receiver (its decorators, ``__new__``) and on the name, not on the method or
        the line. Long classes say ``self._items`` hundreds of times."""
        if leaf.type != "name":
            return None
        trailer = leaf.parent
        if trailer is None or trailer.type != "trailer" or trailer.children[0] != ".":
            return None
        expression = trailer.parent
        if expression.type not in ("power", "atom_expr") or expression.children[1] is not trailer:
            return None
        receiver = expression.children[0]
        if receiver.type != "name":
            return None
        method = self._method_of(receiver)
        if method is None or method.receiver != receiver.value:
            return None
        return (*method.binding, leaf.value)

    def member_values(self, receivers: list[Any], position: tuple[int, int]) -> list[Any]:
        """What ``receiver.name`` ending at ``position`` infers to, from the receiver's values
        inferred before: jedi's own step for a ``.name`` trailer, without inferring the receiver
        a second time."""
        leaf = self._name_at(position)
        if leaf is None:
            return self.infer_at(position)
        self.reset_limits()
        try:
            context = self._module_context.create_context(leaf)
            return in_stable_order(
                ValueSet(receivers).py__getattribute__(name_context=context, name_or_str=leaf)
            )
        except Exception:
            note_failure()
            LOG.debug("inference failed at %s", position, exc_info=True)
            return []

    def _name_at(self, position: tuple[int, int]) -> Any:
        """The name leaf ending at ``position``, or None."""
        leaf = leaf_at(self._module_node, position, include_prefixes=True)
        if leaf is None or leaf.type != "name" or leaf.end_pos != position:
            return None
        return leaf

    def _plain_name_at(self, position: tuple[int, int]) -> Any:
        """The name leaf ending at ``position`` when it is a plain name (not ``x.name``)."""
        leaf = self._name_at(position)
        if leaf is None:
            return None
        previous = leaf.get_previous_leaf()
        if previous is not None and previous.type == "operator" and previous.value == ".":
            return None
        return leaf

    def defined_in_own_class(self, position: tuple[int, int], name: str) -> bool:
        """Whether the receiver ending at ``position`` is the first parameter of a method (``self``
        or ``cls``, never rebound) whose own class body defines ``name``: then ``self.name``
        exists, and there is nothing to infer."""
        leaf = self._plain_name_at(position)
        if leaf is None:
            return False
        method = self._method_of(leaf)
        return method is not None and method.receiver == leaf.value and name in method.class_names

    def _method_of(self, name: Any) -> _Method | None:
        """The method whose scope holds the name leaf ``name``, worked out once per method."""
        function = get_parent_scope(name)
        if function is None or function.type != "funcdef":
            return None
        if id(function) not in self._methods:
            self._methods[id(function)] = self._method(function)
        return self._methods[id(function)]

    def _method(self, function: Any) -> _Method | None:
        """A method whose first parameter is its receiver and is never rebound in it; None for
        anything else."""
        params = function.get_params()
        if not params or params[0].star_count:
            return None
        receiver = params[0].name
        decorators = tuple(decorator_name(d) for d in function.get_decorators())
        if any(d.rsplit(".", 1)[-1] == "staticmethod" for d in decorators):
            return None
        classdef = method_class(function)
        if classdef is None:
            return None
        if any(
            other is not receiver and other.is_definition() and contains(function, other)
            for other in self._module_node.get_used_names().get(receiver.value, ())
        ):
            return None  # `self` rebound somewhere in the method
        special = function.name.value if function.name.value in _IMPLICIT_CLASSMETHODS else ""
        return _Method(
            receiver.value, self._class_bodies.names(classdef), (id(classdef), special, decorators)
        )

    def definition_values(self, position: tuple[int, int]) -> list[list[Any]] | None:
        """For a plain-name receiver assigned more than once in its scope: what each of its
        definitions infers to (jedi itself follows only the nearest one). None otherwise."""
        leaf = self._plain_name_at(position)
        if leaf is None:
            return None
        scope = get_parent_scope(leaf)
        loops = enclosing_loops(leaf, scope)
        definitions = [
            name
            for name in self._module_node.get_used_names().get(leaf.value, ())
            if name.is_definition()
            and get_parent_scope(name) is scope
            # a later definition reaches the use only around a loop that holds both
            and (name.start_pos < leaf.start_pos or any(contains(loop, name) for loop in loops))
            # `name = name.upper()` is not a definition that reaches its own right-hand side
            and not contains(name.get_definition() or name, leaf)
        ]
        if len(definitions) < 2:
            return None
        values = []
        for name in definitions:
            self.reset_limits()
            try:
                context = self._module_context.create_context(name)
                values.append(in_stable_order(jedi_helpers.infer(self._state, context, name)))
            except Exception:
                note_failure()
                values.append([])
        return values

    def import_module(self, dotted: str, level: int) -> list[Any]:
        names = [n for n in dotted.split(".") if n]
        try:
            importer = Importer(self._state, names, self._module_context, level)
            return list(importer.follow())
        except Exception:
            note_failure()
            LOG.debug("import of %s failed", dotted, exc_info=True)
            return []

    def qualnames(self, module: str, parts: tuple[str, ...]) -> frozenset[str]:
        """The qualified names ``module.part.part`` resolves to where it is defined:
        ``pandas``, ``("DataFrame",)`` -> ``pandas.core.frame.DataFrame``. Empty if it does not
        resolve."""
        self.reset_limits()
        values = self.import_module(module, 0)
        for part in parts:
            found: list[Any] = []
            for value in values:
                try:
                    found.extend(value.py__getattribute__(part))
                except Exception:
                    note_failure()
                    LOG.debug("cannot follow %s on %r", part, value, exc_info=True)
            values = found
        names: set[str] = set()
        for value in values:
            for candidate in (value, *runtime_values(value)):
                candidate = unwrap(candidate)
                try:
                    if candidate.is_module():
                        kind = "module"
                    elif candidate.is_class():
                        kind = "class"
                    else:
                        kind = "function"
                    names.add(describe(candidate, kind).qualname)
                except Exception:
                    note_failure()
                    LOG.debug("cannot describe %r", candidate, exc_info=True)
        return frozenset(names)

    # -- the verdict -----------------------------------------------------------------------------
    def lookup(
        self, values: list[Any], name: str, *, called: bool = False, typing: bool = False
    ) -> Resolution:
        """Whether ``name`` exists on the values a receiver inferred to (see
        :meth:`.lookup.MemberLookup.lookup`)."""
        return self._lookup.lookup(values, name, called=called, typing=typing)

    # -- decorators ------------------------------------------------------------------------------
    def benign_decorator(self, decorator: Any, cls: Any) -> bool:
        """A class decorator known to keep the namespace, or one that returns the class it got
        (see :meth:`.decorators.Decorators.benign`)."""
        return self._decorators.benign(decorator, cls)

    def identity_decorator(self, decorator: Any, decorated: Any, *, stores: bool = False) -> bool:
        """The decorator returns the very object it decorates (see
        :meth:`.decorators.Decorators.identity`)."""
        return self._decorators.identity(decorator, decorated, stores=stores)

    def is_stdlib_dataclass(self, decorator: Any, decorated: Any) -> bool:
        """The decorator is the standard library's ``dataclass`` (see
        :meth:`.decorators.Decorators.is_stdlib_dataclass`)."""
        return self._decorators.is_stdlib_dataclass(decorator, decorated)

    def decorator_functions(self, decorator: Any, decorated: Any) -> tuple[bool, list[Any]] | None:
        """The source ``def`` of a decorator or of its factory (see
        :meth:`.decorators.Decorators.functions`)."""
        return self._decorators.functions(decorator, decorated)
