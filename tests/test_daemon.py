"""The warm daemon, run for real: ``halluc-check daemon start`` in a private runtime folder, then
the same files checked with and without it must print the same bytes and exit alike.

Every wait is a poll with a generous limit; nothing depends on how fast this machine is.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from halluc_check.config import load_config
from halluc_check.daemon.client import check_remotely
from halluc_check.daemon.location import environment_key
from halluc_check.daemon.protocol import same_interpreter
from halluc_check.model import Result
from halluc_check.run.children import alive, descendants
from halluc_check.run.options import Unit

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or not Path("/proc/self/stat").exists(),
    reason="Unix sockets; processes read from /proc",
)

PYTHON = sys.executable
BAD = 'import json\nimport os\n\njson.loadz("{}")\nos.path.joinn("a", "b")\n'
CLEAN = "import json\n\nprint(json.dumps({}))\n"
LAZY = "import os\n\n\ndef f() -> None:\n    os.path.joinn('a')\n"
MARKDOWN = "# notes\n\n```python\nimport json\njson.parse('{}')\n```\n"
WAIT_SECONDS = 120.0


@dataclass
class Setup:
    """A project and the runtime folder its daemon listens in."""

    project: Path
    runtime: Path
    caches: Path

    def env(self, runtime: Path | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "FORCE_COLOR")}
        env["NO_COLOR"] = "1"
        env["XDG_RUNTIME_DIR"] = str(runtime or self.runtime)
        return env

    def run(
        self, *args: str, cache: str = "shared", runtime: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        """``halluc-check ARGS`` in the project, with a result cache of its own named ``cache``."""
        env = self.env(runtime)
        env["HALLUC_CHECK_CACHE_DIR"] = str(self.caches / cache)
        return subprocess.run(
            [PYTHON, "-m", "halluc_check", *args],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=self.project,
            env=env,
        )

    def socket_folder(self, runtime: Path | None = None) -> Path:
        return (runtime or self.runtime) / "halluc-check"

    def socket(self, runtime: Path | None = None) -> Path:
        key = environment_key(same_interpreter(PYTHON))
        return self.socket_folder(runtime) / f"{key}.sock"

    def status(self, runtime: Path | None = None) -> dict[str, object] | None:
        proc = self.run("daemon", "status", "--python", PYTHON, runtime=runtime)
        if proc.returncode != 0:
            return None
        pid = int(proc.stdout.split("(pid ", 1)[1].split(")", 1)[0])
        return {"pid": pid, "text": proc.stdout}


def _private_folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


@pytest.fixture
def runtime() -> Iterator[Path]:
    """A runtime folder with a short path: a socket's path has room for about 100 bytes."""
    folder = Path(tempfile.mkdtemp(prefix="hc-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    base = tmp_path_factory.mktemp("daemon")
    project = base / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("[tool.halluc-check]\n", encoding="utf-8")
    (project / "bad.py").write_text(BAD, encoding="utf-8")
    (project / "clean.py").write_text(CLEAN, encoding="utf-8")
    (project / "notes.md").write_text(MARKDOWN, encoding="utf-8")
    # an included file is read as a requirements file whatever its name
    (project / "requirements.txt").write_text("-r more.in\nrequests\n", encoding="utf-8")
    (project / "more.in").write_text("reqeusts==2.0\n", encoding="utf-8")
    # a module pytest can import: its hallucination is in a function's body
    (project / "lazy.py").write_text(LAZY, encoding="utf-8")
    setup = Setup(project, Path(tempfile.mkdtemp(prefix="hc-")), base / "caches")
    started = setup.run("daemon", "start", "--python", PYTHON)
    assert started.returncode == 0, started.stderr
    assert "daemon started" in started.stdout
    yield setup
    setup.run("daemon", "stop", "--python", PYTHON)
    shutil.rmtree(setup.runtime, ignore_errors=True)


def _wait_until(condition: object, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"waited {WAIT_SECONDS:g} s for {what}"
        time.sleep(0.1)


# -- the same output -------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["concise", "json", "sarif", "full", "github"])
def test_output_and_exit_code_are_those_of_a_run_in_process(setup: Setup, fmt: str) -> None:
    files = ("bad.py", "clean.py", "notes.md", "requirements.txt", "missing.py")
    args = (*files, "--python", PYTHON, "--format", fmt)
    warm = setup.run(*args, "-v", cache=f"warm-{fmt}")
    assert "checked by the daemon" in warm.stderr, warm.stderr
    cold = setup.run(*args, "--no-daemon", "-v", cache=f"cold-{fmt}")
    assert "daemon" not in cold.stderr
    assert warm.stdout == cold.stdout
    assert warm.returncode == cold.returncode == 2  # missing.py could not be checked
    assert "joinn" in warm.stdout and "parse" in warm.stdout and "reqeusts" in warm.stdout


def test_clean_files_exit_0_through_the_daemon(setup: Setup) -> None:
    warm = setup.run("clean.py", "--python", PYTHON, "-v", cache="clean")
    assert "checked by the daemon" in warm.stderr
    assert warm.returncode == 0, warm.stdout + warm.stderr
    assert warm.stdout == "All checks passed!\n"


def test_stdin_and_quiet_through_the_daemon(setup: Setup) -> None:
    args = ("-", "--stdin-filename", "answer.py", "--python", PYTHON, "-q")
    env = setup.env()
    env["HALLUC_CHECK_CACHE_DIR"] = str(setup.caches / "stdin")
    outputs = []
    for extra in (["-v"], ["--no-daemon"]):
        proc = subprocess.run(
            [PYTHON, "-m", "halluc_check", *args, *extra],
            input=BAD,
            capture_output=True,
            text=True,
            timeout=600,
            cwd=setup.project,
            env=env,
        )
        outputs.append((proc.stdout, proc.returncode))
        if extra == ["-v"]:
            assert "checked by the daemon" in proc.stderr
    assert outputs[0] == outputs[1]
    assert outputs[0][1] == 1 and outputs[0][0].startswith("answer.py:4:6: HAL101")


def test_the_client_loads_no_inference_engine(setup: Setup) -> None:
    """A run the daemon answers never loads jedi, parso or libcst: only the daemon checks."""
    code = (
        "import sys\n"
        "from halluc_check.cli.command import main\n"
        f"code = main(['bad.py', '--python', {PYTHON!r}, '-q', '-v'])\n"
        "print(code, sorted(m for m in ('jedi', 'parso', 'libcst') if m in sys.modules))\n"
    )
    env = setup.env()
    env["HALLUC_CHECK_CACHE_DIR"] = str(setup.caches / "imports")
    proc = subprocess.run(
        [PYTHON, "-c", code],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=setup.project,
        env=env,
    )
    assert "checked by the daemon" in proc.stderr
    assert proc.stdout.splitlines()[-1] == "1 []"


# -- falling back ----------------------------------------------------------------------------------
def test_another_configuration_is_checked_in_process(setup: Setup) -> None:
    args = ("bad.py", "--python", PYTHON, "--select", "HAL101", "--format", "json")
    warm = setup.run(*args, "-v", cache="select-daemon")
    assert "the daemon checks for another configuration" in warm.stderr
    cold = setup.run(*args, "--no-daemon", cache="select-cold")
    assert warm.stdout == cold.stdout and warm.returncode == cold.returncode == 1


def test_a_stale_socket_is_passed_over(setup: Setup, runtime: Path) -> None:
    _private_folder(setup.socket_folder(runtime))
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(setup.socket(runtime)))
    stale.close()  # the file stays, nobody listens: a daemon that was killed
    os.chmod(setup.socket(runtime), 0o600)
    proc = setup.run("bad.py", "--python", PYTHON, "-v", runtime=runtime, cache="stale")
    assert "stale daemon socket" in proc.stderr
    assert proc.returncode == 1 and "joinn" in proc.stdout
    quiet = setup.run("bad.py", "--python", PYTHON, runtime=runtime, cache="stale")
    assert quiet.stderr == ""  # without -v the fallback is silent


def test_no_daemon_at_all_is_silent(setup: Setup, runtime: Path) -> None:
    proc = setup.run("bad.py", "--python", PYTHON, runtime=runtime, cache="none")
    assert proc.returncode == 1 and proc.stderr == ""


# -- concurrent clients ----------------------------------------------------------------------------
def test_concurrent_clients_get_their_own_results(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(setup.runtime))
    monkeypatch.chdir(setup.project)
    config = load_config(setup.project).with_overrides(python=PYTHON)
    answers: dict[int, list[Result] | None] = {}

    def client(number: int) -> None:
        source = f"import os\n\nos.path.joinn{number}('a')\n" + "x = 1\n" * number
        unit = Unit(0, f"gen_{number}.py", source)
        answers[number] = check_remotely([unit], config, timeout=None, cache=None)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT_SECONDS)
    for number in range(6):
        results = answers.get(number)
        assert results is not None, f"client {number} was not answered by the daemon"
        (result,) = results
        assert result.path == f"gen_{number}.py"
        assert [(f.code, f.name, f.span.line) for f in result.findings] == [
            ("HAL101", f"joinn{number}", 3)
        ]
        assert result.lines == 3 + number


# -- where it listens ------------------------------------------------------------------------------
def test_the_socket_and_its_folder_are_the_users_alone(setup: Setup) -> None:
    folder = os.stat(setup.socket_folder())
    assert stat.S_IMODE(folder.st_mode) == 0o700 and folder.st_uid == os.getuid()
    sock = os.stat(setup.socket())
    assert stat.S_ISSOCK(sock.st_mode) and stat.S_IMODE(sock.st_mode) == 0o600


def test_a_folder_others_can_enter_is_refused(
    setup: Setup, runtime: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    _private_folder(setup.socket_folder(runtime)).chmod(0o750)
    started = setup.run("daemon", "start", "--python", PYTHON, runtime=runtime)
    assert started.returncode == 2
    assert "lets the group or others in (mode 750)" in started.stderr
    # a client does not connect to the running daemon either, while its folder is open
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(setup.runtime))
    config = load_config(setup.project).with_overrides(python=PYTHON)
    setup.socket_folder().chmod(0o750)
    try:
        with caplog.at_level(logging.INFO, logger="halluc_check.daemon.client"):
            answer = check_remotely([Unit(0, None, CLEAN)], config, timeout=None, cache=None)
    finally:
        setup.socket_folder().chmod(0o700)
    assert answer is None
    assert "lets the group or others in" in caplog.text


def test_status_reports_the_daemon(setup: Setup) -> None:
    status = setup.status()
    assert status is not None
    assert f"socket: {setup.socket()}" in str(status["text"])
    assert alive(int(str(status["pid"])))


# -- ending ----------------------------------------------------------------------------------------
def test_idle_timeout_ends_it_and_its_children(setup: Setup, runtime: Path) -> None:
    args = ("daemon", "start", "--python", PYTHON, "--idle-timeout", "2")
    started = setup.run(*args, runtime=runtime)
    assert started.returncode == 0, started.stderr
    status = setup.status(runtime)
    assert status is not None
    pid = int(str(status["pid"]))
    children = descendants(pid)
    _wait_until(lambda: not alive(pid), "the idle daemon to end")
    assert [child for child in children if alive(child)] == []
    assert not setup.socket(runtime).exists()
    assert setup.status(runtime) is None


def test_stop_leaves_no_process_behind(setup: Setup, runtime: Path) -> None:
    started = setup.run("daemon", "start", "--python", PYTHON, runtime=runtime)
    assert started.returncode == 0, started.stderr
    checked = setup.run("bad.py", "--python", PYTHON, "-v", runtime=runtime, cache="stop")
    assert "checked by the daemon" in checked.stderr
    status = setup.status(runtime)
    assert status is not None
    pid = int(str(status["pid"]))
    children = descendants(pid)
    assert children, "the check should have started jedi's helper process"
    stopped = setup.run("daemon", "stop", "--python", PYTHON, runtime=runtime)
    assert stopped.stdout == f"daemon stopped (pid {pid})\n"
    # gone when `stop` returns, not a moment later
    assert not alive(pid)
    assert [child for child in children if alive(child)] == []
    assert not setup.socket(runtime).exists()
    again = setup.run("daemon", "stop", "--python", PYTHON, runtime=runtime)
    assert again.stdout == "no daemon runs\n"


def test_a_second_start_finds_the_running_daemon(setup: Setup) -> None:
    status = setup.status()
    assert status is not None
    again = setup.run("daemon", "start", "--python", PYTHON)
    assert again.stdout == f"a daemon already runs (pid {status['pid']})\n"


def test_the_pytest_plugin_asks_the_daemon(setup: Setup) -> None:
    def checked() -> int:
        status = setup.status()
        assert status is not None
        return int(str(status["text"]).rsplit("files checked: ", 1)[1].split()[0])

    before = checked()
    env = setup.env()
    env["HALLUC_CHECK_CACHE_DIR"] = str(setup.caches / "pytest")
    proc = subprocess.run(
        [PYTHON, "-m", "pytest", "--halluc-check", "-p", "no:cacheprovider", "-q", "lazy.py"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=setup.project,
        env={**env, "PYTEST_ADDOPTS": "--halluc-check-python=" + PYTHON},
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "1 failed, 0 passed" in proc.stdout or "1 failed" in proc.stdout
    assert "lazy.py:5:13: HAL101" in proc.stdout and "joinn" in proc.stdout
    assert checked() == before + 1
