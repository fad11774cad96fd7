"""Findings -> LSP diagnostics: ranges in the client's position units, severity, code and link."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from ..model import Confidence, Finding, Severity, Span
from ..rules import lookup

SOURCE = "halluc-check"
"""The ``source`` of every diagnostic the server publishes."""

FALLBACK_HOME = "https://pypi.org/project/halluc-check/"


@lru_cache(maxsize=1)
def project_home() -> str:
    """The project's ``Homepage`` (or ``Documentation``) URL from the installed metadata, else
    its PyPI page: where the README with the rules table is published."""
    from importlib import metadata

    try:
        urls = metadata.metadata("halluc-check").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    found: dict[str, str] = {}
    for entry in urls:
        label, _, url = entry.partition(",")
        found[label.strip().lower()] = url.strip()
    for label in ("documentation", "homepage", "repository", "source"):
        if found.get(label, "").startswith("https://"):
            return found[label]
    return FALLBACK_HOME


def rule_href(code: str) -> str:
    """The documentation of rule ``code``: ``<project home>#rules`` (the README's rules table,
    the same address SARIF's ``helpUri`` gives), with the code as a query so that every rule
    has an address of its own: ``https://pypi.org/project/halluc-check/?rule=HAL101#rules``.
    ``halluc-check rule CODE`` prints the full text."""
    return f"{project_home()}?rule={code}#rules"


def severity_of(finding: Finding) -> types.DiagnosticSeverity:
    """Error for a proof (high confidence); Warning for a medium-confidence heuristic or a rule
    whose severity is a warning, as in SARIF and GitHub annotations."""
    if finding.severity is Severity.WARNING or finding.confidence is not Confidence.HIGH:
        return types.DiagnosticSeverity.Warning
    return types.DiagnosticSeverity.Error


def message_of(finding: Finding) -> str:
    """The message, then what the full report adds beneath it: the label (``not found on
    `openai.Chat```), the notes, the migration hint and the first did-you-mean."""
    lines = [finding.message]
    if finding.label:
        lines.append(finding.label)
    lines.extend(f"note: {note}" for note in finding.notes)
    if finding.migration is not None:
        lines.append(f"note: {finding.migration.note}")
    if finding.suggestions:
        first = finding.suggestions[0]
        lines.append("help: " + (first.message or f"did you mean `{first.replacement}`?"))
    return "\n".join(lines)


def to_range(span: Span, lines: Sequence[str], codec: PositionCodec) -> types.Range:
    """``span`` (1-based lines, code-point columns) in the client's units (UTF-16 by default).

    ``lines`` are the document's lines as the tokenizer splits them (``text.split_lines``), the
    way LSP counts lines too; a position past the end is clamped to the document's end."""
    return types.Range(
        start=_position(span.line - 1, span.column, lines, codec),
        end=_position(span.end_line - 1, span.end_column, lines, codec),
    )


def _position(line: int, column: int, lines: Sequence[str], codec: PositionCodec) -> types.Position:
    if line < 0:
        return types.Position(line=0, character=0)
    if line >= len(lines):
        last = len(lines) - 1
        return codec.position_to_client_units(
            lines, types.Position(line=max(last, 0), character=len(lines[last]) if lines else 0)
        )
    column = max(0, min(column, len(lines[line])))
    return codec.position_to_client_units(lines, types.Position(line=line, character=column))


def to_diagnostic(
    finding: Finding, lines: Sequence[str], codec: PositionCodec, *, notebook: bool = False
) -> types.Diagnostic:
    """One finding as an LSP diagnostic. ``data`` keeps the did-you-mean replacements with the
    text each replaces, so that a quick fix can tell when the document changed under it.

    ``notebook``: the findings of a ``.ipynb`` document opened as text point at the line of the
    JSON text that holds their code (``file_line``), which is all the range can say there."""
    if notebook and finding.file_line is not None:
        row = finding.file_line
        width = len(lines[row - 1]) if 0 < row <= len(lines) else 0
        span = Span(row, 0, row, width)
        fixes: list[dict[str, Any]] = []
    else:
        span = finding.span
        fixes = [_fix(s.replacement, s.span, lines, codec) for s in finding.suggestions]
    rule = lookup(finding.code)
    return types.Diagnostic(
        range=to_range(span, lines, codec),
        message=message_of(finding),
        severity=severity_of(finding),
        code=finding.code,
        code_description=types.CodeDescription(href=rule_href(finding.code)),
        source=SOURCE,
        data={"rule": rule.name if rule else finding.rule, "fixes": fixes},
    )


def _fix(
    replacement: str, span: Span, lines: Sequence[str], codec: PositionCodec
) -> dict[str, Any]:
    return {
        "replacement": replacement,
        "range": _range_data(to_range(span, lines, codec)),
        "original": text_in(lines, span),
    }


def _range_data(value: types.Range) -> dict[str, Any]:
    return {
        "start": {"line": value.start.line, "character": value.start.character},
        "end": {"line": value.end.line, "character": value.end.character},
    }


def text_in(lines: Sequence[str], span: Span) -> str:
    """The text under ``span`` (code points), lines joined with ``\\n``."""
    first, last = span.line - 1, span.end_line - 1
    if not 0 <= first <= last < len(lines):
        return ""
    if first == last:
        return lines[first][span.column : span.end_column]
    middle = list(lines[first + 1 : last])
    return "\n".join([lines[first][span.column :], *middle, lines[last][: span.end_column]])
