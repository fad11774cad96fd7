"""The ``github`` reporter: workflow-command annotations escaped like actions/toolkit, plus the log."""

from __future__ import annotations

import io
import unicodedata
from typing import Any

import pytest

from halluc_check.model import Confidence, Finding, Result, Severity, Span, Suggestion
from halluc_check.report import render
from halluc_check.report.github import annotation, escape_data, escape_property


def github(results: list[Result], **options: Any) -> str:
    out = io.StringIO()
    render(results, "github", out, **options)
    return out.getvalue()


def finding(path: str, span: tuple[int, int, int, int], **fields: Any) -> Finding:
    fields.setdefault("code", "HAL101")
    fields.setdefault("rule", "unresolved-attribute")
    fields.setdefault("message", "`x` has no attribute `y`")
    return Finding(path=path, span=Span(*span), **fields)


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """Parse a workflow command the way the Actions runner does (``ActionCommand.TryParseV2``)."""
    assert line.startswith("::")
    end = line.index("::", 2)
    info, message = line[2:end], line[end + 2 :]
    name, _, listed = info.partition(" ")
    properties: dict[str, str] = {}
    for pair in filter(None, listed.split(",")):
        key, _, value = pair.partition("=")
        properties[key] = _unescape_property(value)
    return name, properties, _unescape_data(message)


def _unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(text: str) -> str:
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, char)
    return text


CHAT = finding(
    "app/llm.py",
    (12, 19, 12, 29),
    message="`Chat` has no attribute `completion`",
    suggestions=(Suggestion("did you mean `completions`?", "completions", Span(12, 19, 12, 29)),),
)


def test_escaping_matches_actions_toolkit() -> None:
    assert escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert escape_property("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext%3A a%2Cb"
    assert escape_data("%0A") == "%250A"
    assert escape_property("%3A") == "%253A"


def test_other_control_characters_become_visible() -> None:
    assert escape_data("a\x1b[31mb\x00") == "a\\x1b[31mb\\x00"
    assert escape_property("a\u202eb") == "a\\u202eb"
    assert escape_data("caf\u00e9 \u65e5\u672c") == "caf\u00e9 \u65e5\u672c"


def test_annotation_line() -> None:
    assert annotation(CHAT) == (
        "::error file=app/llm.py,line=12,endLine=12,col=20,endColumn=30,"
        "title=halluc-check (HAL101)::`Chat` has no attribute `completion`"
        "%0Ahelp: did you mean `completions`?"
    )


def test_medium_confidence_and_warnings_are_warnings() -> None:
    medium = finding("a.py", (1, 0, 1, 1), confidence=Confidence.MEDIUM)
    warning = finding("a.py", (1, 0, 1, 1), severity=Severity.WARNING)
    assert annotation(medium).startswith("::warning file=a.py,")
    assert annotation(warning).startswith("::warning file=a.py,")


def test_whole_output_annotations_then_listing_then_summary() -> None:
    results = [
        Result("app/llm.py", (CHAT,)),
        Result("broken.py", error="invalid UTF-8 at byte 12"),
        Result("ok.py"),
    ]
    assert github(results).splitlines() == [
        "::error file=app/llm.py,line=12,endLine=12,col=20,endColumn=30,"
        "title=halluc-check (HAL101)::`Chat` has no attribute `completion`"
        "%0Ahelp: did you mean `completions`?",
        "::error file=broken.py,title=halluc-check::could not check: invalid UTF-8 at byte 12",
        "app/llm.py:12:20: HAL101 `Chat` has no attribute `completion`"
        " (help: did you mean `completions`?)",
        "broken.py: error: could not check: invalid UTF-8 at byte 12",
        "Found 1 hallucinated reference in 1 of 3 files (HAL101 \u00d71). 1 file could not be checked.",
    ]


def test_clean_run_is_only_the_summary() -> None:
    assert github([Result("a.py")]) == "All checks passed!\n"


def test_every_annotation_is_emitted_beyond_githubs_limit() -> None:
    findings = tuple(finding("a.py", (n, 0, n, 1)) for n in range(1, 26))
    mediums = tuple(
        finding("a.py", (n, 2, n, 3), confidence=Confidence.MEDIUM) for n in range(1, 13)
    )
    lines = github([Result("a.py", findings + mediums)]).splitlines()
    assert sum(line.startswith("::error ") for line in lines) == 25
    assert sum(line.startswith("::warning ") for line in lines) == 12
    assert sum(line.startswith("a.py:") for line in lines) == 37
    assert any(line.startswith("note: GitHub shows 10 annotations") for line in lines)
    assert lines[-1].startswith("Found 37 hallucinated references in 1 of 1 file")


def test_quiet_drops_note_and_summary() -> None:
    findings = tuple(finding("a.py", (n, 0, n, 1)) for n in range(1, 12))
    lines = github([Result("a.py", findings)], summary=False).splitlines()
    assert len(lines) == 22
    assert not any(line.startswith(("note:", "Found")) for line in lines)


HOSTILE_PATHS = [
    "dir with spaces/a b.py",
    "100%/x%0A.py",
    "a:b,c=d.py",
    "new\nline.py",
    "cr\rreturn.py",
    "\u00e9t\u00e9/\u65e5\u672c.py",
    "::error file=x::injected.py",
    "  ##[error]old-style.py",
]
HOSTILE_MESSAGES = [
    "plain `name`",
    "line one\n::error file=evil.py::injected",
    "100% sure: a, b",
    "\r\n%0A%25",
    "\x1b[31mred\x1b[0m \u202eevil\u2028sep",
]


@pytest.mark.parametrize("path", HOSTILE_PATHS)
@pytest.mark.parametrize("message", HOSTILE_MESSAGES)
def test_hostile_paths_and_messages_round_trip(path: str, message: str) -> None:
    text = github([Result(path, (finding(path, (3, 4, 3, 9), message=message),))])
    lines = text.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == 1
    name, properties, parsed = parse_command(commands[0])
    assert name == "error"
    assert properties["file"] == path
    assert properties["line"] == "3" and properties["col"] == "5"
    assert properties["title"] == "halluc-check (HAL101)"
    safe = message.replace("\x1b", "\\x1b").replace("\u202e", "\\u202e")
    assert parsed == safe.replace("\u2028", "\\u2028")
    assert lines[-1].startswith("Found 1 hallucinated reference")
    assert not any(line.lstrip().startswith("##[") for line in lines)
    for char in text.replace("\n", ""):
        assert unicodedata.category(char) not in {"Cc", "Cs", "Zl", "Zp"}, repr(char)


def test_unencodable_characters_are_escaped_for_the_stream() -> None:
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="ascii", errors="strict", newline="\n")
    path = "\u00e9t\u00e9.py"
    render([Result(path, (finding(path, (1, 0, 1, 1), message="\u65e5 \u00d7"),))], "github", out)
    out.flush()
    text = raw.getvalue().decode("ascii")
    assert "::error file=\\xe9t\\xe9.py," in text
    assert "::\\u65e5 \\xd7" in text
    assert text.splitlines()[-1].endswith("(HAL101 x1).")


def test_absolute_paths_inside_the_working_directory_become_relative(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    inside = str(tmp_path / "pkg" / "mod.py")
    assert annotation(finding(inside, (1, 0, 1, 1))).startswith("::error file=pkg/mod.py,")
