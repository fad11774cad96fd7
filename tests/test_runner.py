"""Many files: worker processes, deterministic order, per-file time limits, dying workers, Ctrl-C.

Faults are injected into real CLI runs (and the worker processes they start) through a
``sitecustomize`` module on ``PYTHONPATH``: it wraps ``Checker.check_source`` so that a file whose
name contains ``slow`` sleeps, and one whose name contains ``crash`` kills its process.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from halluc_check import Config
from halluc_check.api import check_paths
from halluc_check.run.options import (
    DEFAULT_TIMEOUT,
    RUN_MEMORY_MIB,
    WORKER_MEMORY_FLOOR_MIB,
    RunOptions,
    Unit,
)
from halluc_check.run.pool import _Runs
from halluc_check.run.runner import check_files

FAULTS = textwrap.dedent(
    """
    import os, time
    import halluc_check.engine.checker as _check

    _original = _check.Checker.check_source

    def check_source(self, source, path=None):
        name = os.path.basename(path or "")
        if "slow" in name:
            time.sleep(float(os.environ.get("HC_TEST_SLEEP", "30")))
        if "crash" in name:
            os._exit(7)
        return _original(self, source, path)

    _check.Checker.check_source = check_source

    if os.environ.get("HC_TEST_EXITS"):
        import atexit, sys

        def _note_teardown():
            import multiprocessing

            if multiprocessing.parent_process() is not None:
                role = "worker"
            elif sys.argv[0].endswith(os.path.join("halluc_check", "__main__.py")):
                role = "command"
            else:
                return  # another program (the interpreter's probe, jedi's helper)
            with open(os.environ["HC_TEST_EXITS"], "a", encoding="utf-8") as notes:
                notes.write(role + "\\n")

        atexit.register(_note_teardown)
    """
)

GOOD = "import json\njson.dumps({}, sort_keys=True)\n"
BAD = "import json\njson.dump_string({})\n"


def _project(tmp_path: Path, names: dict[str, str]) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\n", encoding="utf-8")
    for name, text in names.items():
        (root / name).write_text(text, encoding="utf-8")
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(FAULTS, encoding="utf-8")
    return root


def _cli(
    root: Path,
    *args: str,
    sleep: float = 30,
    extra_env: dict[str, str] | None = None,
    **kwargs: object,
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(root.parent / "hooks"),
        "HC_TEST_SLEEP": str(sleep),
        "NO_COLOR": "1",
        **(extra_env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "halluc_check", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


def _findings(output: str) -> list[tuple[str, str]]:
    return [(d["path"], d["code"]) for d in json.loads(output)["diagnostics"]]


def test_workers_keep_the_order_and_the_findings_of_a_single_process(tmp_path: Path) -> None:
    names = {f"m{i}.py": (BAD if i % 2 else GOOD) for i in range(4)}
    root = _project(tmp_path, names)
    one = _cli(root, ".", "-j", "1", "--no-cache", "--format", "json")
    two = _cli(root, ".", "-j", "2", "--no-cache", "--format", "json")
    assert one.returncode == two.returncode == 1, one.stderr + two.stderr
    assert _findings(one.stdout) == _findings(two.stdout)
    assert [p for p, _ in _findings(two.stdout)] == ["m1.py", "m3.py"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_past_the_time_limit_is_not_checked_and_the_run_goes_on(
    tmp_path: Path, jobs: str
) -> None:
    root = _project(tmp_path, {"a_bad.py": BAD, "b_slow.py": GOOD, "c_bad.py": BAD})
    # the slow file sleeps far longer than the subprocess may run: only the limit ends it
    proc = _cli(
        root, ".", "-j", jobs, "--timeout", "12", "--no-cache", "--format", "concise", sleep=3600
    )
    assert proc.returncode == 2, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("a_bad.py:2:6: HAL101")
    assert any(line.startswith("c_bad.py:2:6: HAL101") for line in lines)
    assert any(
        "b_slow.py" in line and "took longer than the time limit of 12 s" in line for line in lines
    )


def test_a_worker_that_dies_costs_only_its_file(tmp_path: Path) -> None:
    root = _project(tmp_path, {"a_bad.py": BAD, "b_crash.py": GOOD, "c_bad.py": BAD, "d.py": GOOD})
    proc = _cli(root, ".", "-j", "2", "--no-cache", "--format", "json")
    assert proc.returncode == 2, proc.stderr
    document = json.loads(proc.stdout)
    assert [(d["path"], d["code"]) for d in document["diagnostics"]] == [
        ("a_bad.py", "HAL101"),
        ("c_bad.py", "HAL101"),
    ]
    not_checked = {e["path"]: e["message"] for e in document["errors"]}
    assert list(not_checked) == ["b_crash.py"]
    assert "stopped unexpectedly (exit code 7)" in not_checked["b_crash.py"]


def _default_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_stops_cleanly_without_a_partial_output_file(tmp_path: Path, jobs: str) -> None:
    root = _project(tmp_path, {"a.py": GOOD, "b_slow.py": GOOD, "c_slow.py": GOOD})
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "hooks"), "HC_TEST_SLEEP": "60"}
    report = root / "report.json"
    command = [sys.executable, "-m", "halluc_check", ".", "-j", jobs, "--no-cache"]
    proc = subprocess.Popen(
        [*command, "--format", "json", "--output-file", str(report)],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # a process started with Ctrl-C ignored keeps ignoring it (Python installs its handler
        # only over the default): start it as a terminal would, whatever this process inherited
        preexec_fn=_default_ctrl_c,
    )
    time.sleep(6)  # the workers are up and inside the slow files
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Traceback" not in err
    assert err.strip().endswith("interrupted")
    assert not report.exists()
    assert not [p for p in root.iterdir() if p.name.startswith(".") and "report" in p.name]


def test_the_command_and_its_workers_end_without_tearing_down_their_objects(
    tmp_path: Path,
) -> None:
    """After a check a process holds the parse trees of every library module it read; freeing
    them one by one at exit took seconds per process. The command and its workers skip that
    teardown (so their exit handlers do not run), and their output is still complete."""
    names = {f"m{i}.py": (BAD if i % 2 else GOOD) for i in range(4)}
    root = _project(tmp_path, names)
    notes = tmp_path / "exits.txt"
    for jobs in ("1", "2"):
        done = _cli(
            root,
            ".",
            *("-j", jobs, "--no-cache", "--format", "json"),
            extra_env={"HC_TEST_EXITS": str(notes)},
        )
        assert done.returncode == 1, done.stderr
        assert len(_findings(done.stdout)) == 2
    assert not notes.exists(), notes.read_text(encoding="utf-8")


def test_workers_are_all_told_to_stop_before_any_is_awaited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from halluc_check.run import pool

    root = _project(tmp_path, {f"m{i}.py": GOOD for i in range(2)})
    steps: list[str] = []
    ask, wait = pool._ask_to_stop, pool._await_stop

    def asked(worker: Any, *, kill: bool) -> bool:
        steps.append("ask")
        return ask(worker, kill=kill)

    def awaited(worker: Any, *, kill: bool) -> None:
        steps.append("await")
        wait(worker, kill=kill)

    monkeypatch.setattr(pool, "_ask_to_stop", asked)
    monkeypatch.setattr(pool, "_await_stop", awaited)
    results = list(check_files([root], Config(), RunOptions(jobs=2)))
    assert all(r.checked for r in results)
    assert steps == ["ask", "ask", "await", "await"]


def test_the_api_runs_workers_too(tmp_path: Path) -> None:
    root = _project(tmp_path, {f"m{i}.py": BAD for i in range(3)})
    results = list(check_paths([root], jobs=2))
    assert [Path(r.path).name for r in results] == ["m0.py", "m1.py", "m2.py"]
    assert all(r.checked and [f.code for f in r.findings] == ["HAL101"] for r in results)


def test_a_worker_past_its_memory_budget_is_replaced_between_files(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    names = {f"m{i}.py": GOOD if i % 2 else BAD for i in range(5)}
    root = _project(tmp_path, names)
    here = [(r.path, r.findings, r.error) for r in check_files([root], Config(), RunOptions())]
    caplog.set_level("INFO", logger="halluc_check.run.pool")
    # a budget of 1 MiB: every worker outgrows it with its first file
    options = RunOptions(jobs=2, worker_memory_mib=1.0)
    recycled = [(r.path, r.findings, r.error) for r in check_files([root], Config(), options)]
    assert recycled == here
    replaced = [r for r in caplog.records if "replacing it with a fresh one" in r.getMessage()]
    assert len(replaced) == len(names)
    assert all(error is None for _, _, error in recycled)


def test_memory_budgets_are_shared_by_the_workers() -> None:
    assert RunOptions().worker_budget(2) == RUN_MEMORY_MIB / 2
    assert RunOptions().worker_budget(64) == WORKER_MEMORY_FLOOR_MIB
    assert RunOptions(worker_memory_mib=123.0).worker_budget(2) == 123.0


def test_each_worker_checks_a_run_of_neighbouring_files_then_helps_the_others() -> None:
    units = [Unit(index, f"pkg{index // 4}/m{index}.py", "") for index in range(10)]
    runs = _Runs(units, 3)
    taken: list[list[int]] = [[], [], []]
    # worker 0 is fast: it finishes its run, then takes from the end of the longest one left
    for home in (0, 0, 0, 1, 2, 0, 0, 1, 2, 0):
        assert runs
        taken[home].append(runs.take(home).index)
    assert not runs
    assert taken == [[0, 1, 2, 9, 5, 8], [3, 4], [6, 7]]
    assert sorted(i for run in taken for i in run) == list(range(10))


def test_in_process_time_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from halluc_check.engine import checker as check

    original = check.Checker.check_source

    def slow(self: check.Checker, source: str, path: str | None = None) -> object:
        if path and "slow" in path:
            time.sleep(3600)
        return original(self, source, path)

    monkeypatch.setattr(check.Checker, "check_source", slow)
    root = _project(tmp_path, {"a_slow.py": GOOD, "b.py": BAD})
    results = list(check_files([root], Config(), RunOptions(jobs=1, timeout=8)))
    assert results[0].error is not None and "time limit of 8 s" in results[0].error
    assert [f.code for f in results[1].findings] == ["HAL101"]
    assert DEFAULT_TIMEOUT >= 60  # generous by default


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_terminals_and_only_for_longer_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from halluc_check.report import _progress

    pipe = io.StringIO()
    with _progress.ProgressBar(pipe) as bar:
        bar.update(1, 10)
    assert pipe.getvalue() == ""
    quick = _Terminal()
    with _progress.ProgressBar(quick) as bar:
        bar.update(1, 10)  # before SHOW_AFTER seconds: nothing yet
    assert quick.getvalue() == ""
    monkeypatch.setattr(_progress, "SHOW_AFTER", 0.0)
    terminal = _Terminal()
    with _progress.ProgressBar(terminal) as bar:
        bar.update(3, 10)
        bar.update(10, 10)
    assert "checking" in terminal.getvalue()
    silent = _Terminal()
    with _progress.ProgressBar(silent, enabled=False) as bar:
        bar.update(3, 10)
    assert silent.getvalue() == ""


def test_a_checking_process_frees_a_files_garbage_and_sets_the_rest_aside(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc
    import weakref

    from halluc_check.run import process

    class Node:
        def __init__(self) -> None:
            self.me = self  # a cycle: only the collector frees it

    def leave_garbage() -> weakref.ref[Node]:
        return weakref.ref(Node())

    kept = [Node()]
    frozen = gc.get_freeze_count()
    gc.disable()  # no automatic collection between the steps
    try:
        monkeypatch.setattr(process, "_checking_process", False)
        garbage = leave_garbage()
        process.settle_between_files()  # not a checking process: nothing happens
        assert garbage() is not None and gc.get_freeze_count() == frozen
        monkeypatch.setattr(process, "_checking_process", True)
        process.settle_between_files()
        assert garbage() is None
        assert gc.get_freeze_count() > frozen
        assert kept[0].me is kept[0]
    finally:
        gc.unfreeze()
        gc.enable()
