"""The references collected from one file -> the data the checker resolves: imports, attribute
loads, calls, stored attribute names and base classes, each with its span and guards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..model import Span


@dataclass(frozen=True, slots=True)
class ImportedName:
    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class ImportRef:
    """``import a.b`` (``names`` empty) or ``from a.b import c, d`` (``level`` > 0 for relative)."""

    module: str
    level: int
    span: Span
    names: tuple[ImportedName, ...]
    guarded: bool
    star: bool = False


@dataclass(slots=True)
class AttributeRef:
    """A loaded ``base.attr``; ``base_end`` is the exclusive end of the base, parentheses included."""

    attr: str
    span: Span
    base_end: tuple[int, int]
    base_text: str
    called: bool
    guarded: bool
    scope: int
    inner: int | None = None
    """Index of the attribute reference inside this one's base (``a.b`` in ``a.b.c``), if any."""
    narrowed: bool = False
    in_annotation: bool = False
    """Inside a type annotation, where names that exist only for type checkers are fine."""

    @property
    def expression(self) -> str:
        return f"{self.base_text}.{self.attr}"


@dataclass(frozen=True, slots=True)
class CallRef:
    """A call with its keyword names and positional arguments, for signature checks."""

    func_end: tuple[int, int]
    func_text: str
    keywords: tuple[ImportedName, ...]
    positional: tuple[Span, ...]
    unpacking: bool
    """``*args`` or ``**mapping`` at the call site: nothing can be proven about it."""
    guarded: bool


@dataclass(slots=True)
class Collected:
    imports: list[ImportRef] = field(default_factory=list)
    attributes: list[AttributeRef] = field(default_factory=list)
    calls: list[CallRef] = field(default_factory=list)
    stored_attributes: set[str] = field(default_factory=set)
    """Attribute names assigned, deleted or ``setattr``-ed anywhere in the file."""
    subclassed: set[str] = field(default_factory=set)
    """Textual names of every base class used in the file (``Base`` in ``class A(Base)``)."""


def dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


__all__: Sequence[str] = (
    "AttributeRef",
    "CallRef",
    "Collected",
    "ImportRef",
    "ImportedName",
    "dunder",
)
