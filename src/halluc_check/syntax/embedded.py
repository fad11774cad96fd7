"""Markdown and notebook text -> one virtual Python module, and the way back to the real lines.

The ``python``/``py`` fenced blocks of a Markdown document (or the code cells of a notebook)
form one module in order, so later blocks see earlier imports. A block that does not parse on
its own (prose, ``...`` placeholders, shell sessions) is left out with a note; doctest-style
blocks keep only their ``>>>``/``...`` source lines. In notebooks, IPython magics and shell
escapes are blanked and cell magics skip their cell.
"""

from __future__ import annotations

import bisect
import json
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field

from .parse import parse_python

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)$")
_PYTHON_INFO = frozenset({"python", "py", "python3", "py3", "pycon", "ipython", "ipython3"})


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a line of the virtual module comes from."""

    line: int
    """The line in the real file (Markdown), or in the cell (notebooks), 1-based."""
    column_offset: int = 0
    block: int = 0
    """The 1-based block (Markdown) or cell (notebook) number."""
    file_line: int | None = None
    """Notebooks: the line of the ``.ipynb`` text where this source line is written."""


@dataclass(slots=True)
class Embedded:
    code: str = ""
    origins: list[Origin] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    blocks: int = 0
    shown: str = ""
    """``code`` line for line as written: notebook magics and shell escapes not blanked."""

    def add(self, lines: list[str], origins: list[Origin], shown: list[str] | None = None) -> None:
        self.code += _joined(lines)
        self.shown += _joined(lines if shown is None else shown)
        self.origins.extend(origins)

    def origin(self, line: int) -> Origin | None:
        return self.origins[line - 1] if 0 < line <= len(self.origins) else None


def _joined(lines: list[str]) -> str:
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _parses(source: str) -> str | None:
    try:
        parse_python(source)
    except SyntaxError as exc:
        return f"{exc.msg} (line {exc.lineno})"
    except (ValueError, RecursionError, MemoryError) as exc:
        return str(exc)
    return None


def _doctest_source(lines: list[str]) -> tuple[list[str], list[int]] | None:
    """The source lines of a ``>>>`` session and their indexes, or None if it is not one."""
    kept: list[str] = []
    indexes: list[int] = []
    for index, line in enumerate(lines):
        stripped = line.lstrip()
        if (
            stripped.startswith(">>> ")
            or stripped.rstrip() == ">>>"
            or ((stripped.startswith("... ") or stripped.rstrip() == "...") and kept)
        ):
            kept.append(stripped[4:])
            indexes.append(index)
    return (kept, indexes) if kept else None


def _fenced_blocks(lines: list[str]) -> Iterator[tuple[str, int, int, str]]:
    """The fenced blocks of Markdown lines: (language, first body line index, end index, the
    fence's indentation); the body is ``lines[start:end]``."""
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if not match:
            index += 1
            continue
        fence, indent = match.group("fence"), match.group("indent")
        info = match.group("info").strip().split()
        start = index + 1
        end = start
        while end < len(lines):
            closing = lines[end].strip()
            if closing.startswith(fence[0] * len(fence)) and not closing.strip(fence[0]):
                break
            end += 1
        index = end + 1
        language = info[0].lower().lstrip("{.").rstrip("}") if info else ""
        yield language, start, end, indent


def from_markdown(text: str) -> Embedded:
    out = Embedded()
    lines = text.splitlines()
    for language, start, end, indent in _fenced_blocks(lines):
        if language not in _PYTHON_INFO:
            continue
        out.blocks += 1
        body = [
            line[len(indent) :] if line.startswith(indent) else line for line in lines[start:end]
        ]
        first_line = start + 1  # 1-based line of the block's first body line
        numbers = list(range(len(body)))
        session = _doctest_source(body)
        if session is not None:
            body, numbers = session
        dedented = textwrap.dedent("\n".join(body)).split("\n") if body else []
        shift = (len(body[0]) - len(dedented[0])) if body and dedented else 0
        problem = _parses("\n".join(dedented) + "\n")
        if problem is not None:
            out.skipped.append(
                f"python block {out.blocks} (line {first_line}) not checked: {problem}"
            )
            continue
        origins = [
            Origin(
                first_line + n,
                column_offset=len(indent) + shift + (4 if session else 0),
                block=out.blocks,
            )
            for n in numbers
        ]
        out.add(dedented, origins)
    return out


_MAGIC = re.compile(r"^\s*(%|!|\?)|^\s*\w[\w.]*\?\s*$")


def from_notebook(text: str) -> Embedded:
    out = Embedded()
    data = json.loads(text)
    cells = data.get("cells", []) if isinstance(data, dict) else []
    written = _source_lines(text)
    number = 0
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        number += 1
        source = cell.get("source", "")
        lines = source if isinstance(source, list) else str(source).splitlines(keepends=True)
        lines = [str(line).rstrip("\n") for line in lines]
        if lines and lines[0].lstrip().startswith("%%"):
            out.skipped.append(f"cell {number} not checked: cell magic {lines[0].split()[0]}")
            continue
        cleaned = ["" if _MAGIC.match(line) else line for line in lines]
        problem = _parses("\n".join(cleaned) + "\n")
        if problem is not None:
            out.skipped.append(f"cell {number} not checked: {problem}")
            continue
        places = written.get(index, [])
        origins = [
            Origin(
                n + 1, block=number, file_line=places[min(n, len(places) - 1)] if places else None
            )
            for n in range(len(cleaned))
        ]
        out.add(cleaned, origins, lines)
        out.blocks = number
    return out


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_SCALAR = re.compile(r"[^,\]}\s]*")
_JSON_SPACE = re.compile(r"\s*")


def _source_lines(text: str) -> dict[int, list[int]]:
    """Cell index -> the 1-based line of the notebook's JSON text where each string of the
    cell's ``source`` starts (one string per source line, as notebooks are written; a single
    string source gives one entry). Empty when the text cannot be scanned."""
    newlines = [i for i, char in enumerate(text) if char == "\n"]
    found: dict[int, list[int]] = {}

    def line_of(position: int) -> int:
        return bisect.bisect_right(newlines, position - 1) + 1

    def space(i: int) -> int:
        match = _JSON_SPACE.match(text, i)
        return match.end() if match else i

    def string_end(i: int) -> int:
        match = _JSON_STRING.match(text, i)
        if match is None:
            raise ValueError(f"no JSON string at {i}")
        return match.end()

    def value(i: int, path: tuple[object, ...]) -> int:
        i = space(i)
        char = text[i]
        if char == "{":
            i = space(i + 1)
            if text[i] == "}":
                return i + 1
            while True:
                end = string_end(i)
                key = json.loads(text[i:end])
                i = space(end)
                if text[i] != ":":
                    raise ValueError(f"expected ':' at {i}")
                i = space(value(i + 1, (*path, key)))
                if text[i] == "}":
                    return i + 1
                if text[i] != ",":
                    raise ValueError(f"expected ',' at {i}")
                i = space(i + 1)
        if char == "[":
            i = space(i + 1)
            if text[i] == "]":
                return i + 1
            index = 0
            while True:
                i = space(value(i, (*path, index)))
                index += 1
                if text[i] == "]":
                    return i + 1
                if text[i] != ",":
                    raise ValueError(f"expected ',' at {i}")
                i += 1
        if char == '"':
            if len(path) in (3, 4) and path[0] == "cells" and path[2] == "source":
                cell = path[1]
                assert isinstance(cell, int)
                found.setdefault(cell, []).append(line_of(i))
            return string_end(i)
        match = _JSON_SCALAR.match(text, i)
        return match.end() if match and match.end() > i else i + 1

    try:
        value(0, ())
    except (IndexError, ValueError, RecursionError):
        return {}
    return found


_SHELL_INFO = frozenset({"bash", "sh", "shell", "console", "zsh", "shell-session", "powershell"})


def shell_blocks(text: str) -> list[tuple[int, int, str]]:
    """The shell (``bash``, ``sh``, ``shell``, ``console``) fenced blocks of a Markdown document:
    (1-based line of the block's first body line, the fence's indentation, the body without it)."""
    blocks: list[tuple[int, int, str]] = []
    lines = text.splitlines()
    for language, start, end, indent in _fenced_blocks(lines):
        if language in _SHELL_INFO:
            body = [line.removeprefix(indent) for line in lines[start:end]]
            blocks.append((start + 1, len(indent), "\n".join(body)))
    return blocks
