"""The data model shared by every stage: spans, findings, suggestions and per-file results."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


class Confidence(str, enum.Enum):
    """How sure the engine is that a reported name does not exist.

    ``HIGH`` is a proof against a closed namespace. ``MEDIUM`` rests on a documented heuristic,
    e.g. a called attribute that only a data-returning ``__getattr__`` could answer.
    """

    HIGH = "high"
    MEDIUM = "medium"

    @property
    def rank(self) -> int:
        return {"high": 2, "medium": 1}[self.value]


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A region of source text: lines 1-based, columns 0-based code points, end exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A replacement for the text under ``span``; display-only, never applied automatically."""

    message: str
    replacement: str
    span: Span


STDLIB = "python"
"""The ``package`` of standard-library migration entries."""


@dataclass(frozen=True, slots=True)
class Migration:
    """One removed, renamed or moved API and what to use instead."""

    api: str
    """``module`` or ``module:Qualified.name``; with ``keyword``, the callable."""
    package: str
    """The distribution that provided it (``openai``), or ``python`` for the standard library."""
    kind: str
    since: str
    replacement: str
    keyword: str | None = None

    @property
    def module(self) -> str:
        return self.api.partition(":")[0]

    @property
    def member(self) -> str:
        return self.api.partition(":")[2]

    @property
    def dotted(self) -> str:
        """``pandas.DataFrame.append``: the API as one dotted name."""
        return f"{self.module}.{self.member}" if self.member else self.module

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.api, self.keyword)

    @property
    def note(self) -> str:
        """The note added to a finding: `ChatCompletion` was removed in openai 1.0.0; use ..."""
        subject = self.member or self.module
        what = f"keyword `{self.keyword}` of `{subject}`" if self.keyword else f"`{subject}`"
        package = "Python" if self.package == STDLIB else self.package
        advice = self.replacement
        if not advice.startswith("drop "):
            advice = f"use {advice}"
        return f"{what} was {self.kind} in {package} {self.since}; {advice}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "api": self.api,
            "keyword": self.keyword,
            "package": self.package,
            "kind": self.kind,
            "since": self.since,
            "replacement": self.replacement,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """One proven hallucination (or a file region that could not be parsed)."""

    code: str
    rule: str
    message: str
    path: str
    span: Span
    severity: Severity = Severity.ERROR
    confidence: Confidence = Confidence.HIGH
    label: str | None = None
    notes: tuple[str, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    symbol: str | None = None
    """The resolved owner of the missing name, e.g. ``openai.resources.chat.Chat``."""
    expression: str | None = None
    """The source text of the reference, e.g. ``client.chat.completion``."""
    package: str | None = None
    """The installed distribution the owner lives in, with its version: ``openai 1.99.0``."""
    cell: tuple[int, int] | None = None
    """For notebooks: (cell number, line in the cell); ``span`` is then in the joined cells."""
    file_line: int | None = None
    """For notebooks: the line of the ``.ipynb`` file's own text where the finding's source
    line is written (what SARIF and GitHub annotations point at)."""
    name: str | None = None
    """The missing name itself: the module, the imported name, the attribute or the keyword."""
    nearest: tuple[str, ...] = ()
    """Real names of the owner closest to ``name``, best first, without the similarity cutoff of
    ``suggestions`` (at most 12): the facts a model repairing the code chooses from."""
    signatures: tuple[str, ...] = ()
    """For HAL201/HAL202: the callee's real signature(s), one per overload, as jedi renders them."""
    migration: Migration | None = None
    """What replaced the missing API, when it was removed, renamed or moved (see migrations)."""


TOO_DEEP = "expressions nested too deeply to analyse"
"""Why a unit whose nesting is beyond Python's own parser (or the engine's walk) is not checked."""


@dataclass(frozen=True, slots=True)
class Result:
    """What checking one source unit produced: findings, or the reason it could not be checked."""

    path: str
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    lines: int = 0
    source: str | None = field(default=None, repr=False, compare=False)
    """The checked text, kept so that reporters can draw code frames without re-reading files."""
    notes: tuple[str, ...] = ()
    """What was left out of the check, e.g. Markdown blocks that do not parse."""

    @property
    def checked(self) -> bool:
        return self.error is None
