"""A syntax tree being walked -> :class:`Collected`: the one definition of what counts as a
reference, what guards it, what narrows it, and which stores and probes count.

Two collectors walk two kinds of tree (``ast`` for code this interpreter parses, libcst for
newer syntax) and must find the same references. Both subclass :class:`CollectionRules`: the
subclass walks its tree and answers the questions marked *adapter* (a dotted name, a string
value, where a name is written), and the rules here decide what is recorded. A change to a
rule is made here, once.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from typing import Generic, TypeVar

from ..model import Span
from .refs import AttributeRef, CallRef, Collected, ImportedName, ImportRef

N = TypeVar("N")
"""An expression node of the tree being walked."""

#: Exception names whose handler makes the guarded body's missing names expected.
GUARD_EXCEPTIONS = frozenset(
    {
        "AttributeError",
        "ImportError",
        "ModuleNotFoundError",
        "Exception",
        "BaseException",
        "NameError",
        "LookupError",
        "TypeError",
    }
)
#: Names whose presence in an ``if`` test marks both branches as environment-dependent: the
#: interpreter's or a library's version (``PYDANTIC_V1``, ``IS_PYDANTIC_V2``), the platform.
ENVIRONMENT_TEST = re.compile(
    r"\b(TYPE_CHECKING|version_info|platform|os\.name|implementation|sys\.version|"
    r"PY2|PY3|PY\d\d|\w*_[Vv]\d+|IS_WINDOWS|WINDOWS|MACOS|LINUX)\b|version|VERSION"
)
NARROWING_CALLS = frozenset({"isinstance", "issubclass", "type", "callable"})
ATTR_PROBES = frozenset({"hasattr", "getattr", "delattr"})

Plan = tuple[tuple[str, bool], ...]
"""How to walk a compound statement: its fields (named alike in ``ast`` and libcst) in walking
order, each with whether the references inside it are guarded."""

# the `else:` of a guarding try runs only when the guarded names turned out to exist
_TRY_GUARDED: Plan = (("body", True), ("orelse", True), ("handlers", False), ("finalbody", False))
_TRY_UNGUARDED: Plan = (
    ("body", False),
    ("handlers", False),
    ("orelse", False),
    ("finalbody", False),
)
#: ``try: ... except* ...:`` guards its body, whatever it catches.
TRY_STAR_PLAN: Plan = (("body", True), ("handlers", False), ("orelse", False), ("finalbody", False))
_IF_GUARDED: Plan = (("test", False), ("body", True), ("orelse", True))
_IF_UNGUARDED: Plan = (("test", False), ("body", False), ("orelse", False))
_WITH_GUARDED: Plan = (("items", False), ("body", True))
_WITH_UNGUARDED: Plan = (("items", False), ("body", False))


def short_name(dotted: str) -> str:
    """The last part of a dotted name: what a name is matched by (``os.path`` -> ``path``)."""
    return dotted.rsplit(".", 1)[-1]


class CollectionRules(ABC, Generic[N]):
    """What a collector tracks while it walks a tree, and the rules it records references by.

    Nodes are identified by ``id()``. :meth:`finish` applies the probes and narrowings found in
    each scope to the attribute references of that scope.
    """

    def __init__(self) -> None:
        super().__init__()  # cooperative: libcst's visitor class comes next in its collector
        self.out = Collected()
        self.guard_depth = 0
        self.annotation_depth = 0
        self.scope_stack: list[int] = [0]
        self.called: set[int] = set()
        self.node_index: dict[int, int] = {}
        self.inner_node: dict[int, int] = {}
        # per scope: attribute names probed with hasattr/getattr, and "any name" probes
        self.probed: dict[int, set[str]] = {}
        self.probed_any: set[int] = set()
        self.narrowed: dict[int, set[str]] = {}
        # probes by a bare name, kept until the walk has seen whether their scope rebinds it
        self.probes: list[tuple[int, str, str | None]] = []
        self.rebound: dict[int, set[str]] = {}
        self.enclosing: dict[int, int] = {}
        # whether the innermost body being walked is a class body (its names are attributes)
        self.class_body: list[bool] = [False]

    # -- adapter: what the tree says -------------------------------------------------------------
    @abstractmethod
    def dotted(self, node: N) -> str | None:
        """``a.b.c`` for a name or an attribute chain of names, else None."""

    @abstractmethod
    def string_value(self, node: N) -> str | None:
        """The value of a plain string literal, else None."""

    @abstractmethod
    def tuple_elements(self, node: N) -> Sequence[N] | None:
        """The elements of a tuple display, else None."""

    @abstractmethod
    def is_attribute(self, node: N) -> bool:
        """Whether ``node`` is an attribute expression (``base.attr``)."""

    @abstractmethod
    def spine_child(self, node: N) -> N | None:
        """The function of a call or the value of a subscript, else None."""

    @abstractmethod
    def with_parentheses(self, node: N) -> tuple[tuple[int, int], str]:
        """The end position and the text of ``node`` with the parentheses enclosing exactly it."""

    @abstractmethod
    def attribute_span(self, node: N, attr: str) -> Span:
        """Where the name ``attr`` of attribute ``node`` is written."""

    @abstractmethod
    def narrowing_subject(self, call: N, first: N) -> str:
        """The text of ``call``'s first argument ``first``, with its own parentheses but not
        the call's (``callable(x)`` narrows ``x``)."""

    # -- guards ----------------------------------------------------------------------------------
    def exception_names(self, node: N | None) -> Iterator[str]:
        """The names caught by an ``except`` clause's type (``None``: a bare ``except:``)."""
        if node is None:
            yield "BaseException"
            return
        elements = self.tuple_elements(node)
        if elements is not None:
            for element in elements:
                yield from self.exception_names(element)
            return
        dotted = self.dotted(node)
        yield short_name(dotted) if dotted else "?"

    def try_plan(self, handler_types: Iterable[N | None]) -> Plan:
        """A ``try`` guards its body when a handler catches an exception in GUARD_EXCEPTIONS."""
        catches = {name for kind in handler_types for name in self.exception_names(kind)}
        return _TRY_GUARDED if catches & GUARD_EXCEPTIONS else _TRY_UNGUARDED

    @staticmethod
    def if_plan(test: str, start: int, end: int) -> Plan:
        """An ``if`` whose test (``test[start:end]``) names the environment (a version, the
        platform, ``TYPE_CHECKING``) guards both branches; probes (``hasattr``) are not tied to
        the branch, they guard their whole scope (see :meth:`note_call`)."""
        return _IF_GUARDED if ENVIRONMENT_TEST.search(test, start, end) else _IF_UNGUARDED

    def with_plan(self, context_calls: Iterable[tuple[N, Iterable[N]]]) -> Plan:
        """``with suppress(ImportError):`` guards its body like the ``try`` it stands for;
        ``context_calls`` are the function and arguments of each context manager that is a call."""
        for function, arguments in context_calls:
            if (self.dotted(function) or "").endswith("suppress"):
                names = {name for argument in arguments for name in self.exception_names(argument)}
                if names & GUARD_EXCEPTIONS:
                    return _WITH_GUARDED
        return _WITH_UNGUARDED

    # -- calls, classes and stores ---------------------------------------------------------------
    def note_call(self, call: N, function: N, positional: Sequence[N]) -> None:
        """The function of a call is "called". ``hasattr``/``getattr``/``delattr``/``setattr``
        probe the literal name they are given (or any name), ``isinstance`` and the like narrow
        their first argument; both for the whole scope they are in."""
        self.called.add(id(function))
        name = self.dotted(function)
        if name is None:
            return
        short = short_name(name)
        scope = self.scope_stack[-1]
        if short in ATTR_PROBES or short == "setattr":
            literal = self.string_value(positional[1]) if len(positional) >= 2 else None
            if short == "setattr" and literal is not None:
                self.out.stored_attributes.add(literal)  # whoever's `setattr`: silence is safe
            if name in (short, f"builtins.{short}"):
                # only the builtin probes: a method named `getattr` (`env.getattr(obj, "x")`)
                # guards nothing
                self.probes.append((scope, name, literal))
        elif short in NARROWING_CALLS and positional:
            subject = self.narrowing_subject(call, positional[0])
            self.narrowed.setdefault(scope, set()).add(subject)

    def note_bases(self, bases: Iterable[N]) -> None:
        for base in bases:
            dotted = self.dotted(base)
            if dotted:
                self.out.subclassed.add(short_name(dotted))

    def enter_body(self, node: object, *, is_class: bool) -> None:
        """Walking into a function's (or lambda's) scope, or into a class body."""
        if not is_class:
            self.enclosing[id(node)] = self.scope_stack[-1]
            self.scope_stack.append(id(node))
        self.class_body.append(is_class)

    def leave_body(self, *, is_class: bool) -> None:
        self.class_body.pop()
        if not is_class:
            self.scope_stack.pop()

    def note_binding(self, name: str) -> None:
        """A bare name bound (assigned, defined, imported, a parameter) in the current scope: a
        probe called by that name there or in nested scopes may not be the builtin. A class
        body's names are its attributes: a method named ``getattr`` rebinds nothing."""
        if (name in ATTR_PROBES or name == "setattr") and not self.class_body[-1]:
            self.rebound.setdefault(self.scope_stack[-1], set()).add(name)

    def _rebound(self, scope: int, name: str) -> bool:
        """Whether ``name`` is bound in ``scope`` or a scope around it."""
        current: int | None = scope
        while current is not None:
            if name in self.rebound.get(current, ()):
                return True
            current = self.enclosing.get(current)
        return False

    def note_store(self, attr: str) -> None:
        """An attribute assigned, deleted, or bound by ``for``/``with``: not a reference."""
        self.out.stored_attributes.add(attr)

    # -- references ------------------------------------------------------------------------------
    def add_import(self, module: str, span: Span) -> None:
        """``import a.b``; ``span`` is where the dotted name is written."""
        self.out.imports.append(
            ImportRef(module=module, level=0, span=span, names=(), guarded=self.guard_depth > 0)
        )

    def add_from_import(
        self, module: str, level: int, anchor: Span, names: Sequence[ImportedName] | None
    ) -> None:
        """``from a.b import c``; ``anchor`` is where the module's dotted name is written (the
        last dot of a bare relative import); ``names`` is None for ``import *``."""
        if module == "__future__":
            return
        self.out.imports.append(
            ImportRef(
                module=module,
                level=level,
                span=anchor,
                names=() if names is None else tuple(names),
                guarded=self.guard_depth > 0,
                star=names is None,
            )
        )

    def add_call(
        self,
        function: N,
        keywords: Sequence[ImportedName],
        positional: Sequence[Span],
        unpacking: bool,
    ) -> None:
        """A call with its keyword names (where each name is written) and positional arguments
        (each without its own parentheses); ``unpacking`` for ``*args`` or ``**mapping``."""
        if not keywords and not positional:
            return
        end, text = self.with_parentheses(function)
        self.out.calls.append(
            CallRef(
                func_end=end,
                func_text=text,
                keywords=tuple(keywords),
                positional=tuple(positional),
                unpacking=unpacking,
                guarded=self.guard_depth > 0,
            )
        )

    def add_attribute(self, node: N, base: N, attr: str) -> None:
        """A loaded ``base.attr`` (a stored one goes to :meth:`note_store`)."""
        key = id(node)
        self.node_index[key] = len(self.out.attributes)
        # the inner reference: the next attribute down the base, through calls and subscripts
        inner: N | None = base
        while inner is not None and not self.is_attribute(inner):
            inner = self.spine_child(inner)
        if inner is not None:
            self.inner_node[key] = id(inner)
        span = self.attribute_span(node, attr)
        base_end, base_text = self.with_parentheses(base)
        self.out.attributes.append(
            AttributeRef(
                attr=attr,
                span=span,
                base_end=base_end,
                base_text=base_text,
                called=key in self.called,
                guarded=self.guard_depth > 0,
                scope=self.scope_stack[-1],
                in_annotation=self.annotation_depth > 0,
            )
        )

    def finish(self) -> Collected:
        for scope, function, literal in self.probes:
            if self._rebound(scope, function):
                continue
            if literal is None:
                self.probed_any.add(scope)
            else:
                self.probed.setdefault(scope, set()).add(literal)
        for ref_id, inner_id in self.inner_node.items():
            outer_index = self.node_index[ref_id]
            self.out.attributes[outer_index].inner = self.node_index.get(inner_id)
        for ref in self.out.attributes:
            probed = self.probed.get(ref.scope, set()) | self.probed.get(0, set())
            if ref.scope in self.probed_any or ref.attr in probed:
                ref.guarded = True
            narrowed = self.narrowed.get(ref.scope, set())
            if ref.base_text in narrowed or any(
                ref.base_text.startswith(subject + ".") for subject in narrowed
            ):
                ref.narrowed = True
        return self.out


__all__: Sequence[str] = (
    "ATTR_PROBES",
    "ENVIRONMENT_TEST",
    "GUARD_EXCEPTIONS",
    "NARROWING_CALLS",
    "TRY_STAR_PLAN",
    "CollectionRules",
    "Plan",
    "short_name",
)
