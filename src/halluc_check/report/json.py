"""Results → one JSON document (``version`` 1): diagnostics, errors and a summary.

Lines and columns are 1-based, end columns exclusive (``column = span.column + 1``), like ruff and
SARIF. The document is ASCII (``ensure_ascii=True``): control characters, bidi overrides and lone
surrogates from hostile sources arrive as ``\\uXXXX`` escapes and never break the stream's encoding.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from importlib import metadata
from typing import Any, TextIO

from halluc_check.model import Finding, Result, Span, Suggestion
from halluc_check.report._style import ReporterOptions
from halluc_check.report._summary import sorted_errors, sorted_findings, summarize, unit_notes

SCHEMA_VERSION = 1
TOOL_NAME = "halluc-check"


class JsonReporter(ReporterOptions):
    """The machine-readable format; ``color``, ``width`` and ``summary`` are accepted and ignored."""

    def report(
        self, results: Sequence[Result], out: TextIO, *, files_checked: int | None = None
    ) -> None:
        """Write the document for ``results`` to ``out``, followed by a newline."""
        document = build_document(results, files_checked=files_checked)
        out.write(json.dumps(document, indent=2, ensure_ascii=True) + "\n")


def build_document(
    results: Sequence[Result], *, files_checked: int | None = None
) -> dict[str, Any]:
    """The JSON-ready document (plain dicts, lists, strings and numbers)."""
    summary = summarize(results, files_checked)
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": tool_version()},
        "diagnostics": [diagnostic(finding) for finding in sorted_findings(results)],
        "errors": [{"path": r.path, "message": r.error} for r in sorted_errors(results)],
        "notes": [{"path": path, "message": note} for path, note in unit_notes(results)],
        "summary": {
            "files": summary.files,
            "files_with_findings": summary.files_with_findings,
            "findings": summary.findings,
            "by_code": dict(sorted(summary.by_code)),
        },
    }


def tool_version() -> str:
    """``halluc_check.__version__`` when the package defines it, else the installed metadata."""
    package = sys.modules.get("halluc_check")
    version = getattr(package, "__version__", None)
    if isinstance(version, str):
        return version
    try:
        return metadata.version(TOOL_NAME)
    except metadata.PackageNotFoundError:
        return "0.0.0"


def _location(span: Span) -> dict[str, int]:
    return {
        "line": span.line,
        "column": span.column + 1,
        "end_line": span.end_line,
        "end_column": span.end_column + 1,
    }


def _suggestion(suggestion: Suggestion) -> dict[str, Any]:
    return {
        "message": suggestion.message,
        "replacement": suggestion.replacement,
        **_location(suggestion.span),
    }


def diagnostic(finding: Finding) -> dict[str, Any]:
    """One finding as a JSON object with 1-based, end-exclusive positions."""
    return {
        "path": finding.path,
        **_location(finding.span),
        "cell": None
        if finding.cell is None
        else {"number": finding.cell[0], "line": finding.cell[1], "file_line": finding.file_line},
        "code": finding.code,
        "rule": finding.rule,
        "message": finding.message,
        "severity": finding.severity.value,
        "confidence": finding.confidence.value,
        "symbol": finding.symbol,
        "expression": finding.expression,
        "package": finding.package,
        "label": finding.label,
        "notes": list(finding.notes),
        "suggestions": [_suggestion(s) for s in finding.suggestions],
        "migration": None if finding.migration is None else finding.migration.as_dict(),
    }
