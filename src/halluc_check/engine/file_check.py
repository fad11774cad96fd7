"""One parsed file's references -> findings: the selected rules' checks, run over one resolver.

The file gets one :class:`~halluc_check.resolve.file_resolver.FileResolver` (one jedi Script),
shared by every check in registry order; a check none of whose rules is selected is not run, so
its inference costs nothing. Whatever the checks inferred is released when they are done.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..knowledge.migrations import Migrations
from ..knowledge.online import OnlineIndex
from ..model import Finding
from ..resolve.projects import Projects
from ..rules import CHECKS
from ..rules.context import FileContext, QualnameCache
from ..syntax.refs import Collected
from ..target.modules import ModuleFinder
from ..target.stdlib_namespaces import StdlibNamespaces


def check_file(
    source: str,
    path: str | None,
    display: str,
    collected: Collected,
    *,
    projects: Projects,
    migrations: Migrations,
    qualname_cache: QualnameCache,
    enabled: Callable[[str], bool],
    online: OnlineIndex | None = None,
) -> list[Finding]:
    """Run every check that has a selected rule over ``collected``; the findings, unfiltered."""
    checks = [check() for check in CHECKS if any(enabled(code) for code in check.codes())]
    if not checks:
        return []
    project = projects.for_path(path)
    env = projects.env
    file_dir = [str(Path(path).resolve().parent)] if path else []
    finder = ModuleFinder(env, (*file_dir, *project.paths), checked_path=path)
    projects.stdlib.expect(_stdlib_imports(collected, projects.stdlib))
    file = FileContext(
        display=display,
        path=path,
        collected=collected,
        env=env,
        resolver=projects.resolver(source, path),
        finder=finder,
        migrations=migrations,
        qualname_cache=qualname_cache,
        source=source,
        online=online,
        stdlib=projects.stdlib,
    )
    clean = False
    try:
        for check in checks:
            check.run(file)
        clean = True
    finally:
        file.resolver.release(clean=clean)
        file.receivers.clear()
        projects.stdlib.expect(())
    return file.findings


def _stdlib_imports(collected: Collected, stdlib: StdlibNamespaces) -> list[str]:
    """The standard-library modules a file imports, and the packages around them: what its
    checks may ask the target interpreter about, asked together if one is."""
    modules: list[str] = []
    for ref in collected.imports:
        if ref.level:
            continue
        parts = ref.module.split(".")
        modules.extend(".".join(parts[: end + 1]) for end in range(len(parts)))
    return [module for module in dict.fromkeys(modules) if stdlib.is_askable(module)]
