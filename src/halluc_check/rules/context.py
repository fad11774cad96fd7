"""One file under check -> what its rules read: references, resolver, environment, and the
evidence every finding carries (where the owner comes from, the closest real names, the
migration hint)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..model import Finding, Migration, Span, Suggestion
from ..suggest import close_names

if TYPE_CHECKING:
    from ..knowledge.migrations import Migrations
    from ..knowledge.online import OnlineIndex
    from ..resolve.file_resolver import FileResolver
    from ..resolve.verdicts import Owner, Resolution
    from ..syntax.refs import Collected
    from ..target.environment import TargetEnvironment
    from ..target.modules import ModuleFinder
    from ..target.stdlib_namespaces import StdlibNamespaces

QualnameCache = dict[tuple[str, tuple[str, ...]], frozenset[str]]
"""``(module, attribute path)`` -> the qualified names it resolves to, kept by the checker."""


@dataclass
class FileContext:
    """The references of one file and the means to resolve them; checks add to ``findings``."""

    display: str
    """The path as shown in findings (``<stdin>`` without one)."""
    path: str | None
    collected: Collected
    env: TargetEnvironment
    resolver: FileResolver
    finder: ModuleFinder
    migrations: Migrations
    qualname_cache: QualnameCache
    findings: list[Finding] = field(default_factory=list)
    receivers: dict[tuple[int, int], list[Any]] = field(default_factory=dict)
    source: str = ""
    """The file's text, for checks that read more than references (install commands in comments)."""
    stdlib: StdlibNamespaces | None = None
    """The target interpreter's standard-library namespaces (its modules' submodules)."""
    online: OnlineIndex | None = None
    """With ``--online``: the package index asked about names its snapshot does not know."""
    """Receiver values the attribute check inferred, by the end of ``receiver.name``: a call
    of that attribute starts from them instead of inferring the receiver again."""

    def origin(self, owner: Owner) -> str | None:
        """Where an owner comes from, as a reader recognises it: a distribution, the standard
        library, the checked project, jedi's bundled stubs."""
        if owner.path and not self.env.is_library_path(owner.path):
            return "defined in the checked project"
        if self.env.is_stdlib(owner.module) and not self.env.distribution_of(owner.module):
            major, minor, _ = self.env.version
            return f"Python {major}.{minor} standard library"
        dist = self.env.distribution_of(owner.module)
        if dist is not None:
            return str(dist)
        if owner.path and "typeshed" in owner.path:
            return "typeshed stubs bundled with jedi"
        return None

    def suggest(self, name: str, resolution: Resolution, span: Span) -> tuple[Suggestion, ...]:
        """The closest real names, best first; reporters show the first, JSON lists all."""
        return tuple(
            Suggestion(f"did you mean `{real}`?", real, span)
            for real in close_names(name, resolution.members)
        )

    def member_hint(self, resolution: Resolution, name: str) -> Migration | None:
        """The migration entry for ``name`` missing on the resolved owners, if there is one."""
        owners = resolution.owners
        if not owners or any(not self.env.is_library_path(o.path) for o in owners):
            return None  # the checked project's own code: no library migrated it
        return self.migrations.for_member(
            [o.qualname for o in owners], name, self.env, self.qualnames
        )

    def qualnames(self, module: str, parts: tuple[str, ...]) -> frozenset[str]:
        """What ``module.part.part`` resolves to where it is defined (remembered by the checker)."""
        cache = self.qualname_cache
        if (module, parts) not in cache:
            cache[module, parts] = self.resolver.qualnames(module, parts)
        return cache[module, parts]


def with_hint(finding: Finding, hint: Migration | None) -> Finding:
    """``finding`` with the migration entry's note, when there is one."""
    if hint is None:
        return finding
    return replace(finding, notes=(*finding.notes, hint.note), migration=hint)


def shorten(text: str, limit: int = 40) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text_or_none(value: object | None) -> str | None:
    return None if value is None else str(value)
