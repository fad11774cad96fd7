"""Install commands, requirements files, pyproject.toml, Markdown shell blocks and notebook
``%pip`` lines -> HAL301 (not on PyPI) and HAL302 (a near miss of a popular distribution)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from halluc_check.cache import DiskCache
from halluc_check.config import Config
from halluc_check.engine.checker import Checker
from halluc_check.engine.units import check_unit
from halluc_check.knowledge.install_lines import (
    Included,
    from_pyproject,
    from_requirements,
    from_shell,
    included_files,
    requirement_name,
)
from halluc_check.knowledge.package_index import shipped
from halluc_check.model import Finding
from halluc_check.rules.install_lines import install_findings
from halluc_check.run.options import RunOptions
from halluc_check.run.runner import check_files


def test_commands_of_every_installer_with_options_extras_and_markers() -> None:
    text = (
        "$ pip install -U 'httpx[http2]>=0.27' -i https://example.org/simple requests\n"
        "python3 -m pip install --upgrade ./local.whl git+https://host/x.git telegraf-xyz \\\n"
        "    pandas2\n"
        "uv add 'fastapi[standard]' && poetry add pendulum@^3.0 -G dev\n"
        "uv pip install -r requirements.txt flask ; echo pip install not-a-command\n"
    )
    names = [(n.name, n.line, n.column) for n in from_shell(text)]
    assert names == [
        ("httpx", 1, 18),
        ("requests", 1, 68),
        ("telegraf-xyz", 2, 68),
        ("pandas2", 3, 4),
        ("fastapi", 4, 8),
        ("pendulum", 4, 41),
        ("flask", 5, 35),
    ]


def test_requirement_strings_are_parsed_by_packaging() -> None:
    assert requirement_name('requests[socks]>=2 ; python_version < "3.12"') == "requests"
    assert requirement_name("foo @ https://example.com/foo.whl") is None
    assert requirement_name("./src") is None and requirement_name("${PKG}") is None
    assert requirement_name("not a requirement !!") is None


def test_requirements_file_with_comments_hashes_and_includes() -> None:
    text = (
        "# the app's requirements\n"
        "-r base.txt\n"
        "--index-url https://example.org/simple\n"
        "-e .\n"
        "requests==2.32.3 \\\n"
        "    --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000\n"
        "flask[async]>=3 ; python_version >= '3.9'  # web\n"
        "reqeusts==1.0\n"
        "made-up-package-xyz-123\n"
    )
    named = from_requirements(text)
    assert [(n.name, n.line) for n in named] == [
        ("requests", 5),
        ("flask", 7),
        ("reqeusts", 8),
        ("made-up-package-xyz-123", 9),
    ]
    findings = install_findings(named, "requirements.txt")
    assert [(f.code, f.name) for f in findings] == [
        ("HAL301", "reqeusts"),
        ("HAL301", "made-up-package-xyz-123"),
    ]
    assert findings[0].suggestions[0].replacement == "requests"


def test_pyproject_dependencies_optional_groups_and_build(tmp_path: Path) -> None:
    text = (
        '[build-system]\nrequires = ["hatchling"]\n'
        '[project]\nname = "x"\ndependencies = ["requests>=2", "python-requests"]\n'
        '[project.optional-dependencies]\nweb = ["flask[async]", "invented-dep-xyz-9"]\n'
        '[dependency-groups]\ndev = ["pytest", {include-group = "web"}]\n'
    )
    named = from_pyproject(text)
    assert [(n.name, n.line) for n in named] == [
        ("requests", 5),
        ("python-requests", 5),
        ("flask", 7),
        ("invented-dep-xyz-9", 7),
        ("pytest", 9),
        ("hatchling", 2),
    ]
    codes = [(f.code, f.name) for f in install_findings(named, "pyproject.toml")]
    assert codes == [("HAL301", "python-requests"), ("HAL301", "invented-dep-xyz-9")]


def test_top_1000_distributions_never_alarm() -> None:
    ranks = shipped().ranks()
    top = sorted(ranks, key=ranks.__getitem__)[:1000]
    text = "\n".join(f"pip install {name}" for name in top)
    assert install_findings(from_shell(text), "x.sh") == []


def test_names_installed_distributions_require_are_trusted() -> None:
    """A near miss of a popular name that an installed distribution requires is a real,
    published dependency (openai requires httpx2), and so is a name new since the snapshot."""
    text = "pip install httpx2 telegraf-sdk-xyz"
    alone = install_findings(from_shell(text), "x.sh")
    assert [(f.code, f.name) for f in alone] == [
        ("HAL302", "httpx2"),
        ("HAL301", "telegraf-sdk-xyz"),
    ]
    required = frozenset({"httpx2", "telegraf_sdk_xyz"})
    assert install_findings(from_shell(text), "x.sh", required=required) == []


def test_units_dispatch_requirements_pyproject_markdown_and_notebooks(
    checker: Checker, tmp_path: Path
) -> None:
    req = check_unit(
        checker, "requests\ntelegraf-bot-xyz  # noqa: HAL301\nreqeusts\n", "dev-requirements.txt"
    )
    assert [(f.code, f.span.line) for f in req.findings] == [("HAL301", 3)]
    markdown = (
        "Install it:\n\n```bash\npip install python-telegram-bot telegraf-sdk-xyz\n```\n\n"
        "```python\nimport json\n```\n"
    )
    md = check_unit(checker, markdown, "answer.md")
    assert [(f.code, f.name, f.span.line, f.span.column) for f in md.findings] == [
        ("HAL301", "telegraf-sdk-xyz", 4, 32)
    ]
    notebook = {
        "cells": [
            {"cell_type": "code", "source": ["%pip install -q pandas2\n", "import json\n"]},
            {"cell_type": "code", "source": ["!pip install requests invented-nb-xyz\n"]},
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    nb = check_unit(checker, json.dumps(notebook, indent=1), "analysis.ipynb")
    assert [(f.code, f.name, f.cell) for f in nb.findings] == [
        ("HAL302", "pandas2", (1, 1)),
        ("HAL301", "invented-nb-xyz", (2, 1)),
    ]


def test_install_comments_in_python(check: Callable[..., list[Finding]]) -> None:
    findings = check("# pip install requests telegraf-xyz-made-up\nimport json\n")
    assert [(f.code, f.name, f.span.column) for f in findings] == [
        ("HAL301", "telegraf-xyz-made-up", 23)
    ]


def test_included_files_in_every_spelling_pip_accepts() -> None:
    text = (
        "-r base.txt  # the shared pins\n"
        "-rdev.txt\n"
        "--requirement=sub/test.txt\n"
        "--requirement \\\n"
        "    continued.txt\n"
        "-c constraints/pins.txt\n"
        "--constraint=../upper.txt\n"
        "# -r commented-out.txt\n"
        "-r https://example.org/requirements.txt\n"
        "-r ${CI_REQUIREMENTS}\n"
        "-e ./local-package\n"
        "requests  # -r not-an-include.txt\n"
    )
    assert included_files(text) == [
        Included("base.txt", 1, False),
        Included("dev.txt", 2, False),
        Included("sub/test.txt", 3, False),
        Included("continued.txt", 4, False),
        Included("constraints/pins.txt", 6, True),
        Included("../upper.txt", 7, True),
    ]
    assert [n.name for n in from_requirements(text)] == ["requests"]


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


INCLUDING = {
    "requirements.txt": "# app\n-r requirements/base.txt\n-c pins.txt\nflask>=3\n",
    "requirements/base.txt": (
        "--requirement ../requirements.txt  # a cycle: read once\n"
        "-r extra/dev.in\n"
        "httpx[http2]>=0.27 ; python_version >= '3.9'\n"
        "made-up-included-xyz==1.0 \\\n"
        "    --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000\n"
        "tool @ https://example.org/tool-1.0.tar.gz\n"
    ),
    "requirements/extra/dev.in": "pytest\n\n# typo below\nreqeusts[socks]\n-r missing.txt\n",
    "pins.txt": "pandas2<3\nrequests==2.32.3\n",
}


def test_included_requirements_files_are_followed_and_reported_at_their_own_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, INCLUDING)
    monkeypatch.chdir(tmp_path)
    config = Config(python=sys.executable)
    results = list(check_files(["requirements.txt"], config, RunOptions()))
    found = [
        (f.path, f.span.line, f.span.column, f.code, f.name) for r in results for f in r.findings
    ]
    assert found == [
        ("requirements/base.txt", 4, 0, "HAL301", "made-up-included-xyz"),
        ("pins.txt", 1, 0, "HAL302", "pandas2"),
        ("requirements/extra/dev.in", 4, 0, "HAL301", "reqeusts"),
    ]
    paths = [r.path for r in results]
    assert paths == [
        "requirements.txt",
        "requirements/base.txt",
        "pins.txt",
        "requirements/extra/dev.in",
        "requirements/extra/missing.txt",
    ]
    assert results[-1].error == (
        "no such file or directory (included by `-r missing.txt` of requirements/extra/dev.in:5)"
    )
    # named as well: still checked once, as a requirements file whatever its name
    again = list(check_files(["pins.txt", "requirements.txt"], config, RunOptions()))
    assert [r.path for r in again].count("pins.txt") == 1
    assert [(f.path, f.code) for f in again[0].findings] == [("pins.txt", "HAL302")]
    excluded = Config(python=sys.executable, exclude=("extra",))
    assert "requirements/extra/dev.in" not in [
        r.path for r in check_files(["requirements.txt"], excluded, RunOptions())
    ]


def test_a_cached_result_of_a_file_read_as_python_is_not_reused_for_it_as_requirements(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, {"pins.txt": "pandas2<3\n", "requirements.txt": "-c pins.txt\n"})
    monkeypatch.chdir(tmp_path)
    config = Config(python=sys.executable)
    options = RunOptions(cache=DiskCache(tmp_path / "cache"))
    (alone,) = check_files(["pins.txt"], config, options)
    assert alone.findings == ()  # a Python expression, named on its own
    _, included = check_files(["requirements.txt"], config, options)
    assert [f.code for f in included.findings] == ["HAL302"]
