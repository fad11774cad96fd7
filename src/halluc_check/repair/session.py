"""One conversation's state, without I/O: the messages to send next -> each answer checked and judged.

A :class:`Session` holds the versions of the code seen so far, the best of them (it parses, fewest
findings; the earlier one on a tie), the rounds recorded, and the next messages for the model;
:mod:`halluc_check.repair.driver` does the talking and feeds it the answers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import libcst as cst

from ..api import check_text, get_checker
from ..config import Config
from ..engine.checker import Checker
from ..model import Finding, Result
from ..rules.parse_error import libcst_error_finding
from . import prompts
from .chat import Answer, Message
from .extract import extract_code, normalized
from .facts import ApiFacts, facts_for
from .results import RepairError, RepairResult, Round

_CHECK_LOCK = threading.RLock()
"""jedi is not thread-safe: checks from concurrent repairs (threads, ``arepair``) take turns."""


@dataclass
class _Version:
    code: str
    result: Result
    problem: str | None
    """Why the code does not parse; None when it does."""
    facts: list[ApiFacts] | None = None

    @property
    def parses(self) -> bool:
        return self.problem is None and self.result.checked

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.result.findings

    def better_than(self, other: _Version | None) -> bool:
        if not self.parses:
            return False
        return other is None or not other.parses or len(self.findings) < len(other.findings)


@dataclass
class Session:
    """The conversation's state: what to send next, given each answer. The driver does the I/O."""

    checker: Checker
    path: str | None
    max_rounds: int
    original: _Version | None
    messages: list[Message]
    on_round: Callable[[Round], None] | None = None
    best: _Version | None = None
    best_round: int = 0
    rounds: list[Round] = field(default_factory=list)
    seen: dict[str, tuple[int, _Version]] = field(default_factory=dict)
    stop: str = "max-rounds"
    done: bool = False

    def __post_init__(self) -> None:
        self.best = self.original
        if self.original is not None:
            self.seen[normalized(self.original.code)] = (0, self.original)

    @property
    def start(self) -> Result:
        """The check of the code as given (empty for ``generate``)."""
        if self.original is None:
            return Result(self.path or "<stdin>")
        return self.original.result

    def request(self) -> list[Message] | None:
        """The messages to send now, or None when the conversation is over."""
        if self.done or len(self.rounds) >= self.max_rounds:
            return None
        return [dict(m) for m in self.messages]

    def receive(self, answer: Answer) -> None:
        """Check the answer's code, record the round and prepare the next message."""
        number = len(self.rounds) + 1
        self.messages.append({"role": "assistant", "content": answer.text})
        code = extract_code(answer.text)
        if code is None:
            cut = " (cut off at the token limit)" if answer.finish_reason == "length" else ""
            self._record(number, answer, None, None, f"no code in the answer{cut}")
            if number >= self.max_rounds:
                self._finish("no-code")
            self.messages.append({"role": "user", "content": prompts.no_code()})
            return
        key = normalized(code)
        if key in self.seen:
            earlier, version = self.seen[key]
            same = (
                "returned the code unchanged"
                if earlier == 0
                else f"returned the same code as round {earlier}"
            )
            self._record(number, answer, code, version, same)
            self._finish("loop")
            return
        version = self._check(code)
        self.seen[key] = (number, version)
        note, message = self._judge(version, number)
        if answer.finish_reason == "length":
            note = (note + "; " if note else "") + "cut off at the token limit"
        self._record(number, answer, code, version, note)
        if message is None:
            self._finish("clean")
        else:
            self.messages.append({"role": "user", "content": message})

    def _judge(self, version: _Version, number: int) -> tuple[str | None, str | None]:
        """A note on the version and the feedback to send (None when nothing is left to fix)."""
        best = self.best
        if not version.parses:
            problem = version.problem or version.result.error or "unknown problem"
            return f"does not parse: {problem}", prompts.does_not_parse(problem)
        if version.better_than(best):
            self._improve(version, number)
            if not version.findings:
                return None, None
            return None, prompts.still_wrong(version.code, self._facts(version))
        assert best is not None  # a version that parses is better than none
        label = self._label(self.best_round)
        if len(version.findings) > len(best.findings):
            feedback = prompts.worse_than_before(
                version.code, self._facts(version), best.code, self._facts(best)
            )
            return f"worse than {label} ({len(best.findings)} findings)", feedback
        return f"no better than {label}", prompts.still_wrong(version.code, self._facts(version))

    def result(self, *, stop: str | None = None) -> RepairResult:
        best = self.best
        original = self.original
        return RepairResult(
            original=original.code if original is not None else "",
            code=best.code if best is not None else "",
            findings=best.findings if best is not None else (),
            initial_findings=original.findings if original is not None else (),
            rounds=tuple(self.rounds),
            stop=stop or self.stop,
            best_round=self.best_round,
            path=self.path or "<stdin>",
            parses=best.parses if best is not None else False,
        )

    # -- helpers -------------------------------------------------------------------------------------
    def _check(self, code: str) -> _Version:
        return check_version(self.checker, code, self.path)

    def _facts(self, version: _Version) -> list[ApiFacts]:
        if version.facts is None:
            with _CHECK_LOCK:
                version.facts = [facts_for(f, self.checker.env) for f in version.findings]
        return version.facts

    def _improve(self, version: _Version, number: int) -> None:
        if self.original is None:
            self.original = version  # generate: the first code that parses is the baseline
        self.best, self.best_round = version, number

    def _label(self, number: int) -> str:
        return "the original" if number == 0 and self.original is not None else f"round {number}"

    def _record(
        self,
        number: int,
        answer: Answer,
        code: str | None,
        version: _Version | None,
        note: str | None,
    ) -> None:
        entry = Round(
            number=number,
            answer=answer.text,
            code=code,
            findings=version.findings if version is not None else (),
            parses=version.parses if version is not None else False,
            usage=answer.usage,
            note=note,
            finish_reason=answer.finish_reason,
        )
        self.rounds.append(entry)
        if self.on_round is not None:
            self.on_round(entry)

    def _finish(self, stop: str) -> None:
        self.stop = stop
        self.done = True


def check_version(checker: Checker, code: str, path: str | None) -> _Version:
    with _CHECK_LOCK:
        result = check_text(checker, code, path)
    return _Version(code, result, _parse_problem(code))


def repair_session(
    code: str,
    *,
    config: Config | None,
    path: str | None,
    max_rounds: int,
    on_round: Callable[[Round], None] | None,
) -> Session:
    """The session repairing ``code``: checked, its findings and their facts in the first prompt.

    Raises :class:`RepairError` when ``code`` cannot be checked, ValueError for a bad ``max_rounds``
    or a Markdown or notebook ``path``.
    """
    _check_rounds(max_rounds)
    if path is not None and path.lower().endswith((".md", ".markdown", ".ipynb")):
        raise ValueError("repair works on Python source; Markdown and notebooks are not supported")
    with _CHECK_LOCK:
        checker = get_checker(config)
    original = check_version(checker, code, path)
    if original.result.error is not None:
        raise RepairError(
            f"cannot check {original.result.path}: {original.result.error}", kind="check"
        )
    if original.problem is not None and not original.findings:
        # parse errors are not selected (HAL900 ignored): there is nothing the model is told to fix
        raise RepairError(
            f"cannot check {original.result.path}: it does not parse ({original.problem})",
            kind="check",
        )
    facts = _facts_of(checker, original)
    major, minor, _ = checker.env.version
    messages = [
        {"role": "system", "content": prompts.REPAIR_SYSTEM},
        {
            "role": "user",
            "content": prompts.repair_prompt(
                code, path or "generated.py", facts, python=f"{major}.{minor}"
            ),
        },
    ]
    session = Session(checker, path, max_rounds, original, messages, on_round)
    if not original.findings and original.parses:
        session._finish("clean")
    return session


def generate_session(
    task: str,
    *,
    config: Config | None,
    path: str | None,
    max_rounds: int,
    on_round: Callable[[Round], None] | None,
) -> Session:
    """The session writing code for ``task``: one answer to write it, ``max_rounds`` to repair it."""
    _check_rounds(max_rounds)
    with _CHECK_LOCK:
        checker = get_checker(config)
    messages = [
        {"role": "system", "content": prompts.GENERATE_SYSTEM},
        {"role": "user", "content": prompts.generate_prompt(task)},
    ]
    # the first answer writes the code; up to `max_rounds` more repair it
    return Session(checker, path, max_rounds + 1, None, messages, on_round)


def _facts_of(checker: Checker, version: _Version) -> list[ApiFacts]:
    with _CHECK_LOCK:
        version.facts = [facts_for(f, checker.env) for f in version.findings]
    return version.facts


def _check_rounds(max_rounds: int) -> None:
    if max_rounds < 1:
        raise ValueError(f"max_rounds must be at least 1, not {max_rounds}")


def _parse_problem(code: str) -> str | None:
    """Why ``code`` is not valid Python (``line 3: invalid syntax``), or None when it parses."""
    try:
        cst.parse_module(code)
    except cst.ParserSyntaxError as exc:
        finding = libcst_error_finding(exc, code, "<answer>")
        return f"line {finding.span.line}: {finding.message.removeprefix('cannot parse: ')}"
    except (RecursionError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None
