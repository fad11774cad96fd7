"""Results → text: the ``Reporter`` protocol, the format registry and ``render`` for the CLI.

Reporters only format. They never read files (the checked text is ``Result.source``), never decide
exit codes, and never let raw control characters from checked code reach the terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TextIO

from halluc_check.model import Result
from halluc_check.report.concise import ConciseReporter
from halluc_check.report.full import FullReporter
from halluc_check.report.github import GithubReporter
from halluc_check.report.json import JsonReporter
from halluc_check.report.sarif import SarifReporter

__all__ = ["REPORTERS", "Reporter", "ReporterFactory", "render"]


class Reporter(Protocol):
    """Writes a whole run's results to ``out``."""

    def report(
        self, results: Sequence[Result], out: TextIO, *, files_checked: int | None = None
    ) -> None:
        """Write ``results`` and a summary; ``files_checked`` defaults to ``len(results)``."""
        ...


class ReporterFactory(Protocol):
    """Builds a reporter; every format accepts all three options (and may ignore them)."""

    def __call__(
        self, *, color: bool = False, width: int | None = None, summary: bool = True
    ) -> Reporter: ...


REPORTERS: dict[str, ReporterFactory] = {
    "full": FullReporter,
    "concise": ConciseReporter,
    "json": JsonReporter,
    "sarif": SarifReporter,
    "github": GithubReporter,
}
"""Output formats by ``--format`` name."""


def render(
    results: Sequence[Result],
    fmt: str,
    out: TextIO,
    *,
    color: bool = False,
    width: int | None = None,
    files_checked: int | None = None,
    summary: bool = True,
) -> None:
    """Write ``results`` to ``out`` in format ``fmt``.

    Args:
        results: one ``Result`` per checked unit, in any order (reporters sort).
        fmt: a key of ``REPORTERS``.
        out: the text stream to write to.
        color: emit ANSI styles (text formats only).
        width: console width in cells; ``None`` detects it.
        files_checked: the "of N files" count; defaults to ``len(results)``.
        summary: end text formats with the summary sentence (``--quiet`` turns it off).

    Raises:
        ValueError: ``fmt`` is not a known format.
    """
    try:
        factory = REPORTERS[fmt]
    except KeyError:
        known = ", ".join(sorted(REPORTERS))
        raise ValueError(f"unknown output format {fmt!r} (expected one of: {known})") from None
    reporter = factory(color=color, width=width, summary=summary)
    reporter.report(results, out, files_checked=files_checked)
