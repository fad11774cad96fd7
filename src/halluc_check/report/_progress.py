"""A progress bar on stderr for runs longer than a moment; silent when stderr is not a terminal."""

from __future__ import annotations

import time
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

from halluc_check.report._style import is_terminal

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

SHOW_AFTER = 1.0
"""Seconds a run must have lasted before the bar appears: short runs stay quiet."""


class ProgressBar:
    """``with ProgressBar(sys.stderr) as bar: ... bar.update(done, total)``."""

    def __init__(self, stream: TextIO, *, enabled: bool = True) -> None:
        self.stream = stream
        self.enabled = enabled and is_terminal(stream)
        self.started = time.monotonic()
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> ProgressBar:
        self.started = time.monotonic()
        return self

    def update(self, done: int, total: int) -> None:
        if not self.enabled or total < 2:
            return
        if self._progress is None:
            if time.monotonic() - self.started < SHOW_AFTER or done >= total:
                return
            self._start(total)
        assert self._progress is not None and self._task is not None
        self._progress.update(self._task, completed=done, total=total)

    def _start(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        console = Console(file=self.stream, stderr=True)
        self._progress = Progress(
            "checking",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task("checking", total=total)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
