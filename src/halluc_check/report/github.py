"""Results → GitHub Actions workflow commands (annotations), the full listing, then the summary.

::

    ::error file=app/llm.py,line=12,endLine=12,col=20,endColumn=30,title=halluc-check (HAL101)::`Chat` has no attribute `completion`%0Ahelp: did you mean `completions`?
    app/llm.py:12:20: HAL101 `Chat` has no attribute `completion` (help: did you mean `completions`?)
    Found 1 hallucinated reference in 1 of 3 files (HAL101 \u00d71).

GitHub shows only 10 annotations of each level per step, so every finding is also listed in the
log. Values are escaped like ``actions/toolkit``: ``%``, CR and LF in the message; additionally
``:`` and ``,`` in properties. Other control characters become visible escapes (``\\x1b``), so a
hostile path or message can neither start another workflow command nor style the log; listing
lines whose path would read as a command get a ``./`` prefix.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TextIO

from rich.text import Text

from halluc_check.model import Finding, Result
from halluc_check.report._paths import display_path
from halluc_check.report._style import ReporterOptions, escaper_for, make_console
from halluc_check.report._summary import (
    level_of,
    message_with_hints,
    sorted_errors,
    sorted_findings,
    summary_line,
)
from halluc_check.report._text import Escaper
from halluc_check.report.concise import error_line, finding_line

TOOL_TITLE = "halluc-check"
SHOWN_PER_LEVEL = 10
"""Annotations of one level that GitHub shows per step; the rest exist only in the log."""

_DATA = {"%": "%25", "\r": "%0D", "\n": "%0A"}
_PROPERTY = {**_DATA, ":": "%3A", ",": "%2C"}


class GithubReporter(ReporterOptions):
    """``::error``/``::warning`` annotations for GitHub Actions, plus the concise listing.

    Args:
        color: style the listing and summary with ANSI colours (the Actions log shows them).
        width: accepted for a uniform factory signature; lines are never wrapped.
        summary: end with the summary sentence (and the note about GitHub's annotation limit).
    """

    def report(
        self, results: Sequence[Result], out: TextIO, *, files_checked: int | None = None
    ) -> None:
        """Write one annotation per finding and unchecked file, the listing, then the summary."""
        escape = escaper_for(out)
        findings = sorted_findings(results)
        errors = sorted_errors(results)
        for finding in findings:
            out.write(annotation(finding, escape) + "\n")
        for result in errors:
            out.write(error_annotation(result, escape) + "\n")
        out.flush()
        console = make_console(out, color=self.color, width=self.width)
        levels = Counter(level_of(finding) for finding in findings)
        levels["error"] += len(errors)
        if self.summary and any(count > SHOWN_PER_LEVEL for count in levels.values()):
            console.print(
                Text(
                    f"note: GitHub shows {SHOWN_PER_LEVEL} annotations of each level per step;"
                    " every finding is listed below"
                )
            )
        for finding in findings:
            console.print(finding_line(finding, escape))
        for result in errors:
            console.print(error_line(result, escape))
        if self.summary:
            console.print(Text(summary_line(results, files_checked, escape)))


def annotation(finding: Finding, escape: Escaper | None = None) -> str:
    """``::error file=…,line=…,endLine=…,col=…,endColumn=…,title=…::message`` for ``finding``."""
    span = finding.span
    if finding.cell is not None:  # a notebook: the line of the .ipynb text, no columns
        line = str(max(1, finding.file_line or 1))
        properties = {"file": display_path(finding.path), "line": line, "endLine": line}
    else:
        properties = {
            "file": display_path(finding.path),
            "line": str(max(1, span.line)),
            "endLine": str(max(1, span.line, span.end_line)),
            "col": str(max(1, span.column + 1)),
            "endColumn": str(max(1, span.end_column + 1)),
        }
    properties["title"] = f"{TOOL_TITLE} ({finding.code})"
    return command(level_of(finding), properties, message_with_hints(finding), escape)


def error_annotation(result: Result, escape: Escaper | None = None) -> str:
    """``::error file=…,title=halluc-check::could not check: reason`` for an unchecked file."""
    properties = {"file": display_path(result.path), "title": TOOL_TITLE}
    return command("error", properties, f"could not check: {result.error}", escape)


def command(
    name: str, properties: Mapping[str, str], message: str, escape: Escaper | None = None
) -> str:
    """One workflow command line with escaped properties and message."""
    escape = escape or Escaper()
    listed = ",".join(
        f"{key}={escape_property(value, escape)}" for key, value in properties.items()
    )
    return f"::{name} {listed}::{escape_data(message, escape)}"


def escape_data(text: str, escape: Escaper | None = None) -> str:
    """``actions/toolkit`` ``escapeData``; other unsafe characters become visible escapes."""
    return _translate(text, _DATA, escape or Escaper())


def escape_property(text: str, escape: Escaper | None = None) -> str:
    """``actions/toolkit`` ``escapeProperty``; other unsafe characters become visible escapes."""
    return _translate(text, _PROPERTY, escape or Escaper())


def _translate(text: str, table: Mapping[str, str], escape: Escaper) -> str:
    return "".join(table.get(char) or escape(char) for char in text)
