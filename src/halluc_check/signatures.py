"""A resolved callee -> the keyword names and positional count it accepts, through ``**kwargs``.

Accepted names are the union over every overload (and the implementation). A ``**kwargs``
parameter is followed when the body only forwards it (``return request("get", url, **kwargs)``,
``cls(**kw)``, ``super().__init__(**kwargs)``) or reads literal keys from it
(``kwargs.pop("x")``); ``**kw: Unpack[TypedDict]`` contributes the TypedDict's keys. Whenever
a path stays open (an unknown callee, a compiled function, ``kwargs`` used any other way, a
signature-changing decorator, a class with a metaclass or ``dataclass_transform``) the answer
is None: nothing can be proven.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from inspect import Parameter
from typing import TYPE_CHECKING, Any

from jedi.api import helpers as jedi_helpers

from .resolve import (
    _BENIGN_CLASS_DECORATORS,
    _describe,
    _is_exact,
    _is_none,
    _runtime_values,
    _unwrap,
)

if TYPE_CHECKING:
    from .resolve import FileResolver

LOG = logging.getLogger(__name__)

_MAX_DEPTH = 6
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
_DICT_READS = frozenset({"pop", "get", "setdefault"})


@dataclass(slots=True)
class Accepted:
    """What a call's callee accepts; ``None`` positional capacity means unlimited (``*args``)."""

    names: set[str] = field(default_factory=set)
    max_positional: int | None = 0
    callee: str = ""
    owner: str | None = None
    path: str | None = None
    forwarded_to: list[str] = field(default_factory=list)
    ordered: list[str] = field(default_factory=list)
    signatures: list[str] = field(default_factory=list)
    """The callee's own signatures as jedi renders them (``Updater(bot: "Bot", ...)``)."""


@dataclass(frozen=True, slots=True)
class CallSite:
    """The user's call: keyword names passed and how many positional arguments."""

    keywords: frozenset[str]
    positional: int


class _Open(Exception):
    """Some path of the signature cannot be decided."""


class SignatureResolver:
    def __init__(self, resolver: FileResolver) -> None:
        self.resolver = resolver
        self.state = resolver._state
        # class node id -> (node, whether its source names dataclass_transform/__signature__);
        # the node is kept so that its id stays unique while the entry lives
        self._declared: dict[int, tuple[Any, bool]] = {}

    def accepted(self, values: list[Any], site: CallSite) -> Accepted | None:
        values = [v for v in values if v is not None and not _is_none(v)]
        if not values:
            return None
        result = Accepted()
        try:
            for value in values:
                self._add_callee(value, site, result, depth=0, seen=set())
        except _Open as exc:
            LOG.debug("signature open: %s", exc)
            return None
        except Exception:
            LOG.debug("signature analysis failed", exc_info=True)
            return None
        return result

    # -- callees ---------------------------------------------------------------------------------
    def _add_callee(
        self, value: Any, site: CallSite | None, result: Accepted, depth: int, seen: set[int]
    ) -> None:
        if depth > _MAX_DEPTH:
            raise _Open("forwarding too deep")
        kind = type(value).__name__
        if value.is_compiled():
            raise _Open("compiled callee: signature from introspection")
        if kind == "Decoratee":
            self._check_decorators(value)
            value = value._wrapped_value
            kind = type(value).__name__
        if value.is_class() or kind == "DataclassWrapper":
            self._check_class(value)
        elif value.is_instance():
            raise _Open("calling an instance (__call__, partial objects)")
        elif kind not in ("FunctionValue", "MethodValue", "BoundMethod", "OverloadedFunctionValue"):
            raise _Open(f"callee is a {kind}")
        if kind == "BoundMethod":
            self._check_bound_method(value)
        if depth == 0:
            if value.py__name__().startswith("__"):
                raise _Open("explicit dunder call (`__new__`, `__init__` through super or a class)")
            result.callee = _callee_name(value)
            owner = _owner_of(value)
            if owner is not None:
                result.owner, result.path = owner
        signatures = list(value.get_signatures())
        if not signatures:
            raise _Open("no signature")
        if kind == "OverloadedFunctionValue" or (
            kind == "BoundMethod"
            and type(value._wrapped_value).__name__ == "OverloadedFunctionValue"
        ):
            functions = value.get_signature_functions()
            if any(_is_async(f) for f in functions):
                raise _Open("some overloads are not seen by jedi")
        for signature in signatures:
            if depth == 0:
                _add_rendered(signature, result)
            self._add_signature(signature, site, result, depth, seen)
        if value.is_stub():
            # a stub can lag or narrow what the installed source accepts: the source has the
            # last word where it exists (its own **kwargs must then be closed as well)
            for runtime in _runtime_values(value):
                if not runtime.is_stub() and not runtime.is_compiled():
                    self._add_callee(runtime, site, result, depth + 1, seen)

    def _check_bound_method(self, method: Any) -> None:
        """A method looked up on an instance binds only if a class body defines it, and an
        instance whose exact class is unknown may be a subclass overriding it."""
        function = _unwrap(method._wrapped_value)
        node = getattr(function, "tree_node", None)
        if node is None or node.type != "funcdef":
            raise _Open("bound callee without source")
        scope = node.parent
        while scope is not None and scope.type not in ("classdef", "funcdef", "file_input"):
            scope = scope.parent
        if scope is None or scope.type != "classdef":
            raise _Open("a function stored on a class: it may not bind")
        instance = _unwrap(method.instance)
        if _is_exact(instance):
            return
        owner = _describe(instance.py__class__(), "instance")
        if self.resolver.project_scan.overridden(owner, node.name.value, self.resolver.env):
            raise _Open("a subclass may override the method with another signature")

    def _check_decorators(self, value: Any) -> None:
        node = getattr(value._wrapped_value, "tree_node", None)
        if node is None:
            raise _Open("decorated callee without source")
        if node.type == "classdef":
            return  # class decorators are judged by the class check
        for decorator in node.get_decorators():
            name = decorator.children[1].get_code().strip().split("(", 1)[0]
            if name.rsplit(".", 1)[-1] not in _SIGNATURE_KEEPING and name not in _SIGNATURE_KEEPING:
                raise _Open(f"decorator {name} may change the signature")

    def _check_class(self, value: Any) -> None:
        wrapped = type(value).__name__ == "DataclassWrapper"
        cls = value._wrapped_value if wrapped else value
        code_sources = [cls]
        try:
            for meta in cls.get_metaclasses():
                if meta.py__name__() not in ("type", "ABCMeta"):
                    raise _Open(f"metaclass {meta.py__name__()} may change construction")
            code_sources.extend(cls.py__mro__())
        except _Open:
            raise
        except Exception as exc:
            raise _Open("class hierarchy unknown") from exc
        if _constructor_after_object(code_sources[1:]):
            # jedi's MRO is not C3: a mixin's chain reaches `object` before a later base's
            # constructor, so jedi would take `object.__init__`
            raise _Open("multiple inheritance hides the constructor from jedi")
        for klass in code_sources:
            node = getattr(klass, "tree_node", None)
            builtin = ".".join(_root_names(klass)) == "builtins" and klass.py__name__() != "object"
            if klass is not cls and builtin:
                raise _Open("a subclass of a builtin type: its constructor is the builtin's")
            if node is None or node.type != "classdef":
                continue

            decorators = [d.children[1].get_code() for d in node.get_decorators()]
            if not wrapped and klass is cls and any("dataclass" in d for d in decorators):
                raise _Open("a dataclass seen without its generated __init__ (e.g. `cls(...)`)")
            if self._declares_fields(node):
                raise _Open("fields declared through dataclass_transform or __signature__")
            for decorator in node.get_decorators():
                name = decorator.children[1].get_code().strip().split("(", 1)[0]
                if not _BENIGN_CLASS_DECORATORS.match(name.rsplit(".", 1)[-1]):
                    raise _Open(f"class decorator {name} may change the constructor")

    def _declares_fields(self, node: Any) -> bool:
        """Whether a class's source says ``dataclass_transform`` or ``__signature__``; the source
        of a class is rendered once per file, not once per call of it."""
        entry = self._declared.get(id(node))
        if entry is None or entry[0] is not node:
            code = node.get_code()
            entry = (node, "dataclass_transform" in code or "__signature__" in code)
            self._declared[id(node)] = entry
        return entry[1]

    # -- signatures ------------------------------------------------------------------------------
    def _add_signature(
        self, signature: Any, site: CallSite | None, result: Accepted, depth: int, seen: set[int]
    ) -> None:
        params = list(signature.get_param_names(resolve_stars=False))
        positional = 0
        var_positional = False
        var_keyword = None
        for param in params:
            kind = param.get_kind()
            if kind == Parameter.VAR_POSITIONAL:
                var_positional = True
            elif kind == Parameter.VAR_KEYWORD:
                var_keyword = param
            else:
                result.names.add(param.string_name)
                if param.string_name not in result.ordered:
                    result.ordered.append(param.string_name)
                if kind in (Parameter.POSITIONAL_ONLY, Parameter.POSITIONAL_OR_KEYWORD):
                    positional += 1
        if var_positional or result.max_positional is None:
            result.max_positional = None
        else:
            result.max_positional = max(result.max_positional, positional)
        if var_keyword is not None:
            self._follow_var_keyword(signature, var_keyword, site, result, depth, seen)

    def _follow_var_keyword(
        self,
        signature: Any,
        param: Any,
        site: CallSite | None,
        result: Accepted,
        depth: int,
        seen: set[int],
    ) -> None:
        # for a class, the signature's value is the class and the function is its __init__
        function = getattr(signature, "_function_value", None) or signature.value
        funcdef = getattr(function, "tree_node", None)
        typed = self._unpacked_typed_dict(param)
        if funcdef is None or funcdef.type not in ("funcdef", "lambdef"):
            if typed is not None:
                result.names |= typed
                return
            raise _Open("**kwargs of a callee without source")
        if function.is_stub():
            if typed is not None:
                result.names |= typed
                return
            runtime = [v for v in _runtime_values(_unwrap(function)) if not v.is_stub()]
            if not runtime:
                raise _Open("**kwargs in a stub without runtime source")
            for value in runtime:
                self._add_callee(value, site, result, depth + 1, seen)
            return
        if id(funcdef) in seen:
            return
        seen = seen | {id(funcdef)}
        name = param.string_name
        consumed, targets = _kwargs_uses(funcdef, name)
        result.names |= consumed
        if not targets:
            if typed is not None:
                result.names |= typed
                return
            if not consumed:
                raise _Open(f"**{name} is accepted but never used")
            return
        context = function.as_context()
        # positions as the caller sees them: a bound method's `self` is not among them
        params = {
            p.string_name: i for i, p in enumerate(signature.get_param_names(resolve_stars=False))
        }
        for callee_leaf, root_name in targets:
            if site is not None and root_name in params:
                index = params[root_name]
                if root_name in site.keywords or index < site.positional:
                    raise _Open(f"the forwarding target `{root_name}` is chosen by the caller")
            self.resolver._reset_limits()
            inner = context.create_context(callee_leaf)
            values = [
                v
                for v in jedi_helpers.infer(self.state, inner, callee_leaf)
                if v is not None and not _is_none(v)
            ]
            if not values:
                raise _Open(f"cannot infer the target of **{name}")
            for value in values:
                result.forwarded_to.append(_callee_name(value))
                self._add_callee(value, None, result, depth + 1, seen)

    def _unpacked_typed_dict(self, param: Any) -> set[str] | None:
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
            return None
        keys: set[str] = set()
        for cls in classes:
            cls = _unwrap(cls)
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
                return None
        return keys or None


def _annotated_names(classdef: Any) -> set[str]:
    names = set()
    suite = classdef.children[-1]
    for child in getattr(suite, "children", ()):
        if child.type == "simple_stmt":
            stmt = child.children[0]
            annotated = stmt.type == "expr_stmt" and stmt.children[1].type == "annassign"
            if annotated and stmt.children[0].type == "name":
                names.add(stmt.children[0].value)
    return names


def _kwargs_uses(funcdef: Any, name: str) -> tuple[set[str], list[tuple[Any, str | None]]]:
    """Literal keys read from ``name`` and the callees it is forwarded to with ``**``.

    Raises :class:`_Open` when ``name`` is used in any other way.
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
            raise _Open(f"**{name} is reassigned")
        if parent.type == "argument" and parent.children[0] == "**":
            trailer = parent.parent if parent.parent.type == "trailer" else parent.parent.parent
            if trailer.type != "trailer":
                raise _Open(f"**{name} unpacked outside a call")
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
        raise _Open(f"**{name} used as `{parent.get_code().strip()[:40]}`")
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


def _root_names(value: Any) -> tuple[str, ...]:
    try:
        return tuple(value.get_root_context().string_names or ())
    except Exception:
        return ()


def _constructor_after_object(mro: list[Any]) -> bool:
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


def _is_async(function: Any) -> bool:
    node = getattr(function, "tree_node", None)
    parent = getattr(node, "parent", None)
    return parent is not None and parent.type in ("async_stmt", "async_funcdef")


def _add_rendered(signature: Any, result: Accepted) -> None:
    try:
        rendered = str(signature.to_string())
    except Exception:
        LOG.debug("cannot render a signature", exc_info=True)
        return
    if rendered not in result.signatures:
        result.signatures.append(rendered)


def _callee_name(value: Any) -> str:
    try:
        name = value.py__name__()
    except Exception:
        name = "?"
    return f"{name}()"


def _owner_of(value: Any) -> tuple[str, str | None] | None:
    try:
        target = value._wrapped_value if type(value).__name__ == "DataclassWrapper" else value
        kind = "class" if target.is_class() else "function"
        owner = _describe(target, kind)
    except Exception:
        return None
    return owner.qualname, owner.path
