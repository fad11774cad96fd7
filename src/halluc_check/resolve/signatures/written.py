"""A ``def`` and its decorators, read from source alone -> what it accepts and whether its
decorators keep its signature."""

from __future__ import annotations

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
