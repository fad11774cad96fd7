"""pre-commit, run for real: a temporary git project with its own ``.venv`` holding a small
library, hooks that check staged files, commits that fail on a hallucination and pass when clean.

The ``language: python`` hooks make pre-commit build halluc-check's isolated environment from a
snapshot of this checkout (its working tree, uncommitted files included), installing the
dependencies with pip: that needs the package index (about 20 s per build here).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import pytest

from halluc_check.config import Config, ConfigError
from halluc_check.integrations import (
    guard_pre_commit,
    in_pre_commit_hook_environment,
    refuse_isolated_environment,
)

from .conftest import ROOT

CLEAN = 'import mylib\n\nprint(mylib.greet("world"))\n'
BAD = 'import mylib\n\nprint(mylib.great("world"))\n'
DIAGNOSTIC = (
    "bad.py:3:13: HAL101 module `mylib` has no attribute `great` (help: did you mean `greet`?)"
)
HOOK_SCRIPT = Path(sys.executable).with_name("halluc-check")
REFUSAL = "pre-commit's isolated hook environment"


# -- the guard, in-process -------------------------------------------------------------------------
HOOK_PREFIX = "/home/dev/.cache/pre-commit/repoabc123/py_env-python3.11"


def test_hook_environment_is_recognised() -> None:
    assert in_pre_commit_hook_environment({"PRE_COMMIT": "1"}, prefix=HOOK_PREFIX)
    store_env = {"PRE_COMMIT": "1", "PRE_COMMIT_HOME": "/srv/pc"}
    assert in_pre_commit_hook_environment(store_env, prefix="/srv/pc/repo1/env")
    # not run by pre-commit, or run by a `language: system` hook from the developer's interpreter
    assert not in_pre_commit_hook_environment({}, prefix=HOOK_PREFIX)
    assert not in_pre_commit_hook_environment({"PRE_COMMIT": "1"}, prefix="/usr")


def test_guard_refuses_the_hook_environment(tmp_path: Path) -> None:
    environ = {"PRE_COMMIT": "1", "VIRTUAL_ENV": HOOK_PREFIX}
    message = refuse_isolated_environment(
        Config(), environ=environ, cwd=tmp_path, prefix=HOOK_PREFIX
    )
    assert message is not None and "\n" not in message
    assert "args: [--python, .venv/bin/python]" in message
    with pytest.raises(ConfigError, match="isolated hook environment"):
        guard_pre_commit(Config(), environ=environ, cwd=tmp_path, prefix=HOOK_PREFIX)


def test_guard_prefers_the_project_venv_over_the_hook_environment(tmp_path: Path) -> None:
    venv.create(tmp_path / ".venv", with_pip=False, symlinks=True)
    environ = {"PRE_COMMIT": "1", "VIRTUAL_ENV": HOOK_PREFIX}
    config = guard_pre_commit(Config(), environ=environ, cwd=tmp_path, prefix=HOOK_PREFIX)
    assert config.python is not None and Path(config.python).parent == tmp_path / ".venv" / "bin"


def test_guard_leaves_explicit_and_ordinary_runs_alone(tmp_path: Path) -> None:
    explicit = Config(python="/opt/project/bin/python")
    hooked = {"PRE_COMMIT": "1", "VIRTUAL_ENV": HOOK_PREFIX}
    assert guard_pre_commit(explicit, environ=hooked, cwd=tmp_path, prefix=HOOK_PREFIX) is explicit
    assert guard_pre_commit(Config(), environ={}, cwd=tmp_path, prefix=HOOK_PREFIX) == Config()
    other = {"PRE_COMMIT": "1", "VIRTUAL_ENV": "/opt/project"}
    assert (
        refuse_isolated_environment(Config(), environ=other, cwd=tmp_path, prefix=HOOK_PREFIX)
        is None
    )


def test_command_line_refuses_the_hook_environment(tmp_path: Path) -> None:
    """``halluc-check`` itself applies the guard: exit 2 and one line on stderr."""
    probe = (
        "import sys; sys.prefix = '/nowhere/py_env-python3'; "
        "from halluc_check.cli.command import main; sys.exit(main(['missing.py']))"
    )
    env = _env(PRE_COMMIT="1")
    proc = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1
    assert REFUSAL in proc.stderr and proc.stdout == ""


# -- helpers ---------------------------------------------------------------------------------------
def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("VIRTUAL_ENV", "PRE_COMMIT", "FORCE_COLOR") and not k.startswith("GIT_")
    }
    env.update(
        NO_COLOR="1",
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.com",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.com",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        **extra,
    )
    return env


def git(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env or _env(), capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store per module: the isolated hook environment is built once and reused."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This checkout's working tree (tracked and untracked, not ignored) committed to a new repository."""
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    if listed.returncode != 0:
        pytest.skip("the checkout is not a git repository")
    target = tmp_path_factory.mktemp("halluc-check-snapshot")
    for name in filter(None, listed.stdout.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    assert (target / ".pre-commit-hooks.yaml").is_file()
    assert git(target, "init", "-q").returncode == 0
    assert git(target, "add", "-A").returncode == 0
    assert git(target, "commit", "-q", "-m", "snapshot").returncode == 0
    rev = git(target, "rev-parse", "HEAD").stdout.strip()
    return target, rev


def make_project(root: Path, *, with_venv: bool = True) -> Path:
    """A git repository with ``clean.py`` and ``bad.py`` and (optionally) a ``.venv`` whose
    site-packages holds ``mylib`` 1.0; the interpreter running the tests does not have it."""
    root.mkdir(parents=True, exist_ok=True)
    assert git(root, "init", "-q").returncode == 0
    if with_venv:
        venv.create(root / ".venv", with_pip=False, symlinks=True)
        site = next((root / ".venv" / "lib").glob("python*/site-packages"))
        (site / "mylib").mkdir()
        (site / "mylib" / "__init__.py").write_text(
            'def greet(name: str) -> str:\n    return "hello " + name\n', encoding="utf-8"
        )
        info = site / "mylib-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text("Metadata-Version: 2.1\nName: mylib\nVersion: 1.0\n\n")
        (info / "RECORD").write_text("mylib/__init__.py,,\n")
    (root / ".gitignore").write_text(".venv/\n", encoding="utf-8")
    (root / "clean.py").write_text(CLEAN, encoding="utf-8")
    (root / "bad.py").write_text(BAD, encoding="utf-8")
    return root


def install_hooks(project: Path, config: str, home: Path) -> dict[str, str]:
    (project / ".pre-commit-config.yaml").write_text(textwrap.dedent(config), encoding="utf-8")
    env = _env(PRE_COMMIT_HOME=str(home))
    assert git(project, "add", ".gitignore", ".pre-commit-config.yaml").returncode == 0
    installed = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return env


def commit(project: Path, name: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``git add NAME && git commit``; the hooks' output (git's stderr) lands in ``stdout``."""
    assert git(project, "add", name, env=env).returncode == 0
    return subprocess.run(
        ["git", "commit", "-m", f"add {name}"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
    )


def assert_blocks_bad_and_passes_clean(project: Path, env: dict[str, str]) -> None:
    clean = commit(project, "clean.py", env)
    assert clean.returncode == 0, clean.stdout
    assert "halluc-check" in clean.stdout and "Passed" in clean.stdout
    bad = commit(project, "bad.py", env)
    assert bad.returncode == 1, bad.stdout
    assert DIAGNOSTIC in bad.stdout
    assert "clean.py" not in bad.stdout  # only staged files are checked
    log = git(project, "log", "--format=%s", env=env).stdout.split()
    assert "bad.py" not in log


# -- pre-commit, for real --------------------------------------------------------------------------
def test_local_system_hook(tmp_path: Path, pre_commit_home: Path) -> None:
    """``repo: local`` + ``language: system``: halluc-check from this interpreter, `.venv` found."""
    project = make_project(tmp_path / "project")
    env = install_hooks(
        project,
        f"""\
        repos:
          - repo: local
            hooks:
              - id: halluc-check
                name: halluc-check
                entry: {HOOK_SCRIPT}
                language: system
                types_or: [python, markdown]
                require_serial: true
        """,
        pre_commit_home,
    )
    assert_blocks_bad_and_passes_clean(project, env)


def _python_hook(snapshot: tuple[Path, str], args: str = "") -> str:
    repo, rev = snapshot
    return f"""\
        repos:
          - repo: {repo}
            rev: {rev}
            hooks:
              - id: halluc-check
                {args}
        """


def test_python_hook_with_python_argument(
    tmp_path: Path, pre_commit_home: Path, snapshot: tuple[Path, str]
) -> None:
    """The shipped ``language: python`` hook, told the project's interpreter with ``args``."""
    project = make_project(tmp_path / "project")
    config = _python_hook(snapshot, "args: [--python, .venv/bin/python]")
    assert_blocks_bad_and_passes_clean(project, install_hooks(project, config, pre_commit_home))


def test_python_hook_finds_project_venv(
    tmp_path: Path, pre_commit_home: Path, snapshot: tuple[Path, str]
) -> None:
    """No arguments: the hook's own ``VIRTUAL_ENV`` is passed over for the project's ``.venv``."""
    project = make_project(tmp_path / "project")
    env = install_hooks(project, _python_hook(snapshot), pre_commit_home)
    assert_blocks_bad_and_passes_clean(project, env)


def test_python_hook_refuses_its_own_environment(
    tmp_path: Path, pre_commit_home: Path, snapshot: tuple[Path, str]
) -> None:
    """No arguments and no ``.venv``: exit 2 and one line saying what to configure."""
    project = make_project(tmp_path / "project", with_venv=False)
    env = install_hooks(project, _python_hook(snapshot), pre_commit_home)
    proc = commit(project, "clean.py", env)
    assert proc.returncode == 1, proc.stdout
    assert "exit code: 2" in proc.stdout
    assert REFUSAL in proc.stdout and "args: [--python, .venv/bin/python]" in proc.stdout
    assert "HAL001" not in proc.stdout


def test_try_repo(tmp_path: Path, snapshot: tuple[Path, str]) -> None:
    """``pre-commit try-repo CHECKOUT halluc-check`` on staged files; the project names its
    interpreter in ``[tool.halluc-check]``."""
    project = make_project(tmp_path / "project")
    (project / "pyproject.toml").write_text(
        '[tool.halluc-check]\npython = ".venv/bin/python"\n', encoding="utf-8"
    )
    env = _env()
    assert git(project, "add", "-A", env=env).returncode == 0
    repo, _ = snapshot
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(repo), "halluc-check"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert DIAGNOSTIC in proc.stdout
    assert "Found 1 hallucinated reference in 1 of 2 files" in proc.stdout
