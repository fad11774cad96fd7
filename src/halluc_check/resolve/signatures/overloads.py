"""``@overload`` declarations (jedi values) -> the implementation they describe, and which of a
name's definitions are bound at run time."""

from __future__ import annotations

from typing import Any

from jedi.parser_utils import get_parent_scope

from ..tree_reading import decorator_name


def runtime_definitions(values: list[Any]) -> list[Any]:
    """Drop ``@overload`` declarations in source when their implementation is among the values:
    jedi answers a name with each of its definitions, but at run time the last one is bound."""
    implemented = set()
    for value in values:
        if type(value).__name__ == "OverloadedFunctionValue":
            implementation = overload_implementation(value)
            if implementation is not None:
                scope = get_parent_scope(implementation.tree_node)
                implemented.add((id(scope), value.py__name__()))
    if not implemented:
        return values
    kept = []
    for value in values:
        if type(value).__name__ == "OverloadedFunctionValue" and not value.is_stub():
            key = (id(get_parent_scope(value._wrapped_value.tree_node)), value.py__name__())
            if key in implemented and overload_implementation(value) is None:
                continue
        kept.append(value)
    return kept


def overload_implementation(overloaded: Any) -> Any:
    """The function that ``@overload`` declarations in source describe, if it is there (a stub's
    last overload is no implementation)."""
    function = overloaded._wrapped_value
    node = getattr(function, "tree_node", None)
    if function.is_stub() or node is None or node.type != "funcdef":
        return None
    for decorator in node.get_decorators():
        if decorator_name(decorator).rsplit(".", 1)[-1] == "overload":
            return None
    return function


def is_async(function: Any) -> bool:
    node = getattr(function, "tree_node", None)
    parent = getattr(node, "parent", None)
    return parent is not None and parent.type in ("async_stmt", "async_funcdef")


def hides_async_overloads(overloaded: Any) -> bool:
    """Whether a name's definitions in its scope include an ``async def`` overload, which jedi
    leaves out of the overloads it sees (typeshed's ``anext(i, default, /)``)."""
    node = getattr(overloaded._wrapped_value, "tree_node", None)
    if node is None or node.type != "funcdef":
        return False
    scope = get_parent_scope(node)
    if scope is None:
        return False
    name = node.name.value
    pending = list(scope.children[-1].children if scope.type != "file_input" else scope.children)
    while pending:
        child = pending.pop()
        if child.type in ("async_stmt", "async_funcdef"):
            inner = child.children[-1]
            if inner.type == "funcdef" and inner.name.value == name:
                return True
        elif child.type in ("if_stmt", "suite", "decorated", "simple_stmt"):
            pending.extend(getattr(child, "children", ()))
    return False
