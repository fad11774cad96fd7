"""Source text -> the names it hands to model classes as data: keywords and literal dict keys of
a class's constructor and of ``model_validate``, ``model_construct``, ``model_copy(update=...)``
and their older names, and whether it validates with an ``extra=`` argument.

A pydantic model whose ``extra`` setting is ``"allow"`` keeps the extra keys of its data as
attributes, and ``model_copy(update=...)`` adds its keys to any model: such a name is not
invented when the file itself gives it as data (see :mod:`..resolve.models.pydantic_v2`).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache

#: Calls whose arguments are a model's data, by the called name.
_DATA_CALLS = frozenset(
    {
        "model_copy",
        "copy",
        "model_construct",
        "construct",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "validate",
        "validate_python",
        "validate_json",
        "validate_strings",
        "parse_obj",
        "parse_raw",
    }
)
#: Calls that take an ``extra=`` argument overriding a model's setting (pydantic 2.12+).
_VALIDATING_CALLS = frozenset(name for name in _DATA_CALLS if "validate" in name)
#: A key of a JSON object written in a string: ``'{"name": 1}'``.
_JSON_KEY = re.compile(r"\"(\w+)\"\s*:")
#: What the fallback reads when the file is not valid Python to this interpreter's ``ast``.
_ANY_KEY = re.compile(r"\b(\w+)\s*=(?!=)|[\"'](\w+)[\"']")
_EXTRA_KEYWORD = re.compile(r"\bextra\s*=(?!=)")


@dataclass(frozen=True)
class DataNames:
    keys: frozenset[str]
    """Names the file gives a model as data."""
    validates_with_extra: bool
    """The file calls ``model_validate*`` (or a ``validate_*``) with an ``extra=`` argument that
    may allow extra keys."""


@lru_cache(maxsize=16)
def data_names(source: str) -> DataNames:
    """What ``source`` hands to model classes as data (read once per text)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        # newer syntax than this interpreter reads: every assigned keyword and quoted word
        words = {word for match in _ANY_KEY.finditer(source) for word in match.groups() if word}
        return DataNames(frozenset(words), bool(_EXTRA_KEYWORD.search(source)))
    keys: set[str] = set()
    validates_with_extra = False
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = _called_name(node.func)
        if called is None or not (called in _DATA_CALLS or called[:1].isupper()):
            continue
        keys.update(keyword.arg for keyword in node.keywords if keyword.arg)
        for argument in (*node.args, *(keyword.value for keyword in node.keywords)):
            keys |= _literal_keys(argument)
        if called in _VALIDATING_CALLS:
            validates_with_extra = validates_with_extra or any(
                keyword.arg == "extra" and not _refuses_extra(keyword.value)
                for keyword in node.keywords
            )
    return DataNames(frozenset(keys), validates_with_extra)


def _called_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _literal_keys(argument: ast.expr) -> set[str]:
    """The string keys of the dict literals in ``argument``, and the keys of JSON objects
    written in its strings."""
    keys: set[str] = set()
    for node in ast.walk(argument):
        if isinstance(node, ast.Dict):
            keys.update(
                key.value
                for key in node.keys
                if isinstance(key, ast.Constant) and isinstance(key.value, str)
            )
        elif isinstance(node, ast.Constant) and isinstance(node.value, str | bytes):
            text = node.value if isinstance(node.value, str) else node.value.decode("latin-1")
            keys.update(_JSON_KEY.findall(text))
    return keys


def _refuses_extra(value: ast.expr) -> bool:
    """``extra="ignore"``, ``extra="forbid"`` or ``extra=None``: no extra key is kept."""
    return isinstance(value, ast.Constant) and value.value in ("ignore", "forbid", None)
