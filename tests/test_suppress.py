"""``suppress``: ``# noqa``, ``# halluc-check: ignore[...]``, file-level ignores and ``dynamic``."""

from __future__ import annotations

from typing import Any

import pytest

from halluc_check.engine.suppress import apply_dynamic, filter_result, suppressed
from halluc_check.model import Finding, Result, Span
from halluc_check.text import split_lines


def finding(line: int = 2, **fields: Any) -> Finding:
    fields.setdefault("code", "HAL101")
    fields.setdefault("rule", "unresolved-attribute")
    fields.setdefault("message", "module `json` has no attribute `lodas`")
    fields.setdefault("path", "a.py")
    end_line = fields.pop("end_line", line)
    return Finding(span=Span(line, 5, end_line, 10), **fields)


def lines_with(comment: str) -> list[str]:
    return ["import json", f"json.lodas('x')  {comment}".rstrip(), ""]


@pytest.mark.parametrize(
    "comment",
    [
        "# noqa",
        "# NOQA",
        "#noqa",
        "# noqa: HAL101",
        "# noqa:HAL101",
        "# noqa: HAL1",
        "# noqa: E501, HAL101",
        "# noqa: E501 HAL101",
        "# noqa: hal101",
        "# noqa: unresolved-attribute",
        "# noqa: HAL101 -- the attribute is added by a plugin",
        "# noqa:",
        "# noqa: see the docs",
        "# type: ignore",
        "# type: ignore[attr-defined]",
        "# halluc-check: ignore",
        "# halluc-check: ignore[]",
        "# halluc-check: ignore[HAL101]",
        "# halluc-check: ignore[unresolved-attribute]",
        "# halluc-check: ignore[HAL002, unresolved-attribute]",
        "# halluc-check: ignore[HAL002,HAL101]",
        "# halluc-check:ignore[Unresolved-Attribute]",
        "# HALLUC-CHECK: IGNORE[hal101]",
        "# pylint: disable=no-member  # noqa: HAL101",
        "# type: ignore  # some note",
    ],
)
def test_line_comments_that_suppress(comment: str) -> None:
    assert suppressed(finding(), lines_with(comment))


@pytest.mark.parametrize(
    "comment",
    [
        "",
        "# noqa: E501",
        "# noqa: HAL002",
        "# noqa: HAL0",
        "# noqa: unresolved-import",
        "# noqanotreally",
        "# halluc-check: ignore[HAL002]",
        "# halluc-check: ignore[unresolved-import-name]",
        "# halluc-check: ignore-file-not",
        "# halluc-check: ignored",
        "# type: ignored",
        "# a comment that mentions noqa in passing",
        "# mypy: ignore-errors",
    ],
)
def test_line_comments_that_do_not_suppress(comment: str) -> None:
    assert not suppressed(finding(), lines_with(comment))


def test_type_ignore_is_for_attribute_rules_only() -> None:
    lines = ["from telegram import ParseMode  # type: ignore"]
    imported = finding(1, code="HAL002", rule="unresolved-import-name")
    assert not suppressed(imported, lines)
    assert suppressed(finding(1, code="HAL101"), lines)


def test_comment_markers_inside_strings_do_not_count() -> None:
    lines = ["import json", "json.lodas('# noqa')", 'json.lodas("""', '# noqa"""); x = 1']
    assert not suppressed(finding(2), lines)
    assert not suppressed(finding(3), lines)


def test_any_line_of_a_multiline_span_may_hold_the_comment() -> None:
    lines = ["import json", "json.lodas(", "    'x'  # noqa: HAL101", ")"]
    assert suppressed(finding(2, end_line=3), lines)
    assert not suppressed(finding(2, end_line=2), lines)


def test_other_lines_do_not_count() -> None:
    lines = ["import json  # noqa", "json.lodas('x')", "x = 1  # noqa"]
    assert not suppressed(finding(2), lines)


@pytest.mark.parametrize(
    ("directive", "expected"),
    [
        ("# halluc-check: ignore-file", True),
        ("#halluc-check:ignore-file", True),
        ("# halluc-check: ignore-file[HAL101]", True),
        ("# halluc-check: ignore-file[unresolved-attribute, HAL001]", True),
        ("# halluc-check: ignore-file[HAL1]", True),
        ("# halluc-check: ignore-file[HAL002]", False),
        ("# halluc-check: ignore-file[unresolved-import]", False),
    ],
)
def test_file_level_directive(directive: str, expected: bool) -> None:
    lines = ['"""Generated."""', directive, "import json", *["pass"] * 30, "json.lodas('x')"]
    far = finding(len(lines))
    assert suppressed(far, lines) is expected


def test_file_level_directive_only_in_the_first_ten_lines() -> None:
    head = ["pass"] * 9
    assert suppressed(finding(12), [*head, "# halluc-check: ignore-file", "", "json.lodas()"])
    late = [*head, "", "# halluc-check: ignore-file", "json.lodas()"]
    assert not suppressed(finding(12), late)


def test_file_level_directive_inside_a_string_does_not_count() -> None:
    lines = ['TEXT = """', "# halluc-check: ignore-file", '"""', "json.lodas()"]
    assert not suppressed(finding(4), lines)


def test_unparsable_source_falls_back_to_the_raw_line() -> None:
    lines = ["def broken(:", "json.lodas('x')  # noqa: HAL101", "  'unterminated"]
    assert suppressed(finding(2), lines)
    assert not suppressed(finding(1), lines)


def test_out_of_range_lines_are_not_suppressed() -> None:
    assert not suppressed(finding(99), ["x = 1  # noqa"])
    assert not suppressed(finding(0), ["x = 1  # noqa"])
    assert not suppressed(finding(1), [])


def test_lines_with_line_endings_are_accepted() -> None:
    source = "import json\r\njson.lodas('x')  # noqa\r\n"
    assert suppressed(finding(2), source.splitlines(keepends=True))
    assert suppressed(finding(2), split_lines(source))


def dynamic(symbol: str | None = None, expression: str | None = None) -> Finding:
    return finding(symbol=symbol, expression=expression)


@pytest.mark.parametrize(
    ("item", "dropped"),
    [
        (dynamic(symbol="boto3.client"), True),
        (dynamic(symbol="boto3.client.S3"), True),
        (dynamic(expression='boto3.client("s3").upload_fil'), True),
        (dynamic(expression="boto3.client[0].x"), True),
        (dynamic(symbol="myproj.settings"), True),
        (dynamic(symbol="myproj.settings.Settings", expression="settings.DEBUGG"), True),
        (dynamic(symbol="boto3.clients"), False),
        (dynamic(symbol="boto3"), False),
        (dynamic(expression="myproj.settingsx.y"), False),
        (dynamic(symbol="other.boto3.client"), False),
        (dynamic(), False),
    ],
)
def test_apply_dynamic(item: Finding, dropped: bool) -> None:
    kept = apply_dynamic([item], ["boto3.client", "myproj.settings"])
    assert kept == ([] if dropped else [item])


def test_apply_dynamic_without_patterns_keeps_everything() -> None:
    items = [dynamic(symbol="boto3.client"), dynamic()]
    assert apply_dynamic(items, []) == items
    assert apply_dynamic(iter(items), [""]) == items


def test_filter_result_applies_both_and_is_idempotent() -> None:
    source = "import json\njson.lodas('x')  # halluc-check: ignore[HAL101]\njson.dumpz(1)\nx.y\n"
    silenced = finding(2)
    kept = finding(3, message="module `json` has no attribute `dumpz`", symbol="json")
    dyn = finding(4, symbol="myproj.settings.Settings")
    result = Result("a.py", (silenced, kept, dyn), source=source)
    once = filter_result(result, ["myproj.settings"])
    assert once.findings == (kept,)
    assert filter_result(once, ["myproj.settings"]) == once
    assert filter_result(Result("b.py", (kept,)), ()).findings == (kept,)
