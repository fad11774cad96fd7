"""Every fixture file's findings equal its inline ``# expect:`` comments: code, line, column, name."""

from __future__ import annotations

from pathlib import Path

import pytest

from halluc_check.engine.checker import Checker
from halluc_check.testing import actual, expected

from .conftest import FIXTURES

FILES = sorted([*FIXTURES.glob("founding/*.py"), *FIXTURES.glob("cases/*.py")])


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_fixture_expectations(checker: Checker, path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    result = checker.check_source(source, str(path))
    assert result.error is None
    assert actual(list(result.findings), source) == expected(path)


def test_founding_fixture_has_suggestions(checker: Checker) -> None:
    path = FIXTURES / "founding" / "bot_stale.py"
    result = checker.check_source(path.read_text(encoding="utf-8"), str(path))
    by_name = {
        path.read_text().splitlines()[f.span.line - 1][f.span.column : f.span.end_column]: f
        for f in result.findings
    }
    assert by_name["Filters"].suggestions[0].replacement == "filters"
    assert (
        by_name["Filters"].package
        == "python-telegram-bot " + by_name["Filters"].package.split()[-1]
    )
    assert by_name["dispatcher"].symbol == "telegram.ext._updater.Updater"
