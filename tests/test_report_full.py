"""Exact-string goldens for the ``full`` reporter (colour off, width 100).

Goldens live in ``tests/snapshots/full_*.txt``; ``HALLUC_UPDATE_SNAPSHOTS=1 pytest`` rewrites them.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import pytest

from halluc_check.model import Confidence, Finding, Result, Severity, Span, Suggestion
from halluc_check.report import REPORTERS, render
from halluc_check.report._summary import Summary, summary_sentence
from halluc_check.report._text import Escaper, slice_cells
from halluc_check.text import split_lines

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("HALLUC_UPDATE_SNAPSHOTS") == "1"
SGR = re.compile(r"\x1b\[[0-9;]*m")


def assert_snapshot(name: str, actual: str) -> None:
    path = SNAPSHOTS / f"{name}.txt"
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    if not path.exists():
        pytest.fail(f"missing snapshot {path}: run with HALLUC_UPDATE_SNAPSHOTS=1")
    assert actual == path.read_text(encoding="utf-8")


def full(results: list[Result], **options: Any) -> str:
    out = io.StringIO()
    options.setdefault("width", 100)
    render(results, "full", out, **options)
    return out.getvalue()


def finding(path: str, span: tuple[int, int, int, int], **fields: Any) -> Finding:
    fields.setdefault("code", "HAL101")
    fields.setdefault("rule", "unresolved-attribute")
    fields.setdefault("message", "`x` has no attribute `y`")
    return Finding(path=path, span=Span(*span), **fields)


def suggest(message: str, replacement: str, span: tuple[int, int, int, int]) -> Suggestion:
    return Suggestion(message=message, replacement=replacement, span=Span(*span))


LLM_SOURCE = "\n".join(
    [
        '"""Chat helper."""',
        "",
        "from __future__ import annotations",
        "",
        "from openai import OpenAI",
        "",
        "",
        "def ask(msgs: list[dict[str, str]]) -> str:",
        '    """Ask once."""',
        "",
        "client = OpenAI()",
        'resp = client.chat.completion.create(model="gpt-4o", messages=msgs)',
        "",
    ]
)

CHAT_FINDING = finding(
    "app/llm.py",
    (12, 19, 12, 29),
    message="`Chat` has no attribute `completion`",
    label="not found on `openai.resources.chat.Chat`",
    notes=("`client` inferred as `openai.OpenAI` (openai 1.99.0)",),
    suggestions=(suggest("did you mean `completions`?", "completions", (12, 19, 12, 29)),),
    symbol="openai.resources.chat.Chat",
    expression="client.chat.completion",
    package="openai 1.99.0",
)


def test_finding_with_suggestion_and_notes() -> None:
    expected = """\
error[HAL101]: `Chat` has no attribute `completion`
  --> app/llm.py:12:20
   |
11 | client = OpenAI()
12 | resp = client.chat.completion.create(model="gpt-4o", messages=msgs)
   |                    ^^^^^^^^^^ not found on `openai.resources.chat.Chat`
   |
   = note: `client` inferred as `openai.OpenAI` (openai 1.99.0)
help: did you mean `completions`?
   |
12 | resp = client.chat.completions.create(model="gpt-4o", messages=msgs)
   |                    ~~~~~~~~~~~

Found 1 hallucinated reference in 1 of 1 file (HAL101 \u00d71).
"""
    assert full([Result("app/llm.py", (CHAT_FINDING,), source=LLM_SOURCE)]) == expected


def test_clean_run() -> None:
    assert full([Result("a.py", source="x = 1\n"), Result("b.py")]) == "All checks passed!\n"


def test_clean_run_with_nothing_checked() -> None:
    assert full([]) == "All checks passed!\n"


def test_first_line_has_no_context_line() -> None:
    result = Result(
        "bot.py",
        (
            finding(
                "bot.py",
                (1, 7, 1, 15),
                code="HAL001",
                rule="unresolved-import",
                message="no module named `telegraf`",
                label="not installed, not in the standard library, not in this project",
            ),
        ),
        source="import telegraf\n\nbot = telegraf.Bot()\n",
    )
    assert_snapshot("full_first_line", full([result]))


def test_two_findings_in_one_file_are_sorted() -> None:
    source = "import json\nimport os\n\njson.lodas('{}')\nos.path.exist('a')\n"
    later = finding(
        "util.py",
        (5, 8, 5, 13),
        message="module `os.path` has no attribute `exist`",
        label="not found on `posixpath`",
        suggestions=(suggest("did you mean `exists`?", "exists", (5, 8, 5, 13)),),
    )
    earlier = finding(
        "util.py",
        (4, 5, 4, 10),
        message="module `json` has no attribute `lodas`",
        label="not found on `json`",
        suggestions=(suggest("did you mean `loads`?", "loads", (4, 5, 4, 10)),),
    )
    other = finding(
        "main.py",
        (1, 17, 1, 21),
        code="HAL002",
        rule="unresolved-import-member",
        message="module `json` has no member `lods`",
        label="not found in `json`",
    )
    results = [
        Result("util.py", (later, earlier), source=source),
        Result("main.py", (other,), source="from json import lods\n"),
        Result("clean.py", source="pass\n"),
    ]
    assert_snapshot("full_two_findings_one_file", full(results))


def test_gutter_follows_the_largest_line_number() -> None:
    source = "import math\n" + "".join(f"value_{n} = math.pi\n" for n in range(2, 9))
    source += "math.tauu\nmath.sine(1)\nmath.cosine(1)\n"
    results = [
        Result(
            "trig.py",
            (
                finding("trig.py", (10, 5, 10, 9), message="module `math` has no attribute `sine`"),
                finding(
                    "trig.py", (11, 5, 11, 11), message="module `math` has no attribute `cosine`"
                ),
                finding(
                    "trig.py",
                    (9, 5, 9, 9),
                    message="module `math` has no attribute `tauu`",
                    suggestions=(suggest("did you mean `tau`?", "tau", (9, 5, 9, 9)),),
                ),
            ),
            source=source,
        )
    ]
    output = full(results)
    assert " --> trig.py:9:6\n  |\n8 | value_8 = math.pi\n9 | math.tauu\n" in output
    assert "  --> trig.py:10:6\n   |\n 9 | math.tauu\n10 | math.sine(1)\n" in output
    assert_snapshot("full_gutter_widths", output)


def test_tab_indented_line() -> None:
    source = "import os\n\nif True:\n\tif os.sep:\n\t\tos.pth.join('a', 'b')\n"
    result = Result(
        "tabs.py",
        (
            finding(
                "tabs.py",
                (5, 5, 5, 8),
                message="module `os` has no attribute `pth`",
                label="not found on `os`",
                suggestions=(suggest("did you mean `path`?", "path", (5, 5, 5, 8)),),
            ),
        ),
        source=source,
    )
    output = full([result])
    assert "\t" not in output
    assert "5 |         os.pth.join('a', 'b')\n  |            ^^^ not found on `os`\n" in output
    assert_snapshot("full_tab_indented", output)


HOSTILE_SOURCE = (
    "import os\n"
    "banner = '\x1b[31m[red]alert[/red]\x1b[0m\x00'; os.getcwdd()\n"
    "x = 1  # \u202ereversed\u202c\n"
)
HOSTILE_COLUMN = HOSTILE_SOURCE.splitlines()[1].index("getcwdd")
HOSTILE_SPAN = (2, HOSTILE_COLUMN, 2, HOSTILE_COLUMN + 7)
HOSTILE_RESULT = Result(
    "[red]evil[/red].py",
    (
        finding(
            "[red]evil[/red].py",
            HOSTILE_SPAN,
            message="module `os` has no attribute `getcwdd` \x1b[2J[bold]",
            label="not\rfound [blink]",
            notes=("a note with a NUL \x00 and a bell \x07",),
            suggestions=(suggest("did you mean `getcwd`? [/]", "getcwd", HOSTILE_SPAN),),
        ),
        finding("[red]evil[/red].py", (3, 10, 3, 18), message="bidi \u202e in message"),
    ),
    source=HOSTILE_SOURCE,
)


def test_hostile_text_is_escaped_not_interpreted() -> None:
    output = full([HOSTILE_RESULT])
    assert not any(ord(char) < 0x20 and char != "\n" for char in output)
    assert "\u202e" not in output
    assert "\\x1b[31m[red]alert[/red]\\x1b[0m\\x00" in output
    assert "[red]evil[/red].py" in output
    assert_snapshot("full_hostile", output)


def test_hostile_text_with_colour_only_adds_styles() -> None:
    coloured = full([HOSTILE_RESULT], color=True)
    assert SGR.search(coloured)
    assert SGR.sub("", coloured) == full([HOSTILE_RESULT])


def test_not_checked_results_and_summary() -> None:
    results = [
        Result("ok.py", source="x = 1\n"),
        Result("broken.py", error="jedi crashed: RecursionError\nwhile inferring `client`"),
        Result("binary.py", error="invalid UTF-8 at byte 12"),
        Result(
            "app/llm.py",
            (CHAT_FINDING,),
            source=LLM_SOURCE,
        ),
    ]
    output = full(results, files_checked=7)
    assert output.endswith(
        "Found 1 hallucinated reference in 1 of 7 files (HAL101 \u00d71)."
        " 2 files could not be checked.\n"
    )
    assert_snapshot("full_not_checked", output)


def test_not_checked_only() -> None:
    output = full([Result("a.py", source=""), Result("b.py", error="permission denied")])
    assert output == (
        "error: could not check b.py: permission denied\n"
        "\n"
        "All checks passed! 1 file could not be checked.\n"
    )


def test_warning_medium_confidence_without_source() -> None:
    result = Result(
        "gen.py",
        (
            finding(
                "gen.py",
                (3, 4, 3, 9),
                severity=Severity.WARNING,
                confidence=Confidence.MEDIUM,
                message="`Settings` has no attribute `dbase`",
                symbol="app.config.Settings",
                package="app-config 2.0.1",
            ),
        ),
    )
    assert full([result]) == (
        "warning[HAL101]: `Settings` has no attribute `dbase`\n"
        " --> gen.py:3:5\n"
        "  = note: `app.config.Settings` from app-config 2.0.1\n"
        "  = note: reported at medium confidence\n"
        "\n"
        "Found 1 hallucinated reference in 1 of 1 file (HAL101 \u00d71).\n"
    )


def test_package_note_without_symbol() -> None:
    result = Result("a.py", (finding("a.py", (1, 0, 1, 1), package="openai 1.99.0"),))
    assert "  = note: checked against openai 1.99.0\n" in full([result])


def test_package_note_is_not_repeated_when_the_label_says_it() -> None:
    said = finding(
        "a.py",
        (1, 17, 1, 21),
        label="not defined in `json` (Python 3.11 standard library)",
        symbol="json",
        package="Python 3.11 standard library",
    )
    output = full([Result("a.py", (said,), source="from json import lods\n")])
    assert "note" not in output


def test_multiline_span_wide_characters_and_multiline_suggestion() -> None:
    source = "名前 = '日本語'; os.pathh\nos.walkk(\n    'a')\nos.getcwd(1)\n"
    result = Result(
        "wide.py",
        (
            finding(
                "wide.py",
                (1, 15, 1, 20),
                label="not found on `os`",
                suggestions=(suggest("did you mean `path`?", "path", (1, 15, 1, 20)),),
            ),
            finding(
                "wide.py",
                (2, 0, 3, 8),
                label="spans two lines",
                suggestions=(suggest("use `os.walk`", "os.walk(\n    'b'", (2, 0, 3, 7)),),
            ),
            finding(
                "wide.py",
                (4, 10, 4, 11),
                label="takes no arguments",
                suggestions=(suggest("remove the argument", "", (4, 10, 4, 11)),),
            ),
        ),
        source=source,
    )
    output = full([result])
    # 名前 and 日本語 take two cells each: 20 cells before `pathh`
    assert "1 | 名前 = '日本語'; os.pathh\n  | " + " " * 20 + "^^^^^ not found on `os`\n" in output
    assert_snapshot("full_wide_and_multiline", output)


LONG_LINE = "values = [" + ", ".join(f"item_{n}" for n in range(40)) + "]; os.pathh.join(a, b)"


@pytest.mark.parametrize("width", [80, 100])
def test_long_line_is_trimmed_around_the_span(width: int) -> None:
    column = LONG_LINE.index("pathh")
    result = Result(
        "long.py",
        (
            finding(
                "long.py",
                (2, column, 2, column + 5),
                label="not found on `os`",
                suggestions=(suggest("did you mean `path`?", "path", (2, column, 2, column + 5)),),
            ),
        ),
        source="import os\n" + LONG_LINE + "\n",
    )
    output = full([result], width=width)
    assert max(len(line) for line in output.splitlines()) <= width
    assert_snapshot(f"full_long_line_{width}", output)


def test_long_line_is_kept_whole_without_a_width_on_a_pipe() -> None:
    column = LONG_LINE.index("pathh")
    result = Result("long.py", (finding("long.py", (1, column, 1, column + 5)),), source=LONG_LINE)
    out = io.StringIO()
    render([result], "full", out)
    assert "1 | " + LONG_LINE + "\n" in out.getvalue()
    assert "  | " + " " * column + "^^^^^" in out.getvalue()


def test_spans_outside_the_source_do_not_crash() -> None:
    result = Result(
        "short.py",
        (
            finding("short.py", (9, 0, 9, 3), notes=("past the end",)),
            finding("short.py", (1, 40, 1, 2), suggestions=(suggest("", "z", (5, 0, 5, 1)),)),
        ),
        source="x = 1",
    )
    output = full([result])
    assert "1 | x = 1\n  |      ^\n" in output
    assert "help: did you mean `z`?\n" in output
    assert "9 |" not in output


def test_color_only_when_asked() -> None:
    result = [Result("app/llm.py", (CHAT_FINDING,), source=LLM_SOURCE)]
    assert "\x1b" not in full(result)
    assert "\x1b[" in full(result, color=True)


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        (
            Summary(1, 1, 1, 0, (("HAL101", 1),)),
            "Found 1 hallucinated reference in 1 of 1 file (HAL101 \u00d71).",
        ),
        (
            Summary(5, 2, 3, 0, (("HAL101", 2), ("HAL002", 1))),
            "Found 3 hallucinated references in 2 of 5 files (HAL101 \u00d72, HAL002 \u00d71).",
        ),
        (
            Summary(2, 1, 2, 1, (("HAL001", 2),)),
            "Found 2 hallucinated references in 1 of 2 files (HAL001 \u00d72). 1 file could not be checked.",
        ),
        (Summary(3, 0, 0, 0, ()), "All checks passed!"),
        (Summary(3, 0, 0, 2, ()), "All checks passed! 2 files could not be checked."),
        (
            Summary(2, 2, 5, 0, (("HAL001", 2), ("HAL301", 1), ("HAL003", 1), ("HAL302", 1))),
            "Found 2 hallucinated references, 1 missing dependency and 2 install-line problems"
            " in 2 of 2 files (HAL001 \u00d72, HAL301 \u00d71, HAL003 \u00d71, HAL302 \u00d71).",
        ),
        (
            Summary(1, 1, 2, 0, (("HAL003", 2),)),
            "Found 2 missing dependencies in 1 of 1 file (HAL003 \u00d72).",
        ),
        (
            Summary(4, 1, 1, 0, (("HAL301", 1),)),
            "Found 1 install-line problem in 1 of 4 files (HAL301 \u00d71).",
        ),
        (
            Summary(3, 2, 4, 0, (("HAL101", 3), ("HAL003", 1))),
            "Found 3 hallucinated references and 1 missing dependency in 2 of 3 files"
            " (HAL101 \u00d73, HAL003 \u00d71).",
        ),
    ],
)
def test_summary_sentence(summary: Summary, expected: str) -> None:
    assert summary_sentence(summary) == expected


def test_summary_orders_codes_by_count_then_code() -> None:
    results = [
        Result("a.py", (finding("a.py", (1, 0, 1, 1), code="HAL002"),)),
        Result(
            "b.py",
            (
                finding("b.py", (1, 0, 1, 1), code="HAL101"),
                finding("b.py", (2, 0, 2, 1), code="HAL101"),
                finding("b.py", (3, 0, 3, 1), code="HAL001"),
            ),
        ),
    ]
    assert full(results, files_checked=5).endswith(
        "Found 4 hallucinated references in 2 of 5 files"
        " (HAL101 \u00d72, HAL001 \u00d71, HAL002 \u00d71).\n"
    )


def test_stream_that_cannot_encode_unicode() -> None:
    buffer = io.BytesIO()
    out = io.TextIOWrapper(buffer, encoding="ascii", newline="\n")
    result = Result(
        "\u00e9t\u00e9.py",
        (finding("\u00e9t\u00e9.py", (1, 14, 1, 19), message="`\u00e9` missing"),),
        source="\u540d\u524d = '\ud800\u65e5'; os.pathh\n",
    )
    render([result], "full", out, width=100)
    out.flush()
    text = buffer.getvalue().decode("ascii")
    assert "--> \\xe9t\\xe9.py:1:15" in text
    assert "1 | \\u540d\\u524d = '\\ud800\\u65e5'; os.pathh\n" in text
    assert "  | " + " " * len("\\u540d\\u524d = '\\ud800\\u65e5'; os.") + "^^^^^\n" in text
    assert text.endswith("(HAL101 x1).\n")


def test_lone_surrogates_on_a_utf8_stream() -> None:
    buffer = io.BytesIO()
    out = io.TextIOWrapper(buffer, encoding="utf-8", newline="\n")
    source = "x = '\udc80'; os.pathh\n"
    render([Result("s.py", (finding("s.py", (1, 12, 1, 17)),), source=source)], "full", out)
    out.flush()
    expected = "1 | x = '\\udc80'; os.pathh\n  | " + " " * len("x = '\\udc80'; os.") + "^^^^^\n"
    assert expected in buffer.getvalue().decode()


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        render([], "xml", io.StringIO())


def test_registry() -> None:
    assert set(REPORTERS) == {"full", "concise", "json", "sarif", "github"}
    for factory in REPORTERS.values():
        out = io.StringIO()
        factory(color=False, width=80).report([Result("a.py")], out, files_checked=1)
        assert out.getvalue()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain [red] text", "plain [red] text"),
        ("\ttab", "    tab"),
        ("esc\x1b[0m", "esc\\x1b[0m"),
        ("cr\r nul\x00 del\x7f c1\x85", "cr\\x0d nul\\x00 del\\x7f c1\\x85"),
        ("bidi\u202e\u2066", "bidi\\u202e\\u2066"),
        ("sep\u2028", "sep\\u2028"),
        ("lone\udc80", "lone\\udc80"),
        ("\u65e5\u672c \u00e9 \U0001f600", "\u65e5\u672c \u00e9 \U0001f600"),
    ],
)
def test_escaper(text: str, expected: str) -> None:
    assert Escaper()(text) == expected


def test_escaper_for_latin1() -> None:
    assert Escaper("latin-1")("\u00e9\u65e5\U0001f600") == "\u00e9\\u65e5\\U0001f600"


def test_split_lines_matches_the_tokenizer() -> None:
    assert split_lines("a\r\nb\rc\nd\x0ce\u2028f") == ["a", "b", "c", "d\x0ce\u2028f"]


def test_slice_cells_pads_cut_wide_characters() -> None:
    assert slice_cells("ab\u65e5cd", 3, 6) == " cd"
    assert slice_cells("ab\u65e5cd", 0, 4) == "ab\u65e5"
