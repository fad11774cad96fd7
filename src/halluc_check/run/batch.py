"""A JSONL file of generations -> one Result per record, and the batch's hallucination rate.

Each line is a JSON object; ``field`` is a dotted key path to the generated text (``completion``,
``choices.0.message.content``). Text with a Markdown fence is checked as Markdown, anything else
as Python. Identical texts are checked once.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..engine.units import check_text
from ..model import Finding, Result

if TYPE_CHECKING:
    from ..engine.checker import Checker


@dataclass(slots=True)
class Batch:
    results: list[Result] = field(default_factory=list)
    records: int = 0
    unreadable: int = 0
    with_findings: int = 0
    by_code: Counter[str] = field(default_factory=Counter)
    by_package: Counter[str] = field(default_factory=Counter)

    @property
    def rate(self) -> float:
        checked = self.records - self.unreadable
        return self.with_findings / checked if checked else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "unreadable": self.unreadable,
            "records_with_hallucinations": self.with_findings,
            "hallucination_rate": round(self.rate, 4),
            "by_rule": dict(sorted(self.by_code.items())),
            "by_package": dict(sorted(self.by_package.items())),
        }

    def summary_lines(self) -> list[str]:
        checked = self.records - self.unreadable
        lines = [
            f"Records checked: {checked} of {self.records}"
            + (f" ({self.unreadable} without usable text)" if self.unreadable else ""),
            f"Records with at least one hallucination: {self.with_findings}"
            f" ({self.rate:.1%} of the records checked)",
        ]
        if self.by_code:
            lines.append(
                "By rule: " + ", ".join(f"{c} {n}" for c, n in sorted(self.by_code.items()))
            )
        if self.by_package:
            ranked = sorted(self.by_package.items(), key=lambda item: (-item[1], item[0]))
            lines.append("By package: " + ", ".join(f"{p} {n}" for p, n in ranked))
        return lines


def _field(record: Any, path: str) -> Any:
    value = record
    for key in path.split("."):
        if isinstance(value, dict) and key in value:
            value = value[key]
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            return None
    return value


def iter_records(path: Path, field_path: str) -> Iterator[tuple[int, str | None, str | None]]:
    """(record number, text, reason it has no text) for every non-blank line."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                yield number, None, f"not JSON: {exc}"
                continue
            text = _field(record, field_path)
            if not isinstance(text, str):
                yield number, None, f"no text at `{field_path}`"
                continue
            yield number, text, None


_NOT_INVENTED = frozenset({"HAL003"})
"""Codes counted per rule but not as a hallucination of the record: a real module that the
target environment lacks (HAL003) was not made up; a package that does not exist (HAL301) or a
near miss of a popular one (HAL302) in an install line was."""


def _package(finding: Finding) -> str:
    if finding.package:
        if finding.package.startswith("Python "):
            return "stdlib"
        if finding.package.startswith(("defined in", "typeshed")):
            return "project"
        return finding.package.split()[0]
    if finding.code == "HAL001" and finding.symbol:
        return f"{finding.symbol.split('.')[0]} (not installed)"
    return "unknown"


def check_jsonl(checker: Checker, path: Path, field_path: str) -> Batch:
    batch = Batch()
    seen: dict[str, Result] = {}
    folder = path.resolve().parent
    for number, text, problem in iter_records(path, field_path):
        batch.records += 1
        display = f"{path}#{number}"
        if text is None:
            batch.unreadable += 1
            batch.results.append(Result(display, error=problem))
            continue
        kind = ".md" if "```" in text or "~~~" in text else ".py"
        if text not in seen:
            seen[text] = check_text(checker, text, str(folder / f"record{kind}"))
        result = seen[text]
        findings = tuple(replace(f, path=display) for f in result.findings)
        batch.results.append(replace(result, path=display, findings=findings))
        counted = [f for f in findings if not f.code.startswith("HAL9")]
        if any(f.code not in _NOT_INVENTED for f in counted):
            batch.with_findings += 1
        for finding in counted:
            batch.by_code[finding.code] += 1
            batch.by_package[_package(finding)] += 1
    return batch
