"""Inline expectations in fixture files -> comparable sets: ``# expect: HAL101[name], HAL002[x]``.

Used by the test suite and the recall benchmark; public so that users can test their own
configuration against their own labelled snippets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from .model import Finding

_EXPECT = re.compile(r"#\s*expect:\s*(?P<items>.+)$")
_ITEM = re.compile(r"(?P<code>HAL\d{3})\[(?P<name>[^\]]+)\]")


Expectation = tuple[int, str, str]
"""(line, code, name): a finding's 1-based line, its code and the text its span covers."""


def expected(path: Path) -> set[Expectation]:
    """Every expectation written in ``path``."""
    return expected_in(path.read_text(encoding="utf-8"))


def expected_in(source: str) -> set[Expectation]:
    """Every expectation written in ``source``."""
    found: set[Expectation] = set()
    for number, line in enumerate(source.splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            for item in _ITEM.finditer(match.group("items")):
                found.add((number, item.group("code"), item.group("name")))
    return found


def actual(findings: Iterable[Finding], source: str) -> set[Expectation]:
    """The same triple for every finding; the name is the source text under its span."""
    lines = source.splitlines()
    found: set[Expectation] = set()
    for finding in findings:
        span = finding.span
        text = (
            lines[span.line - 1][span.column : span.end_column]
            if span.line == span.end_line
            else ""
        )
        found.add((span.line, finding.code, text))
    return found
