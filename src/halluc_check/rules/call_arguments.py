"""HAL201 unknown-keyword-argument and HAL202 too-many-positional-arguments: one pass over a
file's calls.

The callee of each call is inferred (from the receiver the attribute check inferred, when there
is one) and the resolver works out what it accepts, through every overload and every
``**kwargs`` it forwards (see :mod:`~halluc_check.resolve.signatures`). Calls under a guard,
calls that unpack ``*args``/``**mapping``, methods of receivers narrowed by ``isinstance`` and
calls whose opening line tells type checkers to ignore it (``# type: ignore[call-arg]``) are
skipped; so is any call whose accepted keywords cannot be listed.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from ..model import Finding, Span, Suggestion
from ..resolve.verdicts import Accepted, CallSite, Owner
from ..suggest import close_names, nearest_names
from ..text import split_lines
from .base import Case, Check, Rule
from .context import FileContext, shorten, with_hint

if TYPE_CHECKING:
    from ..resolve.signatures import SignatureResolver
    from ..syntax.refs import CallRef

LOG = logging.getLogger(__name__)

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


class CallCheck(Check):
    """Every unguarded call of a file whose arguments can be counted and named."""

    rules = (UNKNOWN_KEYWORD, TOO_MANY_POSITIONAL)

    def run(self, file: FileContext) -> None:
        from ..resolve.signatures import SignatureResolver  # jedi loads only when checking

        signatures = SignatureResolver(file.resolver)
        # `x.method(...)` where `x` is narrowed by isinstance: its declared type says little
        narrowed = {
            (ref.span.end_line, ref.span.end_column)
            for ref in file.collected.attributes
            if ref.narrowed or ref.guarded
        }
        lines = split_lines(file.source)
        for call in file.collected.calls:
            if call.guarded or call.unpacking or call.func_end in narrowed:
                continue
            if _ignored_by_type_checkers(lines, call.func_end[0]):
                continue
            _check_call(file, call, signatures)


#: ``# type: ignore`` (bare or naming mypy's ``call-arg``/``misc``) or ``# pyright: ignore``
#: (bare or ``reportCallIssue``) where type checkers report a call's arguments: the line of the
#: call's opening, whichever argument is wrong
_CALL_IGNORED = re.compile(
    r"#\s*type:\s*ignore(?:\[[^\]]*\b(?:call-arg|misc)\b[^\]]*\])?(?![\w\[-])"
    r"|#\s*pyright:\s*ignore(?:\[[^\]]*\breportCallIssue\b[^\]]*\])?(?![\w\[-])"
)


def _ignored_by_type_checkers(lines: list[str], line: int) -> bool:
    """Whether the author told type checkers that the call opening on ``line`` is wrong for
    them: code kept for another version of the callee's library."""
    if not 0 < line <= len(lines) or "#" not in lines[line - 1]:
        return False
    return _CALL_IGNORED.search(lines[line - 1]) is not None


def _check_call(file: FileContext, call: CallRef, signatures: SignatureResolver) -> None:
    receivers = file.receivers.get(call.func_end)
    if receivers is not None:
        values = file.resolver.member_values(receivers, call.func_end)
    else:
        values = file.resolver.infer_at(call.func_end)
    if not values:
        return
    site = CallSite(frozenset(k.name for k in call.keywords), len(call.positional))
    accepted = signatures.accepted(values, site, receivers=receivers)
    if accepted is None:
        return
    for keyword in call.keywords:
        if accepted.keywords_open:
            LOG.debug(
                "%s:%d: keywords of `%s` not checked: %s",
                file.display,
                keyword.span.line,
                shorten(call.func_text),
                accepted.keywords_open,
            )
            break
        if accepted.unexpected(keyword.name):
            file.findings.append(_unknown_keyword(file, call, keyword.name, keyword.span, accepted))
    if accepted.too_many(len(call.positional)):
        assert accepted.max_positional is not None
        file.findings.append(_too_many_positional(file, call, accepted.max_positional, accepted))


def _call_notes(file: FileContext, call: CallRef, accepted: Accepted) -> list[str]:
    notes = []
    if accepted.owner:
        origin = _package_of(file, accepted)
        notes.append(
            f"`{shorten(call.func_text)}` resolved to `{accepted.owner}`"
            + (f" ({origin})" if origin else "")
        )
    if accepted.forwarded_to:
        through = ", ".join(f"`{n}`" for n in dict.fromkeys(accepted.forwarded_to))
        notes.append(f"`**kwargs` is forwarded to {through}")
    return notes


def _unknown_keyword(
    file: FileContext, call: CallRef, name: str, span: Span, accepted: Accepted
) -> Finding:
    notes = _call_notes(file, call, accepted)
    public = [n for n in _in_order(accepted) if not n.startswith("_")]
    if len(public) <= 12:
        listing = ", ".join(f"`{n}`" for n in public) if public else "none"
        notes.append(f"accepted keyword arguments: {listing}")
    message = f"`{accepted.callee}` got an unexpected keyword argument `{name}`"
    label = f"not a parameter of `{accepted.callee}`"
    if name in accepted.positional_only:
        message = f"`{accepted.callee}` takes `{name}` by position only, not as a keyword"
        label = "a positional-only parameter (`/` in the signature)"
    finding = Finding(
        code=UNKNOWN_KEYWORD.code,
        rule=UNKNOWN_KEYWORD.name,
        message=message,
        path=file.display,
        span=span,
        label=label,
        notes=tuple(notes),
        suggestions=tuple(
            Suggestion(f"did you mean `{real}`?", real, span)
            for real in close_names(name, accepted.names)
        ),
        symbol=accepted.owner,
        expression=shorten(f"{call.func_text}({name}=...)", 80),
        package=_package_of(file, accepted),
        name=name,
        nearest=tuple(nearest_names(name, accepted.names)),
        signatures=tuple(accepted.rendered()),
    )
    hint = None
    if accepted.owner and file.env.is_library_path(accepted.path):
        hint = file.migrations.for_keyword(accepted.owner, name, file.env, file.qualnames)
    return with_hint(finding, hint)


def _too_many_positional(
    file: FileContext, call: CallRef, limit: int, accepted: Accepted
) -> Finding:
    first_extra = call.positional[limit]
    last = call.positional[-1]
    given = len(call.positional)
    takes = f"{limit} positional argument" + ("" if limit == 1 else "s")
    return Finding(
        code=TOO_MANY_POSITIONAL.code,
        rule=TOO_MANY_POSITIONAL.name,
        message=f"`{accepted.callee}` takes {takes} but {given} were given",
        path=file.display,
        span=Span(first_extra.line, first_extra.column, last.end_line, last.end_column)
        if last.line == first_extra.line
        else first_extra,
        label="too many positional arguments",
        notes=tuple(_call_notes(file, call, accepted)),
        symbol=accepted.owner,
        expression=shorten(call.func_text, 80),
        package=_package_of(file, accepted),
        signatures=tuple(accepted.rendered()),
    )


def _package_of(file: FileContext, accepted: Accepted) -> str | None:
    if not accepted.owner:
        return None
    module = accepted.owner.rsplit(".", 1)[0]
    return file.origin(Owner("function", accepted.owner, module, accepted.path))


def _in_order(accepted: Accepted) -> list[str]:
    """Accepted names in declaration order, then the rest (read from **kwargs) sorted."""
    ordered = [n for n in accepted.ordered if n in accepted.names]
    return ordered + sorted(accepted.names - set(ordered))
