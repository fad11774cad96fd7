"""The pytest plugin, run by pytest itself (``pytester``): items, failures, marker, cache, xdist."""

from __future__ import annotations

import gc
import sys
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest

import halluc_check.api
import halluc_check.cache
from halluc_check.integrations.pytest_plugin import HallucItem

pytest_plugins = ["pytester"]

BAD = 'import json\n\njson.parse("{}")\n'
GOOD = 'import json\n\njson.loads("{}")\n'
BAD_LINE = "bad.py:3:6: HAL101 module `json` has no attribute `parse`"


@pytest.fixture(autouse=True)
def _frozen_heap() -> Iterator[None]:
    """Every inner pytest session ends with five full ``gc.collect()`` runs over this whole
    process (pytest's unraisable-exception cleanup); freezing what earlier tests left on the
    heap (jedi's caches) keeps them cheap."""
    gc.freeze()
    yield
    gc.unfreeze()


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    # pytest-benchmark, when installed, warns in every inner run under xdist
    monkeypatch.setenv("PYTEST_ADDOPTS", "-p no:benchmark")
    pytester.makepyfile(bad=BAD, good=GOOD)
    return pytester


def write_pyproject(pytester: pytest.Pytester, text: str) -> None:
    pytester.makefile(".toml", pyproject=text)


def summary(result: pytest.RunResult) -> str:
    lines = [line for line in result.outlines if line.startswith("halluc-check: ")]
    assert len(lines) == 1, result.outlines
    return lines[0]


def test_off_by_default(project: pytest.Pytester) -> None:
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    result.assert_outcomes()


def test_failing_and_passing_files(project: pytest.Pytester) -> None:
    result = project.runpytest("--halluc-check", "-p", "no:cacheprovider", "-rA")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*_ halluc-check _*",
            BAD_LINE,
            "Found 1 hallucinated reference in 1 of 1 file (HAL101 \u00d71).",
            "PASSED good.py::halluc-check",
            "FAILED bad.py::halluc-check - *",
        ]
    )
    output = result.stdout.str()
    assert "Traceback" not in output and "HallucCheckFailure" not in output
    assert "pytest_plugin.py" not in output  # no frames of the plugin itself


def test_ini_option(project: pytest.Pytester) -> None:
    project.makeini("[pytest]\nhalluc_check = true\n")
    project.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1, failed=1)


def test_marker_selects_the_items(project: pytest.Pytester) -> None:
    project.makepyfile(test_app="def test_app():\n    assert True\n")
    only = project.runpytest("--halluc-check", "-p", "no:cacheprovider", "-m", "halluc_check", "-v")
    only.assert_outcomes(passed=2, failed=1, deselected=1)
    only.stdout.fnmatch_lines(["test_app.py::halluc-check PASSED*"])
    rest = project.runpytest("--halluc-check", "-m", "not halluc_check", "-p", "no:cacheprovider")
    rest.assert_outcomes(passed=1, deselected=3)


def test_markdown_only_with_its_option(project: pytest.Pytester) -> None:
    project.makefile(
        ".md",
        answer="Use the json module:\n\n```python\nimport json\n\njson.parse(text)\n```\n",
    )
    project.runpytest("--halluc-check", "-p", "no:cacheprovider").assert_outcomes(
        passed=1, failed=1
    )
    result = project.runpytest("--halluc-check", "--halluc-check-md", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(
        ["answer.md:6:6: HAL101 module `json` has no attribute `parse`*", "FAILED answer.md::*"]
    )


def test_items_and_reportinfo(project: pytest.Pytester) -> None:
    items, _ = project.inline_genitems("--halluc-check")
    assert sorted(item.nodeid for item in items) == [
        "bad.py::halluc-check",
        "good.py::halluc-check",
    ]
    item = next(item for item in items if item.nodeid.startswith("bad"))
    assert isinstance(item, HallucItem)
    assert item.reportinfo() == (project.path / "bad.py", None, "halluc-check")
    assert item.get_closest_marker("halluc_check") is not None


@pytest.fixture
def stable_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache key covers halluc-check's own module files; hold it still while others edit them."""
    monkeypatch.setattr(halluc_check.cache, "tool_fingerprint", lambda: "stable")


@pytest.mark.usefixtures("stable_code")
def test_cache_reuses_results_of_unchanged_files(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = project.runpytest("--halluc-check")
    first.assert_outcomes(passed=1, failed=1)
    assert summary(first) == "halluc-check: 2 files, 0 answered from cache"

    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("a cached file was checked again")

    with monkeypatch.context() as patch:
        patch.setattr(halluc_check.api, "check_source", must_not_run)
        second = project.runpytest("--halluc-check")
    second.assert_outcomes(passed=1, failed=1)  # the failure is replayed from the cache
    assert summary(second) == "halluc-check: 2 files, 2 answered from cache"
    second.stdout.fnmatch_lines([BAD_LINE + "*"])

    project.makepyfile(good=GOOD + "json.dumps([])\n")
    third = project.runpytest("--halluc-check")
    assert summary(third) == "halluc-check: 2 files, 1 answered from cache"

    write_pyproject(project, '[tool.halluc-check]\nignore = ["HAL101"]\n')
    fourth = project.runpytest("--halluc-check")
    fourth.assert_outcomes(passed=2)  # the configuration is part of the key
    assert summary(fourth) == "halluc-check: 2 files, 0 answered from cache"


@pytest.mark.usefixtures("stable_code")
def test_environment_change_invalidates_the_cache(project: pytest.Pytester) -> None:
    target = project.path / "target-env"
    venv.create(target, with_pip=False, symlinks=True)
    args = ("--halluc-check", f"--halluc-check-python={target}")
    assert summary(project.runpytest(*args)) == "halluc-check: 2 files, 0 answered from cache"
    assert summary(project.runpytest(*args)) == "halluc-check: 2 files, 2 answered from cache"

    site = next((target / "lib").glob("python*/site-packages"))
    info = site / "upgraded_lib-2.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: upgraded-lib\nVersion: 2.0\n\n")
    (info / "RECORD").write_text("upgraded_lib/__init__.py,,\n")
    changed = project.runpytest(*args)
    changed.assert_outcomes(passed=1, failed=1)
    assert summary(changed) == "halluc-check: 2 files, 0 answered from cache"


def test_xdist(project: pytest.Pytester) -> None:
    # hold the cache key still in the workers too, while others may edit halluc-check's modules
    project.makeconftest(
        'from halluc_check import cache\n\ncache.tool_fingerprint = lambda: "stable"\n'
    )
    args = ("--halluc-check", f"--halluc-check-python={sys.executable}", "-n", "2")
    result = project.runpytest_subprocess(*args)
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines([BAD_LINE + "*", "FAILED bad.py::halluc-check - *"])
    assert summary(result) == "halluc-check: 3 files, 0 answered from cache"
    again = project.runpytest_subprocess(*args)  # the workers share the cache
    again.assert_outcomes(passed=2, failed=1)
    assert summary(again) == "halluc-check: 3 files, 3 answered from cache"


def test_unknown_configuration_is_a_usage_error(project: pytest.Pytester) -> None:
    write_pyproject(project, "[tool.halluc-check]\nselect = ['NOPE']\n")
    result = project.runpytest("--halluc-check")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: halluc-check: *pyproject.toml: `select`: unknown rule selector `NOPE`"]
    )


def test_a_missing_interpreter_fails_every_item(project: pytest.Pytester, tmp_path: Path) -> None:
    result = project.runpytest("--halluc-check", f"--halluc-check-python={tmp_path / 'nope'}")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["*no such interpreter or environment*"])
