"""A decorator in source -> whether it leaves what it decorates as written: known harmless
class decorators, and those whose body returns the very object they got."""

from __future__ import annotations

import re
from typing import Any

from jedi.api import helpers as jedi_helpers

from ..jedi_compat.failures import note_failure
from .limits import reset_limits
from .tree_reading import decorator_name
from .values import string_names, unwrap

#: Class decorators known to leave the namespace alone (or only to add dunders), by last name.
_BENIGN_CLASS_DECORATORS = re.compile(
    r"^(dataclass|total_ordering|final|runtime_checkable|unique|verify|dataclass_transform|"
    r"set_module|deprecated|overload|type_check_only|disjoint_base|register\w*|export|public|"
    r"doc|docstring\w*|Appender|Substitution|add_start_docstrings\w*|inherit_doc\w*|"
    r"copy_docstring\w*|cache|lru_cache|functools\.\w+|final_class|sealed|frozen|"
    r"python_2_unicode_compatible)$"
)


class Decorators:
    """What a file's decorators do, inferred in its jedi inference state ``state``."""

    def __init__(self, state: Any) -> None:
        self._state = state

    def benign(self, decorator: Any, cls: Any) -> bool:
        """A class decorator known to keep the namespace, or one whose body returns the class
        it got without storing anything on it but dunders (registries, ``set_module``)."""
        name = decorator_name(decorator)
        if _BENIGN_CLASS_DECORATORS.match(name.rsplit(".", 1)[-1]):
            return True
        return self.identity(decorator, cls)

    def identity(self, decorator: Any, decorated: Any, *, stores: bool = False) -> bool:
        """The decorator returns the very object it decorates, storing nothing on it but
        dunders (``set_module``, registries): names and signatures stay as written. With
        ``stores``, attributes it sets on the object are allowed (a signature stays as it is).

        ``@deco`` needs ``deco``'s every ``return`` to return its parameter; ``@factory(...)``
        needs the factory's every ``return`` to return a function defined in its body that
        does so.
        """
        found = self.functions(decorator, decorated)
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

    def functions(self, decorator: Any, decorated: Any) -> tuple[bool, list[Any]] | None:
        """The source ``def`` of a decorator (``@deco``), or of its factory (``@factory(...)``,
        then the first item is True); None when one of them has no source."""
        found = self._values(decorator, decorated)
        if found is None:
            return None
        factory, values = found
        nodes = []
        for value in values:
            node = getattr(unwrap(value), "tree_node", None)
            if node is None or node.type != "funcdef":
                return None
            nodes.append(node)
        return factory, nodes

    def is_stdlib_dataclass(self, decorator: Any, decorated: Any) -> bool:
        """``@dataclass`` or ``@dataclass(...)`` of the standard library's :mod:`dataclasses`
        (not a look-alike of the same name: pydantic's, or a ``dataclass_transform`` one)."""
        if decorator_name(decorator).rsplit(".", 1)[-1] != "dataclass":
            return False
        found = self._values(decorator, decorated)
        if not found or not found[1]:
            return False
        return all(
            value.py__name__() == "dataclass" and string_names(value) == ("dataclasses",)
            for value in map(unwrap, found[1])
        )

    def _values(self, decorator: Any, decorated: Any) -> tuple[bool, list[Any]] | None:
        """What a decorator's expression is (``@deco``), or its factory's (``@factory(...)``,
        then the first item is True); None when inference fails."""
        expression = decorator.children[1]
        factory = False
        if expression.type in ("atom_expr", "power"):
            last = expression.children[-1]
            factory = last.type == "trailer" and last.children[0] == "("
        try:
            context = decorated.parent_context
            reset_limits(self._state)
            if factory:
                # `@a.b(...)`: the factory `a.b` itself, inferred at its last name
                callee = expression.children[-1].get_previous_leaf()
                return factory, list(jedi_helpers.infer(self._state, context, callee))
            return factory, list(context.infer_node(expression))
        except Exception:
            note_failure()
            return None


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
