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
from inspect import Parameter
from typing import TYPE_CHECKING, Any

from jedi.api import helpers as jedi_helpers
from jedi.inference.arguments import ValuesArguments
from jedi.inference.base_value import ValueSet
from jedi.inference.signature import TreeSignature
from jedi.parser_utils import get_parent_scope

from ..jedi_compat.failures import note_failure
from .file_resolver import (
    _describe,
    _is_exact,
    _is_none,
    _runtime_values,
    _unwrap,
    class_body_names,
    decorator_name,
)
from .verdicts import Accepted, CallSite

if TYPE_CHECKING:
    from .file_resolver import FileResolver

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


class _Open(Exception):
    """Some path of the signature cannot be decided."""


class _Unknown(_Open):
    """The signature itself is not trustworthy (a ``**kwargs`` in a stub or in a callee
    without source): neither the keywords nor the positional count can be decided."""


class SignatureResolver:
    def __init__(self, resolver: FileResolver) -> None:
        self.resolver = resolver
        self.state = resolver._state
        # class node id -> (node, whether its source names dataclass_transform/__signature__);
        # the node is kept so that its id stays unique while the entry lives
        self._declared: dict[int, tuple[Any, bool]] = {}
        self._mros: dict[Any, list[Any] | None] = {}
        self._runtime = True  # whether a stub's installed source is read as well

    def _mro(self, cls: Any) -> list[Any] | None:
        return _c3(cls, self._mros)

    def accepted(self, values: list[Any], site: CallSite) -> Accepted | None:
        """What the callee accepts, or None when that cannot be told.

        A stub is read first on its own. The installed source behind a stub can only widen what
        is accepted (or leave it undecided), so it is read only when the stub alone rejects the
        call: reading it means parsing a stdlib module that is otherwise never parsed."""
        values = _runtime_definitions([v for v in values if v is not None and not _is_none(v)])
        if not values:
            return None
        stub_only = self._accepted(values, site, runtime=False)
        if stub_only is None or not stub_only.runtime_skipped or not stub_only.rejects(site):
            return stub_only
        return self._accepted(values, site, runtime=True)

    def _accepted(self, values: list[Any], site: CallSite, *, runtime: bool) -> Accepted | None:
        self._runtime = runtime
        result = Accepted()
        try:
            for value in values:
                self._add_callee(value, site, result, depth=0, seen=set(), positional=True)
        except _Open as exc:
            LOG.debug("signature open: %s", exc)
            return None
        except Exception:
            note_failure()
            LOG.debug("signature analysis failed", exc_info=True)
            return None
        return result

    # -- callees ---------------------------------------------------------------------------------
    def _add_callee(
        self,
        value: Any,
        site: CallSite | None,
        result: Accepted,
        depth: int,
        seen: set[int],
        *,
        positional: bool,
        receiver: tuple[Any, Any] | None = None,
    ) -> None:
        """Add what ``value`` accepts; ``positional``: its positional parameters count too (the
        callee itself, not a target that only receives forwarded ``**kwargs``). ``receiver``:
        for ``self.m(**kw)`` / ``super().m(**kw)`` in a method of an instance whose class is
        known exactly, that class and (for ``super()``) the class whose method makes the call."""
        if depth > _MAX_DEPTH:
            raise _Open("forwarding too deep")
        kind = type(value).__name__
        if value.is_compiled():
            raise _Open("compiled callee: signature from introspection")
        if kind == "Decoratee":
            self._check_decorators(value)
            value = value._wrapped_value
            kind = type(value).__name__
        named = value  # what the message names
        exact = None  # the exact class of `self` inside the callee's body, when known
        if value.is_class() or kind == "DataclassWrapper":
            self._check_class(value)
            exact = value._wrapped_value if kind == "DataclassWrapper" else value
        elif kind == "ClassMethodGet":
            # a classmethod looked up on its class: bound to the class, `cls` dropped
            named = value._function
        elif value.is_instance():
            raise _Open("calling an instance (__call__, partial objects)")
        elif kind not in ("FunctionValue", "MethodValue", "BoundMethod", "OverloadedFunctionValue"):
            raise _Open(f"callee is a {kind}")
        function = _unwrap(value._wrapped_value) if kind == "BoundMethod" else value
        overloaded = type(function).__name__ == "OverloadedFunctionValue"
        if kind == "BoundMethod":
            exact = self._check_bound_method(value, receiver, result, positional=positional)
        if kind in ("FunctionValue", "MethodValue", "BoundMethod") and not overloaded:
            self._check_function_decorators(function)
        if depth == 0:
            if named.py__name__().startswith("__"):
                raise _Open("explicit dunder call (`__new__`, `__init__` through super or a class)")
            result.callee = _callee_name(named)
            owner = _owner_of(named)
            if owner is not None:
                result.owner, result.path = owner
        signatures = list(value.get_signatures())
        if not signatures:
            raise _Open("no signature")
        if value.is_class() and kind != "DataclassWrapper":
            signatures = self._constructor_signatures(value, signatures)
        if depth == 0:
            for signature in signatures:
                result.signature_values.append(signature)
        implementation = None
        if overloaded:
            functions = value.get_signature_functions()
            if any(_is_async(f) for f in functions):
                raise _Open("some overloads are not seen by jedi")
            implementation = _overload_implementation(function)
        if implementation is not None:
            first = signatures[0]
            actual = TreeSignature(first.value, implementation, is_bound=first.is_bound)
            try:
                self._check_function_decorators(implementation)
            except _Open:
                # the implementation is wrapped (`@required_args(...)`): the overloads declare
                # what the wrapper takes; the implementation's own names are accepted too
                self._add_signature(
                    actual, site, result, depth, seen, positional=positional, follow=False
                )
                implementation = None
        if implementation is not None:
            # at run time only the implementation is called: it decides what is accepted (the
            # overloads only add the names they list; their **kwargs bodies are `...`)
            if depth == 0:
                result.signature_values.append(actual)
            self._add_signature(
                actual, site, result, depth, seen, positional=positional, exact=exact
            )
            for signature in signatures:
                self._add_signature(
                    signature, site, result, depth, seen, positional=positional, follow=False
                )
        else:
            for signature in signatures:
                self._add_signature(
                    signature, site, result, depth, seen, positional=positional, exact=exact
                )
        stub = function._function if kind == "ClassMethodGet" else value
        if stub.is_stub() and not self._runtime:
            result.runtime_skipped = True
        elif stub.is_stub():
            # a stub can lag or narrow what the installed source accepts: the source has the
            # last word where it exists (its own **kwargs must then be closed as well)
            for runtime in _runtime_values(_unwrap(stub)):
                if runtime.is_stub() or runtime.is_compiled():
                    continue
                if kind == "ClassMethodGet":
                    for signature in runtime.get_signatures():
                        self._add_signature(
                            signature.bind(runtime),
                            site,
                            result,
                            depth + 1,
                            seen,
                            positional=positional,
                        )
                else:
                    self._add_callee(runtime, site, result, depth + 1, seen, positional=positional)

    def _check_bound_method(
        self,
        method: Any,
        receiver: tuple[Any, Any] | None,
        result: Accepted,
        *,
        positional: bool,
    ) -> Any:
        """A method looked up on an instance binds only if a class body defines it, and an
        instance whose exact class is unknown may be a subclass overriding it. Returns the
        instance's exact class when it is known."""
        function = _unwrap(method._wrapped_value)
        if type(function).__name__ == "OverloadedFunctionValue":
            function = function._wrapped_value
        node = getattr(function, "tree_node", None)
        if node is None or node.type != "funcdef":
            raise _Open("bound callee without source")
        scope = _enclosing_class(node)
        if scope is None:
            raise _Open("a function stored on a class: it may not bind")
        if receiver is not None:
            exact, after = receiver
            chosen = _mro_choice(self._mro(exact), after, node.name.value)
            if chosen is None or chosen.tree_node is not scope:
                # cooperative multiple inheritance: `super()` goes on to a sibling base
                raise _Open("the exact class's MRO picks another method than jedi")
            return exact  # what `self.m` / `super().m` finds in the exact class's MRO
        instance = _unwrap(method.instance)
        if _is_exact(instance):
            return instance.py__class__()
        owner = _describe(instance.py__class__(), "instance")
        scan = self.resolver.project_scan
        overrides = scan.overrides(owner, node.name.value, self.resolver.env, self.resolver.grammar)
        if overrides is None:
            raise _Open("a subclass may bind the method some other way")
        # the instance may be of a subclass that overrides the method: what any of them
        # accepts is accepted
        for override in overrides:
            _add_written_signature(override, result, positional=positional)
        return None

    def _constructor_signatures(self, cls: Any, signatures: list[Any]) -> list[Any]:
        """jedi takes ``__init__`` from its own (not C3) MRO; the signatures of the constructor
        Python's MRO picks (those jedi found, when it found that one)."""
        mro = self._mro(cls)
        if mro is None:
            return signatures  # `_check_class` judged the hierarchy without C3
        method = "__init__"
        chosen = _mro_choice(mro, None, method)
        if chosen is not None and chosen.py__name__() == "object":
            # like jedi: a class that keeps `object.__init__` is described by its `__new__`
            method = "__new__"
            chosen = _mro_choice(mro, None, method)
        if chosen is None:
            raise _Open("the constructor's class is not known")

        def found_in_chosen(signature: Any) -> bool:
            node = getattr(getattr(signature, "_function_value", None), "tree_node", None)
            return node is not None and _enclosing_class(node) is chosen.tree_node

        if all(found_in_chosen(s) for s in signatures):
            return signatures
        corrected = []
        for function in chosen.py__getattribute__(method):
            function = _unwrap(function)
            if function.is_class() or function.is_instance():
                raise _Open("the constructor is not a plain function")
            if type(function).__name__ == "OverloadedFunctionValue":
                implementation = _overload_implementation(function)
                functions = [implementation] if implementation is not None else []
                functions += function.get_signature_functions()
            else:
                functions = [function]
            for each in functions:
                if getattr(each, "tree_node", None) is None:
                    raise _Open("the constructor has no source")
                self._check_function_decorators(each)
                corrected.append(TreeSignature(cls, each, is_bound=True))
        if not corrected or not all(found_in_chosen(s) for s in corrected):
            raise _Open("jedi's constructor is not the one the MRO picks")
        return corrected

    def _check_decorators(self, value: Any) -> None:
        original = getattr(value, "_original_value", value)
        node = getattr(original, "tree_node", None)
        if node is None:
            raise _Open("decorated callee without source")
        if node.type == "classdef":
            return  # class decorators are judged by the class check
        self._check_function_decorators(original)

    def _check_function_decorators(self, function: Any) -> None:
        """Every decorator of a function keeps its signature: known ones (``staticmethod``,
        ``overload``, ...) and those that return the function they get. jedi itself drops a
        decorator it cannot infer, so a plain function value is checked too."""
        node = getattr(function, "tree_node", None)
        if node is None or node.type != "funcdef" or function.is_stub():
            return  # a stub writes down the signature its decorators leave
        for decorator in node.get_decorators():
            name = decorator_name(decorator)
            if _keeps_signature(name):
                continue
            if self.resolver.identity_decorator(decorator, function, stores=True):
                continue
            if not self._typed_as_keeping(decorator, function):
                raise _Open(f"decorator {name} may change the signature")

    def _typed_as_keeping(self, decorator: Any, function: Any) -> bool:
        """jedi applies a decorator by its declared types (``def deco(f: F) -> F``) and gets the
        function itself back: the decorator declares it keeps the signature. A decorator jedi
        cannot infer or apply is dropped by jedi silently; that one proves nothing."""
        try:
            self.resolver._reset_limits()
            context = function.parent_context
            decorators = context.infer_node(decorator.children[1])
            if not decorators:
                return False
            results = decorators.execute(ValuesArguments([ValueSet([function])]))
        except Exception:
            note_failure()
            return False
        node = function.tree_node
        if not results or any(getattr(_unwrap(r), "tree_node", None) is not node for r in results):
            return False
        # the declared types say "same signature"; a wrapper in the body that takes keywords
        # of its own besides `*args, **kwargs` says otherwise
        found = self.resolver.decorator_functions(decorator, function)
        return found is None or not any(_adds_keywords(n) for n in found[1])

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
            note_failure()
            raise _Open("class hierarchy unknown") from exc
        if self._mro(cls) is None and _constructor_after_object(code_sources[1:]):
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
                name = decorator_name(decorator)
                if not self.resolver._benign_decorator(decorator, klass):
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
        self,
        signature: Any,
        site: CallSite | None,
        result: Accepted,
        depth: int,
        seen: set[int],
        *,
        positional: bool,
        follow: bool = True,
        exact: Any = None,
    ) -> None:
        """``follow``: look where ``**kwargs`` goes (not for an overload, whose body is ``...``)."""
        params = list(signature.get_param_names(resolve_stars=False))
        function = getattr(signature, "_function_value", None) or signature.value
        # typeshed marks parameters positional-only where only that is *safe* (the C and the
        # pure-Python implementation name them differently); source code means it
        strict = not function.is_stub()
        count = 0
        var_positional = False
        var_keyword = None
        for param in params:
            kind = param.get_kind()
            if kind == Parameter.VAR_POSITIONAL:
                var_positional = True
            elif kind == Parameter.VAR_KEYWORD:
                var_keyword = param
            else:
                if kind != Parameter.POSITIONAL_ONLY or not strict:
                    # a positional-only parameter cannot be passed by keyword
                    result.names.add(param.string_name)
                    if param.string_name not in result.ordered:
                        result.ordered.append(param.string_name)
                if kind in (Parameter.POSITIONAL_ONLY, Parameter.POSITIONAL_OR_KEYWORD):
                    count += 1
        if positional:
            if var_positional or result.max_positional is None:
                result.max_positional = None
            else:
                result.max_positional = max(result.max_positional, count)
        if var_keyword is not None and follow:
            try:
                self._follow_var_keyword(
                    signature, var_keyword, site, result, depth, seen, exact=exact
                )
            except _Unknown:
                raise
            except _Open as exc:
                # the keywords stay unknown; how many positionals the callee takes does not
                result.keywords_open = result.keywords_open or str(exc)

    def _follow_var_keyword(
        self,
        signature: Any,
        param: Any,
        site: CallSite | None,
        result: Accepted,
        depth: int,
        seen: set[int],
        *,
        exact: Any = None,
    ) -> None:
        # for a class, the signature's value is the class and the function is its __init__
        function = getattr(signature, "_function_value", None) or signature.value
        funcdef = getattr(function, "tree_node", None)
        typed = self._unpacked_typed_dict(param)
        if funcdef is None or funcdef.type not in ("funcdef", "lambdef"):
            if typed is not None:
                result.names |= typed
                return
            raise _Unknown("**kwargs of a callee without source")
        if function.is_stub():
            if typed is not None:
                result.names |= typed
                return
            if not self._runtime:
                result.runtime_skipped = True  # the names it takes are in the source
                return
            runtime = [v for v in _runtime_values(_unwrap(function)) if not v.is_stub()]
            if not runtime:
                raise _Unknown("**kwargs in a stub without runtime source")
            for value in runtime:
                # the installed function behind the stub: the same callee
                self._add_callee(value, site, result, depth + 1, seen, positional=False)
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
        # positions as the caller sees them: a bound method's `self` is not among them, and
        # nothing after `*args` can be filled positionally
        params: dict[str, int | None] = {}
        index: int | None = 0
        for p in signature.get_param_names(resolve_stars=False):
            kind = p.get_kind()
            if kind in (Parameter.VAR_POSITIONAL, Parameter.KEYWORD_ONLY):
                index = None
            params[p.string_name] = index
            if index is not None:
                index += 1
        for callee_leaf, root_name in targets:
            if site is not None and root_name in params:
                position = params[root_name]
                by_position = position is not None and position < site.positional
                if root_name in site.keywords or by_position:
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
            receiver = None
            if exact is not None and root_name in ("self", "super"):
                receiver = _receiver_of(exact, callee_leaf, root_name, funcdef)
            if root_name == "super" and receiver is None:
                # what follows this class in the MRO depends on the instance's actual class
                raise _Open("super() of an instance whose class is not known exactly")
            for value in values:
                result.forwarded_to.append(_callee_name(value))
                self._add_callee(
                    value, None, result, depth + 1, seen, positional=False, receiver=receiver
                )

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
            note_failure()
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
                note_failure()
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
        note_failure()
        return ()


def _add_written_signature(funcdef: Any, result: Accepted, *, positional: bool) -> None:
    """Add what a method's parameter list accepts, read from its source alone (an override in
    a subclass): its own ``**kwargs`` or a decorator that may change it leave it open."""
    for decorator in funcdef.get_decorators():
        name = decorator_name(decorator)
        if not _keeps_signature(name):
            raise _Open(f"an override's decorator {name} may change its signature")
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
            raise _Open("an override takes **kwargs")
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


def _adds_keywords(decorator: Any) -> bool:
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


def _enclosing_class(node: Any) -> Any:
    """The classdef whose body defines a function (through ``if`` blocks), or None."""
    scope = node.parent
    while scope is not None and scope.type not in ("classdef", "funcdef", "file_input"):
        scope = scope.parent
    return scope if scope is not None and scope.type == "classdef" else None


def _class_key(klass: Any) -> Any:
    node = getattr(klass, "tree_node", None)
    if node is not None and node.type == "classdef":
        return id(node)
    return (".".join(_root_names(klass)), klass.py__name__())


def _c3(cls: Any, memo: dict[Any, list[Any] | None], depth: int = 0) -> list[Any] | None:
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
        lazies = list(cls.py__bases__())
        bases = []
        for lazy in lazies:
            inferred = [_unwrap(b) for b in lazy.infer()]
            if len(inferred) != 1 or not inferred[0].is_class():
                return None
            bases.append(inferred[0])
    except Exception:
        note_failure()
        return None
    sequences = []
    for base in bases:
        linear = _c3(base, memo, depth + 1)
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


def _mro_choice(mro: list[Any] | None, after: Any, name: str) -> Any:
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


def _receiver_of(exact: Any, callee_leaf: Any, root_name: str, funcdef: Any) -> Any:
    """For ``self.m(**kw)`` or ``super().m(**kw)`` / ``super(C, self).m(**kw)`` written in a
    method of class C: ``(exact, None)`` or ``(exact, C's node)``; None for anything else."""
    power = callee_leaf.parent
    while power is not None and power.type not in ("atom_expr", "power"):
        power = power.parent
    if power is None or (len(power.children) != 4 and root_name == "super"):
        return None
    owner = _enclosing_class(funcdef)
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


def _runtime_definitions(values: list[Any]) -> list[Any]:
    """Drop ``@overload`` declarations in source when their implementation is among the values:
    jedi answers a name with each of its definitions, but at run time the last one is bound."""
    implemented = set()
    for value in values:
        if type(value).__name__ == "OverloadedFunctionValue":
            implementation = _overload_implementation(value)
            if implementation is not None:
                scope = get_parent_scope(implementation.tree_node)
                implemented.add((id(scope), value.py__name__()))
    if not implemented:
        return values
    kept = []
    for value in values:
        if type(value).__name__ == "OverloadedFunctionValue" and not value.is_stub():
            key = (id(get_parent_scope(value._wrapped_value.tree_node)), value.py__name__())
            if key in implemented and _overload_implementation(value) is None:
                continue
        kept.append(value)
    return kept


def _overload_implementation(overloaded: Any) -> Any:
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


def _is_async(function: Any) -> bool:
    node = getattr(function, "tree_node", None)
    parent = getattr(node, "parent", None)
    return parent is not None and parent.type in ("async_stmt", "async_funcdef")


def _keeps_signature(decorator: str) -> bool:
    """A decorator known to leave a function's signature as written."""
    return decorator.rsplit(".", 1)[-1] in _SIGNATURE_KEEPING or decorator in _SIGNATURE_KEEPING


def _callee_name(value: Any) -> str:
    try:
        name = value.py__name__()
    except Exception:
        note_failure()
        name = "?"
    return f"{name}()"


def _owner_of(value: Any) -> tuple[str, str | None] | None:
    try:
        target = value._wrapped_value if type(value).__name__ == "DataclassWrapper" else value
        kind = "class" if target.is_class() else "function"
        owner = _describe(target, kind)
    except Exception:
        note_failure()
        return None
    return owner.qualname, owner.path
