"""The flake8 plugin, run by the real ``flake8`` program: codes, positions, noqa, options."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path


def flake8(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--jobs", "1", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_registered_with_flake8() -> None:
    proc = flake8("--version")
    assert "halluc-check: 0.1.0" in proc.stdout


def test_reports_hal_codes_with_positions(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        'import json\nimport jsonx\nfrom os import pathx\n\njson.lodas("{}")\n', encoding="utf-8"
    )
    proc = flake8("--select", "HAL", "--halluc-python", sys.executable, str(sample))
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines() == [
        f"{sample}:2:8: HAL001 no module named `jsonx` "
        "(help: there is a module `json` with a similar name)",
        f"{sample}:3:16: HAL002 cannot import name `pathx` from `os` (help: did you mean `path`?)",
        f"{sample}:5:6: HAL101 module `json` has no attribute `lodas` (help: did you mean `loads`?)",
    ]
    assert proc.stderr == ""
    everything = flake8(str(sample))  # on by default, next to flake8's own codes
    assert f"{sample}:2:1: F401 'jsonx' imported but unused" in everything.stdout
    assert f"{sample}:5:6: HAL101 " in everything.stdout


def test_noqa_and_select_are_flake8s(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import json\n"
        "\n"
        'json.parse("{}")  # noqa: HAL101\n'
        'json.parse("{}")  # noqa: E501\n'
        'json.parse("{}")\n',
        encoding="utf-8",
    )
    proc = flake8("--select", "HAL", "--halluc-python", sys.executable, str(sample))
    assert proc.stdout.splitlines() == [
        f"{sample}:4:6: HAL101 module `json` has no attribute `parse`",
        f"{sample}:5:6: HAL101 module `json` has no attribute `parse`",
    ]
    ignored = flake8(
        "--select", "HAL", "--extend-ignore", "HAL1", "--halluc-python", sys.executable, str(sample)
    )
    assert ignored.returncode == 0 and ignored.stdout == ""


def test_halluc_python_option_from_the_configuration(tmp_path: Path) -> None:
    """The target environment decides: ``requests`` is installed here, not in the empty venv."""
    empty = tmp_path / "empty-env"
    venv.create(empty, with_pip=False, symlinks=True)
    sample = tmp_path / "sample.py"
    sample.write_text("import requests\n\nrequests.get('https://example.com')\n", encoding="utf-8")
    here = flake8("--select", "HAL", "--halluc-python", sys.executable, "sample.py", cwd=tmp_path)
    assert here.returncode == 0, here.stdout + here.stderr
    (tmp_path / "tox.ini").write_text(f"[flake8]\nhalluc-python = {empty}\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "flake8", "--jobs", "1", "--select", "HAL", "sample.py"],
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.stdout.startswith("sample.py:1:8: HAL003 "), proc.stdout + proc.stderr
    assert "`requests`" in proc.stdout
