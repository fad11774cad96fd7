"""The command line, run as a real subprocess: exit codes, formats, stdin, rules, environments."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import FIXTURES

STALE = FIXTURES / "founding" / "bot_stale.py"
FIXED = FIXTURES / "founding" / "bot_fixed.py"


def run(
    *args: str, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "FORCE_COLOR")}
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "halluc_check", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env=env,
    )


def test_findings_exit_1_and_concise_when_piped() -> None:
    proc = run(str(STALE), "--python", sys.executable)
    assert proc.returncode == 1, proc.stderr
    assert f"{STALE}:26:67: HAL002 cannot import name `Filters` from `telegram.ext`" in proc.stdout
    assert "help: did you mean `filters`?" in proc.stdout
    assert proc.stdout.rstrip().endswith("(HAL101 \u00d76, HAL002 \u00d73, HAL201 \u00d71).")


def test_clean_file_exit_0() -> None:
    proc = run(str(FIXED), "--python", sys.executable)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "All checks passed!" in proc.stdout


def test_full_format_draws_code_frame() -> None:
    proc = run(str(STALE), "--python", sys.executable, "--format", "full")
    assert "error[HAL002]: cannot import name `Filters` from `telegram.ext`" in proc.stdout
    assert f" --> {STALE}:26:67" in proc.stdout
    assert "^^^^^^^ not defined in `telegram.ext` (python-telegram-bot" in proc.stdout


def test_json_format() -> None:
    proc = run(str(STALE), "--python", sys.executable, "--format", "json")
    data = json.loads(proc.stdout)
    first = {d["message"]: d for d in data["diagnostics"]}[
        "`Updater` has no attribute `dispatcher`"
    ]
    assert first["path"] == str(STALE)
    assert (first["line"], first["column"], first["end_line"], first["end_column"]) == (
        99,
        18,
        99,
        28,
    )
    assert first["code"] == "HAL101" and first["rule"] == "unresolved-attribute"
    assert first["symbol"] == "telegram.ext._updater.Updater"
    assert first["package"].startswith("python-telegram-bot ")
    assert isinstance(first["suggestions"], list)
    assert data["summary"]["findings"] == 10


def test_stdin_with_filename() -> None:
    proc = run(
        "-",
        "--stdin-filename",
        "answer.py",
        "--python",
        sys.executable,
        stdin="import json\njson.parse('{}')\n",
    )
    assert proc.returncode == 1
    assert "answer.py:2:6: HAL101 module `json` has no attribute `parse`" in proc.stdout


def test_parse_error_is_a_located_finding(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text('print "hello"\n', encoding="utf-8")
    good = tmp_path / "good.py"
    good.write_text("import json\njson.lodas('x')\n", encoding="utf-8")
    proc = run(str(tmp_path), "--python", sys.executable)
    assert proc.returncode == 1
    assert f"{bad}:1:1: HAL900 cannot parse: Missing parentheses in call to 'print'" in proc.stdout
    assert f"{good}:2:6: HAL101" in proc.stdout


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run().returncode == 2
    missing = run(str(tmp_path / "nope.py"), "--python", sys.executable)
    assert missing.returncode == 2
    assert "no such file or directory" in missing.stdout
    bad_python = run(str(FIXED), "--python", str(tmp_path / "no-python"))
    assert bad_python.returncode == 2
    assert "no such interpreter" in bad_python.stderr
    assert run(str(FIXED), "--select", "HAL7").returncode == 2


def test_select_ignore_and_exit_zero() -> None:
    proc = run(str(STALE), "--python", sys.executable, "--select", "HAL002")
    assert "HAL101" not in proc.stdout and "HAL002" in proc.stdout
    proc = run(
        str(STALE), "--python", sys.executable, "--ignore", "HAL1,HAL2,unresolved-import-name"
    )
    assert proc.returncode == 0
    assert run(str(STALE), "--python", sys.executable, "--exit-zero").returncode == 0


def test_rule_and_rules() -> None:
    proc = run("rule", "HAL101")
    assert proc.returncode == 0
    assert proc.stdout.startswith("# unresolved-attribute (HAL101)")
    assert "## Why is this bad?" in proc.stdout
    listing = run("rules").stdout
    assert "HAL001  unresolved-import" in listing and "HAL900" in listing
    assert run("rule", "HAL999").returncode == 2


def test_pyproject_configuration(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.halluc-check]\nignore = ["HAL101"]\n', encoding="utf-8"
    )
    code = tmp_path / "gen.py"
    code.write_text("import json\njson.parse('x')\n", encoding="utf-8")
    assert run(str(code), "--python", sys.executable, cwd=tmp_path).returncode == 0
    (tmp_path / "pyproject.toml").write_text("[tool.halluc-check]\nbogus = 1\n", encoding="utf-8")
    proc = run(str(code), "--python", sys.executable, cwd=tmp_path)
    assert proc.returncode == 2 and "unknown key(s) in [tool.halluc-check]: bogus" in proc.stderr


@pytest.fixture(scope="module")
def bare_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("bare") / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    return target


def test_resolves_against_the_target_environment(bare_venv: Path, tmp_path: Path) -> None:
    code = tmp_path / "uses_requests.py"
    code.write_text("import requests\nimport json\njson.parse('x')\n", encoding="utf-8")
    here = run(str(code), "--python", sys.executable)
    assert "no module named `requests`" not in here.stdout
    there = run(str(code), "--python", str(bare_venv))
    # requests is real (on PyPI), just not installed there: a missing dependency, not an invention
    assert "HAL003 `requests` is not installed" in there.stdout
    assert "HAL101 module `json` has no attribute `parse`" in there.stdout
    # $VIRTUAL_ENV is the default target
    env = {**os.environ, "VIRTUAL_ENV": str(bare_venv), "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "halluc_check", str(code)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert "HAL003 `requests` is not installed" in proc.stdout
