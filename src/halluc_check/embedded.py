"""Markdown and notebook text -> one virtual Python module, and the way back to the real lines.

The ``python``/``py`` fenced blocks of a Markdown document (or the code cells of a notebook)
form one module in order, so later blocks see earlier imports. A block that does not parse on
its own (prose, ``...`` placeholders, shell sessions) is left out with a note; doctest-style
blocks keep only their ``>>>``/``...`` source lines. In notebooks, IPython magics and shell
escapes are blanked and cell magics skip their cell.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass, field

from .sources import parse_python

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


def from_markdown(text: str) -> Embedded:
    out = Embedded()
    lines = text.splitlines()
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
    number = 0
    for cell in cells:
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
        out.add(cleaned, [Origin(n + 1, block=number) for n in range(len(cleaned))], lines)
        out.blocks = number
    return out
