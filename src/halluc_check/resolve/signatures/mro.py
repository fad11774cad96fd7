"""jedi's classes -> Python's method resolution order (C3), and the class in it whose body
provides a method for an instance of exactly a given class or for ``super()``."""

from __future__ import annotations

from typing import Any

from ...jedi_compat.failures import note_failure
from ..tree_reading import class_body_names
from ..values import inferred_bases, string_names, unwrap


def enclosing_class(node: Any) -> Any:
    """The classdef whose body defines a function (through ``if`` blocks), or None."""
    scope = node.parent
    while scope is not None and scope.type not in ("classdef", "funcdef", "file_input"):
        scope = scope.parent
    return scope if scope is not None and scope.type == "classdef" else None


def _class_key(klass: Any) -> Any:
    node = getattr(klass, "tree_node", None)
    if node is not None and node.type == "classdef":
        return id(node)
    return (".".join(string_names(klass)), klass.py__name__())


def c3(cls: Any, memo: dict[Any, list[Any] | None], depth: int = 0) -> list[Any] | None:
    """Python's method resolution order, from jedi's bases; None when a base is not one
    inferable class or the order is inconsistent."""
    key = _class_key(cls)
    if key not in memo:
        memo[key] = None  # a cycle stays unknown
        memo[key] = _linearize(cls, memo, depth)
    return memo[key]


def _linearize(cls: Any, memo: dict[Any, list[Any] | None], depth: int) -> list[Any] | None:
    if depth > 30:
        return None
    try:
        bases = []
        for each in inferred_bases(cls):
            inferred = [unwrap(b) for b in each]
            if len(inferred) != 1 or not inferred[0].is_class():
                return None
            bases.append(inferred[0])
    except Exception:
        note_failure()
        return None
    sequences = []
    for base in bases:
        linear = c3(base, memo, depth + 1)
        if linear is None:
            return None
        sequences.append(linear)
    sequences.append(list(bases))
    result = [cls]
    while True:
        sequences = [seq for seq in sequences if seq]
        if not sequences:
            return result
        for seq in sequences:
            key = _class_key(seq[0])
            if not any(key in {_class_key(k) for k in other[1:]} for other in sequences):
                head = seq[0]
                break
        else:
            return None
        result.append(head)
        sequences = [seq[1:] if _class_key(seq[0]) == key else seq for seq in sequences]


def mro_choice(mro: list[Any] | None, after: Any, name: str) -> Any:
    """The class whose body provides ``name`` for an instance of exactly the class whose MRO is
    ``mro`` (searching after the class whose node is ``after``, as ``super()`` does); None if
    that cannot be told (an unknown base, a class without source on the way)."""
    if mro is None:
        return None
    start = 0
    if after is not None:
        keys = [_class_key(k) for k in mro]
        if id(after) not in keys:
            return None
        start = keys.index(id(after)) + 1
    for klass in mro[start:]:
        node = getattr(klass, "tree_node", None)
        if node is not None and node.type == "classdef" and not klass.is_compiled():
            if name in class_body_names(node):
                return klass
            continue
        if klass.py__name__() in ("Generic", "Protocol") and name in ("__init__", "__new__"):
            continue
        return None
    return None


def receiver_of(exact: Any, callee_leaf: Any, root_name: str, funcdef: Any) -> Any:
    """For ``self.m(**kw)`` or ``super().m(**kw)`` / ``super(C, self).m(**kw)`` written in a
    method of class C: ``(exact, None)`` or ``(exact, C's node)``; None for anything else."""
    power = callee_leaf.parent
    while power is not None and power.type not in ("atom_expr", "power"):
        power = power.parent
    if power is None or (len(power.children) != 4 and root_name == "super"):
        return None
    owner = enclosing_class(funcdef)
    if owner is None:
        return None
    params = funcdef.get_params()
    self_name = params[0].name.value if params else None
    if root_name == "self":
        first = power.children[0]
        if len(power.children) != 3 or first.value != self_name:
            return None
        return exact, None
    call = power.children[1]
    if call.type != "trailer" or call.children[0] != "(":
        return None
    inside = call.children[1].get_code().replace(" ", "") if len(call.children) == 3 else ""
    if inside not in ("", f"{owner.name.value},{self_name}"):
        return None
    return exact, owner


def constructor_after_object(mro: list[Any]) -> bool:
    seen_object = False
    for klass in mro:
        if klass.py__name__() == "object":
            seen_object = True
            continue
        node = getattr(klass, "tree_node", None)
        defines = (
            node is not None
            and node.type == "classdef"
            and bool({f.name.value for f in node.iter_funcdefs()} & {"__init__", "__new__"})
        )
        if seen_object and defines:
            return True
    return False
