"""Results → per-rule counts (``--statistics``): a ruff-style table or a JSON list."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from halluc_check.model import Result
from halluc_check.report._style import escaper_for
from halluc_check.report._summary import sorted_errors, summary_line
from halluc_check.report.concise import error_line


@dataclass(frozen=True, slots=True)
class Statistic:
    """How often one rule fired."""

    code: str
    name: str
    count: int


def statistics(results: Sequence[Result]) -> list[Statistic]:
    """One row per rule that fired, most frequent first, ties by code."""
    counts = Counter((f.code, f.rule) for result in results for f in result.findings)
    rows = [Statistic(code, name, count) for (code, name), count in counts.items()]
    return sorted(rows, key=lambda row: (-row.count, row.code))


def write_statistics(
    results: Sequence[Result],
    out: TextIO,
    *,
    fmt: str = "text",
    summary: bool = True,
    files_checked: int | None = None,
) -> None:
    """Write the counts as a table (``text``) or a JSON list (``json``) to ``out``.

    The table is followed by the files that could not be checked and, with ``summary``, the
    summary sentence::

        6  HAL101  unresolved-attribute
        3  HAL002  unresolved-import-name
    """
    rows = statistics(results)
    if fmt == "json":
        listed = [{"code": r.code, "name": r.name, "count": r.count} for r in rows]
        out.write(json.dumps(listed, indent=2, ensure_ascii=True) + "\n")
        return
    escape = escaper_for(out)
    count_width = max((len(str(r.count)) for r in rows), default=1)
    code_width = max((len(escape(r.code)) for r in rows), default=1)
    for row in rows:
        code = escape(row.code).ljust(code_width)
        out.write(f"{row.count:>{count_width}}  {code}  {escape(row.name)}\n")
    for result in sorted_errors(results):
        out.write(error_line(result, escape).plain + "\n")
    if summary:
        out.write(summary_line(results, files_checked, escape) + "\n")
