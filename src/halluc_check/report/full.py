"""Results → rustc/ruff-style diagnostics with code frames, carets and suggestions (rich ``Text``).

::

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

Every string taken from a checked file or a finding goes through ``Escaper`` and into a ``Text``
(never markup), so ``[red]`` and ``\\x1b[31m`` in code print as themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from rich.text import Text

from halluc_check.model import Confidence, Finding, Result, Span, Suggestion
from halluc_check.report._paths import is_command_like
from halluc_check.report._style import ReporterOptions, escaper_for, is_terminal, make_console
from halluc_check.report._summary import (
    finding_key,
    help_text,
    sorted_errors,
    summary_line,
    unit_notes,
)
from halluc_check.report._text import Escaper, cells, slice_cells
from halluc_check.text import split_lines

ELLIPSIS = "..."
MIN_FIT_WIDTH = 20
"""Below this many cells for code, long lines are left to the terminal instead of being trimmed."""


class FullReporter(ReporterOptions):
    """Code frames for every finding, then one summary sentence.

    Args:
        color: emit ANSI styles (theme ``halluc.*``); plain text otherwise.
        width: console width in cells. When given (or when writing to a terminal), source lines
            wider than the console are trimmed around the span with ``...``.
        summary: end with the summary sentence.
    """

    def report(
        self, results: Sequence[Result], out: TextIO, *, files_checked: int | None = None
    ) -> None:
        """Write every finding, every file that could not be checked, and the summary to ``out``."""
        console = make_console(out, color=self.color, width=self.width)
        fit = self.width
        if fit is None and is_terminal(out):
            fit = console.width
        renderer = _FindingRenderer(escaper_for(out), fit)
        for finding, lines in _ordered(results):
            for line in renderer.render(finding, lines):
                console.print(line)
            console.print()
        errors = sorted_errors(results)
        for result in errors:
            for line in _not_checked(result, renderer.escape):
                console.print(line)
        for path, note in unit_notes(results):
            console.print(
                Text.assemble(
                    ("note", "halluc.note"), f": {renderer.escape(path)}: ", renderer.escape(note)
                )
            )
        if (errors or unit_notes(results)) and self.summary:
            console.print()
        if self.summary:
            console.print(Text(summary_line(results, files_checked, renderer.escape)))


def _ordered(results: Sequence[Result]) -> list[tuple[Finding, list[str] | None]]:
    """Findings in report order, each with the lines of the source it was found in."""
    pairs: list[tuple[Finding, list[str] | None]] = []
    for result in results:
        lines = split_lines(result.source) if result.source is not None else None
        pairs.extend((finding, lines) for finding in result.findings)
    return sorted(pairs, key=lambda pair: finding_key(pair[0]))


def _not_checked(result: Result, escape: Escaper) -> list[Text]:
    """``error: could not check <path>: <reason>``; further reason lines are indented."""
    first, *rest = split_lines(result.error or "")
    header = Text.assemble(
        ("error", "halluc.error"),
        ": could not check ",
        (escape(result.path), "halluc.path"),
        ": ",
        escape(first),
    )
    return [header, *(Text("  " + _inert(escape(line))) for line in rest)]


def _inert(line: str) -> str:
    """``line``, its first colon or hash escaped when a CI runner would read it as a command."""
    if not is_command_like(line):
        return line
    start = len(line) - len(line.lstrip())
    return line[:start] + f"\\x{ord(line[start]):02x}" + line[start + 1 :]


@dataclass(frozen=True, slots=True)
class _Marked:
    """One line of a code frame: its number, escaped text, and the cells to underline."""

    number: int
    text: str
    start: int = 0
    length: int = 0


@dataclass(frozen=True, slots=True)
class _Window:
    """The cells of a line shown when it is too wide: ``[start, start + size)``, ``None`` = all."""

    start: int = 0
    size: int | None = None

    def clip(self, text: str) -> str:
        if self.size is None or not text:
            return text
        stop = self.start + self.size
        head = ELLIPSIS if self.start > 0 else ""
        tail = ELLIPSIS if cells(text) > stop else ""
        return head + slice_cells(text, self.start, stop) + tail

    def shows(self, marked: _Marked) -> bool:
        """Whether the whole underline of ``marked`` is inside the window."""
        if self.size is None:
            return True
        return self.start <= marked.start and marked.start + marked.length <= self.start + self.size

    def place(self, start: int, length: int) -> tuple[int, int]:
        """Where an underline of ``length`` cells at ``start`` lands in the clipped line."""
        if self.size is None:
            return start, length
        head = len(ELLIPSIS) if self.start > 0 else 0
        end = min(start + length, self.start + self.size)
        return head + start - self.start, max(1, end - start)


def _window(available: int | None, marked: _Marked) -> _Window:
    """A window showing the underlined part of ``marked`` within ``available`` cells."""
    if available is None or available < MIN_FIT_WIDTH or cells(marked.text) <= available:
        return _Window()
    if marked.start + marked.length <= available - len(ELLIPSIS):
        return _Window(0, available - len(ELLIPSIS))
    size = available - 2 * len(ELLIPSIS)
    margin = min(marked.start, max(4, (size - marked.length) // 2))
    return _Window(marked.start - margin, size)


def _focus(frame: list[_Marked]) -> _Marked:
    """The line a frame is about: its first underlined line."""
    return next((marked for marked in frame if marked.length), frame[-1])


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))


@dataclass(frozen=True, slots=True)
class _Numbering:
    """How source lines are numbered in the gutter.

    Notebook findings are located in the joined code cells; the gutter shows the line in the
    cell (``shift`` lines less), and the frame stays inside the cell (from line ``top`` on).
    """

    shift: int = 0
    top: int = 1

    @staticmethod
    def of(finding: Finding) -> _Numbering:
        if finding.cell is None:
            return _Numbering()
        shift = finding.span.line - finding.cell[1]
        return _Numbering(shift, shift + 1)


def _primary_frame(
    span: Span, lines: list[str] | None, escape: Escaper, numbering: _Numbering
) -> list[_Marked]:
    """The line above (when there is one) and the finding's first line, underlined."""
    if lines is None or not 1 <= span.line <= len(lines):
        return []
    line = lines[span.line - 1]
    column = _clamp(span.column, 0, len(line))
    end = _clamp(span.end_column, column, len(line)) if span.end_line == span.line else len(line)
    before, target = escape(line[:column]), escape(line[column:end])
    number = span.line - numbering.shift
    frame = [_Marked(number, escape(line).rstrip(), cells(before), max(1, cells(target)))]
    if span.line > max(1, numbering.top):
        frame.insert(0, _Marked(number - 1, escape(lines[span.line - 2]).rstrip()))
    return frame


def _patch_frame(
    suggestion: Suggestion,
    lines: list[str] | None,
    escape: Escaper,
    numbering: _Numbering,
) -> list[_Marked]:
    """The lines under ``suggestion.span`` with the replacement applied, the new text underlined."""
    span = suggestion.span
    if lines is None or not 1 <= span.line <= span.end_line <= len(lines):
        return []
    first, last = lines[span.line - 1], lines[span.end_line - 1]
    column = _clamp(span.column, 0, len(first))
    end = _clamp(span.end_column, column if span.end_line == span.line else 0, len(last))
    head, tail = first[:column], last[end:]
    replaced = split_lines(suggestion.replacement)
    frame: list[_Marked] = []
    for index, text in enumerate(split_lines(head + suggestion.replacement + tail)):
        start = len(head) if index == 0 else 0
        before, target = escape(text[:start]), escape(text[start : start + len(replaced[index])])
        number = span.line + index - numbering.shift
        frame.append(_Marked(number, escape(text).rstrip(), cells(before), cells(target)))
    return frame


def _notes(finding: Finding) -> list[str]:
    """The finding's notes, plus where the owner comes from (unless already said) and confidence."""
    notes = list(finding.notes)
    package = finding.package
    if package and not any(package in text for text in [*notes, finding.label or ""]):
        owner = f"`{finding.symbol}` from" if finding.symbol else "checked against"
        notes.append(f"{owner} {package}")
    if finding.confidence != Confidence.HIGH:
        notes.append(f"reported at {finding.confidence.value} confidence")
    return notes


class _FindingRenderer:
    """Turns one finding and its source lines into the ``Text`` lines of its diagnostic."""

    def __init__(self, escape: Escaper, fit: int | None) -> None:
        self.escape = escape
        self.fit = fit

    def render(self, finding: Finding, lines: list[str] | None) -> list[Text]:
        numbering = _Numbering.of(finding)
        frame = _primary_frame(finding.span, lines, self.escape, numbering)
        suggestion = finding.suggestions[0] if finding.suggestions else None
        patch = _patch_frame(suggestion, lines, self.escape, numbering) if suggestion else []
        shown = [m.number for m in frame + patch] or [finding.span.line - numbering.shift]
        gutter = len(str(max(shown)))
        window, patch_window = self._windows(frame, patch, gutter)
        notes = _notes(finding)
        out = [self._header(finding), self._arrow(finding, gutter)]
        if frame:
            out.append(self._bar(gutter))
            out.extend(self._frame(frame, gutter, window, "^", "halluc.caret", finding.label))
            if notes or suggestion:
                out.append(self._bar(gutter))
        out.extend(self._note(note, gutter) for note in notes)
        if suggestion:
            out.append(self._help(suggestion))
            if patch:
                out.append(self._bar(gutter))
                out.extend(self._frame(patch, gutter, patch_window, "~", "halluc.help", None))
        return out

    def _windows(
        self, frame: list[_Marked], patch: list[_Marked], gutter: int
    ) -> tuple[_Window, _Window]:
        """Windows for both frames; the patch reuses the first one when its mark fits in it."""
        available = None if self.fit is None else self.fit - gutter - 3
        window = _window(available, _focus(frame)) if frame else _Window()
        if not patch or window.shows(_focus(patch)):
            return window, window
        return window, _window(available, _focus(patch))

    def _header(self, finding: Finding) -> Text:
        level = finding.severity.value
        return Text.assemble(
            (f"{level}[{self.escape(finding.code)}]", f"halluc.{level}"),
            ": ",
            (self.escape(finding.message), "halluc.message"),
        )

    def _arrow(self, finding: Finding, gutter: int) -> Text:
        span = finding.span
        location = f"{self.escape(finding.path)}:{span.line}:{span.column + 1}"
        if finding.cell is not None:  # notebooks: the gutter numbers the cell's lines
            cell, line = finding.cell
            location = (
                f"{self.escape(finding.path)} (cell {cell}, line {line}, column {span.column + 1})"
            )
        return Text.assemble(" " * gutter, ("-->", "halluc.gutter"), " ", (location, "halluc.path"))

    def _bar(self, gutter: int) -> Text:
        return Text.assemble(" " * (gutter + 1), ("|", "halluc.gutter"))

    def _note(self, note: str, gutter: int) -> Text:
        return Text.assemble(
            " " * (gutter + 1),
            ("=", "halluc.gutter"),
            " ",
            ("note", "halluc.note"),
            ": ",
            self.escape(note),
        )

    def _help(self, suggestion: Suggestion) -> Text:
        return Text.assemble(("help", "halluc.help"), ": ", self.escape(help_text(suggestion)))

    def _frame(
        self,
        frame: list[_Marked],
        gutter: int,
        window: _Window,
        mark: str,
        style: str,
        label: str | None,
    ) -> list[Text]:
        """Numbered code lines, each underlined where it is marked; ``label`` follows the first mark."""
        out: list[Text] = []
        for marked in frame:
            code = window.clip(marked.text)
            number = Text(f"{marked.number:>{gutter}} |", style="halluc.gutter")
            out.append(Text.assemble(number, " ", code) if code else number)
            if marked.length:
                start, length = window.place(marked.start, marked.length)
                underline = Text.assemble(
                    self._bar(gutter), " " + " " * start, (mark * length, style)
                )
                if label:
                    underline.append(" " + self.escape(label), style=style)
                    label = None
                out.append(underline)
        return out
