"""Python source and its ``ast`` -> the references to check: imports, attribute loads, calls,
and the guards around them.

The references are collected from Python's own ``ast``: it parses in native code and carries
positions, which makes collecting about ten times cheaper than walking a libcst tree with
position metadata. ``ast`` columns are UTF-8 byte offsets; :class:`SourceText` turns them into
the character columns every report uses. Code that this interpreter cannot parse (syntax of a
newer target Python) is collected from libcst instead, by :mod:`halluc_check.syntax.collect_cst`.
What is collected is decided by :mod:`halluc_check.syntax.collection_rules`; this module walks
the tree and says where things are written.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import Any

from ..model import Span
from .collection_rules import TRY_STAR_PLAN, CollectionRules, Plan
from .refs import Collected, ImportedName
from .source_text import SourceText


class _Collector(CollectionRules[ast.expr]):
    def __init__(self, text: SourceText) -> None:
        super().__init__()
        self.text = text
        self._visitors: dict[type[ast.AST], Any] = {}

    # -- adapter ---------------------------------------------------------------------------------
    def dotted(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Attribute):
            head = self.dotted(node.value)
            return None if head is None else f"{head}.{node.attr}"
        return None

    def string_value(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        return None

    def tuple_elements(self, node: ast.expr) -> Sequence[ast.expr] | None:
        return node.elts if isinstance(node, ast.Tuple) else None

    def is_attribute(self, node: ast.expr) -> bool:
        return isinstance(node, ast.Attribute)

    def spine_child(self, node: ast.expr) -> ast.expr | None:
        if isinstance(node, ast.Call):
            return node.func
        if isinstance(node, ast.Subscript):
            return node.value
        return None

    def with_parentheses(self, node: ast.expr) -> tuple[tuple[int, int], str]:
        text = self.text
        start, end = text.with_parentheses(node)
        return text.position(end), text.source[start:end]

    def attribute_span(self, node: ast.expr, attr: str) -> Span:
        text = self.text
        end = text.end(node)
        start = end - len(attr)
        if text.source[start:end] != attr:  # NFKC-normalised: find the written name
            start = end
            while start > 0 and ("a" + text.source[start - 1]).isidentifier():
                start -= 1
        return text.span(start, end)

    def narrowing_subject(self, call: ast.expr, first: ast.expr) -> str:
        assert isinstance(call, ast.Call)
        text = self.text
        # the call's own parentheses are not the subject's: `callable(x)` narrows `x`
        func_end = text.with_parentheses(call.func)[1]
        low = text.skip_forward(func_end, len(text.source)) + 1
        start, end = text.with_parentheses(first, low, text.end(call) - 1)
        return text.source[start:end]

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

    def _walk(self, node: ast.AST, plan: Plan) -> None:
        """Walk the fields of ``node`` in the order of ``plan``, guarded where it says."""
        for name, guarded in plan:
            value = getattr(node, name)
            self.guard_depth += guarded  # a bool: one level more when guarded
            try:
                if isinstance(value, list):
                    self.visit_all(value)
                else:
                    self.visit(value)
            finally:
                self.guard_depth -= guarded

    # -- guards ----------------------------------------------------------------------------------
    def visit_Try(self, node: ast.Try) -> None:
        self._walk(node, self.try_plan(handler.type for handler in node.handlers))

    def visit_TryStar(self, node: Any) -> None:
        self._walk(node, TRY_STAR_PLAN)

    def visit_If(self, node: ast.If) -> None:
        start, end = self.text.start(node.test), self.text.end(node.test)
        self._walk(node, self.if_plan(self.text.source, start, end))

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        calls = (item.context_expr for item in node.items)
        plan = self.with_plan((c.func, c.args) for c in calls if isinstance(c, ast.Call))
        self._walk(node, plan)

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
        self.note_binding(node.arg)
        self._visit_annotation(node.annotation)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.visit(node.target)
        self._visit_annotation(node.annotation)
        if node.value is not None:
            self.visit(node.value)

    # -- scopes ----------------------------------------------------------------------------------
    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.note_binding(node.name)
        self.enter_body(node, is_class=False)
        try:
            self.visit_all(node.decorator_list)
            self.visit_all(getattr(node, "type_params", ()))
            self.visit(node.args)
            self._visit_annotation(node.returns)
            self.visit_all(node.body)
        finally:
            self.leave_body(is_class=False)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.enter_body(node, is_class=False)
        try:
            self.visit_children(node)
        finally:
            self.leave_body(is_class=False)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.note_binding(node.name)
        self.note_bases(node.bases)
        self.enter_body(node, is_class=True)
        try:
            self.visit_children(node)
        finally:
            self.leave_body(is_class=True)

    # -- calls -----------------------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        self.note_call(node, node.func, node.args)
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
            end = text.word_end(start, len(keyword.arg))
            keywords.append(ImportedName(keyword.arg, text.span(start, end)))
        self.add_call(node.func, keywords, positional, unpacking)
        self.visit_children(node)

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

    # -- bindings --------------------------------------------------------------------------------
    def visit_Name(self, node: ast.Name) -> None:
        if not isinstance(node.ctx, ast.Load):
            self.note_binding(node.id)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.note_binding(node.name)
        self.visit_children(node)

    def visit_MatchAs(self, node: Any) -> None:
        if node.name:
            self.note_binding(node.name)
        self.visit_children(node)

    visit_MatchStar = visit_MatchAs

    def visit_MatchMapping(self, node: Any) -> None:
        if node.rest:
            self.note_binding(node.rest)
        self.visit_children(node)

    # -- imports ---------------------------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.note_binding(alias.asname or alias.name.split(".", 1)[0])
            self.add_import(alias.name, self.text.dotted_span(self.text.start(alias)))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        text = self.text
        names: list[ImportedName] | None = None
        if all(alias.name != "*" for alias in node.names):
            names = []
            for alias in node.names:
                self.note_binding(alias.asname or alias.name)
                start = text.start(alias)
                end = text.word_end(start, len(alias.name))
                names.append(ImportedName(alias.name, text.span(start, end)))
        self.add_from_import(node.module or "", node.level, self._from_anchor(node), names)

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
            return text.dotted_span(index)
        return text.span(last_dot, last_dot + 1)

    # -- attributes ------------------------------------------------------------------------------
    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.ctx, ast.Load):
            self.add_attribute(node, node.value, node.attr)
        else:
            self.note_store(node.attr)
        self.visit(node.value)


def collect(tree: ast.Module, source: str) -> Collected:
    """Walk ``tree`` (``ast.parse(source)``) once and return every reference with its guards."""
    collector = _Collector(SourceText(source))
    collector.visit(tree)
    return collector.finish()
