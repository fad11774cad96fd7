"""What a rule is: a stable code, a name for the bad thing, a message template and its docs."""

from __future__ import annotations

from dataclasses import dataclass, field


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
