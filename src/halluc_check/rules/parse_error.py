"""HAL900 parse-error: the source could not be parsed, so nothing in it was checked.

The engine asks the parsers (see :mod:`~halluc_check.syntax.parse`) before anything else; when
they refuse the code, the finding is built here and nothing else runs on the file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Finding, Span
from ..syntax.parse import parse_python
from .base import Case, Check, Rule

if TYPE_CHECKING:
    import libcst as cst

    from .context import FileContext

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


def syntax_error_finding(error: SyntaxError, path: str) -> Finding:
    """HAL900 where Python's own parser stopped."""
    line = error.lineno or 1
    column = max((error.offset or 1) - 1, 0)
    return parse_error_at(error.msg, line, column, path)


def parse_error_at(message: str, line: int, column: int, path: str) -> Finding:
    """HAL900 at ``line``/``column`` (1-based line, 0-based column) with the parser's message."""
    return Finding(
        code=PARSE_ERROR.code,
        rule=PARSE_ERROR.name,
        message=f"cannot parse: {message}",
        path=path,
        span=Span(line, column, line, column + 1),
        label="parsing stopped here",
        notes=("nothing in this file was checked",),
    )


def libcst_error_finding(exc: cst.ParserSyntaxError, source: str, path: str) -> Finding:
    """HAL900 for code libcst cannot parse; CPython's own parser gives the clearer account when
    it fails too."""
    line, column = exc.raw_line, exc.raw_column
    message = str(exc.message).splitlines()[0].rstrip(".") if exc.message else "invalid syntax"
    try:
        parse_python(source)
    except SyntaxError as syntax_error:
        if syntax_error.lineno:
            return syntax_error_finding(syntax_error, path)
    except (ValueError, RecursionError, MemoryError):
        pass
    return parse_error_at(message, line, column, path)


class ParseErrorCheck(Check):
    """Reported by the engine's parse step, before any check runs: nothing to do per file."""

    rules = (PARSE_ERROR,)

    def run(self, file: FileContext) -> None:
        return None
