"""The repair loop's outcome -> what callers read: the result, its rounds, errors, diffs."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass

from ..model import Finding


class RepairError(Exception):
    """The model could not be asked, or answered with an error that retrying does not cure.

    ``kind`` is one of ``auth``, ``rate-limit``, ``server``, ``timeout``, ``connection``,
    ``request`` (the server refused the request: unknown model, bad parameters), ``check`` (the
    code could not be checked) or ``openai`` (the client library is missing). ``result`` holds what
    was reached before the failure (the best version seen so far), when anything was.
    """

    def __init__(self, message: str, *, kind: str, result: RepairResult | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.result = result


@dataclass(frozen=True, slots=True)
class Usage:
    """Tokens one answer cost, from the response's ``usage`` field."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0


@dataclass(frozen=True, slots=True)
class Round:
    """One answer of the model and what checking it found."""

    number: int
    """1-based; with :func:`generate`, round 1 is the answer to the task itself."""
    answer: str
    """The answer's text as received."""
    code: str | None
    """The code taken from the answer; None when it held none."""
    findings: tuple[Finding, ...] = ()
    """The findings in ``code`` (a HAL900 parse error when it does not parse)."""
    parses: bool = False
    usage: Usage | None = None
    """None when the server sent no usage."""
    note: str | None = None
    """What happened, when not plain: ``no code in the answer``, ``worse than ...``."""
    finish_reason: str | None = None


@dataclass(frozen=True, slots=True)
class RepairResult:
    """The outcome: the best code seen, its findings, and every round on the way."""

    original: str
    """The code as given (for :func:`generate`: the first code the model wrote, or ``""``)."""
    code: str
    """The best version seen: parses and has the fewest findings; ``original`` when none did better."""
    findings: tuple[Finding, ...]
    """What remains in ``code``."""
    initial_findings: tuple[Finding, ...]
    """The findings in ``original``."""
    rounds: tuple[Round, ...] = ()
    stop: str = "clean"
    """Why it ended: ``clean`` (nothing left), ``max-rounds``, ``loop`` (the model returned code it
    had returned before), ``no-code`` (the last answer held no code) or ``error``."""
    best_round: int = 0
    """The round whose code is ``code``; 0 for ``original``."""
    path: str = "<stdin>"
    parses: bool = True
    """Whether ``code`` is valid Python (only an unparsable original, never improved, is not)."""

    @property
    def clean(self) -> bool:
        """Nothing left to report, and the code parses."""
        return not self.findings and self.parses

    @property
    def changed(self) -> bool:
        return self.code != self.original

    @property
    def findings_per_round(self) -> tuple[int, ...]:
        """How many findings the original had, then each round's code (-1: no code)."""
        counts = [len(r.findings) if r.code is not None else -1 for r in self.rounds]
        return (len(self.initial_findings), *counts)

    @property
    def tokens(self) -> int:
        """Total tokens over every round that reported usage."""
        return sum(r.usage.total_tokens for r in self.rounds if r.usage is not None)

    def diff(self) -> str:
        """A unified diff from ``original`` to ``code`` (empty when unchanged)."""
        return unified_diff(self.original, self.code, self.path)


def unified_diff(before: str, after: str, path: str = "<stdin>") -> str:
    """``diff -u`` of two versions of ``path``; empty when they are equal.

    A relative path gets git's ``a/`` and ``b/`` prefixes (``patch -p1``), an absolute one none.
    """
    absolute = os.path.isabs(path)
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=path if absolute else f"a/{path}",
        tofile=path if absolute else f"b/{path}",
    )
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
