"""halluc-check never runs the checked code and never imports the packages it names."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

MARKER_CODE = "open({path!r}, 'w').write('executed')\n"

EXTENSION_C = r"""
#include <Python.h>
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "evilext", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_evilext(void) {
    FILE *f = fopen(MARKER, "w");
    if (f) { fputs("executed", f); fclose(f); }
    return PyModule_Create(&def);
}
"""


def _site_packages(env_dir: Path) -> Path:
    return next(env_dir.glob("lib/python*/site-packages"))


def _build_extension(folder: Path, marker: Path) -> bool:
    compiler = shutil.which("cc") or shutil.which("gcc")
    include = sysconfig.get_paths()["include"]
    if compiler is None or not (Path(include) / "Python.h").exists():
        return False
    source = folder / "evilext.c"
    source.write_text(EXTENSION_C, encoding="utf-8")
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    proc = subprocess.run(
        [
            compiler,
            "-shared",
            "-fPIC",
            f"-I{include}",
            f'-DMARKER="{marker}"',
            str(source),
            "-o",
            str(folder / f"evilext{suffix}"),
        ],
        capture_output=True,
        text=True,
    )
    source.unlink()
    return proc.returncode == 0


def test_checked_code_and_named_packages_never_run(tmp_path: Path) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    site = _site_packages(env_dir)
    package = site / "evilpkg"
    package.mkdir()
    (package / "__init__.py").write_text(
        MARKER_CODE.format(path=str(markers / "init")) + "def hello():\n    return 1\n",
        encoding="utf-8",
    )
    (package / "sub.py").write_text(
        MARKER_CODE.format(path=str(markers / "sub")) + "VALUE = 1\n", encoding="utf-8"
    )
    built = _build_extension(site, markers / "extension")
    checked = tmp_path / "generated.py"
    checked.write_text(
        MARKER_CODE.format(path=str(markers / "checked"))
        + "import evilpkg\nimport evilpkg.sub\nfrom evilpkg.sub import VALUE\n"
        + "evilpkg.hello()\nevilpkg.sub.VALUE\n"
        + ("import evilext\nevilext.anything\nfrom evilext import other\n" if built else "")
        + "evilpkg.sub.VALEU\nevilpkg.helo()\n",  # proof that both were analysed
        encoding="utf-8",
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "halluc_check",
            str(checked),
            "--python",
            str(env_dir),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.returncode == 1, proc.stderr
    assert sorted(p.name for p in markers.iterdir()) == []
    found = {(d["code"], d["line"], d["message"]) for d in json.loads(proc.stdout)["diagnostics"]}
    last = len(checked.read_text(encoding="utf-8").splitlines())
    assert found == {
        ("HAL101", last - 1, "module `evilpkg.sub` has no attribute `VALEU`"),
        ("HAL101", last, "module `evilpkg` has no attribute `helo`"),
    }
    # the markers do work: running the checked file writes every one of them
    python = next(env_dir.glob("bin/python*"))
    subprocess.run([str(python), str(checked)], capture_output=True, timeout=300)
    expected = ["checked", "init", "sub"] + (["extension"] if built else [])
    assert sorted(p.name for p in markers.iterdir()) == sorted(expected)
    if not built:
        pytest.skip("no C compiler: the compiled-extension part was not exercised")


def test_checking_imports_nothing_it_names() -> None:
    script = (
        "import sys\n"
        "from halluc_check import Config, check_source\n"
        "code = 'import requests, openai, telegram.ext, pandas, flask\\nrequests.get(1).json_data()\\n'\n"
        "result = check_source(code, config=Config(python=sys.executable))\n"
        "assert result.findings, result\n"
        "print(sorted(m for m in ('requests', 'openai', 'telegram', 'pandas', 'flask', 'numpy') if m in sys.modules))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_an_extension_module_is_read_from_the_source_installed_beside_it(tmp_path: Path) -> None:
    """Cython's pure Python mode and mypyc install the ``.py`` a ``.so`` was compiled from next
    to it: that source is read, the extension never loaded, and what derives from its classes
    is judged. Without source beside it, an extension module stays unknown."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    site = _site_packages(env_dir)
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    package = site / "fastlib"
    package.mkdir()
    (package / "__init__.py").write_text("from ._speedups import Base\n", encoding="utf-8")
    # not loadable: importing either would fail loudly instead of being read
    (package / f"_speedups{suffix}").write_bytes(b"not an extension module")
    (package / f"_opaque{suffix}").write_bytes(b"not an extension module")
    (package / "_speedups.py").write_text(
        "class Base:\n    def known(self) -> int:\n        return 1\n", encoding="utf-8"
    )
    checked = tmp_path / "generated.py"
    checked.write_text(
        "from fastlib import Base\nfrom fastlib._opaque import anything\n\n\n"
        "class Derived(Base):\n    def own(self) -> int:\n        return 2\n\n\n"
        "Derived().known()\nDerived().own()\nDerived().unknown()\nanything.whatever\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [
            *(sys.executable, "-m", "halluc_check", str(checked)),
            *("--python", str(env_dir), "--format", "json", "--no-cache"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.returncode == 1, proc.stderr
    found = {(d["code"], d["line"], d["message"]) for d in json.loads(proc.stdout)["diagnostics"]}
    assert found == {("HAL101", 12, "`Derived` has no attribute `unknown`")}
