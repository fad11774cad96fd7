"""The ``json`` reporter: parse the document and check fields, 1-based columns and hostile strings."""

from __future__ import annotations

import io
import json
import sys
from importlib import metadata
from typing import Any

import pytest

from halluc_check.model import Confidence, Finding, Result, Severity, Span, Suggestion
from halluc_check.report import render
from halluc_check.report.json import tool_version

DIAGNOSTIC_KEYS = {
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "code",
    "rule",
    "message",
    "severity",
    "confidence",
    "symbol",
    "expression",
    "package",
    "label",
    "notes",
    "suggestions",
    "cell",
    "migration",
}


def document(results: list[Result], **options: Any) -> dict[str, Any]:
    out = io.StringIO()
    render(results, "json", out, **options)
    text = out.getvalue()
    assert text.endswith("}\n")
    parsed: dict[str, Any] = json.loads(text)
    return parsed


CHAT = Finding(
    code="HAL101",
    rule="unresolved-attribute",
    message="`Chat` has no attribute `completion`",
    path="app/llm.py",
    span=Span(12, 19, 12, 29),
    confidence=Confidence.MEDIUM,
    label="not found on `openai.resources.chat.Chat`",
    notes=("`client` inferred as `openai.OpenAI`",),
    suggestions=(Suggestion("did you mean `completions`?", "completions", Span(12, 19, 12, 29)),),
    symbol="openai.resources.chat.Chat",
    expression="client.chat.completion",
    package="openai 1.99.0",
)
IMPORT = Finding(
    code="HAL001",
    rule="unresolved-import",
    message="no module named `telegraf`",
    path="app/bot.py",
    span=Span(1, 7, 1, 15),
    severity=Severity.WARNING,
)


def test_document_shape_and_positions() -> None:
    results = [
        Result("app/llm.py", (CHAT,), source="not used"),
        Result("app/bot.py", (IMPORT,)),
        Result("broken.py", error="invalid UTF-8 at byte 12"),
        Result("clean.py"),
    ]
    doc = document(results, files_checked=10)
    assert set(doc) == {"version", "tool", "diagnostics", "errors", "notes", "summary"}
    assert doc["version"] == 1
    assert doc["tool"]["name"] == "halluc-check"
    assert isinstance(doc["tool"]["version"], str) and doc["tool"]["version"]
    bot, llm = doc["diagnostics"]
    assert set(llm) == DIAGNOSTIC_KEYS
    assert llm == {
        "path": "app/llm.py",
        "cell": None,
        "migration": None,
        "line": 12,
        "column": 20,
        "end_line": 12,
        "end_column": 30,
        "code": "HAL101",
        "rule": "unresolved-attribute",
        "message": "`Chat` has no attribute `completion`",
        "severity": "error",
        "confidence": "medium",
        "symbol": "openai.resources.chat.Chat",
        "expression": "client.chat.completion",
        "package": "openai 1.99.0",
        "label": "not found on `openai.resources.chat.Chat`",
        "notes": ["`client` inferred as `openai.OpenAI`"],
        "suggestions": [
            {
                "message": "did you mean `completions`?",
                "replacement": "completions",
                "line": 12,
                "column": 20,
                "end_line": 12,
                "end_column": 30,
            }
        ],
    }
    assert (bot["line"], bot["column"], bot["end_column"]) == (1, 8, 16)
    assert bot["severity"] == "warning"
    assert bot["symbol"] is None and bot["label"] is None
    assert bot["notes"] == [] and bot["suggestions"] == []
    assert doc["errors"] == [{"path": "broken.py", "message": "invalid UTF-8 at byte 12"}]
    assert doc["summary"] == {
        "files": 10,
        "files_with_findings": 2,
        "findings": 2,
        "by_code": {"HAL001": 1, "HAL101": 1},
    }


def test_clean_run() -> None:
    doc = document([Result("a.py")])
    assert doc["diagnostics"] == [] and doc["errors"] == []
    assert doc["summary"] == {"files": 1, "files_with_findings": 0, "findings": 0, "by_code": {}}


def test_output_is_indented_and_color_is_ignored() -> None:
    plain, coloured = io.StringIO(), io.StringIO()
    render([Result("a.py", (IMPORT,))], "json", plain)
    render([Result("a.py", (IMPORT,))], "json", coloured, color=True, width=20)
    assert plain.getvalue() == coloured.getvalue()
    assert plain.getvalue().startswith('{\n  "version": 1,\n')


HOSTILE = '\x1b[31m[red]\x00\r\n\u202e\u2028\udc80\U0001f600"\\'


def test_hostile_strings_round_trip_as_ascii() -> None:
    finding = Finding(
        code="HAL101",
        rule="unresolved-attribute",
        message=HOSTILE,
        path=HOSTILE + ".py",
        span=Span(1, 0, 1, 1),
        notes=(HOSTILE,),
        suggestions=(Suggestion(HOSTILE, HOSTILE, Span(1, 0, 1, 1)),),
    )
    out = io.StringIO()
    render([Result(HOSTILE + ".py", (finding,)), Result("e.py", error=HOSTILE)], "json", out)
    text = out.getvalue()
    assert text.isascii()
    assert not any(ord(char) < 0x20 and char != "\n" for char in text)
    doc = json.loads(text)
    diagnostic = doc["diagnostics"][0]
    assert diagnostic["message"] == HOSTILE
    assert diagnostic["path"] == HOSTILE + ".py"
    assert diagnostic["notes"] == [HOSTILE]
    assert diagnostic["suggestions"][0]["replacement"] == HOSTILE
    assert doc["errors"] == [{"path": "e.py", "message": HOSTILE}]


def test_writes_to_an_ascii_stream() -> None:
    buffer = io.BytesIO()
    out = io.TextIOWrapper(buffer, encoding="ascii")
    render([Result("\u00e9.py", (IMPORT,))], "json", out)
    out.flush()
    assert json.loads(buffer.getvalue())["summary"]["findings"] == 1


def test_tool_version_prefers_the_package_attribute(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules["halluc_check"], "__version__", "9.8.7", raising=False)
    assert tool_version() == "9.8.7"


def test_tool_version_falls_back_when_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(sys.modules["halluc_check"], "__version__", raising=False)

    def missing(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", missing)
    assert tool_version() == "0.0.0"
