"""Check requests per document -> one checking thread that runs them, debounced, latest first.

jedi is not thread-safe and keeps process-wide caches (parse trees, its helper processes), so
every check of the server runs in this one thread, one at a time; the server's own thread keeps
answering the client meanwhile. A request for a document replaces the one still waiting for it,
so a burst of edits is checked once. A check already running is not interrupted (stopping jedi
midway could leave its caches half-built); the server drops its result when a newer request for
the document came in meanwhile.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

LOG = logging.getLogger(__name__)


@dataclass
class _Job:
    due: float
    work: Callable[[], None]


class Scheduler:
    """Runs ``work`` callables in one daemon thread; ``on_error(key, exc)`` hears of failures."""

    def __init__(self, on_error: Callable[[str, BaseException], None]) -> None:
        self._on_error = on_error
        self._pending: dict[str, _Job] = {}
        self._wake = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="halluc-check-checks", daemon=True)
        self._thread.start()

    def submit(self, key: str, work: Callable[[], None], delay: float = 0.0) -> None:
        """Run ``work`` after ``delay`` seconds, instead of what was waiting for ``key``."""
        with self._wake:
            self._pending[key] = _Job(time.monotonic() + delay, work)
            self._wake.notify()

    def cancel(self, key: str) -> None:
        """Forget what is waiting for ``key`` (the document was closed)."""
        with self._wake:
            self._pending.pop(key, None)

    def stop(self) -> None:
        """Run nothing more; the check under way, if any, is left to finish or die with the
        process (the thread is a daemon)."""
        with self._wake:
            self._stopped = True
            self._pending.clear()
            self._wake.notify()

    def _next(self) -> tuple[str, _Job] | None:
        with self._wake:
            while not self._stopped:
                if self._pending:
                    key = min(self._pending, key=lambda k: self._pending[k].due)
                    wait = self._pending[key].due - time.monotonic()
                    if wait <= 0:
                        return key, self._pending.pop(key)
                    self._wake.wait(wait)
                else:
                    self._wake.wait()
        return None

    def _run(self) -> None:
        while (item := self._next()) is not None:
            key, job = item
            try:
                job.work()
            except Exception as exc:  # one document's failure must not end the checking thread
                LOG.debug("check of %s failed", key, exc_info=True)
                try:
                    self._on_error(key, exc)
                except Exception:
                    LOG.exception("could not report a failed check")
