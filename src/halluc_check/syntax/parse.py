"""Source text -> Python's own verdict on it: a tree, a located syntax error, or "cannot say"."""

from __future__ import annotations

import ast
import sys
import warnings

from ..model import TOO_DEEP
from ..text import split_lines


def parse_python(source: str, feature_version: tuple[int, int] | None = None) -> ast.Module:
    """``ast.parse`` without its side effect: the ``SyntaxWarning``s it emits for checked code
    (``1()``, ``"\\d"``, ``x is 1``) would be printed to stderr, raw, by the warnings module."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(source, feature_version=feature_version)


UNKNOWN = "unknown"
"""Verdict: this interpreter cannot speak for the target's grammar."""
_RUNNING = sys.version_info[:2]


def lone_surrogate(source: str) -> str | None:
    """Why a text that no file could hold cannot be checked: a lone surrogate (``"\\ud800"`` from
    a JSON string) is not Unicode, and no parser accepts it."""
    try:
        source.encode("utf-8")
    except UnicodeEncodeError as exc:
        before = split_lines(source[: exc.start])
        where = f"line {len(before)}, column {len(before[-1]) + 1}"
        return f"not valid Unicode: a lone surrogate U+{ord(source[exc.start]):04X} at {where}"
    return None


def target_grammar(version: tuple[int, int, int]) -> tuple[int, int] | None:
    """The ``feature_version`` that makes this interpreter's parser judge code as the target's
    would, or ``None`` when the target is newer (its grammar is unknown here)."""
    target = (version[0], version[1])
    if target > _RUNNING:
        return None
    return max(target, (3, 7))  # the oldest grammar ast.parse can emulate


def python_verdict(source: str, grammar: tuple[int, int] | None) -> ast.Module | SyntaxError | str:
    """What the target's parser says: the tree when the code is valid, a ``SyntaxError``
    (located), ``TOO_DEEP``, or ``UNKNOWN`` when this interpreter cannot speak for the
    target.

    libcst accepts a superset of any one Python version (``except E, e:`` parses as 3.14's
    unparenthesised ``except``); the interpreter's own parser is the authority on validity.
    """
    if grammar is None:
        return UNKNOWN
    try:
        return parse_python(source, feature_version=grammar)
    except SyntaxError as exc:
        return exc if exc.lineno else UNKNOWN
    except (RecursionError, MemoryError):
        return TOO_DEEP
    except ValueError:  # NUL characters: libcst locates them
        return UNKNOWN


def running_parse(source: str) -> ast.Module | None:
    """The tree this interpreter's parser makes of ``source``, when it can make one."""
    try:
        return parse_python(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def libcst_parses(source: str) -> bool:
    """Whether libcst, which knows the grammar of newer Pythons, accepts ``source``."""
    import libcst as cst  # loaded only for code this interpreter cannot parse

    try:
        cst.parse_module(source)
    except Exception:  # ParserSyntaxError, or libcst giving up on the shape of the code
        return False
    return True
