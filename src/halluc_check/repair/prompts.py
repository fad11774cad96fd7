"""The texts sent to a chat model by ``halluc-check repair`` and ``halluc-check generate``.

Every prompt states the problems halluc-check proved and, beside each, the real API facts it
resolved in the target environment: the owner's existing names closest to the invented one, the
callee's real signature, where the name is defined now, and the checker's notes. The model is asked
for the whole file in one fenced ``python`` block, so that the answer can be re-checked as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..model import Finding
from .facts import ApiFacts

REPAIR_SYSTEM = (
    "You repair Python code that uses APIs which do not exist in the installed versions of its "
    "libraries: invented modules, names, attributes, methods and keyword arguments. You are given "
    "the code, the problems a static checker proved against the installed packages, and the real "
    "API around each problem. Fix every listed problem using only the real API given or APIs you "
    "are certain exist in these versions. Keep the program's behaviour and keep everything else "
    "unchanged. Answer with the complete corrected file in a single ```python code block and "
    "nothing else."
)

GENERATE_SYSTEM = (
    "You write Python code. Use only modules, functions, classes, methods and keyword arguments "
    "that exist in the current versions of the libraries you use. Answer with the complete "
    "program in a single ```python code block and nothing else."
)

ANSWER_FORMAT = "Answer with the complete corrected file in a single ```python code block."

_MAX_SIGNATURE = 1200
"""Characters of one rendered signature (openai's `create` has dozens of parameters)."""
_MAX_SIGNATURES = 2
_MAX_LINE = 200
"""Characters of the line of code shown beside a problem."""
_MAX_FINDINGS = 40


def repair_prompt(code: str, path: str, facts: Sequence[ApiFacts], *, python: str = "") -> str:
    """The first message of a repair: what is wrong, what is real, and the code.

    ``python`` is the target interpreter's version (``3.11``), named beside the packages.
    """
    versions = [f"Python {python}"] if python else []
    versions.extend(_versions(f.finding for f in facts))
    where = f" ({', '.join(versions)})" if versions else ""
    return (
        f"The Python file `{path}` below was checked against the packages installed where it "
        f"will run{where}. These references do not exist there:\n\n"
        f"{describe_problems(code, facts)}\n\n"
        f"Rewrite the file so that it uses only APIs that exist. {ANSWER_FORMAT}\n\n"
        f"{fenced(code)}"
    )


def generate_prompt(task: str) -> str:
    """The first message of ``generate``: the user's task and the answer format."""
    return f"{task.strip()}\n\nAnswer with the complete program in a single ```python code block."


def still_wrong(code: str, facts: Sequence[ApiFacts]) -> str:
    """Feedback on an answer whose code still has (other) problems."""
    return (
        "The checker still finds references that do not exist in the installed packages:\n\n"
        f"{describe_problems(code, facts)}\n\n"
        f"Fix them without changing anything else. {ANSWER_FORMAT}"
    )


def worse_than_before(
    code: str, facts: Sequence[ApiFacts], best: str, best_facts: Sequence[ApiFacts]
) -> str:
    """Feedback on an answer with more problems than the best version seen: restart from that one."""
    problems = "problem" if len(facts) == 1 else "problems"
    return (
        f"Your version is worse: it has {len(facts)} {problems} where an earlier version had "
        f"{len(best_facts)}. Its problems:\n\n{describe_problems(code, facts)}\n\n"
        "Start again from the earlier version below and fix its problems without introducing "
        f"new ones:\n\n{describe_problems(best, best_facts)}\n\n{ANSWER_FORMAT}\n\n{fenced(best)}"
    )


def does_not_parse(message: str) -> str:
    """Feedback on an answer whose code is not valid Python."""
    return f"The code in your answer is not valid Python: {message}. {ANSWER_FORMAT}"


def no_code() -> str:
    """Feedback on an answer without any Python code."""
    return f"Your answer contained no Python code. {ANSWER_FORMAT}"


def describe_problems(code: str, facts: Sequence[ApiFacts]) -> str:
    """A numbered list: each problem with its line of code and the real API facts beside it."""
    lines = code.splitlines()
    blocks: list[str] = []
    for number, item in enumerate(facts[:_MAX_FINDINGS], start=1):
        blocks.append(_problem(number, item, lines))
    if len(facts) > _MAX_FINDINGS:
        blocks.append(f"... and {len(facts) - _MAX_FINDINGS} more.")
    return "\n".join(blocks)


def fenced(code: str) -> str:
    """``code`` in a ```python fence long enough not to be closed by a fence inside the code."""
    fence = "```"
    while fence in code:
        fence += "`"
    return f"{fence}python\n{code.rstrip()}\n{fence}"


def _problem(number: int, facts: ApiFacts, lines: Sequence[str]) -> str:
    finding = facts.finding
    line = finding.span.line
    out = [f"{number}. line {line}: {finding.message} [{finding.code} {finding.rule}]"]
    if 1 <= line <= len(lines) and lines[line - 1].strip():
        out.append(f"   code: `{_clip(lines[line - 1].strip(), _MAX_LINE)}`")
    name = finding.name
    owner = finding.symbol
    if finding.code in ("HAL201", "HAL202"):
        signatures = facts.signatures[:_MAX_SIGNATURES]
        for signature in signatures:
            out.append(f"   real signature: `{_clip(signature)}`")
        if len(facts.signatures) > len(signatures):
            out.append(f"   ({len(facts.signatures) - len(signatures)} more overloads)")
        if name and facts.nearest:
            out.append(
                f"   accepted keyword arguments closest to `{name}`: {_names(facts.nearest)}"
            )
    elif name and facts.nearest:
        where = f" in `{owner}`" if owner and finding.code != "HAL001" else ""
        kind = "installed modules" if finding.code == "HAL001" else "real names"
        out.append(f"   {kind}{where} closest to `{name}`: {_names(facts.nearest)}")
    if name and facts.defined_in:
        out.append(f"   `{name}` is defined in: {_names(facts.defined_in)}")
    if facts.module:
        out.append(f"   {facts.module}")
    out.extend(f"   note: {note}" for note in facts.notes)
    return "\n".join(out)


def _names(names: Sequence[str]) -> str:
    return ", ".join(f"`{n}`" for n in names)


def _clip(text: str, limit: int = _MAX_SIGNATURE) -> str:
    return text if len(text) <= limit else text[: limit - 4] + " ..."


def _versions(findings: Iterable[Finding]) -> list[str]:
    """The installed distributions the findings are about, once each: ``openai 3.57.0``."""
    seen: dict[str, None] = {}
    for finding in findings:
        package = finding.package
        if package and not package.startswith(("defined in", "typeshed", "Python ")):
            seen[package] = None
    return list(seen)
