"""Every rule's inline valid and invalid examples, plus the registry's selectors."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from halluc_check.model import Finding
from halluc_check.rules import RULES, lookup, matching
from halluc_check.rules.base import Case, Rule

VALID = [(rule, case) for rule in RULES for case in rule.valid]
INVALID = [(rule, case) for rule in RULES for case in rule.invalid]


def _text(source: str, finding: Finding) -> str:
    line = source.splitlines()[finding.span.line - 1]
    return line[finding.span.column : finding.span.end_column]


@pytest.mark.parametrize(
    ("rule", "case"),
    VALID,
    ids=[f"{r.code}-valid-{i}" for r in RULES for i, _ in enumerate(r.valid)],
)
def test_valid(rule: Rule, case: Case, check: Callable[..., list[Finding]]) -> None:
    assert check(case.source) == []


@pytest.mark.parametrize(
    ("rule", "case"),
    INVALID,
    ids=[f"{r.code}-invalid-{i}" for r in RULES for i, _ in enumerate(r.invalid)],
)
def test_invalid(rule: Rule, case: Case, check: Callable[..., list[Finding]]) -> None:
    findings = check(case.source)
    code = rule.code
    assert [f.code for f in findings] == [code] * len(case.expected)
    if code != "HAL900":
        assert [_text(case.source, f) for f in findings] == list(case.expected)


def test_every_rule_is_documented_with_ruff_sections() -> None:
    for rule in RULES:
        for section in (
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Known problems",
        ):
            assert section in rule.docs, (rule.code, section)
        assert rule.valid and rule.invalid


def test_readme_rule_table_matches_registry() -> None:
    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"| {rule.code} | {rule.name} | {rule.summary} |" in readme


def test_selectors() -> None:
    assert matching(["HAL1"]) == {"HAL101"}
    assert matching(["unresolved-import", "HAL900"]) == {"HAL001", "HAL900"}
    assert lookup("hal101") is lookup("unresolved-attribute")
    with pytest.raises(ValueError):
        matching(["HAL7"])
