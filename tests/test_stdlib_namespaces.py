"""The standard library's namespaces as the target interpreter has them: read in an isolated
subprocess, only for the standard library, the same whatever is asked with them, kept on disk,
and nothing claimed when the interpreter does not answer."""

from __future__ import annotations

import dataclasses
import inspect
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from halluc_check.cache import DiskCache
from halluc_check.config import Config
from halluc_check.engine.checker import Checker
from halluc_check.model import Finding
from halluc_check.resolve import openness
from halluc_check.resolve.stdlib_evidence import OVERRULED
from halluc_check.target import stdlib_namespaces
from halluc_check.target.environment import TargetEnvironment, load_environment
from halluc_check.target.stdlib_namespaces import STATISTICS, StdlibNamespaces, refused


@pytest.fixture(scope="module")
def env() -> TargetEnvironment:
    return load_environment(sys.executable)


@pytest.fixture(autouse=True)
def _nothing_known(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts with nothing read in this process."""
    monkeypatch.setattr(stdlib_namespaces, "_MEMORY", {})
    yield


def _names(findings: list[Finding]) -> list[tuple[str, str | None]]:
    return sorted((f.code, f.name) for f in findings)


def test_a_module_is_read_as_the_target_has_it(env: TargetEnvironment) -> None:
    namespaces = StdlibNamespaces(env)
    typing = namespaces.get("typing")
    assert typing is not None
    assert typing.has("List") and typing.has("io") and not typing.has("Lisst")
    assert typing.described == "`typing` of Python " + ".".join(map(str, sys.version_info[:3]))
    os_module = namespaces.get("os")
    assert os_module is not None and not os_module.package
    assert os_module.submodules == {"path"}  # `os` registers it; it is no package
    logging = namespaces.get("logging")
    assert logging is not None and logging.package
    assert {"config", "handlers"} <= logging.submodules
    futures = namespaces.get("concurrent.futures")
    assert futures is not None and futures.module_getattr


def test_only_the_standard_library_is_asked_about(env: TargetEnvironment) -> None:
    namespaces = StdlibNamespaces(env)
    calls = STATISTICS.calls
    for module in ("antigravity", "this", "idlelib.idle", "unittest.__main__", "site", "pytest"):
        assert namespaces.get(module) is None
    assert STATISTICS.calls == calls
    assert refused("tkinter.ttk") and refused("asyncio.__main__") and not refused("json.tool")


def test_the_subprocess_is_isolated_from_the_project_and_pythonpath(
    env: TargetEnvironment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "imported"
    fake = f"open({str(marker)!r}, 'w').write('x')\nFAKE_NAME = 1\n"
    for folder in (tmp_path / "project", tmp_path / "path"):
        folder.mkdir()
        (folder / "csv.py").write_text(fake, encoding="utf-8")
        (folder / "typing.py").write_text(fake, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "project")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "path"))
    namespaces = StdlibNamespaces(env)
    namespaces.expect(["typing"])
    csv = namespaces.get("csv")
    assert csv is not None and "reader" in csv.names and "FAKE_NAME" not in csv.names
    typing = namespaces.get("typing")
    assert typing is not None and "FAKE_NAME" not in typing.names
    assert not marker.exists()


def test_an_answer_does_not_depend_on_what_is_asked_with_it(env: TargetEnvironment) -> None:
    namespaces = StdlibNamespaces(env)
    alone = namespaces._call(["json"])["json"]
    after = namespaces._call(["json.tool", "xml.etree.ElementTree", "json"])["json"]
    assert alone == after
    # imported in the same process, `json.tool` would have become an attribute of `json`
    assert "tool" not in alone["names"] and "tool" in alone["submodules"]


def test_answers_are_kept_on_disk(env: TargetEnvironment, tmp_path: Path) -> None:
    disk = DiskCache(tmp_path / "cache")
    first = StdlibNamespaces(env, disk).get("json")
    calls = STATISTICS.calls
    stdlib_namespaces._MEMORY.clear()
    second = StdlibNamespaces(env, disk).get("json")
    assert STATISTICS.calls == calls
    assert first is not None and first == second


def _silent_interpreter(env: TargetEnvironment, tmp_path: Path, body: str) -> TargetEnvironment:
    script = tmp_path / "python"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return dataclasses.replace(env, executable=str(script))


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands for the interpreter")
@pytest.mark.parametrize("body", ["exec sleep 30", "exit 3", "echo not-json"])
def test_an_interpreter_that_does_not_answer_makes_no_claim(
    env: TargetEnvironment, tmp_path: Path, body: str
) -> None:
    silent = StdlibNamespaces(_silent_interpreter(env, tmp_path, body), timeout=1.0)
    failures = STATISTICS.failures
    assert silent.get("typing") is None
    assert STATISTICS.failures == failures + 1
    assert silent.get("typing") is None  # not asked again in this process
    assert STATISTICS.failures == failures + 1

    checker = Checker(Config(python=sys.executable))
    checker.projects.stdlib = silent
    source = "import json\nimport os.pathx\nimport typing\njson.lodas\ntyping.Lisst\n"
    path = tmp_path / "snippet.py"
    path.write_text(source, encoding="utf-8")
    result = checker.check_source(source, str(path))
    # what the static reading proves stays; nothing the interpreter would have had to say
    assert _names(list(result.findings)) == [("HAL101", "lodas")]


def test_a_file_of_existing_names_starts_no_process(checker: Checker, tmp_path: Path) -> None:
    source = (
        "import json, os, typing\nimport os.path\nimport logging.handlers\n"
        "import xml.etree.ElementTree\n"
        "print(json.loads, os.path.join, typing.List, logging.handlers, xml.etree)\n"
    )
    path = tmp_path / "existing.py"
    path.write_text(source, encoding="utf-8")
    calls = STATISTICS.calls
    assert not checker.check_source(source, str(path)).findings
    assert STATISTICS.calls == calls


def test_one_call_answers_the_file(checker: Checker, tmp_path: Path) -> None:
    source = "import typing\nimport os.pathx\nimport logging\ntyping.Lisst\nlogging.handlerz\n"
    path = tmp_path / "invented.py"
    path.write_text(source, encoding="utf-8")
    calls = STATISTICS.calls
    findings = list(checker.check_source(source, str(path)).findings)
    assert _names(findings) == [
        ("HAL001", "os.pathx"),
        ("HAL101", "Lisst"),
        ("HAL101", "handlerz"),
    ]
    assert STATISTICS.calls == calls + 1
    lisst = next(f for f in findings if f.name == "Lisst")
    version = ".".join(map(str, sys.version_info[:3]))
    assert f"not in `typing` of Python {version}" in lisst.notes


def test_a_project_module_under_a_standard_library_name_is_read_as_before(
    checker: Checker, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("[project]\nname = 'demo'\n", encoding="utf-8")
    (project / "typing.py").write_text(
        "def _names():\n    return ['A']\nfor _name in _names():\n    globals()[_name] = 1\n",
        encoding="utf-8",
    )
    source = "import typing\nimport typing.sub\nfrom typing import Lisst\ntyping.Lisst\n"
    path = project / "main.py"
    path.write_text(source, encoding="utf-8")
    calls = STATISTICS.calls
    assert not checker.check_source(source, str(path)).findings
    assert STATISTICS.calls == calls


def test_the_overruled_reasons_are_the_static_reading_s() -> None:
    text = inspect.getsource(openness)
    for reason in OVERRULED:
        assert f'"{reason}"' in text
