"""The inlined parser builds the trees parso's own parser builds, node for node."""

from __future__ import annotations

import inspect
import random
import sys
from pathlib import Path
from typing import Any

import parso
import pytest
from parso.python.parser import Parser

from halluc_check.jedi_compat.parso_parser import (
    PARSOS_USED_NAMES,
    InlinedParser,
    tree_shape,
    used_names,
)
from halluc_check.jedi_compat.setup import configure

ROOT = Path(__file__).resolve().parent.parent
STDLIB = Path(sys.modules["os"].__file__ or "").parent


def _parse(grammar: Any, parser: type, code: str, **kwargs: Any) -> Any:
    saved = grammar._parser
    grammar._parser = parser
    try:
        return grammar.parse(code, cache=False, diff_cache=False, **kwargs)
    finally:
        grammar._parser = saved


def _sources() -> list[str]:
    files = sorted(STDLIB.glob("*.py"))[:12] + sorted((ROOT / "src" / "halluc_check").rglob("*.py"))
    files += sorted((ROOT / "fixtures").rglob("*.py"))
    return [f.read_text(encoding="utf-8", errors="replace") for f in files]


def _broken(source: str, rng: random.Random) -> str:
    """The source with a few lines cut short, dropped or indented oddly."""
    lines = source.splitlines(keepends=True)
    for _ in range(4):
        if not lines:
            break
        index = rng.randrange(len(lines))
        action = rng.choice(["cut", "drop", "indent", "bracket"])
        if action == "cut":
            lines[index] = lines[index][: rng.randrange(len(lines[index]) + 1)]
        elif action == "drop":
            del lines[index]
        elif action == "indent":
            lines[index] = "   " + lines[index]
        else:
            lines[index] = lines[index].rstrip("\n") + " ([{\n"
    return "".join(lines)


@pytest.mark.parametrize("version", ["3.8", "3.13"])
def test_the_trees_are_those_of_parsos_parser(version: str) -> None:
    grammar = parso.load_grammar(version=version)
    rng = random.Random(1)
    sources = _sources()
    assert len(sources) > 40
    for source in sources + [_broken(s, rng) for s in sources for _ in range(2)]:
        expected = tree_shape(_parse(grammar, Parser, source))
        assert tree_shape(_parse(grammar, InlinedParser, source)) == expected


@pytest.mark.parametrize(
    "code",
    ["1 +", "x if y", "List[int]", "a.b[c](d=1)", "lambda: (", "", "def", "(yield)"],
)
def test_expressions_without_error_recovery_fail_as_they_do_in_parso(code: str) -> None:
    """jedi parses string annotations as ``eval_input`` without error recovery."""
    grammar = parso.load_grammar()

    def outcome(parser: type) -> Any:
        try:
            return tree_shape(
                _parse(grammar, parser, code, start_symbol="eval_input", error_recovery=False)
            )
        except Exception as exc:
            return type(exc).__name__

    assert outcome(InlinedParser) == outcome(Parser)


def test_every_python_grammar_parses_with_the_inlined_parser() -> None:
    configure(frozenset())
    assert parso.load_grammar()._parser is InlinedParser
    assert parso.load_grammar(version="3.9")._parser is InlinedParser


def test_used_names_are_those_parso_collects() -> None:
    """The same name leaves, by value, in the same order, as parso's own recursion, on real code
    and on broken code (error nodes and error leaves among the children)."""
    original = PARSOS_USED_NAMES
    assert original is not used_names
    rng = random.Random(2)
    grammar = parso.load_grammar()
    sources = _sources()
    for source in sources + [_broken(s, rng) for s in sources]:
        module = grammar.parse(source, cache=False, diff_cache=False)
        ours = dict(used_names(module))
        module._used_names = None
        theirs = dict(original(module))
        assert list(ours) == list(theirs)
        for name, leaves in theirs.items():
            assert [id(leaf) for leaf in ours[name]] == [id(leaf) for leaf in leaves]
    configure(frozenset())
    # the replacement, under the guard that counts its errors
    assert inspect.unwrap(parso.python.tree.Module.get_used_names) is used_names
