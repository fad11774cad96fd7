"""Source text -> Python's own verdict on it: a tree, a located syntax error, or "cannot say"."""

from __future__ import annotations

import ast
import warnings


def parse_python(source: str, feature_version: tuple[int, int] | None = None) -> ast.Module:
    """``ast.parse`` without its side effect: the ``SyntaxWarning``s it emits for checked code
    (``1()``, ``"\\d"``, ``x is 1``) would be printed to stderr, raw, by the warnings module."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(source, feature_version=feature_version)
