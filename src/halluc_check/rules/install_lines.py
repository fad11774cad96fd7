"""HAL301 nonexistent-package and HAL302 suspicious-package: the distributions an install line
or a requirement names -> findings for names PyPI does not have and near misses of popular ones.

Install lines come from ``pip install`` comments of Python files (this check), from the shell
blocks of Markdown answers, the ``%pip``/``!pip`` lines of notebooks, requirements files and
``pyproject.toml`` (the engine's units call :func:`install_findings` for those).
"""

from __future__ import annotations

import io
import tokenize
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..knowledge.install_lines import Named, from_command_line
from ..knowledge.near_miss import near_miss
from ..knowledge.online import published_since
from ..knowledge.package_index import IndexError_, normalise, shipped
from ..model import Finding, Severity, Span, Suggestion
from .base import Case, Check, Rule
from .context import FileContext

if TYPE_CHECKING:
    from ..knowledge.online import OnlineIndex

NONEXISTENT_PACKAGE = Rule(
    code="HAL301",
    name="nonexistent-package",
    summary="an install line or requirement names a distribution that does not exist on PyPI",
    docs="""\
## What it does
Reads the distributions named by `pip install`, `python -m pip install`, `uv pip install`,
`uv add`, `poetry add` and `pipenv install` commands (in `# pip install ...` comments, shell
blocks of Markdown answers, `%pip`/`!pip` lines of notebooks), by `requirements*.txt` files and
by `pyproject.toml` (`[project]` dependencies and optional dependencies, `[dependency-groups]`,
`[build-system] requires`), and reports a name that no distribution on PyPI has. When the name
is a near miss of a popular distribution, the finding names that one.

## Why is this bad?
Models recommend packages that do not exist, and the same invented names recur across prompts:
whoever registers such a name first ("slopsquatting") gets their code run by everyone who
follows the answer. Requirement strings are parsed with `packaging`: extras, markers, version
specifiers; a requirement with a URL names nothing on PyPI and is left alone.

## Example
```bash
pip install telegraf-bot-sdk
```
Use instead:
```bash
pip install python-telegram-bot
```

## Known problems
Names are looked up in a dated snapshot of PyPI shipped with halluc-check (`halluc-check
--version` shows its date): a distribution published after it is reported, unless `--online`
is given: then a name the snapshot lacks is asked of the package index (`--index-url`, PyPI's
JSON API by default) and not reported when it does not answer in time. The indexes an install
line names itself (`pip install -i URL`) are not consulted. The files a requirements file includes (`-r other.txt`,
`-c constraints.txt`) are checked too, each once, with findings at their own lines, when the
including file is read from disk (not from standard input or an editor's buffer).
""",
    valid=(Case("# pip install requests 'httpx[http2]>=0.27'\nimport json\n"),),
    invalid=(
        Case(
            "# pip install telegraf-bot-sdk-xyz\nimport json\n", expected=("telegraf-bot-sdk-xyz",)
        ),
    ),
)

SUSPICIOUS_PACKAGE = Rule(
    code="HAL302",
    name="suspicious-package",
    summary="an install line names a little-used distribution whose name is a near miss of a "
    "popular one",
    severity=Severity.WARNING,
    docs="""\
## What it does
Reports a distribution named by an install line or a requirement that exists on PyPI but is
not among its 15,000 most downloaded and whose name is a near miss of a popular one: a
`python-`/`py-` prefix or a `-py`/`-python`/`-api`/`-sdk` suffix added, separators dropped or
moved, one edit away (two for long names). The finding names the popular distribution.

## Why is this bad?
Typosquatting: `reqeusts`, `python-requests` or `beautifulsoup` are registered to catch the
people (and models) who get a popular name slightly wrong.

## Example
```bash
pip install pandas2
```
Use instead:
```bash
pip install pandas
```

## Known problems
A real, little-used project can have a name near a popular one (a plug-in named after its
host): silence it with `# noqa: HAL302` or `--ignore suspicious-package`.
""",
    valid=(Case("# pip install pandas numpy\nimport json\n"),),
    invalid=(Case("# pip install pandas2\nimport json\n", expected=("pandas2",)),),
)


class InstallCheck(Check):
    """The install commands written in a Python file's comments (``# pip install x``)."""

    rules = (NONEXISTENT_PACKAGE, SUSPICIOUS_PACKAGE)

    def run(self, file: FileContext) -> None:
        if "install" not in file.source:
            return
        found = install_findings(
            _comment_lines(file.source), file.display, file.online, file.env.required_names
        )
        file.findings.extend(found)


def _comment_lines(source: str) -> list[Named]:
    found: list[Named] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT and "install" in token.string:
                line, column = token.start
                for named in from_command_line(token.string[1:]):
                    found.append(
                        Named(named.name, line, column + 1 + named.column, named.requirement)
                    )
    except (tokenize.TokenError, SyntaxError):
        pass
    return found


def install_findings(
    names: Iterable[Named],
    display: str,
    online: OnlineIndex | None = None,
    required: frozenset[str] = frozenset(),
) -> list[Finding]:
    """HAL301 and HAL302 findings for the named distributions; none when the index is unreadable.
    With ``online``, a name the snapshot lacks is asked of the package index, and left alone
    when it does not answer. ``required``: the names the target environment's installed
    distributions require (normalised as its ``required_names``): published and in use, however
    close they are to a popular name (openai's ``httpx2``) or new to the snapshot."""
    findings: list[Finding] = []
    try:
        index = shipped()
        for named in names:
            if normalise(named.name).replace("-", "_") in required:
                continue
            exists = index.exists(named.name)
            asked: str | None = None
            if not exists and online is not None:
                answer = online.exists(named.name)
                if answer is None:
                    continue  # not known either way: say nothing
                exists, asked = answer, online.url
            finding = _finding(named, display, exists, index.date, asked)
            if finding is not None:
                findings.append(finding)
    except IndexError_:
        return []
    return findings


def _finding(
    named: Named, display: str, exists: bool, date: str, asked: str | None
) -> Finding | None:
    """``asked``: the package index that answered for a name the snapshot of ``date`` lacks."""
    miss = near_miss(named.name)
    span = Span(named.line, named.column, named.line, named.column + len(named.name))
    suggestions: tuple[Suggestion, ...] = ()
    notes: tuple[str, ...] = ()
    if miss is not None:
        suggestions = (Suggestion(f"did you mean `{miss.intended}`?", miss.intended, span),)
        notes = (
            f"`{miss.intended}` is the {_ordinal(miss.rank)} most downloaded distribution; "
            f"this name is {miss.how}",
        )
    if not exists:
        rule = NONEXISTENT_PACKAGE
        message = f"no distribution named `{named.name}` on PyPI"
        label = f"not on PyPI (index of {date}" + (f", nor {asked} now)" if asked else ")")
    elif miss is not None:
        rule = SUSPICIOUS_PACKAGE
        message = f"`{named.name}` is a little-used near miss of `{miss.intended}`"
        label = f"{miss.how} from `{miss.intended}`"
        if asked:
            notes = (*notes, published_since(date, asked))
    else:
        return None
    return Finding(
        code=rule.code,
        rule=rule.name,
        message=message,
        path=display,
        span=span,
        severity=rule.severity,
        label=label,
        notes=notes,
        suggestions=suggestions,
        symbol=normalise(named.name),
        expression=named.requirement,
        name=named.name,
        nearest=(miss.intended,) if miss else (),
    )


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number:,}{suffix}"
