"""Source text and ``ast`` positions -> character offsets, spans, and the written extent of
names and parenthesised expressions.

``ast`` columns are UTF-8 byte offsets; every report counts characters (code points).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Any

from ..model import Span
from ..text import LINE_BREAK, split_lines

_WORD = re.compile(r"\w+")
_GAP = r"(?:[ \t\f]|\\(?:\r\n|\r|\n))*"
_DOTTED_NAME = re.compile(rf"\w+(?:{_GAP}\.{_GAP}\w+)*")
_SPACE = " \t\f\r\n\\"


class SourceText:
    """Positions in the source: ast's (line, UTF-8 byte column) as character offsets and back.

    Lines end where Python's tokenizer ends them (``\\n``, ``\\r\\n``, ``\\r``), so line numbers
    agree with ast's and with every report's.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.lines = split_lines(source)
        self.starts = [0, *(match.end() for match in LINE_BREAK.finditer(source))]

    def column(self, line: int, byte_column: int) -> int:
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if text.isascii():
            return byte_column
        return len(text.encode("utf-8")[:byte_column].decode("utf-8", errors="replace"))

    def offset(self, line: int, byte_column: int) -> int:
        return self.starts[min(line, len(self.starts)) - 1] + self.column(line, byte_column)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1]

    def start(self, node: Any) -> int:
        return self.offset(node.lineno, node.col_offset)

    def end(self, node: Any) -> int:
        return self.offset(node.end_lineno, node.end_col_offset)

    def span(self, start: int, end: int) -> Span:
        return Span(*self.position(start), *self.position(end))

    def word_end(self, start: int, length: int) -> int:
        """The end of the identifier written at ``start``; ``length`` code points if there is none
        (ast gives names NFKC-normalised, the source has them as written)."""
        word = _WORD.match(self.source, start)
        return word.end() if word else start + length

    def dotted_span(self, start: int) -> Span:
        """The dotted name written at ``start`` (``os . path``, line continuations included)."""
        found = _DOTTED_NAME.match(self.source, start)
        return self.span(start, found.end() if found else start + 1)

    def skip_forward(self, index: int, limit: int) -> int:
        """The first index at or after ``index`` that is code: not blank, not a comment, not a
        line continuation."""
        source = self.source
        while index < limit:
            char = source[index]
            if char == "#":
                found = LINE_BREAK.search(source, index, limit)
                index = found.start() if found else limit
            elif char in _SPACE:
                index += 1
            else:
                break
        return index

    def with_parentheses(self, node: Any, low: int = 0, high: int | None = None) -> tuple[int, int]:
        """``node``'s start and end offsets including the parentheses that enclose exactly it
        (``(a).b``: the base is ``(a)``), never reaching outside ``low``..``high``."""
        source = self.source
        high = len(source) if high is None else high
        start, end = self.start(node), self.end(node)
        while True:
            after = self.skip_forward(end, high)
            if after >= high or source[after] != ")":
                return start, end
            before = start - 1
            while before >= low and source[before] in _SPACE:
                before -= 1
            if before < low or source[before] != "(":
                return start, end
            start, end = before, after + 1


__all__: Sequence[str] = ("SourceText",)
