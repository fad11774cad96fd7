"""Exact-string tests for the ``concise`` reporter: one ``path:line:col: CODE message`` line each."""

from __future__ import annotations

import io
import re
from typing import Any

from halluc_check.model import Finding, Result, Severity, Span, Suggestion
from halluc_check.report import render

SGR = re.compile(r"\x1b\[[0-9;]*m")


def concise(results: list[Result], **options: Any) -> str:
    out = io.StringIO()
    render(results, "concise", out, **options)
    return out.getvalue()


def finding(path: str, span: tuple[int, int, int, int], **fields: Any) -> Finding:
    fields.setdefault("code", "HAL101")
    fields.setdefault("rule", "unresolved-attribute")
    fields.setdefault("message", "`x` has no attribute `y`")
    return Finding(path=path, span=Span(*span), **fields)


CHAT = finding(
    "app/llm.py",
    (12, 19, 12, 29),
    message="`Chat` has no attribute `completion`",
    suggestions=(
        Suggestion("did you mean `completions`?", "completions", Span(12, 19, 12, 29)),
        Suggestion("did you mean `complete`?", "complete", Span(12, 19, 12, 29)),
    ),
)
IMPORT = finding(
    "app/bot.py",
    (1, 7, 1, 15),
    code="HAL001",
    rule="unresolved-import",
    message="no module named `telegraf`",
)
WARNING = finding("app/llm.py", (3, 0, 3, 4), severity=Severity.WARNING, message="maybe `x`")


def test_findings_errors_and_summary() -> None:
    results = [
        Result("app/llm.py", (CHAT, WARNING)),
        Result("app/bot.py", (IMPORT,)),
        Result("broken.py", error="invalid UTF-8 at byte 12"),
    ]
    assert concise(results, files_checked=4) == (
        "app/bot.py:1:8: HAL001 no module named `telegraf`\n"
        "app/llm.py:3:1: HAL101 maybe `x`\n"
        "app/llm.py:12:20: HAL101 `Chat` has no attribute `completion`"
        " (help: did you mean `completions`?)\n"
        "broken.py: error: could not check: invalid UTF-8 at byte 12\n"
        "Found 3 hallucinated references in 2 of 4 files (HAL101 \u00d72, HAL001 \u00d71)."
        " 1 file could not be checked.\n"
    )


def test_singular_summary() -> None:
    assert concise([Result("app/bot.py", (IMPORT,))]).endswith(
        "Found 1 hallucinated reference in 1 of 1 file (HAL001 \u00d71).\n"
    )


def test_clean_run() -> None:
    assert concise([Result("a.py"), Result("b.py")]) == "All checks passed!\n"


def test_clean_run_with_errors() -> None:
    assert concise([Result("a.py"), Result("b.py", error="x"), Result("c.py", error="y")]) == (
        "b.py: error: could not check: x\n"
        "c.py: error: could not check: y\n"
        "All checks passed! 2 files could not be checked.\n"
    )


def test_suggestion_without_message_falls_back_to_did_you_mean() -> None:
    bare = finding("a.py", (1, 0, 1, 1), suggestions=(Suggestion("", "loads", Span(1, 0, 1, 1)),))
    assert concise([Result("a.py", (bare,))]).startswith(
        "a.py:1:1: HAL101 `x` has no attribute `y` (help: did you mean `loads`?)\n"
    )


def test_long_lines_are_never_wrapped() -> None:
    long = finding("a.py", (1, 0, 1, 1), message="`x` " + "very " * 40 + "long")
    output = concise([Result("a.py", (long,))], width=40)
    assert output.splitlines()[0] == "a.py:1:1: HAL101 " + long.message


def test_hostile_text_is_escaped() -> None:
    hostile = finding(
        "[red]x\n.py",
        (1, 0, 1, 1),
        message="`a` \x1b[31m[bold]red\r\u202e",
        suggestions=(Suggestion("did you mean `b\x00`?", "b", Span(1, 0, 1, 1)),),
    )
    results = [Result("[red]x\n.py", (hostile,)), Result("e\x1b.py", error="line\nbreak\x07")]
    output = concise(results)
    assert output == (
        "[red]x\\x0a.py:1:1: HAL101 `a` \\x1b[31m[bold]red\\x0d\\u202e"
        " (help: did you mean `b\\x00`?)\n"
        "e\\x1b.py: error: could not check: line\\x0abreak\\x07\n"
        "Found 1 hallucinated reference in 1 of 2 files (HAL101 \u00d71)."
        " 1 file could not be checked.\n"
    )
    assert SGR.sub("", concise(results, color=True)) == output


def test_color_only_when_asked() -> None:
    results = [Result("app/bot.py", (IMPORT,))]
    assert "\x1b" not in concise(results)
    assert "\x1b[" in concise(results, color=True)
