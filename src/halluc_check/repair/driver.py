"""Code or a task, a client and a model -> the best repaired code: the repair loop's entry points.

:func:`repair` sends the code, the findings and the real API facts beside each (see
:mod:`halluc_check.repair.facts` and :mod:`halluc_check.repair.prompts`) to any OpenAI-compatible chat endpoint
through the official ``openai`` client, takes the code from the answer (fenced or plain),
re-checks it, and feeds what is still wrong back, for at most ``max_rounds`` answers. The best
version seen (it parses, fewest findings; the earlier one on a tie) is the result: an answer that
makes things worse never replaces a better one, and the original is kept when nothing helped.

Transient failures (rate limits, server errors, timeouts, dropped connections) are retried a
bounded number of times with exponential backoff; everything else stops with a
:class:`RepairError` that carries the result reached so far.

The loop is written once, as a generator of :mod:`~halluc_check.repair.steps`: the synchronous
entry points run it in the caller's thread, the asynchronous ones await the client and check in a
worker thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from ..config import Config
from ..model import Result
from .chat import DEFAULT_BACKOFF, DEFAULT_RETRIES, Call, ask, without_client_retries
from .results import RepairError, RepairResult, Round
from .session import Session, generate_session, repair_session
from .steps import Steps, Work, arun, run

if TYPE_CHECKING:
    from openai import AsyncOpenAI, OpenAI

__all__ = ["agenerate", "arepair", "generate", "repair"]


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
    call = Call(model, stream, retries, backoff, timeout, dict(options or {}))
    start = partial(
        repair_session, code, config=config, path=path, max_rounds=max_rounds, on_round=on_round
    )
    return run(_conversation(start, client, call, on_start))


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
    call = Call(model, stream, retries, backoff, timeout, dict(options or {}))
    start = partial(
        repair_session, code, config=config, path=path, max_rounds=max_rounds, on_round=on_round
    )
    return await arun(_conversation(start, client, call, on_start))


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
    call = Call(model, stream, retries, backoff, timeout, dict(options or {}))
    start = partial(
        generate_session, task, config=config, path=path, max_rounds=max_rounds, on_round=on_round
    )
    return run(_conversation(start, client, call))


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
    call = Call(model, stream, retries, backoff, timeout, dict(options or {}))
    start = partial(
        generate_session, task, config=config, path=path, max_rounds=max_rounds, on_round=on_round
    )
    return await arun(_conversation(start, client, call))


def _conversation(
    start: Callable[[], Session],
    client: Any,
    call: Call,
    on_start: Callable[[Result], None] | None = None,
) -> Steps[RepairResult]:
    """The repair loop: start the session, then ask and check until it is over."""
    session: Session = yield Work(start)
    if on_start is not None:
        on_start(session.start)
    client = without_client_retries(client)
    while (messages := session.request()) is not None:
        try:
            answer = yield from ask(client, call, messages)
        except RepairError as exc:
            exc.result = session.result(stop="error")
            raise
        yield Work(partial(session.receive, answer))
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
