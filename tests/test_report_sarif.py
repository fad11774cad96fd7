"""The ``sarif`` reporter: valid against the official SARIF 2.1.0 schema, GitHub's required fields."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from halluc_check.model import Confidence, Finding, Result, Severity, Span, Suggestion
from halluc_check.report import render
from halluc_check.report.json import tool_version
from halluc_check.report.sarif import SARIF_SCHEMA, build_log, region
from halluc_check.rules import RULES

SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)

# RFC 3986 characters only, percent signs only as %XX: no spaces, raw Unicode or control characters.
_URI_REFERENCE = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:" + _URI_REFERENCE.pattern)

FORMATS = jsonschema.FormatChecker()
FORMATS.checks("uri")(lambda value: not isinstance(value, str) or bool(_URI.fullmatch(value)))
FORMATS.checks("uri-reference")(
    lambda value: not isinstance(value, str) or bool(_URI_REFERENCE.fullmatch(value))
)
VALIDATOR = jsonschema.Draft4Validator(SCHEMA, format_checker=FORMATS)


def sarif(results: list[Result], **options: Any) -> dict[str, Any]:
    """Render through the public ``render``, check the text, validate and parse it."""
    out = io.StringIO()
    render(results, "sarif", out, **options)
    text = out.getvalue()
    assert text.endswith("}\n") and text.isascii()
    log: dict[str, Any] = json.loads(text)
    VALIDATOR.validate(log)
    return log


def finding(path: str, span: tuple[int, int, int, int], **fields: Any) -> Finding:
    fields.setdefault("code", "HAL101")
    fields.setdefault("rule", "unresolved-attribute")
    fields.setdefault("message", "`x` has no attribute `y`")
    return Finding(path=path, span=Span(*span), **fields)


SOURCE = "import openai\nclient = openai.OpenAI()\nr = client.chat.completion.create()\n"
CHAT = finding(
    "app/llm.py",
    (3, 16, 3, 26),
    message="`Chat` has no attribute `completion`",
    suggestions=(Suggestion("did you mean `completions`?", "completions", Span(3, 16, 3, 26)),),
    symbol="openai.resources.chat.Chat",
    expression="client.chat.completion",
    package="openai 1.99.0",
)


def run_of(log: dict[str, Any]) -> dict[str, Any]:
    assert len(log["runs"]) == 1
    run: dict[str, Any] = log["runs"][0]
    return run


def test_log_skeleton_and_driver() -> None:
    log = sarif([Result("app/llm.py", (CHAT,), source=SOURCE)])
    assert log["$schema"] == SARIF_SCHEMA
    assert log["version"] == "2.1.0"
    driver = run_of(log)["tool"]["driver"]
    assert driver["name"] == "halluc-check"
    assert driver["version"] == tool_version()
    assert driver["informationUri"].startswith("https://")
    assert [rule["id"] for rule in driver["rules"]] == [rule.code for rule in RULES]
    for described, rule in zip(driver["rules"], RULES, strict=True):
        assert described["name"] == rule.name
        assert described["shortDescription"]["text"] == rule.summary
        assert described["fullDescription"]["text"]
        assert "\n" not in described["fullDescription"]["text"]
        assert described["help"]["markdown"] == rule.docs
        assert described["help"]["text"]
        assert described["helpUri"].startswith("https://")
        assert described["defaultConfiguration"]["level"] == rule.severity.value
        assert described["properties"]["precision"] in {"very-high", "high", "medium", "low"}
        assert "hallucination" in described["properties"]["tags"]
        assert len(described["properties"]["tags"]) <= 20


def test_full_description_is_the_what_it_does_section() -> None:
    driver = run_of(sarif([]))["tool"]["driver"]
    attribute = next(rule for rule in driver["rules"] if rule["id"] == "HAL101")
    assert attribute["fullDescription"]["text"].startswith("Reports `receiver.name` where")
    assert "Why is this bad" not in attribute["fullDescription"]["text"]


def test_result_fields(tmp_path: Path) -> None:
    path = str(tmp_path / "app" / "llm.py")
    result = Result(path, (replace(CHAT, path=path),), source=SOURCE)
    log = build_log([result], base=tmp_path)
    VALIDATOR.validate(log)
    run = run_of(log)
    (only,) = run["results"]
    assert only["ruleId"] == "HAL101"
    assert run["tool"]["driver"]["rules"][only["ruleIndex"]]["id"] == "HAL101"
    assert only["level"] == "error"
    assert only["message"]["text"] == (
        "`Chat` has no attribute `completion`\nhelp: did you mean `completions`?"
    )
    (location,) = only["locations"]
    physical = location["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "app/llm.py", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {"startLine": 3, "startColumn": 17, "endLine": 3, "endColumn": 27}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    assert run["columnKind"] == "unicodeCodePoints"
    assert re.fullmatch(r"[0-9a-f]{16}:1", only["partialFingerprints"]["primaryLocationLineHash"])
    assert only["properties"] == {
        "confidence": "high",
        "symbol": "openai.resources.chat.Chat",
        "expression": "client.chat.completion",
        "package": "openai 1.99.0",
    }


def test_suggestions_become_fixes() -> None:
    (only,) = run_of(sarif([Result("app/llm.py", (CHAT,), source=SOURCE)]))["results"]
    (fix,) = only["fixes"]
    assert fix["description"]["text"] == "did you mean `completions`?"
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"] == {"uri": "app/llm.py", "uriBaseId": "%SRCROOT%"}
    (replacement,) = change["replacements"]
    assert replacement == {
        "deletedRegion": {"startLine": 3, "startColumn": 17, "endLine": 3, "endColumn": 27},
        "insertedContent": {"text": "completions"},
    }


def test_medium_confidence_and_warnings_are_warning_level() -> None:
    medium = finding("a.py", (1, 0, 1, 1), confidence=Confidence.MEDIUM)
    warning = finding("a.py", (2, 0, 2, 1), severity=Severity.WARNING)
    log = sarif([Result("a.py", (medium, warning))])
    assert [r["level"] for r in run_of(log)["results"]] == ["warning", "warning"]
    assert run_of(log)["results"][0]["properties"]["confidence"] == "medium"


def test_fingerprint_survives_edits_above_and_depends_on_line_text() -> None:
    moved_source = "# a comment\n\n\n" + SOURCE
    moved = finding("app/llm.py", (6, 16, 6, 26), message=CHAT.message)
    before = run_of(sarif([Result("app/llm.py", (CHAT,), source=SOURCE)]))["results"][0]
    after = run_of(sarif([Result("app/llm.py", (moved,), source=moved_source)]))["results"][0]
    key = "primaryLocationLineHash"
    assert before["partialFingerprints"][key] == after["partialFingerprints"][key]
    shifted = replace(CHAT, span=Span(3, 18, 3, 28))
    reindented = Result("app/llm.py", (shifted,), source=SOURCE.replace("r = ", "r  =  "))
    changed_spacing = run_of(sarif([reindented]))["results"][0]
    assert changed_spacing["partialFingerprints"][key] == before["partialFingerprints"][key]
    other_path = run_of(
        sarif([Result("app/other.py", (finding("app/other.py", (3, 16, 3, 26)),), source=SOURCE)])
    )
    assert (
        other_path["results"][0]["partialFingerprints"][key] != before["partialFingerprints"][key]
    )
    edited = Result("app/llm.py", (CHAT,), source=SOURCE.replace("create()", "create(x)"))
    assert (
        run_of(sarif([edited]))["results"][0]["partialFingerprints"][key]
        != (before["partialFingerprints"][key])
    )


def test_identical_findings_get_distinct_fingerprints() -> None:
    source = "import json\njson.lodas(1); json.lodas(2)\n"
    first = finding("a.py", (2, 5, 2, 10))
    second = finding("a.py", (2, 20, 2, 25))
    other = finding("a.py", (2, 20, 2, 25), code="HAL002", rule="unresolved-import-name")
    results = run_of(sarif([Result("a.py", (first, second, other), source=source)]))["results"]
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in results]
    assert [r["ruleId"] for r in results] == ["HAL101", "HAL002", "HAL101"]
    hashes = [hashes[0], hashes[2], hashes[1]]
    assert hashes[0].endswith(":1") and hashes[1].endswith(":2")
    assert hashes[0].split(":")[0] == hashes[1].split(":")[0]
    assert len(set(hashes)) == 3


def test_files_not_checked_are_tool_notifications() -> None:
    log = sarif([Result("broken.py", error="invalid UTF-8 at byte 12"), Result("ok.py")])
    (invocation,) = run_of(log)["invocations"]
    assert invocation["executionSuccessful"] is True
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert note["message"]["text"] == "could not check: invalid UTF-8 at byte 12"
    artifact = note["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "broken.py", "uriBaseId": "%SRCROOT%"}
    assert run_of(log)["results"] == []


def test_empty_run_is_valid() -> None:
    run = run_of(sarif([]))
    assert run["results"] == []
    assert run["invocations"][0]["toolExecutionNotifications"] == []


def test_paths_outside_the_base_get_file_uris(tmp_path: Path) -> None:
    outside = tmp_path.parent / "elsewhere" / "x.py"
    log = build_log([Result(str(outside), (finding(str(outside), (1, 0, 1, 1)),))], base=tmp_path)
    VALIDATOR.validate(log)
    artifact = run_of(log)["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": outside.as_uri()}


HOSTILE_PATHS = [
    "dir with spaces/a b.py",
    "100%/x%41.py",
    "a:b,c.py",
    "new\nline.py",
    "\u00e9t\u00e9/\u65e5\u672c.py",
    "esc\x1b[31m.py",
    "bad\udcff.py",
    "q?#[x].py",
]


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_hostile_paths_make_valid_uris(path: str) -> None:
    result = Result(path, (finding(path, (1, 0, 1, 1)),), source="x.y\n")
    log = sarif([result, Result(path + ".err", error="bad\x00")])
    artifact = run_of(log)["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact["uriBaseId"] == "%SRCROOT%"
    assert _URI_REFERENCE.fullmatch(artifact["uri"])


def test_hostile_messages_stay_valid_json() -> None:
    hostile = finding(
        "a.py",
        (1, 0, 1, 3),
        message='`\x1b[2J` has no "attribute" `\u202e\ud800`\n\r\t\\',
        label="\x00",
        notes=("\x07",),
        symbol="\udcff",
        expression="a\u2028b",
        suggestions=(Suggestion("\x1b]8;;", "\ud83d", Span(1, 0, 1, 3)),),
    )
    log = sarif([Result("a.py", (hostile,), source="\x1b[2J.y  \u202e\n")])
    (only,) = run_of(log)["results"]
    assert only["message"]["text"].startswith('`\x1b[2J` has no "attribute" `\u202e\ufffd`\n\r\t\\')
    assert only["properties"]["symbol"] == "\ufffd"
    assert only["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"] == {
        "text": "\ufffd"
    }


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        (Span(3, 4, 3, 9), (3, 5, 3, 10)),
        (Span(0, -1, 0, -1), (1, 1, 1, 1)),
        (Span(5, 9, 5, 2), (5, 10, 5, 10)),
        (Span(5, 9, 4, 2), (5, 10, 5, 10)),
        (Span(2, 4, 3, 0), (2, 5, 3, 1)),
    ],
)
def test_regions_are_one_based_and_never_inverted(
    span: Span, expected: tuple[int, int, int, int]
) -> None:
    got = region(span)
    assert (got["startLine"], got["startColumn"], got["endLine"], got["endColumn"]) == expected


def test_results_are_sorted_and_rule_index_matches_for_every_rule() -> None:
    findings = tuple(
        finding("a.py", (index + 1, 0, index + 1, 1), code=rule.code, rule=rule.name)
        for index, rule in enumerate(reversed(RULES))
    )
    log = sarif([Result("a.py", findings, source="x\n" * len(RULES))])
    run = run_of(log)
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in run["results"]
    ] == [index + 1 for index in range(len(RULES))]


def test_unknown_rule_code_has_no_rule_index() -> None:
    log = sarif([Result("a.py", (finding("a.py", (1, 0, 1, 1), code="HAL777", rule="future"),))])
    (only,) = run_of(log)["results"]
    assert only["ruleId"] == "HAL777" and "ruleIndex" not in only
