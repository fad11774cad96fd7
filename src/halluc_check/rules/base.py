"""What a rule is: a stable code, a name for the bad thing, its docs, and the check that finds it.

A :class:`Rule` is the metadata (code, name, summary, docs, examples). A :class:`Check` is the
logic: it reads one file's collected references, asks the resolver, and reports findings for
the rules it owns. Several rules may share one check when one walk decides them all (the import
check decides both HAL001 and HAL002). The engine runs a check only when one of its rules is
selected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from ..model import Severity

if TYPE_CHECKING:
    from .context import FileContext


@dataclass(frozen=True, slots=True)
class Case:
    """An inline example: ``source`` and, for invalid ones, the names expected to be reported."""

    source: str
    expected: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    summary: str
    docs: str
    """Markdown with ruff's sections: what it does, why is this bad, example, known problems."""
    valid: tuple[Case, ...] = field(default=())
    invalid: tuple[Case, ...] = field(default=())
    severity: Severity = Severity.ERROR
    """What its findings are by default: an ``error`` (a proven hallucination) or a ``warning``
    (real code that the target cannot run as it is, or a risk to look at)."""


class Check:
    """The logic of one or more rules over the references of one file."""

    rules: ClassVar[tuple[Rule, ...]] = ()
    """The rules whose findings this check reports."""

    def run(self, file: FileContext) -> None:
        """Check ``file``'s references and add the findings to ``file.findings``."""
        raise NotImplementedError

    @classmethod
    def codes(cls) -> frozenset[str]:
        return frozenset(rule.code for rule in cls.rules)
