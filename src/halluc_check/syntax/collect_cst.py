"""libcst module -> the references to check, for code that this interpreter's ``ast`` cannot
parse (syntax of a newer target Python); :mod:`halluc_check.syntax.collect_ast` does the same from ``ast``.

Only ``PositionProvider`` metadata is computed (with ``unsafe_skip_copy``); load/store context,
"is called", guards and narrowing are derived by this visitor itself, which is several times
cheaper than libcst's ExpressionContext and ParentNode providers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import libcst as cst
from libcst.metadata import CodePosition, CodeRange, MetadataWrapper, PositionProvider

from ..model import Span
from ..text import split_lines
from .collect_ast import (
    ATTR_PROBES,
    ENVIRONMENT_TEST,
    GUARD_EXCEPTIONS,
    NARROWING_CALLS,
    AttributeRef,
    CallRef,
    Collected,
    CollectorState,
    ImportedName,
    ImportRef,
)


def _span(rng: CodeRange) -> Span:
    return Span(rng.start.line, rng.start.column, rng.end.line, rng.end.column)


def _dotted(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = _dotted(node.value)
        return None if head is None else f"{head}.{node.attr.value}"
    return None


def _string_value(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _exception_names(node: cst.BaseExpression | None) -> Iterator[str]:
    if node is None:
        yield "BaseException"
        return
    if isinstance(node, cst.Tuple):
        for element in node.elements:
            yield from _exception_names(element.value)
        return
    dotted = _dotted(node)
    yield dotted.rsplit(".", 1)[-1] if dotted else "?"


def _store_targets(node: cst.BaseExpression) -> Iterator[cst.Attribute]:
    if isinstance(node, cst.Attribute):
        yield node
    elif isinstance(node, (cst.Tuple, cst.List)):
        for element in node.elements:
            yield from _store_targets(element.value)
    elif isinstance(node, cst.StarredElement):
        yield from _store_targets(node.value)


class _Collector(CollectorState, cst.CSTVisitor):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, module: cst.Module, shifts: dict[int, int] | None = None) -> None:
        super().__init__()
        self.module = module
        self.shifts = shifts or {}
        self.stores: set[int] = set()

    # -- positions -------------------------------------------------------------------------------
    def _range(self, node: cst.CSTNode) -> CodeRange:
        found: CodeRange = self.get_metadata(PositionProvider, node)
        if not self.shifts:
            return found
        start, end = found.start, found.end
        return CodeRange(
            CodePosition(start.line, start.column + self.shifts.get(start.line, 0)),
            CodePosition(end.line, end.column + self.shifts.get(end.line, 0)),
        )

    def _end_with_parens(self, node: cst.BaseExpression) -> tuple[int, int]:
        rpar = getattr(node, "rpar", ())
        target: cst.CSTNode = rpar[-1] if rpar else node
        end = self._range(target).end
        return end.line, end.column

    # -- guards ----------------------------------------------------------------------------------
    def _visit_guarded(self, *nodes: cst.CSTNode | None) -> None:
        self.guard_depth += 1
        try:
            for node in nodes:
                if node is not None:
                    node.visit(self)
        finally:
            self.guard_depth -= 1

    def visit_Try(self, node: cst.Try) -> bool:
        catches = {name for h in node.handlers for name in _exception_names(h.type)}
        guarded = bool(catches & GUARD_EXCEPTIONS)
        # the `else:` of such a try runs only when the guarded names turned out to exist
        self._visit_guarded(node.body, node.orelse) if guarded else node.body.visit(self)
        for handler in node.handlers:
            handler.visit(self)
        if not guarded and node.orelse is not None:
            node.orelse.visit(self)
        if node.finalbody is not None:
            node.finalbody.visit(self)
        return False

    def visit_TryStar(self, node: cst.TryStar) -> bool:
        self._visit_guarded(node.body)
        for handler in node.handlers:
            handler.visit(self)
        for part in (node.orelse, node.finalbody):
            if part is not None:
                part.visit(self)
        return False

    def visit_If(self, node: cst.If) -> bool:
        test_code = self.module.code_for_node(node.test)
        node.test.visit(self)
        if ENVIRONMENT_TEST.search(test_code):
            self._visit_guarded(node.body, node.orelse)
        else:
            node.body.visit(self)
            if node.orelse is not None:
                node.orelse.visit(self)
        return False

    def visit_With(self, node: cst.With) -> bool | None:
        for item in node.items:
            call = item.item
            if isinstance(call, cst.Call) and (_dotted(call.func) or "").endswith("suppress"):
                names = {n for arg in call.args for n in _exception_names(arg.value)}
                if names & GUARD_EXCEPTIONS:
                    for other in node.items:
                        other.visit(self)
                    self._visit_guarded(node.body)
                    return False
        return None

    # -- annotations -----------------------------------------------------------------------------
    def visit_Annotation(self, node: cst.Annotation) -> None:
        self.annotation_depth += 1

    def leave_Annotation(self, original_node: cst.Annotation) -> None:
        self.annotation_depth -= 1

    # -- scopes ----------------------------------------------------------------------------------
    def _enter_scope(self, node: cst.CSTNode) -> None:
        self.scope_stack.append(id(node))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._enter_scope(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scope_stack.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._enter_scope(node)

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.scope_stack.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        for base in node.bases:
            dotted = _dotted(base.value)
            if dotted:
                self.out.subclassed.add(dotted.rsplit(".", 1)[-1])

    # -- stores ----------------------------------------------------------------------------------
    def _mark_stores(self, target: cst.BaseExpression) -> None:
        for attribute in _store_targets(target):
            self.stores.add(id(attribute))
            self.out.stored_attributes.add(attribute.attr.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._mark_stores(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._mark_stores(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._mark_stores(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._mark_stores(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._mark_stores(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        if isinstance(node.name, cst.BaseExpression):
            self._mark_stores(node.name)

    def visit_Del(self, node: cst.Del) -> None:
        self._mark_stores(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._mark_stores(node.target)

    # -- calls -----------------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        self.called.add(id(node.func))
        self._record_call(node)
        name = _dotted(node.func)
        if name is None:
            return
        short = name.rsplit(".", 1)[-1]
        scope = self.scope_stack[-1]
        if short in ATTR_PROBES or short == "setattr":
            literal = _string_value(node.args[1].value) if len(node.args) >= 2 else None
            if literal is None:
                self.probed_any.add(scope)
            else:
                self.probed.setdefault(scope, set()).add(literal)
                if short == "setattr":
                    self.out.stored_attributes.add(literal)
        elif short in NARROWING_CALLS and node.args:
            subject = self.module.code_for_node(node.args[0].value)
            self.narrowed.setdefault(scope, set()).add(subject)

    def _record_call(self, node: cst.Call) -> None:
        keywords: list[ImportedName] = []
        positional: list[Span] = []
        unpacking = False
        for arg in node.args:
            if arg.star:
                unpacking = True
            elif arg.keyword is not None:
                keywords.append(ImportedName(arg.keyword.value, _span(self._range(arg.keyword))))
            else:
                positional.append(_span(self._range(arg.value)))
        if not keywords and not positional:
            return
        self.out.calls.append(
            CallRef(
                func_end=self._end_with_parens(node.func),
                func_text=self.module.code_for_node(node.func),
                keywords=tuple(keywords),
                positional=tuple(positional),
                unpacking=unpacking,
                guarded=self.guard_depth > 0,
            )
        )

    # -- imports ---------------------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            dotted = _dotted(alias.name)
            if dotted is None:
                continue
            self.out.imports.append(
                ImportRef(
                    module=dotted,
                    level=0,
                    span=_span(self._range(alias.name)),
                    names=(),
                    guarded=self.guard_depth > 0,
                )
            )
        return False  # dotted module names are not attribute loads

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        module = _dotted(node.module) if node.module is not None else ""
        if module is None or module == "__future__":
            return False
        level = len(node.relative)
        anchor: cst.CSTNode = node.module if node.module is not None else node.relative[-1]
        names: list[ImportedName] = []
        star = isinstance(node.names, cst.ImportStar)
        if not star:
            assert not isinstance(node.names, cst.ImportStar)
            for alias in node.names:
                if isinstance(alias.name, cst.Name):
                    names.append(ImportedName(alias.name.value, _span(self._range(alias.name))))
        self.out.imports.append(
            ImportRef(
                module=module,
                level=level,
                span=_span(self._range(anchor)),
                names=tuple(names),
                guarded=self.guard_depth > 0,
                star=star,
            )
        )
        return False

    # -- attributes ------------------------------------------------------------------------------
    def visit_Attribute(self, node: cst.Attribute) -> None:
        if id(node) in self.stores:
            return
        attr = node.attr.value
        self.node_index[id(node)] = len(self.out.attributes)
        inner = _inner_attribute(node.value)
        if inner is not None:
            self.inner_node[id(node)] = id(inner)
        self.out.attributes.append(
            AttributeRef(
                attr=attr,
                span=_span(self._range(node.attr)),
                base_end=self._end_with_parens(node.value),
                base_text=self.module.code_for_node(node.value),
                called=id(node) in self.called,
                guarded=self.guard_depth > 0,
                scope=self.scope_stack[-1],
                in_annotation=self.annotation_depth > 0,
            )
        )


def _inner_attribute(node: cst.BaseExpression) -> cst.Attribute | None:
    """The next attribute down the spine of ``node`` (through calls and subscripts)."""
    while True:
        if isinstance(node, cst.Attribute):
            return node
        if isinstance(node, cst.Call):
            node = node.func
        elif isinstance(node, cst.Subscript):
            node = node.value
        else:
            return None


def collect_cst(module: cst.Module, source: str | None = None) -> Collected:
    """Walk ``module`` (parsed from ``source``) once and return every reference with its guards."""
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    collector = _Collector(module, _column_shifts(module, source))
    wrapper.visit(collector)
    return collector.finish()


def _column_shifts(module: cst.Module, source: str | None) -> dict[int, int]:
    """Line -> code points that libcst lost at the start of that line.

    libcst drops form feeds from the indentation of a statement line (``\f`` before a top-level
    statement, ``\fx.y``), so its positions, computed on the code it regenerates, fall short
    of the source's by as many characters on those lines. Other lines are exact; rendering the
    module is only needed when the source has a form feed at all.
    """
    if source is None or "\f" not in source:
        return {}
    regenerated = module.code
    if regenerated == source:
        return {}
    original_lines, new_lines = split_lines(source), split_lines(regenerated)
    if len(original_lines) != len(new_lines):
        return {}
    return {
        number: len(original) - len(new)
        for number, (original, new) in enumerate(
            zip(original_lines, new_lines, strict=True), start=1
        )
        if original != new and original.endswith(new)
    }


__all__: Sequence[str] = ("collect_cst",)
