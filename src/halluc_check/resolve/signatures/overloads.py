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
