"""Suppression comments and ``dynamic`` receivers: which findings the user asked not to see.

Line comments (on any line of the finding's span; ``#`` inside strings does not count)::

    x.y  # noqa                                   every rule
    x.y  # noqa: HAL101, HAL002                   these codes (or code prefixes, like flake8)
    x.y  # halluc-check: ignore                   every rule
    x.y  # halluc-check: ignore[unresolved-attribute, HAL002]   codes, prefixes or rule names
    x.y  # type: ignore                           attribute rules (HAL1xx) only

A comment in the first 10 lines of a file silences the whole file::

    # halluc-check: ignore-file
    # halluc-check: ignore-file[HAL101]
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache

from ..model import Finding, Result
from ..text import split_lines

FILE_DIRECTIVE_LINES = 10
"""How many leading lines may hold ``# halluc-check: ignore-file``."""

_SELECTOR = r"[A-Za-z]+[0-9]+|[A-Za-z]+(?:-[A-Za-z0-9]+)+"
_NOQA = re.compile(
    rf"#\s*noqa(?::\s*(?P<codes>(?:{_SELECTOR})(?:[,\s]+(?:{_SELECTOR}))*))?(?![\w-])",
    re.IGNORECASE,
)
_IGNORE = re.compile(
    r"#\s*halluc-check\s*:\s*ignore(?![\w-])(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE
)
_IGNORE_FILE = re.compile(
    r"#\s*halluc-check\s*:\s*ignore-file(?![\w-])(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE
)
_TYPE_IGNORE = re.compile(r"#\s*type:\s*ignore(?![\w-])")


def suppressed(finding: Finding, lines: Sequence[str]) -> bool:
    """Whether a comment in ``lines`` silences ``finding``.

    ``lines`` are the file's lines split like the tokenizer (only ``\\n``, ``\\r\\n``, ``\\r``
    end a line: ``text.split_lines``), so that their numbers match the finding's span.
    """
    comments = _comments(tuple(lines))
    for number in range(1, min(FILE_DIRECTIVE_LINES, len(lines)) + 1):
        match = _IGNORE_FILE.search(comments.get(number, ""))
        if match and _selected(finding, match.group("codes")):
            return True
    last = max(finding.span.line, finding.span.end_line)
    for number in range(finding.span.line, last + 1):
        comment = comments.get(number)
        if comment and _line_silences(finding, comment):
            return True
    return False


def apply_dynamic(findings: Iterable[Finding], patterns: Iterable[str]) -> list[Finding]:
    """``findings`` without those whose owner (``symbol``) or expression starts with a pattern.

    A pattern matches at a name boundary: ``boto3.client`` matches ``boto3.client``,
    ``boto3.client.S3`` and ``boto3.client("s3").upload_fil``, but not ``boto3.clients``.
    """
    prefixes = tuple(p for p in patterns if p)
    if not prefixes:
        return list(findings)
    return [f for f in findings if not _dynamic(f, prefixes)]


def filter_result(result: Result, dynamic: Iterable[str] = ()) -> Result:
    """``result`` without suppressed and dynamic findings (idempotent: safe to apply twice)."""
    if not result.findings:
        return result
    lines = split_lines(result.source) if result.source is not None else []
    kept = [f for f in result.findings if not (lines and suppressed(f, lines))]
    kept = apply_dynamic(kept, dynamic)
    if len(kept) == len(result.findings):
        return result
    return replace(result, findings=tuple(kept))


def _dynamic(finding: Finding, prefixes: tuple[str, ...]) -> bool:
    for text in (finding.symbol, finding.expression):
        if text and any(_starts_with_name(text, prefix) for prefix in prefixes):
            return True
    return False


def _starts_with_name(text: str, prefix: str) -> bool:
    """``text`` begins with the dotted name ``prefix``, followed by nothing, ``.``, ``(`` or ``[``."""
    return text.startswith(prefix) and text[len(prefix) : len(prefix) + 1] in ("", ".", "(", "[")


def _line_silences(finding: Finding, comment: str) -> bool:
    noqa = _NOQA.search(comment)
    if noqa and _selected(finding, noqa.group("codes")):
        return True
    ignore = _IGNORE.search(comment)
    if ignore and _selected(finding, ignore.group("codes")):
        return True
    return finding.code.upper().startswith("HAL1") and _TYPE_IGNORE.search(comment) is not None


def _selected(finding: Finding, codes: str | None) -> bool:
    """Whether a directive's code list (``None`` or empty: all rules) covers ``finding``."""
    if codes is None:
        return True
    selectors = [s for s in re.split(r"[,\s]+", codes) if s]
    if not selectors:
        return True
    code, name = finding.code.upper(), finding.rule.lower()
    return any(s.lower() == name or code.startswith(s.upper()) for s in selectors)


@lru_cache(maxsize=64)
def _comments(lines: tuple[str, ...]) -> dict[int, str]:
    """The comment text on each line number, from the tokenizer, or every ``#…`` tail if it fails."""
    source = "".join(line if line.endswith(("\n", "\r")) else line + "\n" for line in lines)
    comments: dict[int, str] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                comments[token.start[0]] = token.string
    except (tokenize.TokenError, SyntaxError, ValueError):
        return {
            number: line[line.index("#") :] for number, line in enumerate(lines, 1) if "#" in line
        }
    return comments
