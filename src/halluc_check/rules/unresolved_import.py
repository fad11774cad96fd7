"""HAL001 unresolved-import and HAL002 unresolved-import-name."""

from __future__ import annotations

from .base import Case, Rule

UNRESOLVED_IMPORT = Rule(
    code="HAL001",
    name="unresolved-import",
    summary="a module that exists nowhere: not installed, not in the standard library, not in the project",
    docs="""\
## What it does
Reports `import x` and `from x import y` where module `x` (or a submodule `x.sub`) is found
neither in the target environment's `sys.path`, nor in the standard library of the target
interpreter, nor in the checked project.

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
A package that is simply not installed in the target environment looks the same as an
invented one: point `--python` at the environment the code runs in. Imports guarded by
`try`/`except ImportError` or by platform and version checks are not reported.
""",
    valid=(
        Case("import json\nimport os.path\n"),
        Case("try:\n    import simplejson as json\nexcept ImportError:\n    import json\n"),
    ),
    invalid=(
        Case("import telegraf_hallucinated\n", expected=("telegraf_hallucinated",)),
        Case("import json.fancy\n", expected=("json.fancy",)),
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
