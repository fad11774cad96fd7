"""A document and the diagnostics a client asks about -> code actions: the did-you-mean
replacement as a quick fix, and ``# noqa: CODE`` on the line to ignore it there."""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterator, Sequence
from typing import Any

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from ..model import Span
from ..text import split_lines
from .diagnostics import SOURCE, text_in, to_range

_NOQA_CODES = re.compile(
    r"#\s*noqa\s*:\s*(?P<codes>[A-Za-z]+[0-9]+(?:[ \t]*,?[ \t]*[A-Za-z]+[0-9]+)*)", re.IGNORECASE
)
_BARE_NOQA = re.compile(r"#\s*noqa(?![\w:-])", re.IGNORECASE)


def code_actions(
    uri: str,
    source: str,
    diagnostics: Sequence[types.Diagnostic],
    codec: PositionCodec,
    *,
    python: bool = True,
) -> list[types.CodeAction]:
    """The quick fixes for halluc-check's ``diagnostics`` of the document ``uri`` (now ``source``)."""
    lines = split_lines(source)
    actions: list[types.CodeAction] = []
    for diagnostic in diagnostics:
        if diagnostic.source != SOURCE or not isinstance(diagnostic.code, str):
            continue
        actions.extend(_replacements(uri, diagnostic, lines, codec))
        ignore = _ignore_action(uri, source, lines, diagnostic, codec, python=python)
        if ignore is not None:
            actions.append(ignore)
    return actions


def _replacements(
    uri: str, diagnostic: types.Diagnostic, lines: Sequence[str], codec: PositionCodec
) -> Iterator[types.CodeAction]:
    data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
    for fix in data.get("fixes") or ():
        try:
            where = _range(fix["range"])
            replacement, original = str(fix["replacement"]), str(fix["original"])
        except (KeyError, TypeError, ValueError):
            continue
        # the client's diagnostics may predate the last edit: offer the fix only while the text
        # it replaces is still there
        if _current_text(where, lines, codec) != original:
            continue
        yield types.CodeAction(
            title=f"Replace `{original}` with `{replacement}`",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[diagnostic],
            is_preferred=True,
            edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(where, replacement)]}),
        )


def _range(data: Any) -> types.Range:
    start, end = data["start"], data["end"]
    return types.Range(
        start=types.Position(line=int(start["line"]), character=int(start["character"])),
        end=types.Position(line=int(end["line"]), character=int(end["character"])),
    )


def _current_text(where: types.Range, lines: Sequence[str], codec: PositionCodec) -> str:
    if where.end.line >= len(lines):
        return ""
    start = codec.position_from_client_units(lines, where.start)
    end = codec.position_from_client_units(lines, where.end)
    return text_in(lines, Span(start.line + 1, start.character, end.line + 1, end.character))


def _ignore_action(
    uri: str,
    source: str,
    lines: Sequence[str],
    diagnostic: types.Diagnostic,
    codec: PositionCodec,
    *,
    python: bool,
) -> types.CodeAction | None:
    code = str(diagnostic.code)
    first, last = diagnostic.range.start.line + 1, diagnostic.range.end.line + 1
    edit = noqa_edit(source, first, last, code, python=python)
    if edit is None:
        return None
    row, start, end, text = edit
    where = to_range(Span(row, start, row, end), lines, codec)
    return types.CodeAction(
        title=f"Ignore {code} on this line (# noqa: {code})",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(where, text)]}),
    )


def noqa_edit(
    source: str, first: int, last: int, code: str, *, python: bool = True
) -> tuple[int, int, int, str] | None:
    """Where to write ``# noqa: CODE`` so that it silences a finding on lines ``first..last``
    (1-based), as ``(line, start column, end column, new text)``: appended to the last line
    of the span that ends in code (not inside a multi-line string, not after a backslash), or
    added to a ``# noqa: ...`` list already there. None when no line can take it."""
    lines = split_lines(source)
    open_rows, comments = _token_facts(source) if python else (set(), {})
    for row in range(min(last, len(lines)), first - 1, -1):
        if row < 1 or row in open_rows:
            continue
        line = lines[row - 1]
        if not python:
            comments = _token_facts(line + "\n")[1]
            comment = comments.get(1)
        else:
            comment = comments.get(row)
        if comment is not None:
            column, text = comment
            listed = _NOQA_CODES.search(text)
            if listed:
                end = column + listed.end("codes")
                return row, end, end, f", {code}"
            if _BARE_NOQA.search(text):
                return None  # already silences every rule on the line
            return row, len(line), len(line), f"  # noqa: {code}"
        code_part = line.rstrip()
        if not code_part or code_part.endswith("\\"):
            continue
        return row, len(code_part), len(line), f"  # noqa: {code}"
    return None


def _token_facts(source: str) -> tuple[set[int], dict[int, tuple[int, str]]]:
    """The rows a token continues past (inside a multi-line string) and each row's comment with
    its column; what was read before a tokenizer error when the code is broken."""
    open_rows: set[int] = set()
    comments: dict[int, tuple[int, str]] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                comments[token.start[0]] = (token.start[1], token.string)
            elif token.start[0] < token.end[0] and token.type not in (
                tokenize.NEWLINE,
                tokenize.NL,
            ):
                open_rows.update(range(token.start[0], token.end[0]))
    except (tokenize.TokenError, SyntaxError, ValueError):
        pass
    return open_rows, comments
