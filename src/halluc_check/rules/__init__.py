"""The rule registry: stable codes, kebab-case names and the documentation of every rule."""

from __future__ import annotations

from collections.abc import Iterable

from .base import Rule
from .call_arguments import TOO_MANY_POSITIONAL, UNKNOWN_KEYWORD
from .parse_error import PARSE_ERROR
from .unresolved_attribute import UNRESOLVED_ATTRIBUTE
from .unresolved_import import UNRESOLVED_IMPORT, UNRESOLVED_IMPORT_NAME

RULES: tuple[Rule, ...] = (
    UNRESOLVED_IMPORT,
    UNRESOLVED_IMPORT_NAME,
    UNRESOLVED_ATTRIBUTE,
    UNKNOWN_KEYWORD,
    TOO_MANY_POSITIONAL,
    PARSE_ERROR,
)
REGISTRY: dict[str, Rule] = {rule.code: rule for rule in RULES}
BY_NAME: dict[str, Rule] = {rule.name: rule for rule in RULES}


def lookup(code_or_name: str) -> Rule | None:
    """A rule by code (``HAL101``, case-insensitive) or name (``unresolved-attribute``)."""
    return REGISTRY.get(code_or_name.upper()) or BY_NAME.get(code_or_name.lower())


def matching(selectors: Iterable[str]) -> set[str]:
    """Codes matched by selectors: full codes, code prefixes (``HAL1``) or rule names."""
    codes: set[str] = set()
    for selector in selectors:
        selector = selector.strip()
        if not selector:
            continue
        rule = BY_NAME.get(selector.lower())
        if rule is not None:
            codes.add(rule.code)
            continue
        prefix = selector.upper()
        matched = {code for code in REGISTRY if code.startswith(prefix)}
        if not matched:
            raise ValueError(f"unknown rule selector `{selector}`")
        codes |= matched
    return codes


__all__ = ["BY_NAME", "REGISTRY", "RULES", "Rule", "lookup", "matching"]
