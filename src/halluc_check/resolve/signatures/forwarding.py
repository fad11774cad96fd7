"""A function's ``**kwargs`` parameter -> the literal keys its body reads from it and the calls
it forwards it to; ``**kw: Unpack[TypedDict]`` -> the TypedDict's keys."""

from __future__ import annotations

from typing import Any

from ...jedi_compat.failures import note_failure
from ..values import unwrap
from .open_paths import OpenPath

_DICT_READS = frozenset({"pop", "get", "setdefault"})


def kwargs_uses(funcdef: Any, name: str) -> tuple[set[str], list[tuple[Any, str | None]]]:
    """Literal keys read from ``name`` and the callees it is forwarded to with ``**``.

    Raises :class:`OpenPath` when ``name`` is used in any other way.
    """
    consumed: set[str] = set()
    targets: list[tuple[Any, str | None]] = []
    used = funcdef.get_root_node().get_used_names().get(name, [])
    parameters = funcdef.children[1] if funcdef.type == "lambdef" else funcdef.children[2]
    for leaf in used:
        if not (funcdef.start_pos <= leaf.start_pos and leaf.end_pos <= funcdef.end_pos):
            continue
        if parameters.start_pos <= leaf.start_pos and leaf.end_pos <= parameters.end_pos:
            continue  # the parameter itself
        parent = leaf.parent
        if leaf.is_definition():
            raise OpenPath(f"**{name} is reassigned")
        if parent.type == "argument" and parent.children[0] == "**":
            trailer = parent.parent if parent.parent.type == "trailer" else parent.parent.parent
            if trailer.type != "trailer":
                raise OpenPath(f"**{name} unpacked outside a call")
            callee_leaf = trailer.get_previous_leaf()
            power = trailer.parent
            root = power.children[0] if power.type in ("atom_expr", "power") else None
            root_name = root.value if root is not None and root.type == "name" else None
            targets.append((callee_leaf, root_name))
            continue
        literal = _literal_read(leaf)
        if literal is not None:
            consumed.add(literal)
            continue
        if _truthiness_or_membership(leaf):
            continue
        raise OpenPath(f"**{name} used as `{parent.get_code().strip()[:40]}`")
    return consumed, targets


def _literal_read(leaf: Any) -> str | None:
    """``kw.pop("x")``, ``kw.get("x")``, ``kw.setdefault("x")`` or ``kw["x"]``: ``"x"``."""
    nxt = leaf.get_next_sibling()
    if nxt is None or nxt.type != "trailer":
        return None
    if nxt.children[0] == "[":
        return _string(nxt.children[1])
    if nxt.children[0] == "." and nxt.children[1].value in _DICT_READS:
        call = nxt.get_next_sibling()
        if call is None or call.type != "trailer" or call.children[0] != "(":
            return None
        args = call.children[1]
        first = args.children[0] if args.type == "arglist" else args
        return _string(first)
    return None


def _string(node: Any) -> str | None:
    if node.type == "string":
        try:
            value = node._get_payload()
        except Exception:
            return None
        return str(value)
    return None


def _truthiness_or_membership(leaf: Any) -> bool:
    parent = leaf.parent
    if parent.type in ("not_test", "and_test", "or_test", "if_stmt", "while_stmt", "ternary"):
        return True
    if parent.type == "comparison":
        ops = [c.get_code().strip() for c in parent.children[1::2]]
        return all(op in ("in", "not in", "is", "is not", "==", "!=") for op in ops)
    if parent.type == "trailer" and parent.parent.type in ("atom_expr", "power"):
        callee = parent.parent.children[0]
        return callee.type == "name" and callee.value in ("len", "bool")
    return False


def _annotated_names(classdef: Any) -> set[str]:
    """The names a class body annotates (``key: int``): a TypedDict's keys."""
    names = set()
    suite = classdef.children[-1]
    for child in getattr(suite, "children", ()):
        if child.type == "simple_stmt":
            stmt = child.children[0]
            annotated = stmt.type == "expr_stmt" and stmt.children[1].type == "annassign"
            if annotated and stmt.children[0].type == "name":
                names.add(stmt.children[0].value)
    return names


def unpacked_typed_dict(param: Any) -> set[str] | None:
    """Keys of ``**kw: Unpack[TD]`` (a TypedDict and its TypedDict bases)."""
    tree_param = param.tree_name.parent if getattr(param, "tree_name", None) else None
    annotation = getattr(tree_param, "annotation", None)
    if annotation is None or "Unpack" not in annotation.get_code():
        return None
    try:
        context = param.parent_context
        inner = annotation.children[-1].children[1] if annotation.type == "atom_expr" else None
        if inner is None:
            return None
        classes = list(context.infer_node(inner))
    except Exception:
        note_failure()
        return None
    keys: set[str] = set()
    for cls in classes:
        cls = unwrap(cls)
        node = getattr(cls, "tree_node", None)
        if node is None or node.type != "classdef":
            return None
        try:
            for klass in cls.py__mro__():
                body = getattr(klass, "tree_node", None)
                if body is None or body.type != "classdef":
                    continue
                keys |= _annotated_names(body)
        except Exception:
            note_failure()
            return None
    return keys or None
