"""HAL201 unknown-keyword-argument and HAL202 too-many-positional-arguments."""

from __future__ import annotations

from .base import Case, Rule

UNKNOWN_KEYWORD = Rule(
    code="HAL201",
    name="unknown-keyword-argument",
    summary="a keyword argument that the called function, method or class does not accept",
    docs="""\
## What it does
Reports `f(name=...)` where the resolved callee accepts no parameter `name`: not in any overload,
not in the implementation, and not anywhere its `**kwargs` is forwarded to (`requests.get` ->
`request` -> `Session.request`; `json.dumps` -> `cls(**kw)` -> `JSONEncoder.__init__`;
`click.option` -> `Option(...)` -> `super().__init__` -> `Parameter.__init__`, following
Python's MRO of the class actually built). Where `@overload`s in source sit over an
implementation, the implementation decides. A method called on an annotated receiver accepts
what the method or any override of it in a subclass accepts. A parameter before `/` in source
cannot be passed by keyword.

## Why is this bad?
Models invent parameters as readily as methods: `requests.get(url, timeouts=5)`,
`subprocess.run(cmd, capture=True)`, `json.dumps(data, pretty=True)`, renamed ones like
`df.to_csv(path, line_terminator="\\n")`. Each raises `TypeError` when the line runs.

## Example
```python
import json
json.dumps({}, pretty=True)
```
Use instead:
```python
import json
json.dumps({}, indent=2)
```

## Known problems
Silent whenever a path is open: compiled callees (signatures from introspection are unreliable),
`**kwargs` used in any way other than forwarding or reading literal keys, signature-changing
decorators (a decorator is trusted when it returns the function it gets, or is typed
`(f: F) -> F` without a wrapper taking keywords of its own; one jedi cannot infer is not),
classes with metaclasses or `dataclass_transform` (pydantic models), partial objects, `super()`
calls whose next class depends on the instance's actual class, and calls that unpack `*args`
or `**mapping`. typeshed's positional-only markers are not trusted (typeshed sets them where
only positional use is *safe*).
""",
    valid=(
        Case("import json\njson.dumps({}, indent=2, sort_keys=True)\n"),
        Case("import json\njson.dumps({}, cls=None, **{'pretty': True})\n"),
    ),
    invalid=(
        Case("import json\njson.dumps({}, pretty=True)\n", expected=("pretty",)),
        Case("import subprocess\nsubprocess.run(['ls'], capture=True)\n", expected=("capture",)),
    ),
)

TOO_MANY_POSITIONAL = Rule(
    code="HAL202",
    name="too-many-positional-arguments",
    summary="more positional arguments than the called function, method or class can take",
    docs="""\
## What it does
Reports calls that pass more positional arguments than every signature of the resolved callee
can bind, when no signature takes `*args`. Only the callee's own parameters count: `**kwargs`
forwarded elsewhere never carries positional arguments, and a `**kwargs` whose keys cannot be
listed leaves the positional count known.

## Why is this bad?
Generated code passes options positionally to keyword-only parameters
(`client.chat.completions.create("gpt-4o", messages)`) or to a function whose parameters
changed between versions. The call raises `TypeError`.

## Example
```python
import json
json.dumps({}, True)
```
Use instead:
```python
import json
json.dumps({}, skipkeys=True)
```

## Known problems
Calls with `*args` unpacking are never reported, nor callees whose signature is not certain
(compiled functions, decorated functions, classes with metaclasses).
""",
    valid=(Case("import os.path\nos.path.join('a', 'b', 'c', 'd')\n"),),
    invalid=(Case("import json\njson.dumps({}, True)\n", expected=("True",)),),
)
