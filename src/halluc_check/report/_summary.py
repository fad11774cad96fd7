"""Results → the ordering and the counts every reporter shares, and the closing sentence."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from halluc_check.model import Confidence, Finding, Result, Severity, Span, Suggestion
from halluc_check.report._text import Escaper

TIMES = "\u00d7"
"""The multiplication sign of ``HAL101 \u00d72``; ``x`` where the output cannot encode it."""


@dataclass(frozen=True, slots=True)
class Summary:
    """What a run found, counted once for all formats."""

    files: int
    files_with_findings: int
    findings: int
    not_checked: int
    by_code: tuple[tuple[str, int], ...]
    unparsable: int = 0
    """Files whose findings include a ``HAL9xx`` (could not be parsed, so not really checked)."""
    """Codes with their counts, most frequent first, ties by code."""


def finding_key(finding: Finding) -> tuple[str, Span, str, str]:
    """Report order: path, then span, then code and message."""
    return (finding.path, finding.span, finding.code, finding.message)


def sorted_findings(results: Iterable[Result]) -> list[Finding]:
    """Every finding of every result, in report order."""
    return sorted((f for result in results for f in result.findings), key=finding_key)


def sorted_errors(results: Iterable[Result]) -> list[Result]:
    """The results that could not be checked, ordered by path."""
    return sorted((r for r in results if r.error is not None), key=lambda r: r.path)


def summarize(results: Sequence[Result], files_checked: int | None = None) -> Summary:
    """Count findings, files with findings and files that could not be checked."""
    codes = Counter(
        finding.code
        for result in results
        for finding in result.findings
        if not is_unparsable(finding)
    )
    return Summary(
        files=len(results) if files_checked is None else files_checked,
        files_with_findings=len(
            {r.path for r in results if any(not is_unparsable(f) for f in r.findings)}
        ),
        findings=sum(codes.values()),
        not_checked=sum(1 for result in results if result.error is not None),
        by_code=tuple(sorted(codes.items(), key=lambda item: (-item[1], item[0]))),
        unparsable=sum(1 for r in results if any(is_unparsable(f) for f in r.findings)),
    )


def help_text(suggestion: Suggestion) -> str:
    """What a suggestion says: its own message, else ``did you mean `name`?``."""
    return suggestion.message or f"did you mean `{suggestion.replacement}`?"


def message_with_hints(finding: Finding) -> str:
    """The message, then the first suggestion's ``help:`` and the migration's ``note:`` lines."""
    text = finding.message
    if finding.suggestions:
        text += "\nhelp: " + help_text(finding.suggestions[0])
    if finding.migration is not None:
        text += f"\nnote: {finding.migration.note}"
    return text


def level_of(finding: Finding) -> str:
    """``error`` for a proven error; ``warning`` for warnings and lower-confidence findings."""
    if finding.severity is Severity.ERROR and finding.confidence is Confidence.HIGH:
        return "error"
    return "warning"


def is_unparsable(finding: Finding) -> bool:
    """``HAL9xx`` findings say a unit could not be parsed; they are not hallucinations."""
    return finding.code.startswith("HAL9")


def noun(count: int, word: str) -> str:
    """``word`` in the number that agrees with ``count``: ``file``, ``files``, ``dependencies``."""
    if count == 1:
        return word
    return word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else f"{word}s"


def plural(count: int, word: str) -> str:
    """``1 file``, ``2 files``."""
    return f"{count} {noun(count, word)}"


KINDS = ("hallucinated reference", "missing dependency", "install-line problem")
"""What the summary sentence counts, in its order: references the code makes up (HAL0xx but
HAL003, HAL1xx, HAL2xx), real modules the environment lacks (HAL003), and install lines or
requirements naming a distribution PyPI does not have or a near miss of a popular one (HAL3xx)."""


def kind_of(code: str) -> str:
    """Which of :data:`KINDS` a finding's code counts as."""
    if code == "HAL003":
        return KINDS[1]
    if code.startswith("HAL3"):
        return KINDS[2]
    return KINDS[0]


def counted(by_code: Iterable[tuple[str, int]]) -> str:
    """``2 hallucinated references, 1 missing dependency and 3 install-line problems``: each
    kind that occurs, in the order of :data:`KINDS`."""
    totals = Counter[str]()
    for code, count in by_code:
        totals[kind_of(code)] += count
    parts = [plural(totals[kind], kind) for kind in KINDS if totals[kind]]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def summary_sentence(summary: Summary, *, times: str = TIMES) -> str:
    """``Found 3 hallucinated references in 2 of 5 files (HAL101 \u00d72, HAL002 \u00d71).``,
    ``Found 1 hallucinated reference and 2 install-line problems in ...`` or ``All checks passed!``."""
    if summary.findings:
        codes = ", ".join(f"{code} {times}{count}" for code, count in summary.by_code)
        sentence = (
            f"Found {counted(summary.by_code)}"
            f" in {summary.files_with_findings} of {plural(summary.files, 'file')} ({codes})."
        )
    elif summary.unparsable:
        sentence = f"No hallucinated references found in {plural(summary.files, 'file')}."
    else:
        sentence = "All checks passed!"
    if summary.unparsable:
        sentence += f" {plural(summary.unparsable, 'file')} could not be parsed."
    if summary.not_checked:
        sentence += f" {plural(summary.not_checked, 'file')} could not be checked."
    return sentence


def summary_line(results: Sequence[Result], files_checked: int | None, escape: Escaper) -> str:
    """The closing sentence, escaped for the output (``x`` for the sign where it cannot be encoded)."""
    summary = summarize(results, files_checked)
    by_code = tuple((escape(code), count) for code, count in summary.by_code)
    times = TIMES if escape.can_encode(TIMES) else "x"
    return summary_sentence(replace(summary, by_code=by_code), times=times)


def unit_notes(results: Iterable[Result]) -> list[tuple[str, str]]:
    """(path, note) for what was left out of checked units, e.g. Markdown blocks that do not parse."""
    return [(r.path, note) for r in sorted(results, key=lambda r: r.path) for note in r.notes]
