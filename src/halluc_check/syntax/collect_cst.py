"""libcst module -> the references to check, for code that this interpreter's ``ast`` cannot
parse (syntax of a newer target Python); :mod:`halluc_check.syntax.collect_ast` does the same from ``ast``.

Only ``PositionProvider`` metadata is computed (with ``unsafe_skip_copy``); load/store context,
"is called", guards and narrowing are derived by this visitor itself, which is several times
cheaper than libcst's ExpressionContext and ParentNode providers. What is collected is decided
by :mod:`halluc_check.syntax.collection_rules`; this module walks the tree and says where
things are written.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import libcst as cst
from libcst.metadata import CodePosition, CodeRange, MetadataWrapper, PositionProvider

from ..model import Span
from ..text import split_lines
from .collection_rules import TRY_STAR_PLAN, CollectionRules, Plan
from .refs import Collected, ImportedName


def _span(rng: CodeRange) -> Span:
    return Span(rng.start.line, rng.start.column, rng.end.line, rng.end.column)


def _store_targets(node: cst.BaseExpression) -> Iterator[cst.Attribute | cst.Name]:
    if isinstance(node, (cst.Attribute, cst.Name)):
        yield node
    elif isinstance(node, (cst.Tuple, cst.List)):
        for element in node.elements:
            yield from _store_targets(element.value)
    elif isinstance(node, cst.StarredElement):
        yield from _store_targets(node.value)


def _values(arguments: Sequence[cst.Arg]) -> list[cst.BaseExpression]:
    return [argument.value for argument in arguments]


class _Collector(CollectionRules[cst.BaseExpression], cst.CSTVisitor):
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

    # -- adapter ---------------------------------------------------------------------------------
    def dotted(self, node: cst.BaseExpression) -> str | None:
        if isinstance(node, cst.Name):
            return node.value
        if isinstance(node, cst.Attribute):
            head = self.dotted(node.value)
            return None if head is None else f"{head}.{node.attr.value}"
        return None

    def string_value(self, node: cst.BaseExpression) -> str | None:
        if isinstance(node, cst.SimpleString):
            value = node.evaluated_value
            return value if isinstance(value, str) else None
        return None

    def tuple_elements(self, node: cst.BaseExpression) -> Sequence[cst.BaseExpression] | None:
        if isinstance(node, cst.Tuple):
            return [element.value for element in node.elements]
        return None

    def is_attribute(self, node: cst.BaseExpression) -> bool:
        return isinstance(node, cst.Attribute)

    def spine_child(self, node: cst.BaseExpression) -> cst.BaseExpression | None:
        if isinstance(node, cst.Call):
            return node.func
        if isinstance(node, cst.Subscript):
            return node.value
        return None

    def with_parentheses(self, node: cst.BaseExpression) -> tuple[tuple[int, int], str]:
        return self._end_with_parens(node), self.module.code_for_node(node)

    def attribute_span(self, node: cst.BaseExpression, attr: str) -> Span:
        assert isinstance(node, cst.Attribute)
        return _span(self._range(node.attr))

    def narrowing_subject(self, call: cst.BaseExpression, first: cst.BaseExpression) -> str:
        return self.module.code_for_node(first)

    # -- guards ----------------------------------------------------------------------------------
    def _walk(self, node: cst.CSTNode, plan: Plan) -> bool:
        """Walk the fields of ``node`` in the order of ``plan``, guarded where it says."""
        for name, guarded in plan:
            value = getattr(node, name)
            self.guard_depth += guarded  # a bool: one level more when guarded
            try:
                for part in value if isinstance(value, Sequence) else (value,):
                    if part is not None:
                        part.visit(self)
            finally:
                self.guard_depth -= guarded
        return False

    def visit_Try(self, node: cst.Try) -> bool:
        return self._walk(node, self.try_plan(handler.type for handler in node.handlers))

    def visit_TryStar(self, node: cst.TryStar) -> bool:
        return self._walk(node, TRY_STAR_PLAN)

    def visit_If(self, node: cst.If) -> bool:
        test = self.module.code_for_node(node.test)
        return self._walk(node, self.if_plan(test, 0, len(test)))

    def visit_With(self, node: cst.With) -> bool:
        calls = (item.item for item in node.items)
        plan = self.with_plan((c.func, _values(c.args)) for c in calls if isinstance(c, cst.Call))
        return self._walk(node, plan)

    # -- annotations -----------------------------------------------------------------------------
    def visit_Annotation(self, node: cst.Annotation) -> None:
        self.annotation_depth += 1

    def leave_Annotation(self, original_node: cst.Annotation) -> None:
        self.annotation_depth -= 1

    # -- scopes ----------------------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.note_binding(node.name.value)
        self.enter_body(node, is_class=False)

    def visit_Param(self, node: cst.Param) -> None:
        self.note_binding(node.name.value)

    def visit_MatchAs(self, node: cst.MatchAs) -> None:
        if node.name is not None:
            self.note_binding(node.name.value)

    def visit_MatchStar(self, node: cst.MatchStar) -> None:
        if node.name is not None:
            self.note_binding(node.name.value)

    def visit_MatchMapping(self, node: cst.MatchMapping) -> None:
        if node.rest is not None:
            self.note_binding(node.rest.value)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.leave_body(is_class=False)

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.enter_body(node, is_class=False)

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.leave_body(is_class=False)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.note_binding(node.name.value)
        self.note_bases(_values(node.bases))
        self.enter_body(node, is_class=True)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.leave_body(is_class=True)

    # -- stores ----------------------------------------------------------------------------------
    def _mark_stores(self, target: cst.BaseExpression) -> None:
        for stored in _store_targets(target):
            if isinstance(stored, cst.Name):
                self.note_binding(stored.value)
                continue
            self.stores.add(id(stored))
            self.note_store(stored.attr.value)

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
        self.note_call(node, node.func, _values(node.args))
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
        self.add_call(node.func, keywords, positional, unpacking)

    # -- imports ---------------------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            self._note_alias(alias)
            dotted = self.dotted(alias.name)
            if dotted is not None:
                self.add_import(dotted, _span(self._range(alias.name)))
        return False  # dotted module names are not attribute loads

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        module = self.dotted(node.module) if node.module is not None else ""
        if module is None:
            return False
        anchor: cst.CSTNode = node.module if node.module is not None else node.relative[-1]
        names: list[ImportedName] | None = None
        if not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                self._note_alias(alias)
            names = [
                ImportedName(alias.name.value, _span(self._range(alias.name)))
                for alias in node.names
                if isinstance(alias.name, cst.Name)
            ]
        self.add_from_import(module, len(node.relative), _span(self._range(anchor)), names)
        return False

    def _note_alias(self, alias: cst.ImportAlias) -> None:
        """The name an import binds: its ``as`` name, else the first part of the dotted name."""
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            self.note_binding(alias.asname.name.value)
            return
        dotted = self.dotted(alias.name)
        if dotted is not None:
            self.note_binding(dotted.split(".", 1)[0])

    # -- attributes ------------------------------------------------------------------------------
    def visit_Attribute(self, node: cst.Attribute) -> None:
        if id(node) not in self.stores:
            self.add_attribute(node, node.value, node.attr.value)


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
