"""A ``def`` and its decorators, read from source alone -> what it accepts and whether its
decorators keep its signature."""

from __future__ import annotations

import ast
from typing import Any

from ..tree_reading import decorator_name
from ..verdicts import Accepted
from .open_paths import OpenPath

#: Function decorators that keep the signature a caller sees.
_SIGNATURE_KEEPING = frozenset(
    {
        "staticmethod",
        "classmethod",
        "property",
        "cached_property",
        "cache",
        "lru_cache",
        "overload",
        "abstractmethod",
        "final",
        "override",
        "deprecated",
        "typing_extensions.deprecated",
        "warnings.deprecated",
        "setter",
        "getter",
        "deleter",
    }
)


def keeps_signature(decorator: str) -> bool:
    """A decorator known to leave a function's signature as written."""
    return decorator.rsplit(".", 1)[-1] in _SIGNATURE_KEEPING or decorator in _SIGNATURE_KEEPING


def add_written_signature(funcdef: Any, result: Accepted, *, positional: bool) -> None:
    """Add what a method's parameter list accepts, read from its source alone (an override in
    a subclass): its own ``**kwargs`` or a decorator that may change it leave it open."""
    for decorator in funcdef.get_decorators():
        name = decorator_name(decorator)
        if not keeps_signature(name):
            raise OpenPath(f"an override's decorator {name} may change its signature")
    static = any(
        d.children[1].get_code().strip() in ("staticmethod", "builtins.staticmethod")
        for d in funcdef.get_decorators()
    )
    items = funcdef.children[2].children[1:-1]
    before_slash = any(c.type == "operator" and c.value == "/" for c in items)
    keyword_only = False
    skip = 0 if static else 1  # `self` / `cls`
    count = 0
    for item in items:
        if item.type == "operator":
            if item.value == "/":
                before_slash = False
            elif item.value == "*":
                keyword_only = True
            continue
        if skip:
            skip -= 1
            continue
        if item.star_count == 2:
            raise OpenPath("an override takes **kwargs")
        if item.star_count == 1:
            keyword_only = True
            if positional:
                result.max_positional = None
            continue
        if not before_slash:
            result.names.add(item.name.value)
        if not keyword_only:
            count += 1
    if positional and result.max_positional is not None:
        result.max_positional = max(result.max_positional, count)


def adds_keywords(decorator: Any) -> bool:
    """A function defined in a decorator's body that takes ``*args``/``**kwargs`` and also
    named parameters with defaults or keyword-only ones: a wrapper widening the signature."""
    stack = list(decorator.children[-1].children)
    while stack:
        node = stack.pop()
        if node.type in ("funcdef", "lambdef"):
            params = node.get_params()
            if any(p.star_count for p in params):
                items = node.children[2].children if node.type == "funcdef" else node.children
                keyword_only = any(c.type == "operator" and c.value == "*" for c in items)
                seen_star = False
                for param in params:
                    if param.star_count:
                        seen_star = True
                        continue
                    if param.default is not None or seen_star or keyword_only:
                        return True
        stack.extend(getattr(node, "children", ()))
    return False


def declared_signature_keeping(funcdef: Any, *, factory: bool) -> bool:
    """A decorator (``factory``: a decorator factory) whose annotations say that what it returns
    takes the parameters of what it gets, through a ``ParamSpec``: ``(f: Callable[P, T]) ->
    Callable[P, T]``, or ``(...) -> Callable[[Callable[P, T]], Callable[P, R]]`` for a
    factory."""
    returned = _annotation(getattr(funcdef, "annotation", None))
    if returned is None:
        return False
    if factory:
        arguments = _callable_arguments(returned)
        if arguments is None or not isinstance(arguments[0], ast.List):
            return False
        if len(arguments[0].elts) != 1:
            return False
        given, returned = arguments[0].elts[0], arguments[1]
    else:
        params = [p for p in funcdef.get_params() if p.name.value not in ("self", "cls")]
        if not params or params[0].star_count:
            return False
        parsed = _annotation(params[0].annotation)
        if parsed is None:
            return False
        given = parsed
    # the first argument of `Callable` is a list, `...`, `Concatenate[...]` or a ParamSpec:
    # a bare name there is a ParamSpec
    spec = _param_spec_of(given)
    return spec is not None and spec == _param_spec_of(returned)


def _annotation(node: Any) -> ast.expr | None:
    """An annotation's expression, read with ``ast`` (a string annotation's content too)."""
    if node is None:
        return None
    try:
        parsed: ast.expr = ast.parse(str(node.get_code()).strip(), mode="eval").body
        if isinstance(parsed, ast.Constant) and isinstance(parsed.value, str):
            parsed = ast.parse(parsed.value.strip(), mode="eval").body
    except (SyntaxError, ValueError):
        return None
    return parsed


def _callable_arguments(expression: ast.expr) -> list[ast.expr] | None:
    """The two arguments of ``Callable[A, B]`` (any spelling of ``Callable``), or None."""
    if not isinstance(expression, ast.Subscript):
        return None
    name = expression.value
    spelled = name.id if isinstance(name, ast.Name) else getattr(name, "attr", None)
    if spelled != "Callable" or not isinstance(expression.slice, ast.Tuple):
        return None
    if len(expression.slice.elts) != 2:
        return None
    return list(expression.slice.elts)


def _param_spec_of(expression: ast.expr) -> str | None:
    """``P`` of ``Callable[P, T]``, or None."""
    arguments = _callable_arguments(expression)
    if arguments is None or not isinstance(arguments[0], ast.Name):
        return None
    return arguments[0].id
