"""HAL101 unresolved-attribute: an attribute or method that the resolved receiver does not have.

Each ``receiver.name`` of a file is looked up on what its receiver infers to. Only the first
missing link of a chain is reported (``client.chat.completion.create`` -> ``completion``). An
access is skipped when it is guarded (``hasattr``, ``try``/``except AttributeError``, version or
platform checks), its receiver is narrowed by ``isinstance``, the name is assigned anywhere in
the file, or it goes through ``super()``; ``self.name`` is settled by the class's own body first.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from ..model import Confidence, Finding
from ..resolve.verdicts import DataKeys, Resolution, Verdict
from ..suggest import nearest_names
from ..syntax.data_keys import data_names
from ..syntax.refs import dunder
from .base import Case, Check, Rule
from .context import FileContext, shorten, with_hint

if TYPE_CHECKING:
    from ..syntax.refs import AttributeRef

LOG = logging.getLogger(__name__)

_ABSTRACT_NAME = re.compile(r"(Mixin|Base|Interface|ABC)$|^(Base|Abstract)[A-Z_]")

UNRESOLVED_ATTRIBUTE = Rule(
    code="HAL101",
    name="unresolved-attribute",
    summary="an attribute or method that the module, class or instance it is looked up on does not have",
    docs="""\
## What it does
Reports `receiver.name` where the receiver resolves, through the installed packages, to a module,
class or instance whose namespace is closed and has no `name`: not in the class or any base, not
assigned on instances, not provided by `__getattr__`.

## Why is this bad?
Generated code invents plausible names: `client.chat.completion` for `completions`,
`requests.get(url).json_data()`, `os.path.exist`. The code raises `AttributeError` only when
that line runs, often in production.

## Example
```python
import json
data = json.parse("{}")
```
Use instead:
```python
import json
data = json.loads("{}")
```

## Known problems
Receivers that cannot be inferred (untyped parameters, `Any`, complex generics) are never
reported, nor are accesses guarded by `hasattr`, `getattr`, `try`/`except AttributeError`,
`isinstance` checks, or platform and version checks. Objects with `__getattr__`, dynamic
`setattr`, metaclasses (but pydantic 2's, whose added names are known) or unresolvable base
classes are treated as open. A *called* name that only a data-returning `__getattr__` could
answer (pandas' removed `DataFrame.append`) is reported at medium confidence, and so is a name
missing on a pydantic model that keeps the extra keys of its data (`extra="allow"`, as openai's
response objects do), unless the file gives the model that key.
""",
    valid=(
        Case("import json\njson.loads('{}')\n"),
        Case("import json\nif hasattr(json, 'lodas'):\n    json.lodas('{}')\n"),
        Case("def f(x):\n    return x.anything\n"),
    ),
    invalid=(
        Case("import json\njson.lodas('{}')\n", expected=("lodas",)),
        Case("import os.path\nos.path.exist('a')\n", expected=("exist",)),
    ),
)


class AttributeCheck(Check):
    """Every attribute load of a file, each chain from its innermost link outwards."""

    rules = (UNRESOLVED_ATTRIBUTE,)

    def run(self, file: FileContext) -> None:
        states: dict[int, Verdict] = {}
        for index in range(len(file.collected.attributes)):
            _check_attribute(file, index, states)


def _check_attribute(file: FileContext, index: int, states: dict[int, Verdict]) -> Verdict:
    if index in states:
        return states[index]
    ref = file.collected.attributes[index]
    states[index] = Verdict.UNKNOWN
    if ref.inner is not None and _check_attribute(file, ref.inner, states) is Verdict.MISSING:
        states[index] = Verdict.MISSING  # only the first missing link of a chain is reported
        return Verdict.MISSING
    skip = _skip_reason(file, ref)
    if skip:
        _skipped(file, ref, skip)
        return Verdict.UNKNOWN
    resolver = file.resolver
    if ref.base_text in ("self", "cls") and resolver.defined_in_own_class(ref.base_end, ref.attr):
        states[index] = Verdict.EXISTS
        return Verdict.EXISTS
    values = resolver.infer_at(ref.base_end)
    file.receivers[(ref.span.end_line, ref.span.end_column)] = values
    if not values:
        _skipped(file, ref, "receiver not inferred")
        return Verdict.UNKNOWN
    resolution = resolver.lookup(values, ref.attr, called=ref.called, typing=ref.in_annotation)
    if resolution.verdict is Verdict.MISSING and _open_self(file, ref, resolution):
        resolution = Resolution(Verdict.UNKNOWN, "`self` may be a subclass instance")
    if resolution.verdict is Verdict.MISSING:
        resolution = _confirm_all_definitions(file, ref, resolution)
    if resolution.verdict is Verdict.MISSING and resolution.data_keys is not DataKeys.NONE:
        resolution = _weigh_data_keys(file, ref, resolution)
    if resolution.verdict is Verdict.UNKNOWN:
        _skipped(file, ref, resolution.reason)
    states[index] = resolution.verdict
    if resolution.verdict is Verdict.MISSING:
        file.findings.append(_missing_attribute(file, ref, resolution))
    return resolution.verdict


def _confirm_all_definitions(
    file: FileContext, ref: AttributeRef, resolution: Resolution
) -> Resolution:
    """A reassigned variable must miss the name under every one of its definitions."""
    alternatives = file.resolver.definition_values(ref.base_end)
    if alternatives is None:
        return resolution
    if any(not values for values in alternatives):
        return Resolution(Verdict.UNKNOWN, "a definition of the receiver is not inferred")
    union = [value for values in alternatives for value in values]
    again = file.resolver.lookup(union, ref.attr, called=ref.called, typing=ref.in_annotation)
    return resolution if again.verdict is Verdict.MISSING else again


def _weigh_data_keys(file: FileContext, ref: AttributeRef, resolution: Resolution) -> Resolution:
    """A name missing on a model whose instances may also have the keys of their data: not
    reported when the file gives it as data, at medium confidence when the file validates
    with an ``extra=`` argument."""
    named = data_names(file.source)
    if ref.attr in named.keys:
        return Resolution(Verdict.UNKNOWN, "the file gives the name as a model's data")
    if named.validates_with_extra:
        resolution.confidence = Confidence.MEDIUM
    return resolution


def _skip_reason(file: FileContext, ref: AttributeRef) -> str | None:
    if dunder(ref.attr):
        return "dunder attribute"
    if ref.guarded:
        return "guarded by hasattr/getattr, try/except or a version/platform check"
    if ref.narrowed:
        return "receiver narrowed by isinstance"
    if ref.attr in file.collected.stored_attributes:
        return "attribute assigned somewhere in this file"
    if ref.base_text.startswith("super("):
        return "super() looks up the MRO of the instance's actual type"
    return None


def _skipped(file: FileContext, ref: AttributeRef, reason: str) -> None:
    LOG.debug(
        "%s:%d:%d: not checked `%s`: %s",
        file.display,
        ref.span.line,
        ref.span.column + 1,
        shorten(ref.expression, 60),
        reason,
    )


def _open_self(file: FileContext, ref: AttributeRef, resolution: Resolution) -> bool:
    """``self.x`` inside a class that is subclassed here, or named like a base or mixin."""
    if ref.base_text not in ("self", "cls"):
        return False
    return any(
        owner.short in file.collected.subclassed or _ABSTRACT_NAME.search(owner.short)
        for owner in resolution.owners
    )


def _missing_attribute(file: FileContext, ref: AttributeRef, resolution: Resolution) -> Finding:
    owner = resolution.owners[0]
    if owner.kind == "module":
        message = f"module `{owner.qualname}` has no attribute `{ref.attr}`"
    elif owner.kind == "class":
        message = f"class `{owner.short}` has no attribute `{ref.attr}`"
    else:
        message = f"`{owner.short}` has no attribute `{ref.attr}`"
    origin = file.origin(owner)
    described = " or ".join(dict.fromkeys(o.described for o in resolution.owners))
    notes = [
        f"`{shorten(ref.base_text)}` resolved to {described}" + (f" ({origin})" if origin else ""),
        *resolution.notes,
    ]
    if resolution.data_keys is DataKeys.ALLOWED:
        notes.append(
            f'`{owner.short}` allows extra keys (`extra="allow"`): an instance also has the '
            f"keys of the data it was validated from, and nothing in this file gives it "
            f"`{ref.attr}`"
        )
    elif resolution.data_keys is DataKeys.POSSIBLE and resolution.confidence is Confidence.MEDIUM:
        notes.append(
            f"this file validates with an `extra=` argument: an instance of `{owner.short}` may "
            f"also have the keys of its data, and nothing in this file gives it `{ref.attr}`"
        )
    elif resolution.confidence is Confidence.MEDIUM:
        notes.append(
            f"`{owner.short}` has a `__getattr__` that only returns data, which cannot be called"
        )
    finding = Finding(
        code=UNRESOLVED_ATTRIBUTE.code,
        rule=UNRESOLVED_ATTRIBUTE.name,
        message=message,
        path=file.display,
        span=ref.span,
        label=f"not found on `{owner.qualname}`",
        notes=tuple(notes),
        suggestions=file.suggest(ref.attr, resolution, ref.span),
        symbol=owner.qualname,
        expression=shorten(ref.expression, 80),
        package=origin,
        confidence=resolution.confidence,
        name=ref.attr,
        nearest=tuple(nearest_names(ref.attr, resolution.members)),
    )
    return with_hint(finding, file.member_hint(resolution, ref.attr))
