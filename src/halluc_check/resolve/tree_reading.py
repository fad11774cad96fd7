"""A parso tree -> what its source says without inference: the leaf at a position, the names a
class body binds, a method's class, literal strings, and the names a module's ``__getattr__``
or ``globals()`` stores can produce."""

from __future__ import annotations

import re
from typing import Any

from jedi.parser_utils import get_parent_scope
from parso.tree import BaseNode


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


def contains(node: Any, leaf: Any) -> bool:
    """Whether ``leaf`` lies inside ``node``."""
    return bool(node.start_pos <= leaf.start_pos and leaf.end_pos <= node.end_pos)


def enclosing_loops(leaf: Any, scope: Any) -> list[Any]:
    """The ``for`` and ``while`` statements around ``leaf``, inside ``scope``."""
    loops = []
    node = leaf.parent
    while node is not None and node is not scope:
        if node.type in ("for_stmt", "while_stmt"):
            loops.append(node)
        node = node.parent
    return loops


def decorator_name(decorator: Any) -> str:
    """A decorator's dotted name without its call: ``functools.wraps`` for
    ``@functools.wraps(f)``."""
    return str(decorator.children[1].get_code().strip().split("(", 1)[0])


#: Statements a class body can define a method through.
_CLASS_BODY_BLOCKS = frozenset(
    {"decorated", "async_stmt", "async_funcdef", "if_stmt", "try_stmt", "suite", "with_stmt"}
)


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


def _target_names(node: Any) -> list[Any]:
    if node.type == "name":
        return [node]
    if node.type in ("testlist_star_expr", "exprlist", "atom", "testlist_comp", "star_expr"):
        return [n for child in node.children for n in _target_names(child)]
    return []


def body_functions(classdef: Any, name: str) -> list[Any]:
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


def method_class(function: Any) -> Any:
    """The class whose body defines ``function`` (decorated or not, through no other block), or
    None."""
    holder = function.parent.parent if function.parent.type == "decorated" else function.parent
    classdef = holder.parent if holder is not None and holder.type == "suite" else None
    return classdef if classdef is not None and classdef.type == "classdef" else None


def assigned_on_self(classdef: Any, name: str) -> bool:
    """Whether a method of ``classdef`` assigns ``<first parameter>.name``, as jedi counts
    instance attributes."""
    for leaf in classdef.get_root_node().get_used_names().get(name, ()):
        trailer = leaf.parent
        if (
            trailer.type != "trailer"
            or trailer.children[0] != "."
            or len(trailer.parent.children) != 2
            or not contains(classdef, leaf)
        ):
            continue
        receiver = trailer.parent.children[0]
        if receiver.type != "name" or not leaf.is_definition():
            continue
        function = get_parent_scope(leaf)
        if function is None or function.type != "funcdef" or method_class(function) is not classdef:
            continue
        params = function.get_params()
        if params and not params[0].star_count and params[0].name.value == receiver.value:
            return True
    return False


def only_for_type_checkers(name: Any) -> bool:
    """A definition that only exists inside the ``if TYPE_CHECKING:`` branch of source code."""
    node = getattr(name, "tree_name", None)
    if node is None:
        return False
    return _in_type_checking_branch(node)


def defined_for_type_checkers(definition: Any) -> bool:
    """A ``def`` or ``class`` written inside an ``if TYPE_CHECKING:`` branch of its module or
    class body: at run time the name is another one's (a base class's method, say)."""
    return _in_type_checking_branch(definition)


def _in_type_checking_branch(node: Any) -> bool:
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


#: A test that decides a branch by platform: ``sys.platform == "win32"``, ``os.name != "nt"``.
_PLATFORM_TEST = re.compile(r"\b(sys\.platform|os\.name|platform\.system\(\))")


def platform_branches(scope: Any) -> tuple[frozenset[str], list[Any]]:
    """What a module or class body (a stub's, typically) defines inside branches decided by the
    platform, whichever way they go: the names bound there, and the ``from m import *``
    statements. On another platform they exist; on the target's they may not."""
    names: set[str] = set()
    stars: list[Any] = []
    body = scope.children[-1] if scope.type == "classdef" else scope
    stack: list[tuple[Any, bool]] = [(child, False) for child in body.children]
    while stack:
        node, gated = stack.pop()
        if node.type == "if_stmt":
            children = node.children
            # `if T: A elif U: B else: C`: each branch is gated when any test before it is
            gate = gated
            for index, child in enumerate(children):
                if child in ("if", "elif"):
                    gate = gate or bool(_PLATFORM_TEST.search(children[index + 1].get_code()))
                elif child.type == "suite" or (index > 0 and children[index - 1] == ":"):
                    stack.append((child, gate))
            continue
        if node.type in ("suite", "simple_stmt", "decorated", "async_stmt"):
            stack.extend((child, gated) for child in node.children)
            continue
        if not gated:
            continue
        if node.type in ("funcdef", "classdef"):
            names.add(node.name.value)
        elif node.type == "expr_stmt":
            names.update(n.value for n in _target_names(node.children[0]))
        elif node.type == "import_from" and node.is_star_import():
            stars.append(node)
        elif node.type in ("import_from", "import_name"):
            names.update(n.value for n in node.get_defined_names())
    return frozenset(names), stars


def literal_strings(node: Any) -> set[str] | None:
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
            return literal_strings(inner)
        if inner.type in ("testlist_comp", "dictorsetmaker"):
            result: set[str] = set()
            for child in inner.children:
                if child.type == "operator":
                    continue
                strings = literal_strings(child)
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
            strings = literal_strings(child)
            if strings is None:
                return None
            result |= strings
        return result
    return None


def literal_strings_combined(node: Any) -> set[str] | None:
    """:func:`literal_strings`, also through ``+`` of literals and ``a if cond else b`` (the
    union of both branches): ``__slots__ = (...) + (("__weakref__",) if ... else ())``."""
    if node.type == "arith_expr" and all(c == "+" for c in node.children[1::2]):
        parts = node.children[0::2]
    elif node.type == "test" and len(node.children) == 5 and node.children[1] == "if":
        parts = [node.children[0], node.children[4]]
    elif (
        node.type == "atom"
        and len(node.children) == 3
        and node.children[1].type
        in (
            "arith_expr",
            "test",
            "atom",
        )
    ):
        parts = [node.children[1]]
    else:
        return literal_strings(node)
    result: set[str] = set()
    for part in parts:
        strings = literal_strings_combined(part)
        if strings is None:
            return None
        result |= strings
    return result


def module_level_getattr(module_node: Any) -> list[Any]:
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


def getattr_producible(funcdef: Any, module_node: Any) -> set[str] | None:
    """Names a module ``__getattr__`` can return for, or None when it may return for any name.

    Closed means: the body ends in ``raise``, and every ``return`` sits in an ``if`` branch
    restricted to literal names (``name == "x"``, ``name in ("x", "y")``, ``name in _LITERAL``)
    or comes after a statement that lets only such names through: a look-up in a module-level
    table (``found = _TABLE.get(name)`` then ``if found is None: raise ...``, or
    ``_TABLE[name]``), or ``if name not in _TABLE: raise ...``. A table is a dict (its keys),
    tuple, list or set literal that the module never changes.
    """
    params = funcdef.get_params()
    if not params:
        return None
    param = params[0].name.value
    body = funcdef.children[-1]
    statements = [c for c in body.children if c.type not in ("newline", "operator")]
    if not statements or not _never_falls_through(statements[-1]):
        return None  # falling off the end returns None, for any name
    producible: set[str] = set()
    looked_up: dict[str, set[str]] = {}  # a variable holding `_TABLE.get(name)` -> the keys
    let_through: set[str] | None = None  # the names that reach this statement, once restricted
    for stmt in statements:
        if let_through is not None:
            if _returns(stmt):
                producible |= let_through
            continue
        lookup = _table_lookup(stmt, param, module_node)
        if lookup is not None:
            variable, keys = lookup
            if variable is None:
                let_through = keys  # `_TABLE[name]` raises for any other name
            else:
                looked_up[variable] = keys
            continue
        gate = _raising_gate(stmt, param, looked_up, module_node)
        if gate is not None:
            let_through = gate
            continue
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


def _table_lookup(stmt: Any, param: str, module_node: Any) -> tuple[str | None, set[str]] | None:
    """``variable = _TABLE.get(param)`` or ``_TABLE.get(param, None)`` (``-> (variable, keys)``),
    or a statement that indexes ``_TABLE[param]`` (``-> (None, keys)``: any other name raises
    there)."""
    node = stmt.children[0] if stmt.type == "simple_stmt" else stmt
    target = None
    if node.type == "expr_stmt" and len(node.children) == 3 and node.children[1] == "=":
        if node.children[0].type == "name":
            target = node.children[0].value
        node = node.children[2]
    if node.type not in ("power", "atom_expr") or node.children[0].type != "name":
        return None
    table, trailers = node.children[0], node.children[1:]
    first = trailers[0]
    if first.type != "trailer":
        return None
    if first.children[0] == "[" and _is_name(first.children[1], param):
        keys = _unchanged_table(module_node, table.value)
        return None if keys is None else (None, keys)
    if target is None or len(trailers) != 2 or first.children[0] != ".":
        return None
    call = trailers[1]
    if first.children[1].value != "get" or call.type != "trailer" or call.children[0] != "(":
        return None
    arguments = call.children[1]
    if arguments.type == "arglist":
        values = [c for c in arguments.children if c != ","]
        if len(values) != 2 or values[1].type != "keyword" or values[1].value != "None":
            return None
        arguments = values[0]
    if not _is_name(arguments, param):
        return None
    keys = _unchanged_table(module_node, table.value)
    return None if keys is None else (target, keys)


def _raising_gate(
    stmt: Any, param: str, looked_up: dict[str, set[str]], module_node: Any
) -> set[str] | None:
    """The names an ``if`` without ``elif``/``else`` lets through when its body raises for
    the others: ``if found is None: raise ...`` after ``found = _TABLE.get(param)``, or
    ``if param not in _TABLE: raise ...``."""
    if stmt.type != "if_stmt" or len(stmt.children) != 4:
        return None
    test, suite = stmt.children[1], stmt.children[3]
    if _returns(suite) or not _suite_ends_in_raise(suite):
        return None
    if test.type != "comparison" or len(test.children) != 3:
        return None
    left, operator, right = test.children
    operator_code = operator.get_code().strip() if hasattr(operator, "get_code") else str(operator)
    operator_code = " ".join(operator_code.split())
    is_none = operator_code == "is" and right.type == "keyword" and right.value == "None"
    if is_none and left.type == "name" and left.value in looked_up:
        return looked_up[left.value]
    if operator_code == "not in" and _is_name(left, param):
        if right.type == "name":
            return _unchanged_table(module_node, right.value)
        return literal_strings(right)
    return None


def _never_falls_through(stmt: Any) -> bool:
    """A last statement that raises or returns on every path: ``raise``, ``return``, or an
    ``if`` with an ``else`` whose every branch ends so."""
    node = stmt.children[0] if stmt.type == "simple_stmt" else stmt
    if node.type in ("raise_stmt", "return_stmt"):
        return True
    if node.type != "if_stmt" or "else" not in [c for c in node.children if c.type == "keyword"]:
        return False
    suites = [c for i, c in enumerate(node.children) if i > 0 and node.children[i - 1] == ":"]
    for suite in suites:
        body = [c for c in getattr(suite, "children", [suite]) if c.type not in ("newline",)]
        body = [c for c in body if c.type != "operator"] if suite.type == "suite" else [suite]
        if not body or not _never_falls_through(body[-1]):
            return False
    return True


def _suite_ends_in_raise(suite: Any) -> bool:
    if suite.type != "suite":
        return _ends_in_raise(suite)
    statements = [c for c in suite.children if c.type not in ("newline", "operator")]
    return bool(statements) and _ends_in_raise(statements[-1])


def _is_name(node: Any, value: str) -> bool:
    return bool(node.type == "name" and node.value == value)


#: What a table's name may be followed by where it is only read.
_READING_TRAILERS = frozenset({"get", "keys", "items", "values", "__contains__"})


def _unchanged_table(module_node: Any, name: str) -> set[str] | None:
    """The strings of a module-level literal table (a dict's keys), when every other use of its
    name only reads it: looked up (``[...]`` not stored into, ``.get``, ``.items``...), tested
    (``in``) or iterated. Anything else (``.update``, ``[k] = v``, passed on) may add names;
    a tuple cannot change (a name bound again is read by :func:`_module_literal`)."""
    uses = module_node.get_used_names().get(name, [])
    if uses and all(_binds_a_tuple(leaf) for leaf in uses if leaf.is_definition()):
        return _module_literal(module_node, name)
    for leaf in uses:
        parent = leaf.parent
        if leaf.is_definition():
            if parent.type != "expr_stmt" or parent.children[0] is not leaf:
                return None  # bound by `for`, `with`, an import: not a literal
            continue
        following = leaf.get_next_sibling()
        if parent.type in ("power", "atom_expr") and following is not None:
            if following.type != "trailer":
                return None
            if following.children[0] == ".":
                if following.children[1].value not in _READING_TRAILERS:
                    return None
                continue
            if following.children[0] == "[":
                statement = parent.parent
                stored = statement.type in ("expr_stmt", "del_stmt") and (
                    statement.children[0] is parent or statement.type == "del_stmt"
                )
                if stored:
                    return None
                continue
            return None
        if _read_by_builtin(leaf):
            continue  # `set(TABLE)`, `sorted(TABLE)`
        previous = leaf.get_previous_sibling()
        if parent.type == "comparison" and previous is not None:
            continue  # `x in TABLE`, `x not in TABLE`
        if parent.type in ("for_stmt", "comp_for", "sync_comp_for") and previous == "in":
            continue
        return None
    return _module_literal(module_node, name, keys_only=True)


def _binds_a_tuple(leaf: Any) -> bool:
    """``NAME = (...)`` or ``NAME = "a", "b"``: an immutable literal."""
    statement = leaf.parent
    if statement.type != "expr_stmt" or statement.children[0] is not leaf:
        return False
    value = statement.children[-1]
    if statement.children[1].type == "annassign":
        value = statement.children[1].children[-1]
    if value.type == "testlist_star_expr" or value.type == "testlist":
        return True
    return bool(value.type == "atom" and value.children[0] == "(")


#: Builtins that only read what they are given.
_READING_BUILTINS = frozenset(
    {"set", "frozenset", "list", "tuple", "sorted", "len", "dict", "iter", "any", "all"}
    | {"enumerate", "zip", "reversed", "min", "max", "sum", "repr", "str", "print"}
)


def _read_by_builtin(leaf: Any) -> bool:
    """``leaf`` is a plain argument of a call of a builtin that only reads it."""
    holder = leaf.parent
    if holder.type == "arglist":
        holder = holder.parent
    if holder.type != "trailer" or holder.children[0] != "(":
        return False
    call = holder.parent
    function = call.children[0]
    return bool(
        call.type in ("power", "atom_expr")
        and call.children.index(holder) == 1
        and function.type == "name"
        and function.value in _READING_BUILTINS
    )


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
                return literal_strings(right)
            if op_code == "in":
                if right.type == "name":
                    return _unchanged_table(module_node, right.value)
                return literal_strings(right)
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


def _module_literal(module_node: Any, name: str, *, keys_only: bool = False) -> set[str] | None:
    """Strings of a module-level ``NAME = <literal>`` (several assignments are united);
    ``keys_only``: of a dict, only its keys (a dict of anything else is no literal)."""
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
        strings = _dict_keys(rhs) if keys_only else None
        if strings is None:
            strings = literal_strings(rhs)
        if strings is None:
            return None
        result |= strings
        found = True
    return result if found else None


def _dict_keys(node: Any) -> set[str] | None:
    """The string keys of a dict display (``{"a": x, "b": y}``), or None for anything else
    (a key that is not a string, ``**other``)."""
    if node.type != "atom" or len(node.children) != 3 or node.children[0] != "{":
        return None
    inner = node.children[1]
    if inner.type != "dictorsetmaker" or len(inner.children) < 3 or inner.children[1] != ":":
        return None
    keys: set[str] = set()
    items = inner.children
    for index in range(0, len(items), 4):
        if index + 1 >= len(items) or items[index + 1] != ":":
            return None
        strings = literal_strings(items[index])
        if strings is None or items[index].type != "string":
            return None
        keys |= strings
    return keys


_DYNAMIC_MODULE = re.compile(
    r"globals\(\)\s*(\[|\.update|\.setdefault)|sys\.modules\[\s*__name__\s*\]|setattr\(\s*sys\.modules"
)


def globals_written(module_node: Any) -> set[str] | None:
    """Names a module writes through ``globals()`` & co; None when they cannot be listed.

    ``for name in ["a", "b"]: globals()[name] = ...`` is listable; anything else is not.
    ``__getattr__`` bodies are skipped: what they cache, they also return.
    """
    code = module_node.get_code()
    skipped = [(f.start_pos, f.end_pos) for f in module_level_getattr(module_node)]
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
                return literal_strings(iterable)
        node = node.parent
    return None
