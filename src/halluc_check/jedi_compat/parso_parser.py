"""parso's Python parser with its inner loop written out.

jedi reads every module it infers through parso, and parso's parser is pure Python: on a cold
run, parsing was about a quarter of the time. For each token, parso's ``BaseParser`` makes
three to five method calls (to pick the transition, to reduce each finished rule, to build the
leaf), and reductions run several levels deep for every expression. :class:`InlinedParser` does
the same steps in one method, with the same stack, the same nodes and the same error recovery:
the trees are identical, node for node (the test suite compares them on real and broken code).

Only the parser driving the grammar changes: tokenizer, tree classes and error recovery are
parso's own, and so are the grammars' other parsers (the diff parser, used for edits).

A module's used names (every name leaf, by value: how jedi finds a name's definitions) are
collected by :func:`used_names` without parso's recursion, which raised and caught an
``AttributeError`` for every leaf.
"""

from __future__ import annotations

from typing import Any

import parso.grammar
from parso.parser import InternalParseError, Stack, StackNode
from parso.python import tree
from parso.python.parser import Parser
from parso.python.token import PythonTokenTypes
from parso.tree import BaseNode

from .originals import Original

GRAMMAR_INIT = Original()
"""parso's ``PythonGrammar.__init__``."""
_NAME = PythonTokenTypes.NAME
#: Token types whose value can be a keyword or an operator of the grammar (NAME, OP).
_SYNTAX_TYPES = tuple(t for t in PythonTokenTypes if t.value.contains_syntax)


class InlinedParser(Parser):
    """parso's ``parso.python.parser.Parser``, with ``_add_token``, ``_pop``,
    ``convert_leaf`` and the token-to-transition step inlined."""

    def parse(self, tokens: Any) -> Any:
        if self._error_recovery:
            if self._start_nonterminal != "file_input":
                raise NotImplementedError
            tokens = self._recovery_tokenize(tokens)
        first_dfa = self._pgen_grammar.nonterminal_to_dfas[self._start_nonterminal][0]
        self.stack = stack = Stack([StackNode(first_dfa)])
        add_token = self._add_token
        for token in tokens:
            add_token(token)
        while True:
            tos = stack[-1]
            if not tos.dfa.is_final:
                # EOF too soon: an unfinished statement
                raise InternalParseError(
                    "incomplete input", token.type, token.string, token.start_pos
                )
            if len(stack) > 1:
                self._pop()
            else:
                return self.convert_node(tos.nonterminal, tos.nodes)

    def _add_token(self, token: Any) -> None:
        type_, value, start_pos, prefix = token
        reserved = self._pgen_grammar.reserved_syntax_strings
        transition = reserved.get(value, type_) if type_ in _SYNTAX_TYPES else type_
        stack = self.stack
        while True:
            try:
                tos = stack[-1]
            except IndexError:
                raise InternalParseError("too much input", type_, value, start_pos) from None
            dfa = tos.dfa
            plan = dfa.transitions.get(transition)
            if plan is not None:
                break
            if not dfa.is_final:
                self.error_recovery(token)
                return
            # the rule on top is complete: reduce it into its parent
            stack.pop()
            nodes = tos.nodes
            # a rule with one child is that child
            node = nodes[0] if len(nodes) == 1 else self._node(dfa.from_rule, nodes)
            stack[-1].nodes.append(node)
        tos.dfa = plan.next_dfa
        for push in plan.dfa_pushes:
            stack.append(StackNode(push))
        leaf: Any
        if type_ is _NAME:
            if value in reserved:
                leaf = tree.Keyword(value, start_pos, prefix)
            else:
                leaf = tree.Name(value, start_pos, prefix)
        else:
            leaf = self._leaf_map.get(type_, tree.Operator)(value, start_pos, prefix)
        stack[-1].nodes.append(leaf)

    def _node(self, nonterminal: str, children: list[Any]) -> Any:
        """``convert_node`` for a rule with several children."""
        node_class = self.node_map.get(nonterminal)
        if node_class is not None:
            return node_class(children)
        if nonterminal == "suite":
            # parso leaves the virtual INDENT and DEDENT leaves out of its trees
            children = [children[0], *children[2:-1]]
        return self.default_node(nonterminal, children)


def tree_shape(node: Any) -> list[tuple[Any, ...]]:
    """Every node and leaf under ``node``, in order, as plain tuples: class and type, and for a
    leaf its value, position and prefix. Two parsers agree when the shapes of their trees are
    equal; a child whose parent is not the node above it raises ValueError."""
    shape: list[tuple[Any, ...]] = []
    stack = [node]
    while stack:
        current = stack.pop()
        children = getattr(current, "children", None)
        if children is None:
            shape.append(
                (type(current), current.type, current.value, current.start_pos, current.prefix)
            )
            continue
        if any(child.parent is not current for child in children):
            raise ValueError(f"a child of {current!r} has another parent")
        shape.append((type(current), current.type, len(children)))
        stack.extend(reversed(children))
    return shape


PARSOS_USED_NAMES = tree.Module.get_used_names
"""parso's own ``Module.get_used_names``, which :func:`used_names` replaces (the tests compare)."""


def used_names(module: Any) -> Any:
    """parso's ``Module.get_used_names``: the module's name leaves by value, each list in the
    order of the tree, worked out once per tree."""
    if module._used_names is None:
        names: dict[str, list[Any]] = {}
        pending = [iter(module.children)]
        while pending:
            for child in pending[-1]:
                if isinstance(child, BaseNode):
                    pending.append(iter(child.children))
                    break
                if child.type == "name":
                    found = names.get(child.value)
                    if found is None:
                        names[child.value] = [child]
                    else:
                        found.append(child)
            else:
                pending.pop()
        module._used_names = tree.UsedNamesMapping(names)
    return module._used_names


def grammar_init(self: Any, version_info: Any, bnf_text: str) -> None:
    """parso's ``PythonGrammar.__init__``, then :class:`InlinedParser` as the grammar's parser."""
    GRAMMAR_INIT.function(self, version_info, bnf_text)
    if self._parser is Parser:
        self._parser = InlinedParser


def parse_loaded_grammars_inlined(loaded_grammars: dict[Any, Any]) -> None:
    """The Python grammars parso has loaded already parse with :class:`InlinedParser` too."""
    for grammar in loaded_grammars.values():
        if isinstance(grammar, parso.grammar.PythonGrammar) and grammar._parser is Parser:
            grammar._parser = InlinedParser
