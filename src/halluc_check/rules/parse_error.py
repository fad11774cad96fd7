"""HAL900 parse-error: the source could not be parsed, so nothing in it was checked."""

from __future__ import annotations

from .base import Case, Rule

PARSE_ERROR = Rule(
    code="HAL900",
    name="parse-error",
    summary="the source is not valid Python and could not be checked",
    docs="""\
## What it does
Reports source that does not parse as Python 3, at the place where parsing failed.

## Why is this bad?
Generated code is often truncated when a model hits its token limit, or mixes prose and
Python 2 into code. Nothing in such a file can be checked, and it would not run either.

## Example
```python
def answer(question:
    return openai.chat(question)
```

## Known problems
Only the first syntax error of a file is reported.
""",
    valid=(Case("x = 1\n"),),
    invalid=(Case('print "hello"\n', expected=("parse-error",)),),
)
