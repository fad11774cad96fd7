"""Python source -> the references to check: imports, attribute loads, calls, and the guards
around them.

The references are collected from Python's own ``ast``: it parses in native code and carries
positions, which makes collecting about ten times cheaper than walking a libcst tree with
position metadata. ``ast`` columns are UTF-8 byte offsets; :class:`_Text` turns them into the
character columns every report uses. Code that this interpreter cannot parse (syntax of a newer
target Python) is collected from libcst instead, by :mod:`halluc_check.syntax.collect_cst`.
"""

from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import Span
from ..text import LINE_BREAK, split_lines

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
#: Names whose presence in an ``if`` test marks both branches as environment-dependent.
ENVIRONMENT_TEST = re.compile(
    r"\b(TYPE_CHECKING|version_info|platform|os\.name|implementation|sys\.version|"
    r"PY2|PY3|PY\d\d|IS_WINDOWS|WINDOWS|MACOS|LINUX)\b|version|VERSION"
)
NARROWING_CALLS = frozenset({"isinstance", "issubclass", "type", "callable"})
ATTR_PROBES = frozenset({"hasattr", "getattr", "delattr"})


@dataclass(frozen=True, slots=True)
class ImportedName:
    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class ImportRef:
    """``import a.b`` (``names`` empty) or ``from a.b import c, d`` (``level`` > 0 for relative)."""

    module: str
    level: int
    span: Span
    names: tuple[ImportedName, ...]
    guarded: bool
    star: bool = False


@dataclass(slots=True)
class AttributeRef:
    """A loaded ``base.attr``; ``base_end`` is the exclusive end of the base, parentheses included."""

    attr: str
    span: Span
    base_end: tuple[int, int]
    base_text: str
    called: bool
    guarded: bool
    scope: int
    inner: int | None = None
    """Index of the attribute reference inside this one's base (``a.b`` in ``a.b.c``), if any."""
    narrowed: bool = False
    in_annotation: bool = False
    """Inside a type annotation, where names that exist only for type checkers are fine."""

    @property
    def expression(self) -> str:
        return f"{self.base_text}.{self.attr}"


@dataclass(frozen=True, slots=True)
class CallRef:
    """A call with its keyword names and positional arguments, for signature checks."""

    func_end: tuple[int, int]
    func_text: str
    keywords: tuple[ImportedName, ...]
    positional: tuple[Span, ...]
    unpacking: bool
    """``*args`` or ``**mapping`` at the call site: nothing can be proven about it."""
    guarded: bool


@dataclass(slots=True)
class Collected:
    imports: list[ImportRef] = field(default_factory=list)
    attributes: list[AttributeRef] = field(default_factory=list)
    calls: list[CallRef] = field(default_factory=list)
    stored_attributes: set[str] = field(default_factory=set)
    """Attribute names assigned, deleted or ``setattr``-ed anywhere in the file."""
    subclassed: set[str] = field(default_factory=set)
    """Textual names of every base class used in the file (``Base`` in ``class A(Base)``)."""


def dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


# -- positions -----------------------------------------------------------------------------------
_WORD = re.compile(r"\w+")
_GAP = r"(?:[ \t\f]|\\(?:\r\n|\r|\n))*"
_DOTTED_NAME = re.compile(rf"\w+(?:{_GAP}\.{_GAP}\w+)*")
_SPACE = " \t\f\r\n\\"


class _Text:
    """Positions in the source: ast's (line, UTF-8 byte column) as character offsets and back.

    Lines end where Python's tokenizer ends them (``\\n``, ``\\r\\n``, ``\\r``), so line numbers
    agree with ast's and with every report's.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.lines = split_lines(source)
        self.starts = [0, *(match.end() for match in LINE_BREAK.finditer(source))]

    def column(self, line: int, byte_column: int) -> int:
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if text.isascii():
            return byte_column
        return len(text.encode("utf-8")[:byte_column].decode("utf-8", errors="replace"))

    def offset(self, line: int, byte_column: int) -> int:
        return self.starts[min(line, len(self.starts)) - 1] + self.column(line, byte_column)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1]

    def start(self, node: Any) -> int:
        return self.offset(node.lineno, node.col_offset)

    def end(self, node: Any) -> int:
        return self.offset(node.end_lineno, node.end_col_offset)

    def span(self, start: int, end: int) -> Span:
        return Span(*self.position(start), *self.position(end))

    def skip_forward(self, index: int, limit: int) -> int:
        """The first index at or after ``index`` that is code: not blank, not a comment, not a
        line continuation."""
        source = self.source
        while index < limit:
            char = source[index]
            if char == "#":
                found = LINE_BREAK.search(source, index, limit)
                index = found.start() if found else limit
            elif char in _SPACE:
                index += 1
            else:
                break
        return index

    def with_parentheses(self, node: Any, low: int = 0, high: int | None = None) -> tuple[int, int]:
        """``node``'s start and end offsets including the parentheses that enclose exactly it
        (``(a).b``: the base is ``(a)``), never reaching outside ``low``..``high``."""
        source = self.source
        high = len(source) if high is None else high
        start, end = self.start(node), self.end(node)
        while True:
            after = self.skip_forward(end, high)
            if after >= high or source[after] != ")":
                return start, end
            before = start - 1
            while before >= low and source[before] in _SPACE:
                before -= 1
            if before < low or source[before] != "(":
                return start, end
            start, end = before, after + 1


# -- the collector -------------------------------------------------------------------------------
def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return None if head is None else f"{head}.{node.attr}"
    return None


def _string_value(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _exception_names(node: ast.expr | None) -> Iterator[str]:
    if node is None:
        yield "BaseException"
        return
    if isinstance(node, ast.Tuple):
        for element in node.elts:
            yield from _exception_names(element)
        return
    dotted = _dotted(node)
    yield dotted.rsplit(".", 1)[-1] if dotted else "?"


def _inner_attribute(node: ast.expr) -> ast.Attribute | None:
    """The next attribute down the spine of ``node`` (through calls and subscripts)."""
    while True:
        if isinstance(node, ast.Attribute):
            return node
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return None


class CollectorState:
    """What a collector tracks while it walks a tree, whichever parser made the tree; nodes are
    identified by ``id()``. :meth:`finish` applies the probes and narrowings found in each scope
    to the attribute references of that scope."""

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

    def finish(self) -> Collected:
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


class _Collector(CollectorState):
    def __init__(self, text: _Text) -> None:
        super().__init__()
        self.text = text
        self._visitors: dict[type[ast.AST], Any] = {}

    # -- walking ---------------------------------------------------------------------------------
    def visit(self, node: ast.AST) -> None:
        kind = type(node)
        visitor = self._visitors.get(kind)
        if visitor is None:
            visitor = getattr(self, f"visit_{kind.__name__}", None) or self.visit_children
            self._visitors[kind] = visitor
        visitor(node)

    def visit_children(self, node: ast.AST) -> None:
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, ast.AST):
                self.visit(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)

    def visit_all(self, nodes: Sequence[ast.AST | None]) -> None:
        for node in nodes:
            if node is not None:
                self.visit(node)

    # -- guards ----------------------------------------------------------------------------------
    def _visit_guarded(self, *groups: Sequence[ast.AST]) -> None:
        self.guard_depth += 1
        try:
            for group in groups:
                self.visit_all(group)
        finally:
            self.guard_depth -= 1

    def visit_Try(self, node: ast.Try) -> None:
        catches = {name for h in node.handlers for name in _exception_names(h.type)}
        guarded = bool(catches & GUARD_EXCEPTIONS)
        # the `else:` of such a try runs only when the guarded names turned out to exist
        if guarded:
            self._visit_guarded(node.body, node.orelse)
        else:
            self.visit_all(node.body)
        self.visit_all(node.handlers)
        if not guarded:
            self.visit_all(node.orelse)
        self.visit_all(node.finalbody)

    def visit_TryStar(self, node: Any) -> None:
        self._visit_guarded(node.body)
        self.visit_all(node.handlers)
        self.visit_all(node.orelse)
        self.visit_all(node.finalbody)

    def visit_If(self, node: ast.If) -> None:
        start, end = self.text.start(node.test), self.text.end(node.test)
        self.visit(node.test)
        if ENVIRONMENT_TEST.search(self.text.source, start, end):
            self._visit_guarded(node.body, node.orelse)
        else:
            self.visit_all(node.body)
            self.visit_all(node.orelse)

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            call = item.context_expr
            if isinstance(call, ast.Call) and (_dotted(call.func) or "").endswith("suppress"):
                names = {n for arg in call.args for n in _exception_names(arg)}
                if names & GUARD_EXCEPTIONS:
                    self.visit_all(node.items)
                    self._visit_guarded(node.body)
                    return
        self.visit_children(node)

    visit_AsyncWith = visit_With

    # -- annotations -----------------------------------------------------------------------------
    def _visit_annotation(self, node: ast.expr | None) -> None:
        if node is None:
            return
        self.annotation_depth += 1
        try:
            self.visit(node)
        finally:
            self.annotation_depth -= 1

    def visit_arg(self, node: ast.arg) -> None:
        self._visit_annotation(node.annotation)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.visit(node.target)
        self._visit_annotation(node.annotation)
        if node.value is not None:
            self.visit(node.value)

    # -- scopes ----------------------------------------------------------------------------------
    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scope_stack.append(id(node))
        try:
            self.visit_all(node.decorator_list)
            self.visit_all(getattr(node, "type_params", ()))
            self.visit(node.args)
            self._visit_annotation(node.returns)
            self.visit_all(node.body)
        finally:
            self.scope_stack.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.scope_stack.append(id(node))
        try:
            self.visit_children(node)
        finally:
            self.scope_stack.pop()

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for base in node.bases:
            dotted = _dotted(base)
            if dotted:
                self.out.subclassed.add(dotted.rsplit(".", 1)[-1])
        self.visit_children(node)

    # -- calls -----------------------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        self.called.add(id(node.func))
        self._record_call(node)
        name = _dotted(node.func)
        if name is not None:
            self._probe_or_narrow(node, name.rsplit(".", 1)[-1])
        self.visit_children(node)

    def _probe_or_narrow(self, node: ast.Call, short: str) -> None:
        scope = self.scope_stack[-1]
        arguments = node.args
        if short in ATTR_PROBES or short == "setattr":
            literal = _string_value(arguments[1]) if len(arguments) >= 2 else None
            if literal is None:
                self.probed_any.add(scope)
            else:
                self.probed.setdefault(scope, set()).add(literal)
                if short == "setattr":
                    self.out.stored_attributes.add(literal)
        elif short in NARROWING_CALLS and arguments:
            # the call's own parentheses are not the subject's: `callable(x)` narrows `x`
            func_end = self.text.with_parentheses(node.func)[1]
            low = self.text.skip_forward(func_end, len(self.text.source)) + 1
            start, end = self.text.with_parentheses(arguments[0], low, self.text.end(node) - 1)
            self.narrowed.setdefault(scope, set()).add(self.text.source[start:end])

    def _record_call(self, node: ast.Call) -> None:
        text = self.text
        keywords: list[ImportedName] = []
        positional: list[Span] = []
        unpacking = False
        for argument in node.args:
            if isinstance(argument, ast.Starred):
                unpacking = True
            else:
                positional.append(self._argument_span(argument))
        for keyword in node.keywords:
            if keyword.arg is None:
                unpacking = True
                continue
            start = text.start(keyword)
            word = _WORD.match(text.source, start)
            end = word.end() if word else start + len(keyword.arg)
            keywords.append(ImportedName(keyword.arg, text.span(start, end)))
        if not keywords and not positional:
            return
        start, end = text.with_parentheses(node.func)
        self.out.calls.append(
            CallRef(
                func_end=text.position(end),
                func_text=text.source[start:end],
                keywords=tuple(keywords),
                positional=tuple(positional),
                unpacking=unpacking,
                guarded=self.guard_depth > 0,
            )
        )

    def _argument_span(self, node: ast.expr) -> Span:
        """An argument's span without its own parentheses: ast counts them in a tuple's and a
        generator's position (and a sole generator argument takes the call's)."""
        text = self.text
        start, end = text.start(node), text.end(node)
        source = text.source
        wrapped = source[start : start + 1] == "(" and source[end - 1 : end] == ")"
        if wrapped and isinstance(node, ast.GeneratorExp):
            last = node.generators[-1]
            inner = text.skip_forward(start + 1, end)
            # the last condition or iterable, with its own parentheses: `for w in (a or ())`
            end = text.with_parentheses(last.ifs[-1] if last.ifs else last.iter, inner, end - 1)[1]
            start = inner
        elif wrapped and isinstance(node, ast.Tuple) and not node.elts:
            start = end = start + 1  # `()`: the empty place inside
        elif wrapped and isinstance(node, ast.Tuple):
            start = text.skip_forward(start + 1, end)
            end_of_last = text.end(node.elts[-1])
            after = text.skip_forward(end_of_last, end)
            end = after + 1 if source[after : after + 1] == "," else end_of_last
        return text.span(start, end)

    # -- imports ---------------------------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.out.imports.append(
                ImportRef(
                    module=alias.name,
                    level=0,
                    span=self._dotted_span(self.text.start(alias)),
                    names=(),
                    guarded=self.guard_depth > 0,
                )
            )

    def _dotted_span(self, start: int) -> Span:
        found = _DOTTED_NAME.match(self.text.source, start)
        return self.text.span(start, found.end() if found else start + 1)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if module == "__future__":
            return
        text = self.text
        names: list[ImportedName] = []
        star = any(alias.name == "*" for alias in node.names)
        if not star:
            for alias in node.names:
                start = text.start(alias)
                word = _WORD.match(text.source, start)
                end = word.end() if word else start + len(alias.name)
                names.append(ImportedName(alias.name, text.span(start, end)))
        self.out.imports.append(
            ImportRef(
                module=module,
                level=node.level,
                span=self._from_anchor(node),
                names=tuple(names),
                guarded=self.guard_depth > 0,
                star=star,
            )
        )

    def _from_anchor(self, node: ast.ImportFrom) -> Span:
        """The module's dotted name after ``from``, or the last dot of a bare relative import."""
        source, text = self.text.source, self.text
        limit = text.end(node)
        index = text.skip_forward(text.start(node) + len("from"), limit)
        last_dot = index
        while index < limit and source[index] == ".":
            last_dot = index
            index = text.skip_forward(index + 1, limit)
        if node.module:
            return self._dotted_span(index)
        return text.span(last_dot, last_dot + 1)

    # -- attributes ------------------------------------------------------------------------------
    def visit_Attribute(self, node: ast.Attribute) -> None:
        if not isinstance(node.ctx, ast.Load):
            self.out.stored_attributes.add(node.attr)
            self.visit(node.value)
            return
        text = self.text
        self.node_index[id(node)] = len(self.out.attributes)
        inner = _inner_attribute(node.value)
        if inner is not None:
            self.inner_node[id(node)] = id(inner)
        end = text.end(node)
        start = end - len(node.attr)
        if text.source[start:end] != node.attr:  # NFKC-normalised: find the written name
            start = end
            while start > 0 and ("a" + text.source[start - 1]).isidentifier():
                start -= 1
        base_start, base_end = text.with_parentheses(node.value)
        self.out.attributes.append(
            AttributeRef(
                attr=node.attr,
                span=text.span(start, end),
                base_end=text.position(base_end),
                base_text=text.source[base_start:base_end],
                called=id(node) in self.called,
                guarded=self.guard_depth > 0,
                scope=self.scope_stack[-1],
                in_annotation=self.annotation_depth > 0,
            )
        )
        self.visit(node.value)


def collect(tree: ast.Module, source: str) -> Collected:
    """Walk ``tree`` (``ast.parse(source)``) once and return every reference with its guards."""
    collector = _Collector(_Text(source))
    collector.visit(tree)
    return collector.finish()


__all__: Sequence[str] = (
    "AttributeRef",
    "CallRef",
    "Collected",
    "CollectorState",
    "ImportRef",
    "ImportedName",
    "collect",
    "dunder",
)
