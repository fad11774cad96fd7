"""One set of findings, whichever way halluc-check is run: the command line (``--format json``),
the Python API, the pytest plugin, the flake8 plugin and a pre-commit hook."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from halluc_check import Config, check_source
from halluc_check.report import render

from .conftest import FIXTURES

Key = tuple[str, int, int, str]
"""path, line (1-based), column (0-based), code."""

LINE = re.compile(
    r"^(?P<path>[^\s:]+\.(?:py|md)):(?P<line>\d+):(?P<column>\d+): (?P<code>HAL\d+) ", re.M
)
PYTHON = sys.executable

SUPPRESSED = """\
import json

json.parse("{}")  # noqa: HAL101
json.parse("{}")  # noqa: E501
json.dumps_pretty({})  # halluc-check: ignore
json.loadz("{}")
"""


def parsed(text: str) -> set[Key]:
    """``path:line:column: CODE`` lines (1-based column) as keys."""
    return {
        (m["path"], int(m["line"]), int(m["column"]) - 1, m["code"]) for m in LINE.finditer(text)
    }


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PRE_COMMIT")}
    env.update(NO_COLOR="1", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    return env


def _start(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        args,
        cwd=cwd,
        env=env or _env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _cli(project: Path, names: list[str]) -> subprocess.Popen[str]:
    return _start(
        [PYTHON, "-m", "halluc_check", "--format=json", f"--python={PYTHON}", *names], project
    )


def _flake8(project: Path, names: list[str]) -> subprocess.Popen[str]:
    args = ["--isolated", "-j1", "--select=HAL", f"--halluc-python={PYTHON}"]
    return _start([PYTHON, "-m", "flake8", *args, *names], project)


def _pytest(project: Path) -> subprocess.Popen[str]:
    args = ["--halluc-check", "--halluc-check-md", f"--halluc-check-python={PYTHON}"]
    others = ["-p", "no:cacheprovider", "-p", "no:benchmark", "--rootdir=.", "."]
    return _start([PYTHON, "-m", "pytest", *args, *others], project)


def _pre_commit(project: Path, home: Path, names: list[str]) -> subprocess.Popen[str]:
    config = f"""\
        repos:
          - repo: local
            hooks:
              - id: halluc-check
                name: halluc-check
                entry: {Path(PYTHON).with_name("halluc-check")}
                language: system
                types_or: [python, markdown]
                require_serial: true
                args: [--python, {PYTHON}]
        """
    (project / ".pre-commit-config.yaml").write_text(textwrap.dedent(config), encoding="utf-8")
    env = _env()
    env["PRE_COMMIT_HOME"] = str(home)
    for args in (["git", "init", "-q"], ["git", "add", "-A"]):
        subprocess.run(args, cwd=project, env=env, check=True, timeout=60)
    return _start([PYTHON, "-m", "pre_commit", "run", "--files", *names], project, env)


def test_every_integration_reports_the_same_findings(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    sources = {
        "bot.py": (FIXTURES / "founding" / "bot_stale.py").read_text(encoding="utf-8"),
        "suppressed.py": SUPPRESSED,
        "answer.md": (FIXTURES / "documents" / "chat_answer.md").read_text(encoding="utf-8"),
    }
    for name, text in sources.items():
        (project / name).write_text(text, encoding="utf-8")
    names = list(sources)
    python_files = [name for name in names if name.endswith(".py")]  # all flake8 reads

    # the programs run concurrently while the API runs here
    cli = _cli(project, names)
    flake8 = _flake8(project, python_files)
    plugin = _pytest(project)
    hook = _pre_commit(project, tmp_path / "pre-commit-home", names)

    config = Config(python=PYTHON)
    results = [check_source(text, path=name, config=config) for name, text in sources.items()]
    api = {(f.path, f.span.line, f.span.column, f.code) for r in results for f in r.findings}
    concise = io.StringIO()
    render(results, "concise", concise)

    cli_out, _ = cli.communicate(timeout=300)
    flake8_out, _ = flake8.communicate(timeout=300)
    plugin_out, _ = plugin.communicate(timeout=300)
    hook_out, _ = hook.communicate(timeout=300)
    data = json.loads(cli_out)
    from_cli = {(d["path"], d["line"], d["column"] - 1, d["code"]) for d in data["diagnostics"]}

    assert len(api) >= 13
    assert ("suppressed.py", 4, 5, "HAL101") in api and ("answer.md", 40, 9, "HAL101") in api
    assert from_cli == api
    assert "3 failed" in plugin_out, plugin_out
    assert parsed(plugin_out) == api
    assert parsed(flake8_out) == {key for key in api if key[0] in python_files}, flake8_out
    assert parsed(hook_out) == api, hook_out
    assert hook.returncode == 1
    finding_lines = [line for line in concise.getvalue().splitlines() if LINE.match(line)]
    assert len(finding_lines) == len(api)
    for line in finding_lines:
        assert line in hook_out.splitlines()
