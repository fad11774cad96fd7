"""Check, then let a chat model repair its own code with the real API in hand; re-check; repeat.

:func:`repair` sends the code, the findings and the real API facts beside each (see
:mod:`halluc_check.repair.facts` and :mod:`halluc_check.repair.prompts`) to any OpenAI-compatible chat endpoint
through the official ``openai`` client, takes the code from the answer (fenced or plain),
re-checks it, and feeds what is still wrong back, for at most ``max_rounds`` answers. The best
version seen (it parses, fewest findings; the earlier one on a tie) is the result: an answer that
makes things worse never replaces a better one, and the original is kept when nothing helped.

Transient failures (rate limits, server errors, timeouts, dropped connections) are retried a
bounded number of times with exponential backoff; everything else stops with a
:class:`RepairError` that carries the result reached so far.
"""

from __future__ import annotations

import asyncio
import difflib
import logging
import os
import random
import re
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import libcst as cst

from ..api import check_text, get_checker
from ..config import Config
from ..engine.checker import Checker, _parse_error
from ..model import Finding, Result
from . import prompts
from .facts import ApiFacts, facts_for

if TYPE_CHECKING:
    from openai import AsyncOpenAI, OpenAI

__all__ = [
    "RepairError",
    "RepairResult",
    "Round",
    "Usage",
    "agenerate",
    "arepair",
    "extract_code",
    "generate",
    "repair",
    "unified_diff",
]

Message = dict[str, str]

DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 1.0
MAX_WAIT = 60.0
"""Longest pause before a retry, whatever the server's ``Retry-After`` asks for."""

LOG = logging.getLogger(__name__)

_CHECK_LOCK = threading.RLock()
"""jedi is not thread-safe: checks from concurrent repairs (threads, ``arepair``) take turns."""


class RepairError(Exception):
    """The model could not be asked, or answered with an error that retrying does not cure.

    ``kind`` is one of ``auth``, ``rate-limit``, ``server``, ``timeout``, ``connection``,
    ``request`` (the server refused the request: unknown model, bad parameters), ``check`` (the
    code could not be checked) or ``openai`` (the client library is missing). ``result`` holds what
    was reached before the failure (the best version seen so far), when anything was.
    """

    def __init__(self, message: str, *, kind: str, result: RepairResult | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.result = result


@dataclass(frozen=True, slots=True)
class Usage:
    """Tokens one answer cost, from the response's ``usage`` field."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0


@dataclass(frozen=True, slots=True)
class Round:
    """One answer of the model and what checking it found."""

    number: int
    """1-based; with :func:`generate`, round 1 is the answer to the task itself."""
    answer: str
    """The answer's text as received."""
    code: str | None
    """The code taken from the answer; None when it held none."""
    findings: tuple[Finding, ...] = ()
    """The findings in ``code`` (a HAL900 parse error when it does not parse)."""
    parses: bool = False
    usage: Usage | None = None
    """None when the server sent no usage."""
    note: str | None = None
    """What happened, when not plain: ``no code in the answer``, ``worse than ...``."""
    finish_reason: str | None = None


@dataclass(frozen=True, slots=True)
class RepairResult:
    """The outcome: the best code seen, its findings, and every round on the way."""

    original: str
    """The code as given (for :func:`generate`: the first code the model wrote, or ``""``)."""
    code: str
    """The best version seen: parses and has the fewest findings; ``original`` when none did better."""
    findings: tuple[Finding, ...]
    """What remains in ``code``."""
    initial_findings: tuple[Finding, ...]
    """The findings in ``original``."""
    rounds: tuple[Round, ...] = ()
    stop: str = "clean"
    """Why it ended: ``clean`` (nothing left), ``max-rounds``, ``loop`` (the model returned code it
    had returned before), ``no-code`` (the last answer held no code) or ``error``."""
    best_round: int = 0
    """The round whose code is ``code``; 0 for ``original``."""
    path: str = "<stdin>"
    parses: bool = True
    """Whether ``code`` is valid Python (only an unparsable original, never improved, is not)."""

    @property
    def clean(self) -> bool:
        """Nothing left to report, and the code parses."""
        return not self.findings and self.parses

    @property
    def changed(self) -> bool:
        return self.code != self.original

    @property
    def findings_per_round(self) -> tuple[int, ...]:
        """How many findings the original had, then each round's code (-1: no code)."""
        counts = [len(r.findings) if r.code is not None else -1 for r in self.rounds]
        return (len(self.initial_findings), *counts)

    @property
    def tokens(self) -> int:
        """Total tokens over every round that reported usage."""
        return sum(r.usage.total_tokens for r in self.rounds if r.usage is not None)

    def diff(self) -> str:
        """A unified diff from ``original`` to ``code`` (empty when unchanged)."""
        return unified_diff(self.original, self.code, self.path)


# -- answers -> code ---------------------------------------------------------------------------------

_FENCE = re.compile(
    r"^(?P<indent>[ \t]{0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)\n"
    r"(?P<body>.*?)"
    r"^(?P=indent)(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
_THINKING = re.compile(r"<think(?:ing)?>.*?</think(?:ing)?>", re.DOTALL | re.IGNORECASE)
_PYTHON_TAGS = frozenset({"", "python", "py", "python3", "py3", "pycon"})


def extract_code(answer: str) -> str | None:
    """The Python code in a model's answer, or None when it holds none.

    A fenced block tagged ``python``/``py`` (or untagged) wins; of several, the longest. An answer
    without fences counts as code when it parses as Python and is more than a bare word or
    literal (``Done``). Reasoning sections (``<think>...</think>``) are left out first.
    """
    text = _THINKING.sub("", answer).replace("\r\n", "\n")
    blocks = [
        m.group("body")
        for m in _FENCE.finditer(text)
        if m.group("info").strip().split(" ", 1)[0].lower() in _PYTHON_TAGS
    ]
    blocks = [b for b in blocks if b.strip()]
    if blocks:
        return _final_newline(max(blocks, key=len))
    if "```" in text:
        # an opened fence that never closes: the answer was cut off; take what follows it
        opening = re.search(r"^[ \t]{0,3}```[ \t]*(?:python|py|python3)?[ \t]*\n", text, re.M)
        if opening:
            body = text[opening.end() :]
            return _final_newline(body) if body.strip() else None
        return None
    stripped = text.strip()
    if not stripped or not _looks_like_code(stripped):
        return None
    return _final_newline(stripped)


def _looks_like_code(text: str) -> bool:
    try:
        module = cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return False
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            return True
        for small in statement.body:
            if not isinstance(small, cst.Expr):
                return True
            if not isinstance(small.value, (cst.Name, cst.BaseString, cst.Integer, cst.Float)):
                return True
    return False


def _final_newline(code: str) -> str:
    return code.rstrip() + "\n"


def _normalized(code: str) -> str:
    """Code compared for loops: trailing spaces and blank lines at either end do not count."""
    return "\n".join(line.rstrip() for line in code.strip("\n").splitlines())


def _parse_problem(code: str) -> str | None:
    """Why ``code`` is not valid Python (``line 3: invalid syntax``), or None when it parses."""
    try:
        cst.parse_module(code)
    except cst.ParserSyntaxError as exc:
        finding = _parse_error(exc, code, "<answer>")
        return f"line {finding.span.line}: {finding.message.removeprefix('cannot parse: ')}"
    except (RecursionError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def unified_diff(before: str, after: str, path: str = "<stdin>") -> str:
    """``diff -u`` of two versions of ``path``; empty when they are equal.

    A relative path gets git's ``a/`` and ``b/`` prefixes (``patch -p1``), an absolute one none.
    """
    absolute = os.path.isabs(path)
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=path if absolute else f"a/{path}",
        tofile=path if absolute else f"b/{path}",
    )
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


# -- one conversation, without I/O -------------------------------------------------------------------


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
class _Answer:
    text: str
    usage: Usage | None = None
    finish_reason: str | None = None


@dataclass
class _Session:
    """The conversation's state: what to send next, given each answer. Drivers do the I/O."""

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
            self.seen[_normalized(self.original.code)] = (0, self.original)

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

    def receive(self, answer: _Answer) -> None:
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
        key = _normalized(code)
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
        answer: _Answer,
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


def _repair_session(
    code: str,
    *,
    config: Config | None,
    path: str | None,
    max_rounds: int,
    on_round: Callable[[Round], None] | None,
) -> _Session:
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
    session = _Session(checker, path, max_rounds, original, messages, on_round)
    if not original.findings and original.parses:
        session._finish("clean")
    return session


def _generate_session(
    task: str,
    *,
    config: Config | None,
    path: str | None,
    max_rounds: int,
    on_round: Callable[[Round], None] | None,
) -> _Session:
    _check_rounds(max_rounds)
    with _CHECK_LOCK:
        checker = get_checker(config)
    messages = [
        {"role": "system", "content": prompts.GENERATE_SYSTEM},
        {"role": "user", "content": prompts.generate_prompt(task)},
    ]
    # the first answer writes the code; up to `max_rounds` more repair it
    return _Session(checker, path, max_rounds + 1, None, messages, on_round)


def _facts_of(checker: Checker, version: _Version) -> list[ApiFacts]:
    with _CHECK_LOCK:
        version.facts = [facts_for(f, checker.env) for f in version.findings]
    return version.facts


def _check_rounds(max_rounds: int) -> None:
    if max_rounds < 1:
        raise ValueError(f"max_rounds must be at least 1, not {max_rounds}")


# -- talking to the model ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Call:
    """How to ask: model, streaming, retries, extra parameters for ``chat.completions.create``."""

    model: str
    stream: bool = False
    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF
    timeout: float | None = None
    options: Mapping[str, Any] = field(default_factory=dict)

    def arguments(self, messages: list[Message]) -> dict[str, Any]:
        arguments: dict[str, Any] = {**self.options, "model": self.model, "messages": messages}
        if self.timeout is not None:
            arguments["timeout"] = self.timeout
        if self.stream:
            arguments["stream"] = True
            arguments.setdefault("stream_options", {"include_usage": True})
        return arguments

    def wait(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(max(retry_after, 0.0), MAX_WAIT)
        base = self.backoff * 2.0**attempt
        return min(base + random.uniform(0, base / 4), MAX_WAIT)


@dataclass(frozen=True)
class _Failure:
    message: str
    kind: str
    retry: bool
    retry_after: float | None = None


def _without_client_retries(client: Any) -> Any:
    """The client's own retries would multiply ours: ask through a copy that does not retry."""
    with_options = getattr(client, "with_options", None)
    return with_options(max_retries=0) if callable(with_options) else client


def _ask(client: Any, call: _Call, messages: list[Message]) -> _Answer:
    for attempt in range(call.retries + 1):
        try:
            response = client.chat.completions.create(**call.arguments(messages))
            if call.stream:
                return _collect_stream(response)
            return _from_completion(response)
        except Exception as exc:
            failure = _classify(exc, call)
            if failure is None:
                raise
            if not failure.retry or attempt >= call.retries:
                raise _give_up(failure, attempt) from exc
            wait = call.wait(attempt, failure.retry_after)
            LOG.info("retrying in %.2f s: %s", wait, failure.message)
            time.sleep(wait)
    raise AssertionError("unreachable")


async def _aask(client: Any, call: _Call, messages: list[Message]) -> _Answer:
    for attempt in range(call.retries + 1):
        try:
            response = await client.chat.completions.create(**call.arguments(messages))
            if call.stream:
                return await _acollect_stream(response)
            return _from_completion(response)
        except Exception as exc:
            failure = _classify(exc, call)
            if failure is None:
                raise
            if not failure.retry or attempt >= call.retries:
                raise _give_up(failure, attempt) from exc
            wait = call.wait(attempt, failure.retry_after)
            LOG.info("retrying in %.2f s: %s", wait, failure.message)
            await asyncio.sleep(wait)
    raise AssertionError("unreachable")


def _give_up(failure: _Failure, attempt: int) -> RepairError:
    tries = f" (after {attempt + 1} attempts)" if failure.retry and attempt else ""
    return RepairError(failure.message + tries, kind=failure.kind)


def _from_completion(completion: Any) -> _Answer:
    choices = getattr(completion, "choices", None) or []
    if not choices:
        return _Answer("", _usage(getattr(completion, "usage", None)))
    choice = choices[0]
    message = getattr(choice, "message", None)
    text = getattr(message, "content", None) or ""
    return _Answer(text, _usage(getattr(completion, "usage", None)), choice.finish_reason)


def _collect_stream(stream: Iterator[Any]) -> _Answer:
    parts: list[str] = []
    state: dict[str, Any] = {}
    for chunk in stream:
        _take_chunk(chunk, parts, state)
    return _Answer("".join(parts), state.get("usage"), state.get("finish_reason"))


async def _acollect_stream(stream: AsyncIterator[Any]) -> _Answer:
    parts: list[str] = []
    state: dict[str, Any] = {}
    async for chunk in stream:
        _take_chunk(chunk, parts, state)
    return _Answer("".join(parts), state.get("usage"), state.get("finish_reason"))


def _take_chunk(chunk: Any, parts: list[str], state: dict[str, Any]) -> None:
    usage = getattr(chunk, "usage", None)
    if usage is not None:
        state["usage"] = _usage(usage)
    for choice in getattr(chunk, "choices", None) or []:
        if getattr(choice, "index", 0) != 0:
            continue
        delta = getattr(choice, "delta", None)
        content = getattr(delta, "content", None)
        if content:
            parts.append(content)
        if getattr(choice, "finish_reason", None):
            state["finish_reason"] = choice.finish_reason


def _usage(usage: Any) -> Usage | None:
    if usage is None:
        return None
    prompt = int(getattr(usage, "prompt_tokens", 0) or 0)
    completion = int(getattr(usage, "completion_tokens", 0) or 0)
    total = int(getattr(usage, "total_tokens", 0) or 0) or prompt + completion
    return Usage(prompt, completion, total)


def _classify(exc: Exception, call: _Call) -> _Failure | None:
    """What an exception from the client means; None for one that is not about the request."""
    try:
        import openai
    except ImportError:  # pragma: no cover - a client was given, so openai is importable
        return None
    if isinstance(exc, openai.APITimeoutError):
        limit = f" of {call.timeout:g} s" if call.timeout is not None else ""
        return _Failure(f"the model did not answer within the timeout{limit}", "timeout", True)
    if isinstance(exc, openai.APIConnectionError):
        cause = exc.__cause__ or exc
        return _Failure(f"cannot connect to the model's server: {cause}", "connection", True)
    if isinstance(exc, openai.APIStatusError):
        return _status_failure(exc)
    if isinstance(exc, openai.APIError):  # an error event in the middle of a stream
        return _Failure(f"the server reported an error: {exc.message}", "server", True)
    if isinstance(exc, openai.OpenAIError):
        return _Failure(str(exc), "request", False)
    name = type(exc).__name__
    module = type(exc).__module__
    if module.startswith(("httpx", "httpcore", "h11")):  # a stream broken while reading it
        if "Timeout" in name:
            return _Failure(
                "the model stopped answering (timeout while streaming)", "timeout", True
            )
        return _Failure(f"the connection broke while streaming: {name}: {exc}", "connection", True)
    return None


def _status_failure(exc: Any) -> _Failure:
    status = int(exc.status_code)
    detail = _server_message(exc)
    if status == 401:
        return _Failure(
            f"authentication failed (401): {detail}; check OPENAI_API_KEY", "auth", False
        )
    if status == 403:
        return _Failure(f"permission denied (403): {detail}", "auth", False)
    if status == 404:
        return _Failure(
            f"not found (404): {detail}; check --model and --base-url", "request", False
        )
    if status == 429:
        if getattr(exc, "code", None) == "insufficient_quota":
            return _Failure(f"quota exhausted (429): {detail}", "rate-limit", False)
        return _Failure(
            f"rate limited (429): {detail}", "rate-limit", True, _retry_after(exc.response)
        )
    if status in (408, 409) or status >= 500:
        kind = "timeout" if status == 408 else "server"
        return _Failure(
            f"the server failed ({status}): {detail}", kind, True, _retry_after(exc.response)
        )
    return _Failure(f"the server refused the request ({status}): {detail}", "request", False)


def _server_message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, Mapping):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, Mapping) else inner
        if isinstance(message, str) and message:
            return " ".join(message.split())[:300]
    message = str(getattr(exc, "message", "") or exc)
    return " ".join(message.split())[:300]


def _retry_after(response: Any) -> float | None:
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    for header, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(header)
        if value is None:
            continue
        try:
            return float(value) * scale
        except ValueError:
            continue  # an HTTP date: fall back to our own backoff
    return None


# -- entry points ------------------------------------------------------------------------------------


def repair(
    code: str,
    *,
    client: OpenAI | AsyncOpenAI,
    model: str,
    max_rounds: int = 3,
    config: Config | None = None,
    path: str | None = None,
    stream: bool = False,
    retries: int = DEFAULT_RETRIES,
    backoff: float = DEFAULT_BACKOFF,
    timeout: float | None = None,
    options: Mapping[str, Any] | None = None,
    on_round: Callable[[Round], None] | None = None,
    on_start: Callable[[Result], None] | None = None,
) -> RepairResult:
    """Check ``code``; while findings remain, ask ``model`` for a repaired version (at most
    ``max_rounds`` answers) and keep the best version seen.

    Args:
        code: the Python source to repair.
        client: an ``openai.OpenAI`` client (any OpenAI-compatible ``base_url``). An
            ``AsyncOpenAI`` client works too outside a running event loop; inside one, use
            :func:`arepair`.
        model: the model name the endpoint serves.
        max_rounds: the most answers to ask for.
        config: the checker's configuration: above all ``python``, the environment the code
            will run in.
        path: where the code lives (relative imports, messages); the file is never read or written.
        stream: receive the answers as server-sent events.
        retries: how often to retry a rate limit, server error, timeout or dropped connection.
        backoff: seconds before the first retry, doubled for each next one (a server's
            ``Retry-After`` takes precedence); at most 60 s.
        timeout: seconds to wait for one answer (default: the client's own).
        options: more arguments for ``chat.completions.create`` (``temperature``, ``max_tokens``).
        on_round: called with each :class:`Round` as soon as it is checked (with
            :func:`arepair`, from the worker thread that checked it).
        on_start: called with the check of ``code`` before the model is first asked.

    Raises:
        RepairError: the model could not be asked (authentication, a persistent rate limit or
            server error, the code could not be checked); ``.result`` holds the best so far.
        ValueError: ``max_rounds`` below 1, or ``path`` names Markdown or a notebook.
    """
    if _is_async(client):
        return _run_async(
            arepair(
                code,
                client=client,  # type: ignore[arg-type]
                model=model,
                max_rounds=max_rounds,
                config=config,
                path=path,
                stream=stream,
                retries=retries,
                backoff=backoff,
                timeout=timeout,
                options=options,
                on_round=on_round,
                on_start=on_start,
            )
        )
    call = _Call(model, stream, retries, backoff, timeout, dict(options or {}))
    session = _repair_session(
        code, config=config, path=path, max_rounds=max_rounds, on_round=on_round
    )
    if on_start is not None:
        on_start(session.start)
    return _drive(session, client, call)


async def arepair(
    code: str,
    *,
    client: AsyncOpenAI,
    model: str,
    max_rounds: int = 3,
    config: Config | None = None,
    path: str | None = None,
    stream: bool = False,
    retries: int = DEFAULT_RETRIES,
    backoff: float = DEFAULT_BACKOFF,
    timeout: float | None = None,
    options: Mapping[str, Any] | None = None,
    on_round: Callable[[Round], None] | None = None,
    on_start: Callable[[Result], None] | None = None,
) -> RepairResult:
    """:func:`repair` for an ``openai.AsyncOpenAI`` client; checks run in a worker thread."""
    call = _Call(model, stream, retries, backoff, timeout, dict(options or {}))
    session = await asyncio.to_thread(
        _repair_session, code, config=config, path=path, max_rounds=max_rounds, on_round=on_round
    )
    if on_start is not None:
        on_start(session.start)
    return await _adrive(session, client, call)


def generate(
    task: str,
    *,
    client: OpenAI | AsyncOpenAI,
    model: str,
    max_rounds: int = 3,
    config: Config | None = None,
    path: str | None = None,
    stream: bool = False,
    retries: int = DEFAULT_RETRIES,
    backoff: float = DEFAULT_BACKOFF,
    timeout: float | None = None,
    options: Mapping[str, Any] | None = None,
    on_round: Callable[[Round], None] | None = None,
) -> RepairResult:
    """Ask ``model`` to write code for ``task``, then check and repair it as :func:`repair` does
    (round 1 is the writing, up to ``max_rounds`` more repair). ``original`` is the first code
    that parses; ``code`` the best version seen (``""`` when no answer held code that parses)."""
    if _is_async(client):
        return _run_async(
            agenerate(
                task,
                client=client,  # type: ignore[arg-type]
                model=model,
                max_rounds=max_rounds,
                config=config,
                path=path,
                stream=stream,
                retries=retries,
                backoff=backoff,
                timeout=timeout,
                options=options,
                on_round=on_round,
            )
        )
    call = _Call(model, stream, retries, backoff, timeout, dict(options or {}))
    session = _generate_session(
        task, config=config, path=path, max_rounds=max_rounds, on_round=on_round
    )
    return _drive(session, client, call)


async def agenerate(
    task: str,
    *,
    client: AsyncOpenAI,
    model: str,
    max_rounds: int = 3,
    config: Config | None = None,
    path: str | None = None,
    stream: bool = False,
    retries: int = DEFAULT_RETRIES,
    backoff: float = DEFAULT_BACKOFF,
    timeout: float | None = None,
    options: Mapping[str, Any] | None = None,
    on_round: Callable[[Round], None] | None = None,
) -> RepairResult:
    """:func:`generate` for an ``openai.AsyncOpenAI`` client."""
    call = _Call(model, stream, retries, backoff, timeout, dict(options or {}))
    session = await asyncio.to_thread(
        _generate_session, task, config=config, path=path, max_rounds=max_rounds, on_round=on_round
    )
    return await _adrive(session, client, call)


def _drive(session: _Session, client: Any, call: _Call) -> RepairResult:
    client = _without_client_retries(client)
    while (messages := session.request()) is not None:
        try:
            answer = _ask(client, call, messages)
        except RepairError as exc:
            exc.result = session.result(stop="error")
            raise
        session.receive(answer)
    return session.result()


async def _adrive(session: _Session, client: Any, call: _Call) -> RepairResult:
    client = _without_client_retries(client)
    while (messages := session.request()) is not None:
        try:
            answer = await _aask(client, call, messages)
        except RepairError as exc:
            exc.result = session.result(stop="error")
            raise
        await asyncio.to_thread(session.receive, answer)
    return session.result()


def _is_async(client: Any) -> bool:
    try:
        from openai import AsyncOpenAI
    except ImportError:  # pragma: no cover
        return False
    return isinstance(client, AsyncOpenAI)


def _run_async(coroutine: Awaitable[RepairResult]) -> RepairResult:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_awaited(coroutine))
    close = getattr(coroutine, "close", None)
    if callable(close):
        close()
    raise TypeError("an AsyncOpenAI client inside a running event loop: `await arepair(...)`")


async def _awaited(coroutine: Awaitable[RepairResult]) -> RepairResult:
    return await coroutine
