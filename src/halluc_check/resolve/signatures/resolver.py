"""A resolved callee -> the keyword names and positional count it accepts, following where its
``**kwargs`` go (see :mod:`halluc_check.resolve.signatures`)."""

from __future__ import annotations

import logging
from inspect import Parameter
from typing import TYPE_CHECKING, Any

from jedi.api import helpers as jedi_helpers
from jedi.inference.signature import TreeSignature

from ...jedi_compat.failures import note_failure
from ..tree_reading import defined_for_type_checkers
from ..values import (
    describe,
    implementation_values,
    is_exact,
    is_none,
    runtime_values,
    unwrap,
)
from ..verdicts import Accepted, CallSite
from .callee_checks import CalleeChecks
from .forwarding import kwargs_uses, unpacked_typed_dict
from .mro import enclosing_class, receiver_of
from .open_paths import OpenPath, UnknownSignature
from .overloads import (
    hides_async_overloads,
    is_async,
    overload_implementation,
    runtime_definitions,
)
from .written import add_written_signature

if TYPE_CHECKING:
    from ..file_resolver import FileResolver

LOG = logging.getLogger(__name__)

_MAX_DEPTH = 6


class SignatureResolver:
    """What the callees of one checked file accept, in the inference of its ``resolver``."""

    def __init__(self, resolver: FileResolver) -> None:
        self.resolver = resolver
        self.state = resolver.state
        self.checks = CalleeChecks(resolver)
        self._runtime = True  # whether a stub's installed source is read as well
        self._exact_receiver = False  # whether the call's receiver is of its class exactly

    def accepted(
        self, values: list[Any], site: CallSite, *, receivers: list[Any] | None = None
    ) -> Accepted | None:
        """What the callee accepts, or None when that cannot be told; ``receivers``: the values
        the callee was looked up on, when it is a member (a literal's class is known exactly,
        so no subclass can override the method).

        A stub is read first on its own. The installed source behind a stub can only widen what
        is accepted (or leave it undecided), so it is read only when the stub alone rejects the
        call: reading it means parsing a stdlib module that is otherwise never parsed."""
        values = runtime_definitions([v for v in values if v is not None and not is_none(v)])
        if not values:
            return None
        self._exact_receiver = bool(receivers) and all(is_exact(r) for r in receivers or ())
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
        except OpenPath as exc:
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
            raise OpenPath("forwarding too deep")
        value, kind, named, exact = self._what_is_called(value)
        function = unwrap(value._wrapped_value) if kind == "BoundMethod" else value
        overloaded = type(function).__name__ == "OverloadedFunctionValue"
        if overloaded and hides_async_overloads(function):
            raise OpenPath("some overloads are not seen by jedi")
        if kind == "BoundMethod":
            exact = self.checks.bound_method(
                value,
                receiver,
                result,
                positional=positional,
                exact_instance=depth == 0 and self._exact_receiver,
            )
        if kind in ("FunctionValue", "MethodValue", "BoundMethod", "OverloadedFunctionValue"):
            node = getattr(unwrap(function), "tree_node", None)
            if node is not None and not function.is_stub() and defined_for_type_checkers(node):
                # what type checkers are told; at run time the MRO's next method is called
                self._add_runtime_method(function, node, result, positional=positional)
        if kind in ("FunctionValue", "MethodValue", "BoundMethod") and not overloaded:
            self.checks.function_decorators(function)
        if depth == 0:
            _name_callee(named, result)
        signatures = self._signatures(value, kind)
        if depth == 0:
            for signature in signatures:
                result.signature_values.append(signature)
        implementation = _overload_implementation(value, function) if overloaded else None
        self._add_signatures(
            signatures,
            implementation,
            site,
            result,
            depth,
            seen,
            positional=positional,
            exact=exact,
        )
        stub = function._function if kind == "ClassMethodGet" else value
        if stub.is_stub() and not self._runtime:
            result.runtime_skipped = True
        elif stub.is_stub():
            self._add_installed_source(stub, kind, site, result, depth, seen, positional=positional)

    def _add_runtime_method(
        self, function: Any, declared: Any, result: Accepted, *, positional: bool
    ) -> None:
        """A method declared under ``if TYPE_CHECKING:`` (pydantic's ``RootModel.model_dump``,
        SQLAlchemy's operators): the one called at run time is the next in the MRO defined
        outside such a branch (or a stub's, for a base the interpreter implements); what it
        accepts is accepted too, read as written."""
        owner = enclosing_class(declared)
        class_context = getattr(unwrap(function), "class_context", None)
        if owner is None or class_context is None:
            raise OpenPath("a declaration for type checkers: run time calls another")
        mro = self.checks.mro(class_context.get_value())
        # the declaring class is found by its node: positions repeat across modules
        place = next(
            (i for i, k in enumerate(mro or ()) if getattr(k, "tree_node", None) is owner), None
        )
        if mro is None or place is None:
            raise OpenPath("a declaration for type checkers, in a class whose MRO is unknown")
        name = declared.name.value
        for klass in mro[place + 1 :]:
            node = getattr(klass, "tree_node", None)
            if klass.py__name__() in ("Generic", "Protocol"):
                continue  # typing's markers define no methods
            if node is None or node.type != "classdef":
                raise OpenPath("a declaration for type checkers over a base without source")
            runtime = [
                f
                for f in node.iter_funcdefs()
                if f.name.value == name and not defined_for_type_checkers(f)
            ]
            if runtime:
                add_written_signature(runtime[-1], result, positional=positional)
                return
        raise OpenPath("a declaration for type checkers with no method at run time")

    def _what_is_called(self, value: Any) -> tuple[Any, str, Any, Any]:
        """The callee behind its decorators, its kind (jedi's class name for it), what a
        message names, and the exact class of ``self`` in its body when that is known; raises
        :class:`OpenPath` for a callee whose signature cannot be read as written."""
        kind = type(value).__name__
        if value.is_compiled():
            raise OpenPath("compiled callee: signature from introspection")
        if kind == "Decoratee":
            self.checks.decorators(value)
            original = value._original_value
            value = value._wrapped_value
            kind = type(value).__name__
            if value.is_instance() and type(original).__name__ == "FunctionValue":
                # jedi applied a decorator by its types (`Callable[P, R]`): an object; every
                # decorator keeps the signature, so the function itself says what is accepted
                value, kind = original, "FunctionValue"
        named = value  # what the message names
        exact = None  # the exact class of `self` inside the callee's body, when known
        if value.is_class() or kind == "DataclassWrapper":
            self.checks.construction(value)
            if kind == "DataclassWrapper":
                # the standard library's dataclass: its __init__ is read as Python builds it
                value = value._wrapped_value
                kind = type(value).__name__
                named = value
            exact = value
        elif kind == "ClassMethodGet":
            # a classmethod looked up on its class: bound to the class, `cls` dropped
            named = value._function
        elif value.is_instance():
            raise OpenPath("calling an instance (__call__, partial objects)")
        elif kind not in ("FunctionValue", "MethodValue", "BoundMethod", "OverloadedFunctionValue"):
            raise OpenPath(f"callee is a {kind}")
        return value, kind, named, exact

    def _signatures(self, value: Any, kind: str) -> list[Any]:
        """jedi's signatures of the callee; for a class, those of the constructor Python's MRO
        picks."""
        signatures = list(value.get_signatures())
        if not signatures:
            raise OpenPath("no signature")
        if value.is_class():
            signatures = self.checks.constructor_signatures(value, signatures)
        return signatures

    def _add_signatures(
        self,
        signatures: list[Any],
        implementation: Any,
        site: CallSite | None,
        result: Accepted,
        depth: int,
        seen: set[int],
        *,
        positional: bool,
        exact: Any,
    ) -> None:
        """Add what the callee's signatures accept; ``implementation``: the function that its
        ``@overload`` declarations in source describe, if any."""
        if implementation is not None:
            first = signatures[0]
            actual = TreeSignature(first.value, implementation, is_bound=first.is_bound)
            try:
                self.checks.function_decorators(implementation)
            except OpenPath:
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

    def _add_installed_source(
        self,
        stub: Any,
        kind: str,
        site: CallSite | None,
        result: Accepted,
        depth: int,
        seen: set[int],
        *,
        positional: bool,
    ) -> None:
        """A stub can lag or narrow what the installed source accepts: the source has the last
        word where it exists (its own ``**kwargs`` must then be closed as well)."""
        for runtime in runtime_values(unwrap(stub)):
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
        # pure-Python implementation name them differently); source code means it, and so does
        # the interpreter's own signature of a compiled implementation
        strict = not function.is_stub()
        compiled_only = set()
        if not strict and site is not None:
            stub_only = {p.string_name for p in params if p.get_kind() == Parameter.POSITIONAL_ONLY}
            if stub_only & site.keywords:
                compiled_only = compiled_positional_only(function) & stub_only
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
                refused = kind == Parameter.POSITIONAL_ONLY and (
                    strict or param.string_name in compiled_only
                )
                if refused:
                    # a positional-only parameter cannot be passed by keyword
                    result.positional_only.add(param.string_name)
                else:
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
            except UnknownSignature:
                raise
            except OpenPath as exc:
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
        typed = unpacked_typed_dict(param)
        if funcdef is None or funcdef.type not in ("funcdef", "lambdef"):
            if typed is not None:
                result.names |= typed
                return
            raise UnknownSignature("**kwargs of a callee without source")
        if function.is_stub():
            if typed is not None:
                result.names |= typed
                return
            self._follow_into_installed(function, site, result, depth, seen)
            return
        if id(funcdef) in seen:
            return
        seen = seen | {id(funcdef)}
        name = param.string_name
        consumed, targets = kwargs_uses(funcdef, name)
        result.names |= consumed
        if not targets:
            if typed is not None:
                result.names |= typed
                return
            if not consumed:
                raise OpenPath(f"**{name} is accepted but never used")
            return
        context = function.as_context()
        params = _positions_as_called(signature)
        for callee_leaf, root_name in targets:
            if site is not None and root_name in params:
                position = params[root_name]
                by_position = position is not None and position < site.positional
                if root_name in site.keywords or by_position:
                    raise OpenPath(f"the forwarding target `{root_name}` is chosen by the caller")
            self.resolver.reset_limits()
            inner = context.create_context(callee_leaf)
            values = [
                v
                for v in jedi_helpers.infer(self.state, inner, callee_leaf)
                if v is not None and not is_none(v)
            ]
            if not values:
                raise OpenPath(f"cannot infer the target of **{name}")
            receiver = None
            if exact is not None and root_name in ("self", "super"):
                receiver = receiver_of(exact, callee_leaf, root_name, funcdef)
            if root_name == "super" and receiver is None:
                # what follows this class in the MRO depends on the instance's actual class
                raise OpenPath("super() of an instance whose class is not known exactly")
            for value in values:
                result.forwarded_to.append(_callee_name(value))
                self._add_callee(
                    value, None, result, depth + 1, seen, positional=False, receiver=receiver
                )

    def _follow_into_installed(
        self, stub: Any, site: CallSite | None, result: Accepted, depth: int, seen: set[int]
    ) -> None:
        """The ``**kwargs`` of a stub's function: the names it takes are in the installed
        source, read only when the stub alone rejects the call."""
        if not self._runtime:
            result.runtime_skipped = True  # the names it takes are in the source
            return
        runtime = [v for v in runtime_values(unwrap(stub)) if not v.is_stub()]
        if not runtime:
            raise UnknownSignature("**kwargs in a stub without runtime source")
        for value in runtime:
            # the installed function behind the stub: the same callee
            self._add_callee(value, site, result, depth + 1, seen, positional=False)


def compiled_positional_only(stub: Any) -> set[str]:
    """The parameters that the interpreter's own signature of a stub function's compiled
    implementation takes by position only (``dict.get(key, default=None, /)``); empty when
    the implementation is not compiled, or its signature cannot be read, or it takes
    ``**kwargs`` (where such a name could still land)."""
    implementations = implementation_values(stub)
    if not implementations or not all(v.is_compiled() for v in implementations):
        return set()
    names: set[str] | None = None
    for value in implementations:
        try:
            signatures = list(value.get_signatures())
        except Exception:
            note_failure()
            return set()
        if not signatures:
            return set()
        for signature in signatures:
            kinds = {p.string_name: p.get_kind() for p in signature.get_param_names()}
            if Parameter.VAR_KEYWORD in kinds.values():
                return set()
            only = {n for n, kind in kinds.items() if kind == Parameter.POSITIONAL_ONLY}
            names = only if names is None else names & only
    return names or set()


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
        owner = describe(target, kind)
    except Exception:
        note_failure()
        return None
    return owner.qualname, owner.path


def _positions_as_called(signature: Any) -> dict[str, int | None]:
    """Each parameter's position as the caller sees it: a bound method's ``self`` is not among
    them, and nothing after ``*args`` can be filled positionally (None)."""
    params: dict[str, int | None] = {}
    index: int | None = 0
    for p in signature.get_param_names(resolve_stars=False):
        kind = p.get_kind()
        if kind in (Parameter.VAR_POSITIONAL, Parameter.KEYWORD_ONLY):
            index = None
        params[p.string_name] = index
        if index is not None:
            index += 1
    return params


def _name_callee(named: Any, result: Accepted) -> None:
    """The callee as a finding names it: its name, and its owner's qualified name and file. An
    explicit dunder call is left open."""
    if named.py__name__().startswith("__"):
        raise OpenPath("explicit dunder call (`__new__`, `__init__` through super or a class)")
    result.callee = _callee_name(named)
    owner = _owner_of(named)
    if owner is not None:
        result.owner, result.path = owner


def _overload_implementation(overloaded: Any, function: Any) -> Any:
    """The implementation of an overloaded callee's ``@overload`` declarations in source, if it
    is there; raises :class:`OpenPath` when jedi does not see every overload."""
    functions = overloaded.get_signature_functions()
    if any(is_async(f) for f in functions):
        raise OpenPath("some overloads are not seen by jedi")
    return overload_implementation(function)
