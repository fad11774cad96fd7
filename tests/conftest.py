"""Shared fixtures: one Checker per test session (jedi's caches stay warm across tests)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from halluc_check.config import Config
from halluc_check.engine.checker import Checker
from halluc_check.jedi_compat.failures import STRICT_PATCHES_VARIABLE
from halluc_check.model import Finding

# A TypeError or AttributeError raised by the code of a jedi patch (a jedi release that changed
# what the patch calls) fails the test that ran into it, instead of becoming a silent "unknown".
# Set at import, before any checker exists, so that xdist workers and subprocesses inherit it.
os.environ.setdefault(STRICT_PATCHES_VARIABLE, "1")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


@pytest.fixture(scope="session")
def checker() -> Checker:
    return Checker(Config(python=sys.executable))


@pytest.fixture
def check(checker: Checker, tmp_path: Path) -> Callable[..., list[Finding]]:
    """Check a snippet written to a temporary file; returns its findings."""

    def run(source: str, name: str = "snippet.py") -> list[Finding]:
        path = tmp_path / name
        path.write_text(source, encoding="utf-8")
        result = checker.check_source(source, str(path))
        assert result.error is None, result.error
        return list(result.findings)

    return run


@pytest.fixture(autouse=True)
def _private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test gets an empty result cache of its own (the user's cache is never touched)."""
    monkeypatch.setenv("HALLUC_CHECK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(autouse=True)
def _private_runtime_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test gets a runtime folder of its own: a daemon the user runs is never asked."""
    folder = tmp_path_factory.mktemp("runtime")
    folder.chmod(0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
