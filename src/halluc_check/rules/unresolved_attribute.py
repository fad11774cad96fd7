"""HAL101 unresolved-attribute: an attribute or method that the resolved receiver does not have."""

from __future__ import annotations

from .base import Case, Rule

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
`setattr`, metaclasses or unresolvable base classes are treated as open. A *called* name that
only a data-returning `__getattr__` could answer (pandas' removed `DataFrame.append`) is
reported at medium confidence.
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
