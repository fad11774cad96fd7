"""HAL001 unresolved-import and HAL002 unresolved-import-name: one walk over a file's imports.

A module is missing when the module finder proves it is nowhere on the target's path, in its
standard library or in the checked project (HAL001); a name imported from a module that exists is
missing when the resolver proves the module's namespace closed without it and no submodule has
that name (HAL002). Imports under a guard (``try``/``except ImportError``, version or platform
checks), and every import of a module imported under a guard anywhere in the file, are skipped.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Finding, Span, Suggestion
from ..resolve.verdicts import Resolution, Verdict
from ..suggest import close_names, nearest_names
from ..target.modules import ModuleFinder, Presence
from .base import Case, Check, Rule
from .context import FileContext, text_or_none, with_hint
from .missing_dependency import MISSING_DEPENDENCY, dependency_finding, unknown_module_evidence

if TYPE_CHECKING:
    from ..syntax.refs import ImportRef
    from ..target.stdlib_namespaces import ModuleNamespace

LOG = logging.getLogger(__name__)

UNRESOLVED_IMPORT = Rule(
    code="HAL001",
    name="unresolved-import",
    summary="a module that exists nowhere: not installed, not in the standard library, not in the project, not on PyPI",
    docs="""\
## What it does
Reports `import x` and `from x import y` where module `x` (or a submodule `x.sub`) is found
neither in the target environment's `sys.path`, nor in the standard library of the target
interpreter, nor in the checked project. A standard-library submodule that the files on disk do
not settle (`os` is a module, not a package) is asked of the target interpreter itself.

## Why is this bad?
Models invent packages (`import telegraf`, `import openai_helpers`) and submodules
(`import openai.error`, gone since openai 1.0). Besides failing at run time, an invented
package name is an invitation to install whatever a squatter uploaded under that name.

## Example
```python
import openai.error
```
Use instead:
```python
import openai  # openai.APIError, openai.RateLimitError, ...
```

## Known problems
A module that a well-known distribution on PyPI provides but the target environment lacks is
HAL003 (missing-dependency), judged by the package index shipped with halluc-check; a module
named only like a little-used distribution stays HAL001, with a note. With `--online`, a name
the snapshot lacks is asked of the package index: the label says "no distribution on PyPI
provides" only when the index confirms it, and nothing about PyPI when it does not answer.
Imports guarded by `try`/`except ImportError` or by platform and version checks are not reported.
""",
    valid=(
        Case("import json\nimport os.path\n"),
        Case("try:\n    import simplejson as json\nexcept ImportError:\n    import json\n"),
    ),
    invalid=(
        Case("import telegraf_hallucinated\n", expected=("telegraf_hallucinated",)),
        Case("import json.fancy\n", expected=("json.fancy",)),
        Case("import os.pathx\n", expected=("os.pathx",)),
    ),
)

UNRESOLVED_IMPORT_NAME = Rule(
    code="HAL002",
    name="unresolved-import-name",
    summary="`from module import name` where the real module has no such name or submodule",
    docs="""\
## What it does
Reports `from x import y` where module `x` exists but defines no `y` and has no submodule `y`.

## Why is this bad?
Renamed and removed names are the most common stale-knowledge hallucination:
`from telegram.ext import Filters` (renamed `filters` in python-telegram-bot 20),
`from flask import escape` (removed in Flask 3). The import fails before anything runs.

## Example
```python
from json import parse
```
Use instead:
```python
from json import loads
```

## Known problems
Modules with a module-level `__getattr__` that may return any name are never reported.
""",
    valid=(Case("from os import path, getcwd\n"), Case("from email import message\n")),
    invalid=(Case("from json import parse\n", expected=("parse",)),),
)


class ImportCheck(Check):
    """Every unguarded import of a file: does the module exist, and the names taken from it?"""

    rules = (UNRESOLVED_IMPORT, UNRESOLVED_IMPORT_NAME, MISSING_DEPENDENCY)

    def run(self, file: FileContext) -> None:
        imports = file.collected.imports
        # a module imported under a guard anywhere (`try: import simplejson`) is optional
        # everywhere in the file (`if has_simplejson: from simplejson import x`)
        optional = {ref.module.split(".", 1)[0] for ref in imports if ref.guarded}
        for ref in imports:
            if ref.guarded or (not ref.level and ref.module.split(".", 1)[0] in optional):
                continue
            if ref.level:
                _check_relative_import(file, ref)
            else:
                _check_absolute_import(file, ref)


def _check_absolute_import(file: FileContext, ref: ImportRef) -> None:
    located = file.finder.locate(ref.module)
    if located.presence is Presence.UNKNOWN:
        missing_submodule = _stdlib_missing_submodule(file, ref.module)
        if missing_submodule is not None:
            missing, namespace = missing_submodule
            file.findings.append(_missing_module(file, ref, missing, namespace))
            return
    if located.presence is Presence.MISSING:
        missing = located.missing_part or ref.module
        if "." not in missing and file.env.is_known_requirement(missing):
            LOG.debug(
                "%s:%d: `%s` is not installed, but installed packages require it: "
                "a real package, not a hallucination",
                file.display,
                ref.span.line,
                missing,
            )
            return
        # real elsewhere (a distribution on PyPI, a newer Python): HAL003, not a hallucination
        dependency = dependency_finding(file, ref, missing) if "." not in missing else None
        file.findings.append(dependency or _missing_module(file, ref, missing))
        return
    if not ref.names:
        return
    modules = file.resolver.import_module(ref.module, 0)
    for imported in ref.names:
        if file.finder.has_submodule(ref.module, imported.name):
            continue
        if not modules:
            continue
        resolution = file.resolver.lookup(modules, imported.name)
        if resolution.verdict is Verdict.MISSING:
            file.findings.append(
                _missing_name(file, ref.module, imported.name, imported.span, resolution)
            )


def _check_relative_import(file: FileContext, ref: ImportRef) -> None:
    if not file.path:
        return
    base = Path(file.path).resolve().parent
    for _ in range(ref.level - 1):
        base = base.parent
    if not (base / "__init__.py").exists():
        return  # not inside a regular package: the import's meaning depends on how it is run
    folder = base
    parts = [p for p in ref.module.split(".") if p]
    for index, part in enumerate(parts):
        if (folder / part).is_dir():
            folder = folder / part
            continue
        if any((folder / f"{part}{suffix}").exists() for suffix in (".py", ".pyi")):
            if index < len(parts) - 1:
                return  # a module, not a package: `from .mod.sub import x` fails elsewhere
            folder = folder / part
            break
        if any(entry.startswith(part + ".") for entry in os.listdir(folder)):
            return  # an extension module or something else importable
        if (folder / "__init__.py").exists() and not _init_is_dynamic(folder):
            file.findings.append(_missing_module(file, ref, "." * ref.level + ref.module))
        return
    if not ref.names:
        return
    modules = file.resolver.import_module(ref.module, ref.level)
    if not modules:
        return
    for imported in ref.names:
        if folder.is_dir() and any(
            (folder / f"{imported.name}{s}").exists() for s in ("", ".py", ".pyi")
        ):
            continue
        resolution = file.resolver.lookup(modules, imported.name)
        if resolution.verdict is Verdict.MISSING:
            shown = "." * ref.level + ref.module
            file.findings.append(
                _missing_name(file, shown, imported.name, imported.span, resolution)
            )


def _stdlib_missing_submodule(file: FileContext, dotted: str) -> tuple[str, ModuleNamespace] | None:
    """For ``import a.b.c`` of the standard library that the files on disk do not settle
    (``os`` is a module, ``logging``'s ``__init__`` could add submodules): the first part the
    target interpreter has no submodule for, with the namespace that lacks it."""
    parts = dotted.split(".")
    stdlib = file.stdlib
    if len(parts) < 2 or stdlib is None or not stdlib.is_askable(parts[0]):
        return None
    if not file.finder.from_stdlib(parts[0]) or file.resolver.import_module(dotted, 0):
        return None  # not the standard library's, or a module jedi finds (`os.path`)
    for end in range(1, len(parts)):
        namespace = stdlib.get(".".join(parts[:end]))
        if namespace is None or namespace.open_reason:
            return None
        if parts[end] not in namespace.submodules:
            return ".".join(parts[: end + 1]), namespace
    return None


def _missing_module(
    file: FileContext, ref: ImportRef, missing: str, namespace: ModuleNamespace | None = None
) -> Finding:
    """``namespace``: the target's namespace of the standard-library module that lacks the
    submodule ``missing``."""
    env = file.env
    notes: list[str] = []
    if "." in missing.strip("."):
        parent = missing.rsplit(".", 1)[0]
        dist = env.distribution_of(parent)
        label = f"`{parent}` has no submodule `{missing.rsplit('.', 1)[1]}`"
        if dist:
            notes.append(f"`{parent}` is from {dist}, installed at {env.label}")
        candidates = _submodule_names(file.finder, parent)
        if namespace is not None:
            notes.append(_submodules_note(namespace))
            candidates |= namespace.submodules
    else:
        label = "not installed, not in the standard library, not in the project"
        notes.append(f"searched {env.label}")
        if not missing.startswith("."):
            from_index, more = unknown_module_evidence(file, missing)
            label = from_index or label
            notes.extend(more)
        candidates = set(env.distributions) | set(env.stdlib_names)
    # the replacement covers the whole dotted name under the span: swap only the missing part
    written = missing.lstrip(".")
    suggestions = tuple(
        Suggestion(
            f"there is a module `{_replace_last(missing, name)}` with a similar name",
            _replace_last(written, name) + ref.module[len(written) :],
            ref.span,
        )
        for name in close_names(missing.rsplit(".", 1)[-1], candidates)[:1]
        if ref.module.startswith(written)
    )
    finding = Finding(
        code=UNRESOLVED_IMPORT.code,
        rule=UNRESOLVED_IMPORT.name,
        message=f"no module named `{missing}`",
        path=file.display,
        span=ref.span,
        label=label,
        notes=tuple(notes),
        suggestions=suggestions,
        symbol=missing,
        expression=ref.module,
        package=text_or_none(env.distribution_of(missing)),
        name=missing,
        nearest=tuple(nearest_names(missing.rsplit(".", 1)[-1], candidates)),
    )
    return with_hint(finding, file.migrations.for_module(missing, env))


def _missing_name(
    file: FileContext, module: str, name: str, span: Span, resolution: Resolution
) -> Finding:
    origin = file.origin(resolution.owners[0]) if resolution.owners else None
    label = f"not defined in `{module}`" + (f" ({origin})" if origin else "")
    finding = Finding(
        code=UNRESOLVED_IMPORT_NAME.code,
        rule=UNRESOLVED_IMPORT_NAME.name,
        message=f"cannot import name `{name}` from `{module}`",
        path=file.display,
        span=span,
        label=label,
        notes=tuple(resolution.notes),
        suggestions=file.suggest(name, resolution, span),
        symbol=module,
        expression=f"from {module} import {name}",
        package=origin,
        confidence=resolution.confidence,
        name=name,
        nearest=tuple(nearest_names(name, resolution.members)),
    )
    return with_hint(finding, file.member_hint(resolution, name))


def _submodules_note(namespace: ModuleNamespace) -> str:
    """What the target interpreter imports under a standard-library module's name."""
    listed = ", ".join(f"`{name}`" for name in sorted(namespace.submodules)) or "none"
    if namespace.package:
        return f"the submodules of {namespace.described}: {listed}"
    return f"{namespace.described} is a module, not a package; importing it registers: {listed}"


def _replace_last(dotted: str, name: str) -> str:
    return dotted.rsplit(".", 1)[0] + "." + name if "." in dotted else name


def _submodule_names(finder: ModuleFinder, package: str) -> set[str]:
    names: set[str] = set()
    for folder in finder.package_dirs(package):
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        for entry in entries:
            stem = entry.split(".", 1)[0]
            if stem and stem.isidentifier() and not entry.endswith((".pyc", ".dist-info")):
                names.add(stem)
    return names


def _init_is_dynamic(folder: Path) -> bool:
    try:
        text = (folder / "__init__.py").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True
    return "sys.modules" in text or "__path__" in text or "__getattr__" in text
