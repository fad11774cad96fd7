"""Inline expectations in fixture files: ``# expect: HAL101[name], HAL002[other]``."""

from __future__ import annotations

import re
from pathlib import Path

from halluc_check.model import Finding

_EXPECT = re.compile(r"#\s*expect:\s*(?P<items>.+)$")
_ITEM = re.compile(r"(?P<code>HAL\d{3})\[(?P<name>[^\]]+)\]")


def expected(path: Path) -> set[tuple[int, str, str]]:
    """(line, code, name) for every expectation in ``path``."""
    found: set[tuple[int, str, str]] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            for item in _ITEM.finditer(match.group("items")):
                found.add((number, item.group("code"), item.group("name")))
    return found


def actual(findings: list[Finding], source: str) -> set[tuple[int, str, str]]:
    """(line, code, underlined text) for every finding; the text is read at the finding's span."""
    lines = source.splitlines()
    found: set[tuple[int, str, str]] = set()
    for finding in findings:
        span = finding.span
        text = (
            lines[span.line - 1][span.column : span.end_column]
            if span.line == span.end_line
            else ""
        )
        found.add((span.line, finding.code, text))
    return found
