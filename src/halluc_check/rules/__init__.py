"""The rule registry: every check in the order it runs, and the rules (codes, kebab-case names,
documentation) they report.

Adding a rule: a new module in this package with its :class:`~.base.Rule` and its
:class:`~.base.Check`, and one line in ``CHECKS``. Order matters only where a check reads what an
earlier one left in the file's context: the call check starts from the receivers the attribute
check inferred.
"""

from __future__ import annotations

from collections.abc import Iterable

from .base import Check, Rule
from .call_arguments import CallCheck
from .install_lines import InstallCheck
from .parse_error import ParseErrorCheck
from .unresolved_attribute import AttributeCheck
from .unresolved_import import ImportCheck

CHECKS: tuple[type[Check], ...] = (
    ImportCheck,
    AttributeCheck,
    CallCheck,
    InstallCheck,
    ParseErrorCheck,
)
RULES: tuple[Rule, ...] = tuple(rule for check in CHECKS for rule in check.rules)
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


__all__ = ["BY_NAME", "CHECKS", "REGISTRY", "RULES", "Check", "Rule", "lookup", "matching"]
