"""This process's descendants -> ended: a long-lived process (the language server) leaves no
helper process behind.

jedi runs the target interpreter as a helper subprocess (one per environment); it would end
by itself once its pipe closes, but only a moment after the process that started it. The
processes are found in ``/proc`` (Linux); elsewhere their closing pipes end them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

_PROC = Path("/proc")


def _parent_and_state(pid: int) -> tuple[int, str] | None:
    try:
        text = (_PROC / str(pid) / "stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    # "pid (command) state ppid ...": the command may hold spaces and parentheses
    fields = text[text.rfind(")") + 2 :].split()
    try:
        return int(fields[1]), fields[0]
    except (IndexError, ValueError):
        return None


def descendants(root: int) -> list[int]:
    """The living processes below ``root`` (children first), from ``/proc``; empty elsewhere."""
    parents: dict[int, list[int]] = {}
    try:
        entries = [int(e.name) for e in _PROC.iterdir() if e.name.isdigit()]
    except OSError:
        return []
    for pid in entries:
        facts = _parent_and_state(pid)
        if facts is not None and facts[1] != "Z":
            parents.setdefault(facts[0], []).append(pid)
    found: list[int] = []
    frontier = [root]
    while frontier:
        children = [c for p in frontier for c in parents.get(p, ())]
        found.extend(children)
        frontier = children
    return found


def alive(pid: int) -> bool:
    """Whether the process ``pid`` runs (a zombie does not: it has ended, unreaped)."""
    facts = _parent_and_state(pid)
    return facts is not None and facts[1] != "Z"


def end_descendants(grace: float = 1.0) -> None:
    """SIGTERM every descendant, SIGKILL those still alive after ``grace`` seconds, and reap
    this process's own children so that none lingers as a zombie."""
    pids = descendants(os.getpid())
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        _reap()
        time.sleep(0.02)
    for pid in pids:
        if alive(pid):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    _reap()


def _reap() -> None:
    if not hasattr(os, "WNOHANG"):
        return
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def parent_alive(pid: int) -> bool:
    """Whether the process ``pid`` (the editor that started the server) still runs."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, owned by someone else
    return _parent_and_state(pid) is None or alive(pid)
