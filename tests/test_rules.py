"""Every rule's inline valid and invalid examples, plus the registry's selectors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from halluc_check.cache import result_from_json
from halluc_check.model import Finding
from halluc_check.rules import RULES, lookup, matching
from halluc_check.rules.base import Case, Rule

VALID = [(rule, case) for rule in RULES for case in rule.valid]
INVALID = [(rule, case) for rule in RULES for case in rule.invalid]


_CHECK_ALL = """
import json, sys
from pathlib import Path
from halluc_check.cache import result_to_json
from halluc_check.config import Config
from halluc_check.engine.checker import Checker
checker = Checker(Config(python=sys.executable))
results = []
for index, source in enumerate(json.loads(sys.stdin.read())):
    path = Path(sys.argv[1]) / f"case{index}" / "snippet.py"
    path.parent.mkdir()
    path.write_text(source, encoding="utf-8")
    results.append(result_to_json(checker.check_source(source, str(path))))
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Finding]]:
    """Every example's findings, checked in a process of its own: what other tests checked
    before in this process must not decide them (see tests/test_determinism.py)."""
    sources = sorted({case.source for _, case in (*VALID, *INVALID)})
    proc = subprocess.run(
        [sys.executable, "-c", _CHECK_ALL, str(tmp_path_factory.mktemp("examples"))],
        input=json.dumps(sources),
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    found = {}
    for source, data in zip(sources, json.loads(proc.stdout), strict=True):
        result = result_from_json(data)
        assert result.error is None, result.error
        found[source] = list(result.findings)
    return found


def _text(source: str, finding: Finding) -> str:
    line = source.splitlines()[finding.span.line - 1]
    return line[finding.span.column : finding.span.end_column]


@pytest.mark.parametrize(
    ("rule", "case"),
    VALID,
    ids=[f"{r.code}-valid-{i}" for r in RULES for i, _ in enumerate(r.valid)],
)
def test_valid(rule: Rule, case: Case, examples: dict[str, list[Finding]]) -> None:
    assert examples[case.source] == []


@pytest.mark.parametrize(
    ("rule", "case"),
    INVALID,
    ids=[f"{r.code}-invalid-{i}" for r in RULES for i, _ in enumerate(r.invalid)],
)
def test_invalid(rule: Rule, case: Case, examples: dict[str, list[Finding]]) -> None:
    findings = examples[case.source]
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
