"""``daemon start``, ``stop`` and ``status``: start the daemon detached and wait until it answers,
ask it to stop and wait until it is gone, or ask what it is."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Any

from ..run.children import alive
from .client import NoDaemon, ask
from .location import Location

START_SECONDS = 300.0
"""How long ``start`` waits for a new daemon's first answer: it probes the target interpreter and
checks a first snippet before it listens."""
STOP_SECONDS = 30.0
_POLL_SECONDS = 0.05


class DaemonError(Exception):
    """A daemon could not be started or stopped; the message says why."""


def status(location: Location) -> dict[str, Any] | None:
    """What the running daemon at ``location`` says about itself; ``None``: none answers."""
    try:
        answer = ask(location, {"op": "status"})
    except NoDaemon:
        return None
    facts = answer.get("status")
    return facts if isinstance(facts, dict) else None


def start(location: Location, serve_arguments: Sequence[str]) -> dict[str, Any]:
    """Start ``python -m halluc_check daemon _serve ARGUMENTS`` detached (its own session, its
    standard error in the daemon's log) and return its status once it answers."""
    with open(location.log, "wb") as log:
        os.chmod(location.log, 0o600)
        process = subprocess.Popen(
            [sys.executable, "-m", "halluc_check", "daemon", "_serve", *serve_arguments],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
            close_fds=True,
        )
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        facts = status(location)
        if facts is not None and facts.get("pid") == process.pid:
            return facts
        if process.poll() is not None:
            raise DaemonError(_last_line(location) or f"the daemon ended with {process.returncode}")
        time.sleep(_POLL_SECONDS)
    with contextlib.suppress(OSError):
        process.kill()
    raise DaemonError(f"the daemon did not answer within {START_SECONDS:g} s")


def stop(location: Location) -> int | None:
    """Ask the daemon at ``location`` to stop and wait until its process (and so every process it
    started) is gone; its pid, or ``None`` when none ran."""
    facts = status(location)
    if facts is None:
        return None
    pid = int(facts["pid"])
    with contextlib.suppress(NoDaemon):
        ask(location, {"op": "stop"})
    deadline = time.monotonic() + STOP_SECONDS
    while alive(pid):
        if time.monotonic() > deadline:
            raise DaemonError(f"the daemon (pid {pid}) did not stop within {STOP_SECONDS:g} s")
        time.sleep(_POLL_SECONDS)
    return pid


def _last_line(location: Location) -> str | None:
    """The daemon's last words: the last line of its log."""
    try:
        lines = location.log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return None
    return lines[-1] if lines else None
