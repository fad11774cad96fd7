"""Results → one SARIF 2.1.0 log that GitHub code scanning accepts (``upload-sarif``).

Positions are 1-based with exclusive end columns counted in Unicode code points (the run says so
with ``columnKind``). Paths inside the current directory become URIs relative to ``%SRCROOT%``,
others absolute ``file://`` URIs. ``partialFingerprints.primaryLocationLineHash`` hashes the rule,
the path, the whitespace-normalised text of the line and the text under the span, never the line
number, so alerts survive edits above them. The log is ASCII JSON; lone surrogates become U+FFFD.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, TextIO

from halluc_check.model import Finding, Result, Span, Suggestion
from halluc_check.report._paths import base_uri, path_uri
from halluc_check.report._style import ReporterOptions
from halluc_check.report._summary import (
    level_of,
    message_with_hints,
    sorted_errors,
    sorted_findings,
)
from halluc_check.report.json import TOOL_NAME, tool_version
from halluc_check.rules import RULES, Rule
from halluc_check.text import split_lines

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FALLBACK_URI = "https://pypi.org/project/halluc-check/"
"""Where the tool is described when the installed metadata names no ``Homepage`` URL."""

PRECISION = {"HAL001": "very-high", "HAL002": "very-high", "HAL900": "very-high"}
"""GitHub's ``precision`` per rule; ``high`` for the others (they have medium-confidence results)."""
_AREA = {
    "HAL0": "imports",
    "HAL1": "attributes",
    "HAL2": "calls",
    "HAL3": "packages",
    "HAL9": "syntax",
}
_SURROGATE = re.compile("[\ud800-\udfff]")
_SECTION = re.compile(r"^## What it does\n(?P<body>.*?)(?:\n## |\Z)", re.DOTALL | re.MULTILINE)


class SarifReporter(ReporterOptions):
    """The code-scanning format; ``color``, ``width`` and ``summary`` are accepted and ignored."""

    def report(
        self, results: Sequence[Result], out: TextIO, *, files_checked: int | None = None
    ) -> None:
        """Write the SARIF log for ``results`` to ``out``, followed by a newline."""
        out.write(json.dumps(build_log(results), indent=2, ensure_ascii=True) + "\n")


def build_log(results: Sequence[Result], *, base: Path | None = None) -> dict[str, Any]:
    """The SARIF log (plain dicts and lists); paths are made relative to ``base`` (default: cwd)."""
    rules = list(RULES)
    index = {rule.code: position for position, rule in enumerate(rules)}
    sources = {r.path: split_lines(r.source) for r in results if r.source is not None}
    fingerprints: Counter[str] = Counter()
    sarif_results = []
    for finding in sorted_findings(results):
        line_hash = _line_hash(finding, sources.get(finding.path), base)
        fingerprints[line_hash] += 1
        fingerprint = f"{line_hash}:{fingerprints[line_hash]}"
        sarif_results.append(_result(finding, index.get(finding.code), fingerprint, base))
    run: dict[str, Any] = {
        "tool": {"driver": _driver(rules)},
        "invocations": [_invocation(results, base)],
        "originalUriBaseIds": {SRCROOT: {"uri": base_uri(base)}},
        "columnKind": "unicodeCodePoints",
        "results": sarif_results,
    }
    log = {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
    cleaned: dict[str, Any] = _clean(log)
    return cleaned


def information_uri() -> str:
    """The project's ``Homepage`` (or ``Documentation``) URL from the installed metadata."""
    try:
        urls = metadata.metadata(TOOL_NAME).get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    found = dict(_split_url(entry) for entry in urls)
    for label in ("homepage", "documentation", "repository", "source"):
        if found.get(label, "").startswith("https://"):
            return found[label]
    return FALLBACK_URI


def _split_url(entry: str) -> tuple[str, str]:
    label, _, url = entry.partition(",")
    return label.strip().lower(), url.strip()


def _driver(rules: list[Rule]) -> dict[str, Any]:
    home = information_uri()
    return {
        "name": TOOL_NAME,
        "version": tool_version(),
        "semanticVersion": tool_version(),
        "informationUri": home,
        "rules": [_rule(rule, home) for rule in rules],
    }


def _rule(rule: Rule, home: str) -> dict[str, Any]:
    section = _SECTION.search(rule.docs)
    full = " ".join(section.group("body").split()) if section else rule.summary
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": full or rule.summary},
        "help": {"text": rule.docs or rule.summary, "markdown": rule.docs or rule.summary},
        "helpUri": f"{home}#rules",
        "defaultConfiguration": {"level": rule.severity.value},
        "properties": {
            "tags": ["correctness", "hallucination", _AREA.get(rule.code[:4], "other")],
            "precision": PRECISION.get(rule.code, "high"),
            "problem.severity": rule.severity.value,
        },
    }


def _artifact(path: str, base: Path | None) -> dict[str, str]:
    uri, relative = path_uri(path, base)
    return {"uri": uri, "uriBaseId": SRCROOT} if relative else {"uri": uri}


def region(span: Span) -> dict[str, int]:
    """A SARIF region: 1-based lines and columns, end column exclusive, never inverted."""
    start_line = max(1, span.line)
    start_column = max(1, span.column + 1)
    end_line = max(start_line, span.end_line)
    end_column = max(1, span.end_column + 1)
    if end_line == start_line:
        end_column = max(start_column, end_column)
    return {
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
    }


def _where(finding: Finding) -> dict[str, int]:
    """The finding's region in the file; for a notebook, the line of the ``.ipynb`` text that
    holds the code (its columns are those of a JSON string, so only the line is given)."""
    if finding.cell is not None:
        return {"startLine": max(1, finding.file_line or 1)}
    return region(finding.span)


def _result(
    finding: Finding, rule_index: int | None, fingerprint: str, base: Path | None
) -> dict[str, Any]:
    artifact = _artifact(finding.path, base)
    result: dict[str, Any] = {"ruleId": finding.code}
    if rule_index is not None:
        result["ruleIndex"] = rule_index
    result.update(
        {
            "level": level_of(finding),
            "message": {"text": message_with_hints(finding)},
            "locations": [
                {"physicalLocation": {"artifactLocation": artifact, "region": _where(finding)}}
            ],
            "partialFingerprints": {"primaryLocationLineHash": fingerprint},
        }
    )
    if finding.suggestions and finding.cell is None:  # notebook spans are not file regions
        result["fixes"] = [_fix(s, artifact) for s in finding.suggestions]
    properties = {
        "confidence": finding.confidence.value,
        "symbol": finding.symbol,
        "expression": finding.expression,
        "package": finding.package,
    }
    result["properties"] = {k: v for k, v in properties.items() if v is not None}
    if finding.migration is not None:
        result["properties"]["migration"] = finding.migration.as_dict()
    return result


def _fix(suggestion: Suggestion, artifact: dict[str, str]) -> dict[str, Any]:
    replacement = {
        "deletedRegion": region(suggestion.span),
        "insertedContent": {"text": suggestion.replacement},
    }
    return {
        "description": {"text": suggestion.message or f"replace with `{suggestion.replacement}`"},
        "artifactChanges": [{"artifactLocation": dict(artifact), "replacements": [replacement]}],
    }


def _line_hash(finding: Finding, lines: list[str] | None, base: Path | None) -> str:
    """A hash of rule, path, normalised line text and the text under the span (no line number)."""
    span = finding.span
    text = lines[span.line - 1] if lines is not None and 1 <= span.line <= len(lines) else ""
    if text and span.end_line == span.line:
        target = text[span.column : span.end_column]
    else:
        target = finding.expression or finding.message
    uri, _ = path_uri(finding.path, base)
    key = "\0".join((finding.code, uri, " ".join(text.split()), target))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _invocation(results: Sequence[Result], base: Path | None) -> dict[str, Any]:
    """The run completed; each file that could not be checked is an error notification."""
    notifications = [
        {
            "level": "error",
            "message": {"text": f"could not check: {result.error}"},
            "locations": [{"physicalLocation": {"artifactLocation": _artifact(result.path, base)}}],
        }
        for result in sorted_errors(results)
    ]
    return {"executionSuccessful": True, "toolExecutionNotifications": notifications}


def _clean(value: Any) -> Any:
    """``value`` with every lone surrogate in its strings replaced by U+FFFD (valid UTF-8 JSON)."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value
