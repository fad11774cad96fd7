"""Results → one flake8/pylint-compatible line per finding, then the summary sentence.

::

    app/llm.py:12:20: HAL101 `Chat` has no attribute `completion` (help: did you mean `completions`?)
    broken.py: error: could not check: invalid UTF-8 at byte 12
    Found 1 hallucinated reference in 1 of 2 files (HAL101 \u00d71). 1 file could not be checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from rich.text import Text

from halluc_check.model import Finding, Result
from halluc_check.report._paths import inert_path
from halluc_check.report._style import ReporterOptions, escaper_for, make_console
from halluc_check.report._summary import (
    help_text,
    sorted_errors,
    sorted_findings,
    summary_line,
    unit_notes,
)
from halluc_check.report._text import Escaper


class ConciseReporter(ReporterOptions):
    """``path:line:col: CODE message`` lines (1-based column), for editors and grep.

    Args:
        color: emit ANSI styles (theme ``halluc.*``); plain text otherwise.
        width: accepted for a uniform factory signature; lines are never wrapped or trimmed.
        summary: end with the summary sentence.
    """

    def report(
        self, results: Sequence[Result], out: TextIO, *, files_checked: int | None = None
    ) -> None:
        """Write one line per finding and per file not checked, then the summary, to ``out``."""
        console = make_console(out, color=self.color, width=self.width)
        escape = escaper_for(out)
        for finding in sorted_findings(results):
            console.print(finding_line(finding, escape))
        for result in sorted_errors(results):
            console.print(error_line(result, escape))
        for path, note in unit_notes(results):
            console.print(Text(f"{escape(path)}: note: {escape(note)}", style="halluc.note"))
        if self.summary:
            console.print(Text(summary_line(results, files_checked, escape)))


def finding_line(finding: Finding, escape: Escaper) -> Text:
    """``app/llm.py:12:20: HAL101 message (help: did you mean `completions`?)``, then the
    migration hint, if any: ``(note: `ChatCompletion` was removed in openai 1.0.0; use ...)``.

    A path that would make the line read as a CI workflow command (``::…``) gets a ``./`` prefix.
    """
    span = finding.span
    where = f":{span.line}:{span.column + 1}: "
    if finding.cell is not None:  # notebooks: the line within the cell
        where = f":cell {finding.cell[0]}:{finding.cell[1]}:{span.column + 1}: "
    line = Text.assemble(
        (escape(inert_path(finding.path)), "halluc.path"),
        where,
        (escape(finding.code), f"halluc.{finding.severity.value}"),
        " ",
        escape(finding.message),
    )
    if finding.suggestions:
        message = help_text(finding.suggestions[0])
        line.append(" (")
        line.append("help", style="halluc.help")
        line.append(f": {escape(message)})")
    if finding.migration is not None:
        line.append(" (")
        line.append("note", style="halluc.note")
        line.append(f": {escape(finding.migration.note)})")
    return line


def error_line(result: Result, escape: Escaper) -> Text:
    """``broken.py: error: could not check: reason`` (line breaks in the reason are escaped)."""
    return Text.assemble(
        (escape(inert_path(result.path)), "halluc.path"),
        ": ",
        ("error", "halluc.error"),
        f": could not check: {escape(result.error or '')}",
    )
