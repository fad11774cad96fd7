"""(jedi Script, reference) -> a verdict: the name exists, is proven missing, or is unknown.

Missing is reported only against a *closed* namespace: a module, class or instance whose every
possible member is known. Anything dynamic (``__getattr__``, ``setattr`` with computed names,
unresolved or cyclic bases, metaclasses, star imports that cannot be followed, abstract types
that stand for subclasses) makes the namespace open and the verdict unknown.
"""

from __future__ import annotations

import ast
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import jedi
from jedi.api import helpers as jedi_helpers
from jedi.inference import compiled as jedi_compiled
from jedi.inference.arguments import TreeArguments
from jedi.inference.base_value import ValueSet
from jedi.inference.gradual.conversion import convert_values
from jedi.inference.imports import Importer
from jedi.parser_utils import get_parent_scope
from parso.tree import BaseNode

from ..cache import DiskCache
from ..jedi_compat.failures import note_failure
from ..jedi_compat.setup import release_state
from ..jedi_compat.shared_inference import SharedInference
from ..model import Confidence
from ..target.environment import TargetEnvironment, real_path
from . import scope_index
from .scope_index import ScopeIndex, listed_bases
from .verdicts import Owner, Resolution, Verdict

LOG = logging.getLogger(__name__)


#: Class decorators known to leave the namespace alone (or only to add dunders), by last name.
_BENIGN_CLASS_DECORATORS = re.compile(
    r"^(dataclass|total_ordering|final|runtime_checkable|unique|verify|dataclass_transform|"
    r"set_module|deprecated|overload|type_check_only|disjoint_base|register\w*|export|public|"
    r"doc|docstring\w*|Appender|Substitution|add_start_docstrings\w*|inherit_doc\w*|"
    r"copy_docstring\w*|cache|lru_cache|functools\.\w+|final_class|sealed|frozen|"
    r"python_2_unicode_compatible)$"
)
_TRIVIAL_METACLASSES = frozenset({"type", "ABCMeta", "_ProtocolMeta"})
_ABSTRACT_MODULES = frozenset(
    {"typing", "typing_extensions", "collections.abc", "_collections_abc", "abc", "_typeshed"}
)
#: A store whose name is computed: ``setattr(x, name, v)``, ``namespace[key] = v``, ``d.update(...)``.
_COMPUTED_STORE = re.compile(
    r"(?<!__)setattr\(\s*[\w.]+\s*,\s*(?![\"'])|\b\w+\[\s*(?![\"'\d])[^\]]+\]\s*=(?!=)"
    r"|\b(namespace|attrs|dct|ns|classdict|class_dict|body)\.(update|setdefault)\("
)
#: A class that declares itself a base: its instances are always instances of subclasses.
_ABSTRACT_BASES = re.compile(r"\bProtocol\b|\bABC\b|metaclass\s*=\s*(abc\.)?ABCMeta\b")
_PICKLING_METHODS = frozenset(
    {"__setstate__", "__getstate__", "__reduce__", "__reduce_ex__", "__copy__", "__deepcopy__"}
)
#: Computed-name stores on instances (``setattr(self, key, v)``, ``self.__dict__.update``) ...
_DYNAMIC_INSTANCE_ATTRS = re.compile(
    r"setattr\(\s*(self|obj|instance|rv|new|result)\s*,\s*(?![\"'])"
    r"|\b(self|obj|instance|rv|new|result)\.__dict__\s*(\[|\.update|\.setdefault|\|=)"
    r"|vars\(\s*self\s*\)\s*(\[|\.update)"
)
#: ... and on the class itself, which also open class-level lookups.
_DYNAMIC_CLASS_ATTRS = re.compile(
    r"setattr\(\s*(cls|klass|type\(self\)|self\.__class__)\s*,\s*(?![\"'])"
    r"|\b(cls|klass)\.__dict__\s*(\[|\.update)"
)
_DYNAMIC_MODULE = re.compile(
    r"globals\(\)\s*(\[|\.update|\.setdefault)|sys\.modules\[\s*__name__\s*\]|setattr\(\s*sys\.modules"
)


def _string_names(value: Any) -> tuple[str, ...]:
    try:
        names = value.get_root_context().string_names
    except Exception:
        note_failure()
        return ()
    return tuple(names or ())


def _value_path(value: Any) -> str | None:
    try:
        path = value.get_root_context().py__file__()
    except Exception:
        note_failure()
        return None
    return str(path) if path else None


def _describe(value: Any, kind: str) -> Owner:
    module = ".".join(_string_names(value))
    try:
        qualified = value.get_qualified_names() or ()
    except Exception:
        note_failure()
        qualified = ()
    if kind == "module":
        qualname = module or value.py__name__()
    else:
        inner = ".".join(qualified) if qualified else str(value.py__name__())
        qualname = f"{module}.{inner}" if module else inner
    return Owner(kind=kind, qualname=qualname, module=module, path=_value_path(value))


def _unwrap(value: Any) -> Any:
    seen = 0
    while type(value).__name__ == "Decoratee" and seen < 5:
        value = value._wrapped_value
        seen += 1
    return value


def _is_exact(value: Any) -> bool:
    """A class, or an instance made by a constructor call: its exact type is known.

    Instances from annotations and ``self`` may be instances of subclasses.
    """
    if value.is_class():
        return True
    return type(value).__name__ == "TreeInstance" and isinstance(
        getattr(value, "_arguments", None), TreeArguments
    )


def _is_none(value: Any) -> bool:
    if type(value).__module__ == "jedi.inference.value.iterable":
        return False  # a literal or comprehension; asking would infer all of it
    try:
        return bool(value.is_compiled() and value.get_safe_value(default=object()) is None)
    except Exception:
        note_failure()
        return False


def _enclosing_loops(leaf: Any, scope: Any) -> list[Any]:
    loops = []
    node = leaf.parent
    while node is not None and node is not scope:
        if node.type in ("for_stmt", "while_stmt"):
            loops.append(node)
        node = node.parent
    return loops


def _contains(node: Any, leaf: Any) -> bool:
    return bool(node.start_pos <= leaf.start_pos and leaf.end_pos <= node.end_pos)


def _has_name(value: Any, name: str, *, typing: bool = False) -> bool:
    """Whether ``value`` has ``name`` at run time (or, with ``typing``, for type checkers)."""
    try:
        found = value.goto(name)
    except Exception:
        note_failure()
        LOG.debug("goto failed on %r", value, exc_info=True)
        return True  # failure to look is not proof of absence
    if not found:
        return False
    if value.is_module() and not value.is_stub() and not typing:
        # `if TYPE_CHECKING: from .console import Console` makes no runtime attribute
        return not all(_only_for_type_checkers(n) for n in found)
    return True


def decorator_name(decorator: Any) -> str:
    """A decorator's dotted name without its call: ``functools.wraps`` for
    ``@functools.wraps(f)``."""
    return str(decorator.children[1].get_code().strip().split("(", 1)[0])


def class_body_names(classdef: Any) -> frozenset[str]:
    """Names a class body binds with a value: methods, nested classes, assignments (through
    ``if``/``try``/``with`` blocks). A bare annotation (``x: int``) binds nothing."""
    names: set[str] = set()
    stack = list(classdef.children[-1].children)
    while stack:
        node = stack.pop()
        kind = node.type
        if kind in ("funcdef", "classdef"):
            names.add(node.name.value)
        elif kind in _CLASS_BODY_BLOCKS or kind == "simple_stmt":
            stack.extend(node.children)
        elif kind == "expr_stmt":
            children = node.children
            bound = [children[i] for i in range(0, len(children) - 1, 2) if children[i + 1] == "="]
            annotated = len(children) >= 2 and children[1].type == "annassign"
            if annotated and len(children[1].children) > 2:  # `x: int = 0`
                bound.append(children[0])
            for target in bound:
                names.update(n.value for n in _target_names(target))
    return frozenset(names)


_STUB_INSTANCE_NAMES: dict[tuple[int, str, str, tuple[int, ...]], tuple[Any, bool]] = {}
"""(stub class node, kind of instance value, name, target version) -> whether the name exists;
the node is kept so that its id is not reused."""


def _assigned_on_self(classdef: Any, name: str) -> bool:
    """Whether a method of ``classdef`` assigns ``<first parameter>.name``, as jedi counts
    instance attributes."""
    for leaf in classdef.get_root_node().get_used_names().get(name, ()):
        trailer = leaf.parent
        if (
            trailer.type != "trailer"
            or trailer.children[0] != "."
            or len(trailer.parent.children) != 2
            or not _contains(classdef, leaf)
        ):
            continue
        receiver = trailer.parent.children[0]
        if receiver.type != "name" or not leaf.is_definition():
            continue
        function = get_parent_scope(leaf)
        if (
            function is None
            or function.type != "funcdef"
            or _method_class(function) is not classdef
        ):
            continue
        params = function.get_params()
        if params and not params[0].star_count and params[0].name.value == receiver.value:
            return True
    return False


def _method_class(function: Any) -> Any:
    """The class whose body defines ``function`` (decorated or not, through no other block), or
    None."""
    holder = function.parent.parent if function.parent.type == "decorated" else function.parent
    classdef = holder.parent if holder is not None and holder.type == "suite" else None
    return classdef if classdef is not None and classdef.type == "classdef" else None


def _target_names(node: Any) -> list[Any]:
    if node.type == "name":
        return [node]
    if node.type in ("testlist_star_expr", "exprlist", "atom", "testlist_comp", "star_expr"):
        return [n for child in node.children for n in _target_names(child)]
    return []


def _only_for_type_checkers(name: Any) -> bool:
    """A definition that only exists inside the ``if TYPE_CHECKING:`` branch of source code."""
    node = getattr(name, "tree_name", None)
    if node is None:
        return False
    child, parent = node, node.parent
    while parent is not None:
        if parent.type == "if_stmt":
            test_index = next(
                (i - 2 for i, c in enumerate(parent.children) if c is child and i >= 2), None
            )
            if test_index is not None and parent.children[test_index + 1] == ":":
                test = parent.children[test_index].get_code().strip()
                keyword = parent.children[test_index - 1]
                if keyword in ("if", "elif") and re.fullmatch(r"([\w.]+\.)?TYPE_CHECKING", test):
                    return True
        if parent.type in ("funcdef", "classdef"):
            return False
        child, parent = parent, parent.parent
    return False


#: typing aliases that stand for a builtin class when used as a base.
_TYPING_ALIASES = {"Tuple": "tuple"}


def _typing_alias_of(cls: Any) -> str | None:
    """``tuple`` for typing's ``Tuple[...]`` (jedi's ``TypingClassWithGenerics``), else None."""
    if type(cls).__name__ not in ("TypingClassWithGenerics", "TypingClass"):
        return None
    try:
        return _TYPING_ALIASES.get(str(cls.py__name__()))
    except Exception:
        note_failure()
        return None


def _member_names(values: Iterable[Any]) -> set[str]:
    names: set[str] = set()
    for value in values:
        try:
            for filter_ in value.get_filters():
                names.update(n.string_name for n in filter_.values())
        except Exception:
            note_failure()
            LOG.debug("cannot list members of %r", value, exc_info=True)
    return names


def _runtime_values(value: Any) -> list[Any]:
    """The non-stub counterparts of a stub value (the installed source), if any."""
    if not value.is_stub():
        return []
    try:
        return [v for v in convert_values([value], prefer_stubs=False) if not v.is_stub()]
    except Exception:
        note_failure()
        return []


def _funcdef_names(scope_node: Any) -> set[str]:
    names = set()
    for child in scope_node.iter_funcdefs():
        names.add(child.name.value)
    return names


def _module_level_getattr(module_node: Any) -> list[Any]:
    """Every ``def __getattr__`` at module level, including those under ``if`` blocks."""
    found = []
    stack = list(module_node.children)
    while stack:
        node = stack.pop()
        if node.type == "funcdef":
            if node.name.value == "__getattr__":
                found.append(node)
            continue
        if node.type == "classdef":
            continue
        stack.extend(getattr(node, "children", ()))
    return found


def _literal_strings(node: Any) -> set[str] | None:
    """The string literals of a literal str/tuple/list/set/dict node; None if not a literal."""
    if node.type == "string":
        try:
            return {str(node._get_payload())}
        except Exception:
            return None
    if node.type == "strings":
        return None
    if node.type == "atom":
        inner = node.children[1] if len(node.children) == 3 else None
        if inner is None:
            return set()
        if inner.type == "string":
            return _literal_strings(inner)
        if inner.type in ("testlist_comp", "dictorsetmaker"):
            result: set[str] = set()
            for child in inner.children:
                if child.type == "operator":
                    continue
                strings = _literal_strings(child)
                if strings is None:
                    if inner.type == "dictorsetmaker":
                        continue  # dict values may be anything; keys were collected
                    return None
                result |= strings
            return result
        return None
    if node.type in ("testlist_star_expr", "testlist"):
        result = set()
        for child in node.children:
            if child.type == "operator":
                continue
            strings = _literal_strings(child)
            if strings is None:
                return None
            result |= strings
        return result
    return None


def _module_literal(module_node: Any, name: str) -> set[str] | None:
    """Strings of a module-level ``NAME = <literal>`` (several assignments are united)."""
    used = module_node.get_used_names().get(name, [])
    result: set[str] = set()
    found = False
    for leaf in used:
        if not leaf.is_definition():
            continue
        stmt = leaf.get_definition()
        if stmt is None or stmt.type != "expr_stmt":
            return None
        rhs = stmt.children[-1]
        if stmt.children[1].type == "annassign":
            rhs = stmt.children[1].children[-1]
        strings = _literal_strings(rhs)
        if strings is None:
            return None
        result |= strings
        found = True
    return result if found else None


def _getattr_producible(funcdef: Any, module_node: Any) -> set[str] | None:
    """Names a module ``__getattr__`` can return for, or None when it may return for any name.

    Closed means: every ``return`` sits in an ``if`` branch restricted to literal names
    (``name == "x"``, ``name in ("x", "y")``, ``name in _LITERAL``), and the body ends in ``raise``.
    """
    params = funcdef.get_params()
    if not params:
        return None
    param = params[0].name.value
    body = funcdef.children[-1]
    statements = [c for c in body.children if c.type not in ("newline", "operator")]
    if not statements or not _ends_in_raise(statements[-1]):
        return None
    producible: set[str] = set()
    for stmt in statements:
        if stmt.type == "if_stmt":
            children = stmt.children
            index = 0
            while index < len(children):
                keyword = children[index]
                if keyword.type == "keyword" and keyword.value in ("if", "elif"):
                    test, suite = children[index + 1], children[index + 3]
                    index += 4
                elif keyword.type == "keyword" and keyword.value == "else":
                    test, suite = None, children[index + 2]
                    index += 3
                else:
                    index += 1
                    continue
                if not _returns(suite):
                    continue
                names = _restriction(test, param, module_node) if test is not None else None
                if names is None:
                    return None
                producible |= names
        elif _returns(stmt):
            return None
    return producible


def _globals_written(module_node: Any) -> set[str] | None:
    """Names a module writes through ``globals()`` & co; None when they cannot be listed.

    ``for name in ["a", "b"]: globals()[name] = ...`` is listable; anything else is not.
    ``__getattr__`` bodies are skipped: what they cache, they also return.
    """
    code = module_node.get_code()
    skipped = [(f.start_pos, f.end_pos) for f in _module_level_getattr(module_node)]
    written: set[str] = set()
    line_starts = [0]
    for line in code.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(line))
    for match in _DYNAMIC_MODULE.finditer(code):
        line = next(i for i, start in enumerate(line_starts) if start > match.start())
        position = (line, match.start() - line_starts[line - 1])
        if any(start <= position < end for start, end in skipped):
            continue
        if not match.group(0).startswith("globals"):
            return None
        leaf = leaf_at(module_node, position)
        names = _loop_literal_target(leaf)
        if names is None:
            return None
        written |= names
    return written


def _loop_literal_target(leaf: Any) -> set[str] | None:
    """For ``globals()[x] = ...`` inside ``for x in <literal>``: the literal strings."""
    power = leaf.parent
    while power is not None and power.type not in ("atom_expr", "power"):
        power = power.parent
    if power is None or len(power.children) < 3:
        return None
    trailer = power.children[2]
    if trailer.type != "trailer" or trailer.children[0] != "[":
        return None
    subscript = trailer.children[1]
    if subscript.type != "name":
        return None
    node = power.parent
    while node is not None:
        if node.type == "for_stmt":
            target, iterable = node.children[1], node.children[3]
            if target.type == "name" and target.value == subscript.value:
                return _literal_strings(iterable)
        node = node.parent
    return None


def _ends_in_raise(stmt: Any) -> bool:
    node = stmt
    if node.type == "simple_stmt":
        node = node.children[0]
    return bool(node.type == "raise_stmt")


def _returns(node: Any) -> bool:
    if node.type == "return_stmt":
        return True
    if node.type in ("funcdef", "classdef", "lambdef"):
        return False
    return any(_returns(child) for child in getattr(node, "children", ()))


def _restriction(test: Any, param: str, module_node: Any) -> set[str] | None:
    """The literal names a branch test restricts ``param`` to, or None."""
    if test.type == "comparison" and len(test.children) == 3:
        left, op, right = test.children
        if left.type == "name" and left.value == param:
            op_code = op.get_code().strip() if hasattr(op, "get_code") else str(op)
            if op_code == "==":
                return _literal_strings(right)
            if op_code == "in":
                if right.type == "name":
                    return _module_literal(module_node, right.value)
                return _literal_strings(right)
    if test.type == "or_test":
        result: set[str] = set()
        for child in test.children:
            if child.type == "keyword":
                continue
            names = _restriction(child, param, module_node)
            if names is None:
                return None
            result |= names
        return result
    return None


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


def leaf_at(node: Any, position: tuple[int, int], include_prefixes: bool = False) -> Any:
    """parso's ``node.get_leaf_for_position(position, include_prefixes)``, as a loop: parso's
    own makes a self-referencing closure per tree level, garbage that only the cyclic collector
    can free, and it was asked for tens of thousands of times per run."""
    if not ((1, 0) <= position <= node.children[-1].end_pos):
        raise ValueError("Please provide a position that exists within this node.")
    while True:
        children = node.children
        lower, upper = 0, len(children) - 1
        while lower != upper:
            middle = (lower + upper) // 2
            if position <= children[middle].end_pos:
                upper = middle
            else:
                lower = middle + 1
        # every child before `lower` ends before `position`, so it lies inside this child
        node = children[lower]
        if not include_prefixes and position < node.start_pos:
            return None  # on the whitespace or comments before a leaf
        if not isinstance(node, BaseNode):
            return node


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
        inference: SharedInference | None = None,
    ) -> None:
        """``inference``: the project's state, shared with its other files; without it, the
        file has a state of its own."""
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
        self._openness: dict[tuple[int, bool], str | None] = {}
        self._module_dynamic_cache: dict[int, str | None] = {}
        self._globals_names: dict[int, set[str]] = {}
        self._methods: dict[int, _Method | None] = {}
        self._class_names: dict[int, tuple[Any, frozenset[str], dict[str, bool]]] = {}
        self._receiver_attributes: dict[tuple[Any, ...], list[Any]] = {}
        self.project_scan = project_scan

    def release(self, *, clean: bool = True) -> None:
        """Let go of what jedi inferred for this file, once its checks are done: what the
        project's shared state may keep stays (``clean``: the checks ended normally), the rest
        is freed (see :func:`~halluc_check.jedi_compat.setup.release_state`)."""
        if self._inference is not None:
            self._inference.close(self.script, clean=clean)
        else:
            release_state(self._state)
        for mine in (
            self._openness,
            self._module_dynamic_cache,
            self._globals_names,
            self._methods,
            self._class_names,
            self._receiver_attributes,
        ):
            mine.clear()

    # -- inference -------------------------------------------------------------------------------
    def _reset_limits(self) -> None:
        """jedi stops inferring a node after 300 inferences per Script, and caches what hit a
        recursion limit: both make results depend on what was asked before. Start each question
        with fresh counters."""
        self._state.reset_recursion_limitations()
        self._state.inferred_element_counts.clear()

    def infer_at(self, position: tuple[int, int]) -> list[Any]:
        leaf = leaf_at(self._module_node, position, include_prefixes=True)
        if leaf is None:
            return []
        key = self._receiver_attribute_key(leaf)
        if key is not None and key in self._receiver_attributes:
            return self._receiver_attributes[key]
        self._reset_limits()
        try:
            context = self._module_context.create_context(leaf)
            values = list(jedi_helpers.infer(self._state, context, leaf))
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
        self._reset_limits()
        try:
            context = self._module_context.create_context(leaf)
            return list(
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
        classdef = _method_class(function)
        if classdef is None:
            return None
        if any(
            other is not receiver and other.is_definition() and _contains(function, other)
            for other in self._module_node.get_used_names().get(receiver.value, ())
        ):
            return None  # `self` rebound somewhere in the method
        special = function.name.value if function.name.value in _IMPLICIT_CLASSMETHODS else ""
        return _Method(
            receiver.value, self._class_entry(classdef)[1], (id(classdef), special, decorators)
        )

    def definition_values(self, position: tuple[int, int]) -> list[list[Any]] | None:
        """For a plain-name receiver assigned more than once in its scope: what each of its
        definitions infers to (jedi itself follows only the nearest one). None otherwise."""
        leaf = self._plain_name_at(position)
        if leaf is None:
            return None
        scope = get_parent_scope(leaf)
        loops = _enclosing_loops(leaf, scope)
        definitions = [
            name
            for name in self._module_node.get_used_names().get(leaf.value, ())
            if name.is_definition()
            and get_parent_scope(name) is scope
            # a later definition reaches the use only around a loop that holds both
            and (name.start_pos < leaf.start_pos or any(_contains(loop, name) for loop in loops))
            # `name = name.upper()` is not a definition that reaches its own right-hand side
            and not _contains(name.get_definition() or name, leaf)
        ]
        if len(definitions) < 2:
            return None
        values = []
        for name in definitions:
            self._reset_limits()
            try:
                context = self._module_context.create_context(name)
                values.append(list(jedi_helpers.infer(self._state, context, name)))
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
        self._reset_limits()
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
            for candidate in (value, *_runtime_values(value)):
                candidate = _unwrap(candidate)
                try:
                    if candidate.is_module():
                        kind = "module"
                    elif candidate.is_class():
                        kind = "class"
                    else:
                        kind = "function"
                    names.add(_describe(candidate, kind).qualname)
                except Exception:
                    note_failure()
                    LOG.debug("cannot describe %r", candidate, exc_info=True)
        return frozenset(names)

    # -- the verdict -----------------------------------------------------------------------------
    def lookup(
        self, values: list[Any], name: str, *, called: bool = False, typing: bool = False
    ) -> Resolution:
        self._reset_limits()
        values = [_unwrap(v) for v in values]
        values = [v for v in values if not _is_none(v)]
        if not values:
            return Resolution(Verdict.UNKNOWN, "receiver not inferred")
        if self.path and any(v.is_module() and _value_path(v) == self.path for v in values):
            return Resolution(Verdict.UNKNOWN, "receiver resolved to the checked file itself")
        result = Resolution(Verdict.MISSING)
        # any value that has the name settles it, whichever comes first: jedi's value sets are
        # ordered by memory address, so stopping at the first unknown value made the verdict
        # depend on what else the process had inferred before
        unknown: Resolution | None = None
        for value in values:
            verdict, reason, confidence = self._member_state(value, name, called, typing)
            if verdict is Verdict.EXISTS:
                return Resolution(Verdict.EXISTS)
            if verdict is Verdict.UNKNOWN:
                unknown = unknown or Resolution(Verdict.UNKNOWN, reason)
                continue
            if confidence is Confidence.MEDIUM:
                result.confidence = Confidence.MEDIUM
                result.reason = reason
            kind = "module" if value.is_module() else "class" if value.is_class() else "instance"
            owner_value = value.py__class__() if kind == "instance" else value
            result.owners.append(_describe(owner_value, kind))
        if unknown is not None:
            return unknown
        exact = all(_is_exact(v) for v in values)
        if any(
            self.project_scan.assigns(owner, name, self.env, exact=exact)
            for owner in result.owners
            if owner.kind != "module"
        ):
            return Resolution(Verdict.UNKNOWN, "attribute assigned in the owner's package")
        # listing every member is costly on large classes: only for a name that is missing
        for value in values:
            result.members |= _member_names([value, *_runtime_values(value)])
        return result

    def _member_state(
        self, value: Any, name: str, called: bool, typing: bool
    ) -> tuple[Verdict, str, Confidence]:
        high = Confidence.HIGH
        if value.is_module():
            return self._module_state(value, name, typing)
        private = name.startswith("_")
        if private and (value.is_stub() or value.is_compiled()):
            return Verdict.UNKNOWN, "private name on a stub (stubs omit private names)", high
        if value.is_class():
            if self._own_class_binds(_unwrap(value), name, instance=False):
                return Verdict.EXISTS, "", high
            if _has_name(value, name) or any(_has_name(v, name) for v in _runtime_values(value)):
                return Verdict.EXISTS, "", high
            if self._metaclass_has(value, name) or self._stand_in_has(value, name):
                return Verdict.EXISTS, "", high
            reason = self._class_openness(value, instance=False)
            if reason:
                return Verdict.UNKNOWN, reason, high
            return Verdict.MISSING, "", high
        if value.is_instance():
            try:
                cls = _unwrap(value.py__class__())
            except Exception:
                note_failure()
                cls = None
            if cls is not None and self._own_class_binds(cls, name, instance=True):
                return Verdict.EXISTS, "", high
            if self._stub_instance_has(value, cls, name) or any(
                _has_name(v, name) for v in _runtime_values(value)
            ):
                return Verdict.EXISTS, "", high
            if cls is None or not cls.is_class():
                return Verdict.UNKNOWN, "class of instance unknown", high
            if private and (cls.is_stub() or cls.is_compiled()):
                return Verdict.UNKNOWN, "private name on a stub (stubs omit private names)", high
            if any(_has_name(v, name) for v in _runtime_values(cls)):
                return Verdict.EXISTS, "", high
            if self._stand_in_has(cls, name):
                return Verdict.EXISTS, "", high
            reason = self._class_openness(cls, instance=True)
            if reason == "__getattr__" and called and self._getattr_is_data_only(value, name):
                return Verdict.MISSING, "only a data-returning __getattr__", Confidence.MEDIUM
            if reason:
                return Verdict.UNKNOWN, reason, high
            return Verdict.MISSING, "", high
        return Verdict.UNKNOWN, f"receiver is a {type(value).__name__}", high

    def _own_class_binds(self, cls: Any, name: str, *, instance: bool) -> bool:
        """Whether the source class ``cls`` binds ``name`` in its own body or, for its instances,
        as ``self.name = ...`` in one of its methods. Then the name exists, and jedi's walk of the
        whole MRO (every base class inferred) is not needed."""
        node = getattr(cls, "tree_node", None)
        if node is None or node.type != "classdef" or cls.is_stub() or cls.is_compiled():
            return False
        _, body, on_self = self._class_entry(node)
        if name in body:
            return True
        if not instance:
            return False
        if name not in on_self:  # every use of the name is scanned once per class
            on_self[name] = _assigned_on_self(node, name)
        return on_self[name]

    def _class_entry(self, classdef: Any) -> tuple[Any, frozenset[str], dict[str, bool]]:
        """``(classdef, names its body binds, name -> assigned on self)``, kept per class; the
        node is kept so that its id is not reused."""
        key = id(classdef)
        entry = self._class_names.get(key)
        if entry is None or entry[0] is not classdef:
            entry = self._class_names[key] = (classdef, class_body_names(classdef), {})
        return entry

    def _stub_instance_has(self, value: Any, cls: Any, name: str) -> bool:
        """``_has_name`` for an instance of ``cls``, remembered for the life of the process when
        the class comes from a stub: ``str``, ``dict`` and ``list`` are asked about in every file,
        and typeshed does not change under a run."""
        node = getattr(cls, "tree_node", None)
        if cls is None or node is None or not cls.is_stub():
            return _has_name(value, name)
        key = (id(node), type(value).__name__, name, self.env.version)
        known = _STUB_INSTANCE_NAMES.get(key)
        if known is not None and known[0] is node:
            return known[1]
        found = _has_name(value, name)
        _STUB_INSTANCE_NAMES[key] = (node, found)
        return found

    def _stand_in_has(self, cls: Any, name: str) -> bool:
        """A typing alias among the bases (``NamedTuple``'s and typeshed's ``Tuple[...]``) stands
        for a builtin class whose members jedi does not list through the alias."""
        builtins = self._state.builtins_module
        stack: list[Any] = [cls]
        seen: set[int] = set()
        while stack:
            klass = stack.pop()
            if id(klass) in seen or len(seen) > 60:
                continue
            seen.add(id(klass))
            alias = _typing_alias_of(klass)
            if alias is not None:
                if any(_has_name(b, name) for b in builtins.py__getattribute__(alias)):
                    return True
                continue
            bases = getattr(klass, "py__bases__", None)
            if bases is None:
                return True  # an instance among the bases: nothing can be ruled out
            try:
                for lazy in bases():
                    if not hasattr(lazy, "infer"):
                        return True  # a compiled class's bases come as values
                    stack.extend(_unwrap(b) for b in lazy.infer())
            except Exception:
                note_failure()
                return True
        return False

    def _metaclass_has(self, cls: Any, name: str) -> bool:
        """Class-level lookups also see the metaclass: ``ABC.register``, ``type.mro``."""
        try:
            metaclasses = list(cls.get_metaclasses()) or list(
                self._state.builtins_module.py__getattribute__("type")
            )
            return any(
                _has_name(instance, name)
                for meta in metaclasses
                for instance in meta.execute_with_values()
            )
        except Exception:
            note_failure()
            return True

    # -- modules ---------------------------------------------------------------------------------
    def _module_state(
        self, module: Any, name: str, typing: bool
    ) -> tuple[Verdict, str, Confidence]:
        high = Confidence.HIGH
        candidates = [module, *_runtime_values(module)]
        for value in candidates:
            if _has_name(value, name, typing=typing):
                return Verdict.EXISTS, "", high
            try:
                if name in value.sub_modules_dict():
                    return Verdict.EXISTS, "", high
            except Exception:
                note_failure()
        for value in candidates:
            reason = self._module_openness(value, name)
            if reason:
                return Verdict.UNKNOWN, reason, high
        return Verdict.MISSING, "", high

    def _module_openness(self, module: Any, name: str) -> str | None:
        if module.is_namespace():
            return "namespace package"
        if module.is_compiled():
            top = _string_names(module)[:1]
            return None if top and self.env.is_stdlib(top[0]) else "compiled module"
        try:
            node = module.tree_node
        except Exception:
            note_failure()
            return "module source unavailable"
        for funcdef in _module_level_getattr(node):
            producible = _getattr_producible(funcdef, node)
            if producible is None:
                return "module __getattr__"
            if name in producible:
                return "module __getattr__ returns it"
        key = id(node)
        if key not in self._module_dynamic_cache:
            self._module_dynamic_cache[key] = self._module_dynamic(module, node)
        if name in self._globals_names.get(key, ()):
            return "module assigns it through globals()"
        return self._module_dynamic_cache[key]

    def _module_dynamic(self, module: Any, node: Any) -> str | None:
        if not module.is_stub():
            written = _globals_written(node)
            if written is None:
                return "module writes its own globals"
            if written:
                self._globals_names[id(node)] = written
        for imp in node.iter_imports():
            if imp.type == "import_from" and imp.is_star_import():
                names = [n.value for n in imp.get_from_names()]
                try:
                    context = module.as_context()
                    followed = Importer(self._state, names, context, imp.level).follow()
                except Exception:
                    note_failure()
                    followed = []
                if not followed:
                    return "star import that cannot be followed"
                for target in followed:
                    if target.is_compiled() and not self.env.is_stdlib(names[0] if names else ""):
                        return "star import of a compiled module"
        return None

    # -- classes ---------------------------------------------------------------------------------
    def _class_openness(self, cls: Any, *, instance: bool) -> str | None:
        key = (id(getattr(cls, "tree_node", cls)), instance)
        if key not in self._openness:
            self._openness[key] = self._compute_class_openness(cls, instance)
        return self._openness[key]

    def _compute_class_openness(self, cls: Any, instance: bool) -> str | None:
        top_module = ".".join(_string_names(cls))
        if instance and (top_module in _ABSTRACT_MODULES or self._is_abstract(cls)):
            return "abstract class or protocol (stands for its subclasses)"
        try:
            metaclasses = list(cls.get_metaclasses())
        except Exception:
            note_failure()
            return "metaclass unknown"
        for meta in metaclasses:
            if meta.py__name__() not in _TRIVIAL_METACLASSES:
                reason = self._metaclass_openness(meta, instance)
                if reason:
                    return reason
        slotted = instance and self._fully_slotted(cls, ())
        reason = self._walk_bases(cls, instance, path=(), slotted=slotted)
        if reason == "cyclic base class":
            # typeshed's `class socket(_socket.socket)` resolves to itself; the installed
            # source (`socket.py` over the compiled `_socket`) has the real hierarchy
            runtime = _runtime_values(cls)
            if runtime and all(
                self._walk_bases(r, instance, path=(), slotted=slotted) is None for r in runtime
            ):
                return None
        return reason

    def _metaclass_openness(self, meta: Any, instance: bool) -> str | None:
        """A metaclass opens a class when it can add names it computes, or answers lookups."""
        for value in (meta, *_runtime_values(meta)):
            node = getattr(value, "tree_node", None)
            if node is None or node.type != "classdef":
                return f"metaclass {meta.py__name__()}"
            code = node.get_code()
            if not instance and re.search(r"def __getattr__\b", code):
                return f"metaclass {meta.py__name__()} has __getattr__"
            if _COMPUTED_STORE.search(code):
                return f"metaclass {meta.py__name__()} adds computed names"
            try:
                bases = [b for lazy in value.py__bases__() for b in lazy.infer()]
            except Exception:
                note_failure()
                return "metaclass bases unknown"
            for base in bases:
                if base.is_class() and base.py__name__() not in _TRIVIAL_METACLASSES:
                    if base.py__name__() in ("object", "Generic", "Protocol"):
                        continue
                    reason = self._metaclass_openness(base, instance)
                    if reason:
                        return reason
        return None

    def _fully_slotted(self, cls: Any, path: tuple[int, ...]) -> bool:
        """Every class of the hierarchy declares ``__slots__`` without ``__dict__``: instances
        cannot grow attributes, whatever ``setattr`` is called with."""
        node = getattr(cls, "tree_node", None)
        if cls.is_compiled():
            return bool(cls.py__name__() == "object")
        if node is None or node.type != "classdef" or id(node) in path:
            return cls.py__name__() in ("object", "Generic", "Protocol")
        if cls.py__name__() != "object":
            slots = _class_slots(node)
            if slots is None or "__dict__" in slots:
                return False
        try:
            bases = [b for lazy in cls.py__bases__() for b in lazy.infer()]
        except Exception:
            note_failure()
            return False
        return all(self._fully_slotted(_unwrap(b), (*path, id(node))) for b in bases)

    def _walk_bases(
        self, cls: Any, instance: bool, path: tuple[int, ...], *, slotted: bool = False
    ) -> str | None:
        node = getattr(cls, "tree_node", None)
        ident = id(node) if node is not None else id(cls)
        if ident in path:
            return "cyclic base class"
        if len(path) > 40:
            return "class hierarchy too deep"
        reason = self._own_openness(cls, instance, slotted=slotted)
        if reason:
            return reason
        try:
            bases = list(cls.py__bases__())
        except Exception:
            note_failure()
            return "bases unknown"
        for lazy in bases:
            try:
                self._reset_limits()
                inferred = list(lazy.infer())
            except Exception:
                note_failure()
                return "base class not inferred"
            if not inferred:
                return "base class not inferred"
            for base in inferred:
                base = _unwrap(base)
                if not base.is_class():
                    return "base is not a class"
                if type(base).__name__ in ("AnyClass",):
                    return "base is Any"
                reason = self._walk_bases(base, instance, (*path, ident), slotted=slotted)
                if reason:
                    return reason
        return None

    def _own_openness(self, cls: Any, instance: bool, *, slotted: bool = False) -> str | None:
        if cls.is_compiled():
            try:
                names = {
                    n.string_name for f in cls.get_filters(is_instance=instance) for n in f.values()
                }
            except Exception:
                note_failure()
                return "compiled class"
            if instance and ("__getattr__" in names) and cls.py__name__() != "object":
                return "__getattr__"
            return None
        node = getattr(cls, "tree_node", None)
        if node is None or node.type != "classdef":
            special = cls.py__name__() in ("Generic", "Protocol", "NamedTuple")
            if type(cls).__name__ == "GenericClass" or special:
                return None
            if _typing_alias_of(cls) is not None:
                return None  # `Tuple[int, str]` as a base: the builtin class stands in
            return "class not analysable"
        own = _funcdef_names(node)
        own |= _class_assigned_names(node)
        dynamic_lookup = "__getattr__" in own or "__getattribute__" in own
        if instance and dynamic_lookup and cls.py__name__() != "object":
            return "__getattr__"
        if not cls.is_stub():
            for decorator in node.get_decorators():
                if not self._benign_decorator(decorator, cls):
                    return f"class decorator {decorator.children[1].get_code().strip()}"
            if not slotted and _dynamic_class_body(node, instance):
                return "class sets attributes with computed names"
        return None

    def _benign_decorator(self, decorator: Any, cls: Any) -> bool:
        """A class decorator known to keep the namespace, or one whose body returns the class
        it got without storing anything on it but dunders (registries, ``set_module``)."""
        name = decorator_name(decorator)
        if _BENIGN_CLASS_DECORATORS.match(name.rsplit(".", 1)[-1]):
            return True
        return self.identity_decorator(decorator, cls)

    def identity_decorator(self, decorator: Any, decorated: Any, *, stores: bool = False) -> bool:
        """The decorator returns the very object it decorates, storing nothing on it but
        dunders (``set_module``, registries): names and signatures stay as written. With
        ``stores``, attributes it sets on the object are allowed (a signature stays as it is).

        ``@deco`` needs ``deco``'s every ``return`` to return its parameter; ``@factory(...)``
        needs the factory's every ``return`` to return a function defined in its body that
        does so.
        """
        found = self.decorator_functions(decorator, decorated)
        if found is None:
            return False
        factory, nodes = found
        for node in nodes:
            if factory:
                inner = {f.name.value: f for f in node.iter_funcdefs()}
                returned = _returned_names(node)
                if not returned or any(r not in inner for r in returned):
                    return False
                if not all(_returns_its_argument(inner[r], stores=stores) for r in returned):
                    return False
            elif not _returns_its_argument(node, stores=stores):
                return False
        return bool(nodes)

    def decorator_functions(self, decorator: Any, decorated: Any) -> tuple[bool, list[Any]] | None:
        """The source ``def`` of a decorator (``@deco``), or of its factory (``@factory(...)``,
        then the first item is True); None when one of them has no source."""
        expression = decorator.children[1]
        factory = False
        if expression.type in ("atom_expr", "power"):
            last = expression.children[-1]
            factory = last.type == "trailer" and last.children[0] == "("
        try:
            context = decorated.parent_context
            self._reset_limits()
            if factory:
                # `@a.b(...)`: the factory `a.b` itself, inferred at its last name
                callee = expression.children[-1].get_previous_leaf()
                values = list(jedi_helpers.infer(self._state, context, callee))
            else:
                values = list(context.infer_node(expression))
        except Exception:
            note_failure()
            return None
        nodes = []
        for value in values:
            node = getattr(_unwrap(value), "tree_node", None)
            if node is None or node.type != "funcdef":
                return None
            nodes.append(node)
        return factory, nodes

    def _is_abstract(self, cls: Any) -> bool:
        node = getattr(cls, "tree_node", None)
        if node is None or node.type != "classdef":
            return False
        code = node.get_code()
        if "abstractmethod" in code or "abstractproperty" in code:
            return True
        if _interface_only(node):
            return True
        arglist = node.get_super_arglist()
        return bool(arglist is not None and _ABSTRACT_BASES.search(arglist.get_code()))

    def _getattr_is_data_only(self, instance: Any, name: str) -> bool:
        """A called ``x.name`` that only ``__getattr__`` could answer, with non-callable data."""
        try:
            slot_names = instance.get_function_slot_names("__getattr__")
            if not slot_names:
                return False
            arg = jedi_compiled.create_simple_object(self._state, name)
            self._reset_limits()  # the class walk before may have used up jedi's budget
            results = list(instance.execute_function_slots(slot_names, arg))
        except Exception:
            note_failure()
            return False
        if not results:
            return False
        for result in results:
            result = _unwrap(result)
            if not result.is_instance() or _is_none(result):
                return False
            try:
                if result.py__getattribute__("__call__") or _has_name(result, "__call__"):
                    return False
            except Exception:
                note_failure()
                return False
        return True


def _own_returns(funcdef: Any) -> list[Any]:
    """The ``return`` statements of a function's own body (not of nested functions)."""
    found = []
    stack = list(funcdef.children[-1].children) if funcdef.children[-1].type == "suite" else []
    if not stack:
        stack = [funcdef.children[-1]]
    while stack:
        node = stack.pop()
        if node.type in ("funcdef", "classdef", "lambdef", "async_funcdef"):
            continue
        if node.type == "return_stmt":
            found.append(node)
            continue
        stack.extend(getattr(node, "children", ()))
    return found


def _returned_names(funcdef: Any) -> list[str] | None:
    """The plain names every ``return`` returns (``return x``, ``return cast(T, x)``); None if
    one returns anything else (or there is no ``return``)."""
    names = []
    for statement in _own_returns(funcdef):
        if len(statement.children) != 2:
            return None
        returned = _cast_argument(statement.children[1])
        if returned.type != "name":
            return None
        names.append(str(returned.value))
    return names or None


def _cast_argument(node: Any) -> Any:
    """``cast(T, x)`` / ``typing.cast(T, x)`` -> ``x`` (cast returns its argument); else node."""
    if node.type not in ("atom_expr", "power") or len(node.children) < 2:
        return node
    call = node.children[-1]
    callee = node.children[-2]
    name = callee.children[-1] if callee.type == "trailer" else callee
    if call.type != "trailer" or call.children[0] != "(" or getattr(name, "value", "") != "cast":
        return node
    arguments = call.children[1]
    if arguments.type != "arglist":
        return node
    values = [c for c in arguments.children if c.type != "operator"]
    return values[1] if len(values) == 2 and values[1].type == "name" else node


def _returns_its_argument(funcdef: Any, *, stores: bool = False) -> bool:
    """Every ``return`` gives back the first parameter, never rebound, never given non-dunder
    attributes (``setattr(x, ...)``, ``x.name = ...``) unless ``stores`` allows them."""
    params = funcdef.get_params()
    if not params or params[0].star_count:
        return False
    param = params[0].name.value
    returned = _returned_names(funcdef)
    if not returned or any(name != param for name in returned):
        return False
    code = funcdef.children[-1].get_code()
    stored = rf"setattr\(\s*{param}\b|\b{param}\.(?!__)\w+\s*(=(?!=)|[-+*/|&]=)"
    if not stores and re.search(stored, code):
        return False
    # what a call does: a class's constructor, an object's `__call__`
    calling = rf"\b{param}\.__(init|new|call|signature|init_subclass)__\s*(=(?!=)|[-+*/|&]=)"
    if re.search(calling, code):
        return False
    return not re.search(
        rf"(^|[^.\w]){param}\s*(=(?!=)|[-+*/|&]=)|\bnonlocal\s+{param}\b", code, re.M
    )


def _refuses(funcdef: Any) -> str | None:
    """The exception a function body does nothing but raise (after a docstring), if any."""
    body = (
        [
            c
            for c in funcdef.children[-1].children
            if c.type not in ("newline", "operator")
            and not (c.type == "simple_stmt" and c.children[0].type == "string")
        ]
        if funcdef.children[-1].type == "suite"
        else [funcdef.children[-1]]
    )
    if len(body) != 1:
        return None
    stmt = body[0].children[0] if body[0].type == "simple_stmt" else body[0]
    if stmt.type != "raise_stmt" or len(stmt.children) < 2:
        return None
    return str(stmt.children[1].get_code().strip().split("(", 1)[0])


def _interface_only(classdef: Any) -> bool:
    """A class meant only as a base: its constructor refuses (``raise TypeError``), or every
    method it defines is left to subclasses (``raise NotImplementedError``)."""
    methods = list(classdef.iter_funcdefs())
    refusals = {f.name.value: _refuses(f) for f in methods}
    if refusals.get("__init__") or refusals.get("__new__"):
        return True
    plain = [name for name in refusals if not (name.startswith("__") and name.endswith("__"))]
    return bool(plain) and all(refusals[name] == "NotImplementedError" for name in plain)


def _class_slots(classdef: Any) -> set[str] | None:
    """The names of a class body's ``__slots__ = (...)``, or None without one (or unreadable)."""
    suite = classdef.children[-1]
    for child in getattr(suite, "children", ()):
        if child.type != "simple_stmt":
            continue
        stmt = child.children[0]
        target = stmt.children[0] if stmt.type == "expr_stmt" else None
        if target is not None and target.type == "name" and target.value == "__slots__":
            rhs = stmt.children[-1]
            if stmt.children[1].type == "annassign":
                rhs = stmt.children[1].children[-1]
            return _literal_strings(rhs)
    return None


def _class_assigned_names(classdef: Any) -> set[str]:
    names: set[str] = set()
    suite = classdef.children[-1]
    for child in getattr(suite, "children", ()):
        if child.type == "simple_stmt":
            stmt = child.children[0]
            if stmt.type == "expr_stmt" and stmt.children[0].type == "name":
                names.add(stmt.children[0].value)
    return names


def _dynamic_class_body(classdef: Any, instance: bool) -> bool:
    for funcdef in classdef.iter_funcdefs():
        if funcdef.name.value in _PICKLING_METHODS:
            continue
        code = funcdef.get_code()
        if _DYNAMIC_CLASS_ATTRS.search(code) or (instance and _DYNAMIC_INSTANCE_ATTRS.search(code)):
            return True
    return False


@dataclass(frozen=True)
class _ClassMethods:
    """A class of a class statement cut out of its module, as far as overrides go."""

    bases: frozenset[str]
    """The short names of the bases it lists."""
    headers: dict[str, list[str]]
    """For each method its body defines (through ``if``/``try``/``with`` blocks), the source of
    each ``def``: decorators and header, the body replaced by ``pass``."""


def _class_methods(text: str) -> list[_ClassMethods] | None:
    """Every class in ``text``, a class statement cut out of its module (an indented one is put
    under an ``if``); None when this interpreter cannot parse it as it stands.

    Python's own parser does this about six times as fast as parso, and such statements can run
    to thousands of lines; only the headers asked about are parsed again, with parso."""
    source = "if 1:\n" + text if text[:1] in (" ", "\t") else text
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    lines = source.splitlines(keepends=True)
    classes = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.bases:
            headers: dict[str, list[str]] = {}
            for function in _ast_body_functions(node):
                headers.setdefault(function.name, []).append(_header_source(function, lines))
            classes.append(_ClassMethods(frozenset(_ast_base_names(node)), headers))
    return classes


def _ast_base_names(classdef: ast.ClassDef) -> list[str]:
    """The short names of the bases (``mod.Name[T]`` -> ``Name``), as :func:`listed_bases`."""
    names = []
    for base in classdef.bases:
        while isinstance(base, ast.Subscript):
            base = base.value
        if isinstance(base, ast.Name):
            names.append(base.id)
        elif isinstance(base, ast.Attribute):
            names.append(base.attr)
    return names


_AST_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_AST_TRY = (ast.Try, getattr(ast, "TryStar", ast.Try))


def _ast_body_functions(classdef: ast.ClassDef) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The functions a class body defines, through ``if``/``try``/``with`` blocks (as
    :func:`_body_functions`)."""
    found = []
    stack: list[ast.stmt] = list(classdef.body)
    while stack:
        node = stack.pop()
        if isinstance(node, _AST_FUNCTIONS):
            found.append(node)
        elif isinstance(node, ast.If):
            stack.extend((*node.body, *node.orelse))
        elif isinstance(node, _AST_TRY):
            stack.extend((*node.body, *node.orelse, *node.finalbody))
            for handler in node.handlers:
                stack.extend(handler.body)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            stack.extend(node.body)
    return found


def _header_source(function: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> str:
    """The function's decorators and header as written, its body replaced by ``pass``."""
    first = min([d.lineno for d in function.decorator_list] + [function.lineno])
    body = function.body[0]
    line = lines[body.lineno - 1]
    # ast counts columns in UTF-8 bytes
    column = len(line.encode("utf-8")[: body.col_offset].decode("utf-8", "replace"))
    return "".join(lines[first - 1 : body.lineno - 1]) + line[:column] + "pass\n"


def _header_funcdef(grammar: Any, header: str) -> Any:
    """The parso ``funcdef`` node of a header from :func:`_header_source`."""
    return next(_parse_cut(grammar, header).iter_funcdefs())


def _parse_cut(grammar: Any, text: str) -> Any:
    """The parso tree of statements cut out of their module; indented (nested) ones are put
    under an ``if`` so that they parse as they stand."""
    if text[:1] in (" ", "\t"):
        text = "if 1:\n" + text
    return grammar.parse(text)


def _subclass_methods(module: Any, name: str, method: str) -> list[Any]:
    """``def method`` nodes in the bodies of classes listing ``name`` as a base."""
    found = []
    stack = [module]
    while stack:
        node = stack.pop()
        if node.type == "classdef":
            arglist = node.get_super_arglist()
            if arglist is not None and name in listed_bases(arglist.get_code()):
                found.extend(_body_functions(node, method))
        stack.extend(getattr(node, "children", ()))
    return found


def _body_functions(classdef: Any, name: str) -> list[Any]:
    """The ``def name`` nodes of a class body, through ``if``/``try`` blocks."""
    found = []
    stack = list(classdef.children[-1].children)
    while stack:
        node = stack.pop()
        if node.type == "funcdef":
            if node.name.value == name:
                found.append(node)
        elif node.type in _CLASS_BODY_BLOCKS:
            stack.extend(node.children)
    return found


#: Statements a class body can define a method through.
_CLASS_BODY_BLOCKS = frozenset(
    {"decorated", "async_stmt", "async_funcdef", "if_stmt", "try_stmt", "suite", "with_stmt"}
)


class ProjectScan:
    """Answers "is ``name`` assigned to objects from outside their class?" for an owner's package.

    jedi does not track ``obj.attr = value`` written outside the class body, so before an
    attribute is reported, the code around the owner is searched for such a store: the stdlib
    for stdlib classes, the distribution's package for installed ones, and for classes of the
    checked project their top-level package (or, for a loose script, its sibling files). For a
    receiver whose exact type is not known (``self``, annotations), a subclass defining the
    name counts too. Each folder is read once into a :class:`ScopeIndex`; the indexes of the
    stdlib and of installed distributions are kept on ``disk`` between runs.
    """

    def __init__(self, *, max_files: int = 5000, disk: DiskCache | None = None) -> None:
        self.max_files = max_files
        self.disk = disk
        self._indexes: dict[tuple[str, bool], ScopeIndex] = {}
        self._texts: dict[str, str] = {}
        self._override_nodes: dict[tuple[str, bool, str, str], list[Any] | None] = {}
        # (file, start, end) -> its classes, asked about for each of their methods
        self._classes: dict[tuple[str, int, int], list[_ClassMethods] | None] = {}
        # (file, start, end) -> the statement's parso tree, when Python's parser cannot read it
        self._statements: dict[tuple[str, int, int], Any] = {}

    def assigns(self, owner: Owner, name: str, env: TargetEnvironment, *, exact: bool) -> bool:
        scope = self._scope(owner, env)
        if scope is None:
            return False
        index = self._index(scope, env)
        if name in index.stored_outside:
            return True
        # a subclass elsewhere in the project may define the name
        return not (exact or env.is_library_path(owner.path)) and name in index.defined

    def overrides(
        self, owner: Owner, method: str, env: TargetEnvironment, grammar: Any
    ) -> list[Any] | None:
        """The ``def method`` nodes of classes around the owner that list it as a base (an
        instance declared as the owner may be of such a subclass); None when that cannot be
        told (no scope to search, or a subclass binds the name some other way)."""
        scope = self._scope(owner, env)
        if scope is None:
            return None
        name = owner.short
        key = (*scope, name, method)
        if key not in self._override_nodes:
            definition = re.compile(rf"^[ \t]+(?:async\s+)?def\s+{re.escape(method)}\s*\(", re.M)
            assigned = re.compile(rf"^[ \t]+{re.escape(method)}\s*(:[^=\n]*)?=(?!=)", re.M)
            found: list[Any] | None = []
            statements: list[tuple[str, int, int]] = []
            for file, start, end in self._index(scope, env).subclasses.get(name, ()):
                text = self._text(file)
                if assigned.search(text, start, end):
                    found = None
                    break
                if definition.search(text, start, end):
                    statements.append((file, start, end))
            if found is not None:
                # only the class statements are read: their modules can be large
                # (`pydoc`, `multiprocessing.pool`) and are not otherwise needed
                for place in statements:
                    found.extend(self._overrides_in(place, grammar, name, method))
            self._override_nodes[key] = found
        return self._override_nodes[key]

    def _overrides_in(
        self, place: tuple[str, int, int], grammar: Any, name: str, method: str
    ) -> list[Any]:
        """The ``def method`` nodes in the classes of one class statement listing ``name``."""
        if place not in self._classes:
            file, start, end = place
            self._classes[place] = _class_methods(self._text(file)[start:end])
        classes = self._classes[place]
        if classes is None:
            # syntax this interpreter does not know: parso reads the whole statement
            if place not in self._statements:
                file, start, end = place
                self._statements[place] = _parse_cut(grammar, self._text(file)[start:end])
            return _subclass_methods(self._statements[place], name, method)
        return [
            _header_funcdef(grammar, header)
            for found in classes
            if name in found.bases
            for header in found.headers.get(method, ())
        ]

    def _index(self, scope: tuple[str, bool], env: TargetEnvironment) -> ScopeIndex:
        if scope not in self._indexes:
            folder, recursive = scope
            installed = env.is_library_path(folder) or real_path(folder) in env.real_stdlib_dirs
            self._indexes[scope] = scope_index.load(
                folder,
                recursive,
                self.disk if installed else None,
                max_files=self.max_files,
            )
        return self._indexes[scope]

    def _text(self, file: str) -> str:
        if file not in self._texts:
            self._texts[file] = scope_index.read_text(file)
        return self._texts[file]

    def _scope(self, owner: Owner, env: TargetEnvironment) -> tuple[str, bool] | None:
        """The folder to search and whether to search it recursively."""
        if not owner.path:
            return None
        path = real_path(owner.path)
        if "typeshed" in path or env.is_stdlib(owner.module):
            # the stdlib stores attributes across its packages (urllib sets `HTTPResponse.url`)
            stdlib = next(iter(env.real_stdlib_dirs), None)
            return (stdlib, True) if stdlib else None
        folder = os.path.dirname(path)
        if not env.is_library_path(path):
            if not os.path.exists(os.path.join(folder, "__init__.py")):
                return folder, False  # a loose script: its siblings
            while os.path.exists(os.path.join(os.path.dirname(folder), "__init__.py")):
                folder = os.path.dirname(folder)
            return folder, True
        is_package = os.path.basename(path).startswith("__init__.")
        if not owner.module or ("." not in owner.module and not is_package):
            return path, False  # a single-module distribution: scan that file
        for _ in range(owner.module.count(".") - (0 if is_package else 1)):
            folder = os.path.dirname(folder)
        return folder, True
