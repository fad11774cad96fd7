"""HAL003 missing-dependency: a module the target lacks that is real elsewhere -> a warning
naming where it comes from (a distribution on PyPI, the standard library of a newer Python);
and the evidence an HAL001 finding gets from the package index.

The import check (``unresolved_import.py``) asks :func:`dependency_finding` first for every
top-level module it cannot find; only what no well-known source provides stays HAL001.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..knowledge.module_origin import Kind, Origin, origin_of
from ..knowledge.online import published_since
from ..knowledge.package_index import IndexError_, shipped
from ..model import Finding, Severity
from .base import Case, Rule

if TYPE_CHECKING:
    from ..syntax.refs import ImportRef
    from .context import FileContext

MISSING_DEPENDENCY = Rule(
    code="HAL003",
    name="missing-dependency",
    summary="a real module the target environment lacks: a distribution on PyPI not installed, "
    "or standard library of a newer Python",
    severity=Severity.WARNING,
    docs="""\
## What it does
Reports `import x` where module `x` is not in the target environment but is real: a well-known
distribution on PyPI provides it (`yaml` is PyYAML, `cv2` is opencv-python, `sklearn` is
scikit-learn, or a popular distribution of the same name), or it is in the standard library of
a newer Python than the target's (`tomllib` from 3.11, `annotationlib` from 3.14). The message
names the distribution to install, or the Python version needed.

## Why is this bad?
The code fails at import, but unlike an invented module (HAL001) the fix is in the environment,
not in the code: `pip install PyYAML`, or a newer Python. Telling them apart is what decides
between rewriting the code and installing a dependency.

## Example
```python
import tomllib  # checked against a Python 3.10 environment
```
Use instead:
```python
try:
    import tomllib
except ImportError:  # Python < 3.11
    import tomli as tomllib
```

## Known problems
Distributions come from a dated snapshot of PyPI shipped with halluc-check (`halluc-check
--version` shows its date) and a curated table of import names that differ from their
distribution's. A module whose name is only that of a little-used distribution stays HAL001
(with a note): models invent such names and squatters register them. A warning, not an error:
select it with `--select HAL003`, or leave it out with `--ignore missing-dependency`.
""",
    valid=(Case("import json\n"),),
    invalid=(Case("import sklearn\n", expected=("sklearn",)),),
)

_SQUAT_NOTE = (
    "a distribution named `{name}` exists on PyPI but is not among its 15,000 most downloaded: "
    "models make such names up and squatters register them, check it is the library the code "
    "means before installing it"
)


def module_origin(file: FileContext, module: str) -> Origin | None:
    """Where a missing top-level module comes from; None when the shipped index is unreadable."""
    major, minor, _ = file.env.version
    try:
        return origin_of(module, (major, minor), file.online)
    except IndexError_:
        return None


def dependency_finding(file: FileContext, ref: ImportRef, module: str) -> Finding | None:
    """The HAL003 finding for ``module`` when it is real elsewhere; None when it is not."""
    origin = module_origin(file, module)
    if origin is None:
        return None
    major, minor, _ = file.env.version
    if origin.kind is Kind.STDLIB_NEWER:
        message = (
            f"`{module}` is in the standard library from Python {origin.python}; "
            f"the target runs Python {major}.{minor}"
        )
        label = f"standard library from {origin.python}"
        package = "python"
    elif origin.kind is Kind.DISTRIBUTION:
        dist = origin.distributions[0]
        message = f"`{module}` is not installed; it is provided by `{dist}` (`pip install {dist}`)"
        label = f"not installed in {file.env.label}"
        package = dist
    else:
        return None
    others = origin.distributions[1:]
    notes = (f"also provided by {', '.join(f'`{d}`' for d in others)}",) if others else ()
    return Finding(
        code=MISSING_DEPENDENCY.code,
        rule=MISSING_DEPENDENCY.name,
        message=message,
        path=file.display,
        span=ref.span,
        severity=MISSING_DEPENDENCY.severity,
        label=label,
        notes=notes,
        symbol=module,
        expression=ref.module,
        package=package,
        name=module,
    )


def unknown_module_evidence(file: FileContext, module: str) -> tuple[str | None, tuple[str, ...]]:
    """For an HAL001 finding on top-level ``module``: its label from the package index, and
    notes (a little-used distribution of that name, a standard-library module removed)."""
    origin = module_origin(file, module)
    if origin is None:
        return None, ()
    if origin.kind is Kind.STDLIB_REMOVED:
        return (
            f"removed from the standard library in Python {origin.python}",
            (f"`{module}` was removed from the standard library in Python {origin.python}",),
        )
    date = shipped().date
    if origin.kind is Kind.OBSCURE:
        notes: tuple[str, ...] = (_SQUAT_NOTE.format(name=origin.distributions[0]),)
        if origin.online and file.online is not None:
            notes = (*notes, published_since(date, file.online.url))
        return None, notes
    if origin.kind is Kind.UNKNOWN and origin.online is False:
        return None, ()  # --online asked and got no answer: nothing is known about PyPI
    if origin.kind is Kind.UNKNOWN:
        confirmed = f", nor {file.online.url} now" if origin.online and file.online else ""
        return f"no distribution on PyPI provides `{module}` (index of {date}{confirmed})", ()
    return None, ()
