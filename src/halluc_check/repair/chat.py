"""Messages for a chat model -> its answer, through the ``openai`` client, with bounded retries.

One request (whole or streamed), the retries of a rate limit, a server error, a timeout or a dropped
connection with exponential backoff (a server's ``Retry-After`` first), and the classification of
the client's exceptions into :class:`~halluc_check.repair.results.RepairError` kinds. :func:`ask`
is a generator of :mod:`~halluc_check.repair.steps`, run synchronously or awaited.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .results import RepairError, Usage
from .steps import ReadStream, Send, Sleep, Steps

Message = dict[str, str]

DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 1.0
MAX_WAIT = 60.0
"""Longest pause before a retry, whatever the server's ``Retry-After`` asks for."""

# retries are logged under the repair session's name, the one logging configurations select
LOG = logging.getLogger("halluc_check.repair.session")


@dataclass
class Answer:
    """One answer as received: its text, what it cost, why it ended."""

    text: str
    usage: Usage | None = None
    finish_reason: str | None = None


@dataclass(frozen=True)
class Call:
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


def without_client_retries(client: Any) -> Any:
    """The client's own retries would multiply ours: ask through a copy that does not retry."""
    with_options = getattr(client, "with_options", None)
    return with_options(max_retries=0) if callable(with_options) else client


def ask(client: Any, call: Call, messages: list[Message]) -> Steps[Answer]:
    """Send ``messages`` until an answer comes or a failure is final (a :class:`RepairError`)."""
    for attempt in range(call.retries + 1):
        try:
            response = yield Send(client.chat.completions.create, call.arguments(messages))
            if call.stream:
                reader = _StreamReader()
                yield ReadStream(response, reader.take)
                return reader.answer()
            return _from_completion(response)
        except Exception as exc:
            failure = _classify(exc, call)
            if failure is None:
                raise
            if not failure.retry or attempt >= call.retries:
                raise _give_up(failure, attempt) from exc
            wait = call.wait(attempt, failure.retry_after)
            LOG.info("retrying in %.2f s: %s", wait, failure.message)
            yield Sleep(wait)
    raise AssertionError("unreachable")


def _give_up(failure: _Failure, attempt: int) -> RepairError:
    tries = f" (after {attempt + 1} attempts)" if failure.retry and attempt else ""
    return RepairError(failure.message + tries, kind=failure.kind)


def _from_completion(completion: Any) -> Answer:
    choices = getattr(completion, "choices", None) or []
    if not choices:
        return Answer("", _usage(getattr(completion, "usage", None)))
    choice = choices[0]
    message = getattr(choice, "message", None)
    text = getattr(message, "content", None) or ""
    return Answer(text, _usage(getattr(completion, "usage", None)), choice.finish_reason)


class _StreamReader:
    """The chunks of a streamed answer, taken one by one -> the answer they make."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.usage: Usage | None = None
        self.finish_reason: str | None = None

    def take(self, chunk: Any) -> None:
        usage = getattr(chunk, "usage", None)
        if usage is not None:
            self.usage = _usage(usage)
        for choice in getattr(chunk, "choices", None) or []:
            if getattr(choice, "index", 0) != 0:
                continue
            delta = getattr(choice, "delta", None)
            content = getattr(delta, "content", None)
            if content:
                self.parts.append(content)
            if getattr(choice, "finish_reason", None):
                self.finish_reason = choice.finish_reason

    def answer(self) -> Answer:
        return Answer("".join(self.parts), self.usage, self.finish_reason)


def _usage(usage: Any) -> Usage | None:
    if usage is None:
        return None
    prompt = int(getattr(usage, "prompt_tokens", 0) or 0)
    completion = int(getattr(usage, "completion_tokens", 0) or 0)
    total = int(getattr(usage, "total_tokens", 0) or 0) or prompt + completion
    return Usage(prompt, completion, total)


def _classify(exc: Exception, call: Call) -> _Failure | None:
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
