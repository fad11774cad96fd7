"""The repair loop's steps, run synchronously and awaited, and the retries of :func:`chat.ask`."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterable
from types import SimpleNamespace
from typing import Any

import httpx
import openai
import pytest

from halluc_check.repair import RepairError
from halluc_check.repair.chat import Answer, Call, ask
from halluc_check.repair.steps import ReadStream, Send, Sleep, Steps, Work, arun, run


class _Async:
    """An async iterable over ``items``, as an ``AsyncStream`` is."""

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = list(items)

    async def __aiter__(self) -> AsyncIterator[Any]:
        for item in self.items:
            yield item


def _every_step(stream: Any, create: Any) -> Steps[dict[str, Any]]:
    sent = yield Send(create, {"model": "m"})
    taken: list[int] = []
    yield ReadStream(stream, taken.append)
    yield Sleep(0)
    thread = yield Work(threading.get_ident)
    return {"sent": sent, "taken": taken, "thread": thread}


def test_run_performs_each_step_in_this_thread() -> None:
    outcome = run(_every_step([1, 2, 3], lambda **arguments: arguments))
    assert outcome == {"sent": {"model": "m"}, "taken": [1, 2, 3], "thread": threading.get_ident()}


def test_arun_awaits_the_client_and_works_in_a_worker_thread() -> None:
    async def create(**arguments: Any) -> dict[str, Any]:
        return arguments

    outcome = asyncio.run(arun(_every_step(_Async([1, 2, 3]), create)))
    assert outcome["sent"] == {"model": "m"}
    assert outcome["taken"] == [1, 2, 3]
    assert outcome["thread"] != threading.get_ident()


def _catching() -> Steps[str]:
    try:
        yield Work(lambda: 1 / 0)
    except ZeroDivisionError as exc:
        return f"caught {type(exc).__name__}"
    return "not raised"


def _not_catching() -> Steps[str]:
    yield Work(lambda: 1 / 0)
    return "not raised"


def test_a_failed_step_is_raised_where_it_was_yielded() -> None:
    assert run(_catching()) == "caught ZeroDivisionError"
    assert asyncio.run(arun(_catching())) == "caught ZeroDivisionError"
    with pytest.raises(ZeroDivisionError):
        run(_not_catching())
    with pytest.raises(ZeroDivisionError):
        asyncio.run(arun(_not_catching()))


# -- chat.ask, driven by hand ------------------------------------------------------------------------

MESSAGES = [{"role": "user", "content": "fix it"}]
CLIENT = SimpleNamespace(chat=SimpleNamespace(completions=SimpleNamespace(create=print)))


def _rate_limited(headers: dict[str, str]) -> openai.RateLimitError:
    request = httpx.Request("POST", "http://model.test/v1/chat/completions")
    response = httpx.Response(429, headers=headers, request=request)
    return openai.RateLimitError(
        "rate limited", response=response, body={"error": {"message": "slow  down"}}
    )


def _completion(text: str) -> Any:
    message = SimpleNamespace(content=text)
    usage = SimpleNamespace(prompt_tokens=3, completion_tokens=2, total_tokens=0)
    return SimpleNamespace(
        choices=[SimpleNamespace(message=message, finish_reason="stop")], usage=usage
    )


def test_ask_waits_as_the_server_says_then_answers() -> None:
    steps = ask(CLIENT, Call("m", retries=2, options={"temperature": 0}), MESSAGES)
    send = next(steps)
    assert isinstance(send, Send)
    assert send.arguments == {"temperature": 0, "model": "m", "messages": MESSAGES}
    assert steps.throw(_rate_limited({"retry-after-ms": "250"})) == Sleep(0.25)
    assert isinstance(steps.send(None), Send)
    with pytest.raises(StopIteration) as stop:
        steps.send(_completion("x = 1"))
    answer = stop.value.value
    assert isinstance(answer, Answer)
    assert (answer.text, answer.finish_reason) == ("x = 1", "stop")
    assert answer.usage is not None and answer.usage.total_tokens == 5


def test_ask_gives_up_after_the_retries() -> None:
    steps = ask(CLIENT, Call("m", retries=1, backoff=0.5), MESSAGES)
    next(steps)
    wait = steps.throw(_rate_limited({}))
    assert isinstance(wait, Sleep) and 0.5 <= wait.seconds <= 0.625
    steps.send(None)
    with pytest.raises(RepairError) as raised:
        steps.throw(_rate_limited({}))
    assert raised.value.kind == "rate-limit"
    assert raised.value.message == "rate limited (429): slow down (after 2 attempts)"


def test_ask_passes_on_what_is_not_about_the_request() -> None:
    steps = ask(CLIENT, Call("m"), MESSAGES)
    next(steps)
    with pytest.raises(KeyError):
        steps.throw(KeyError("bug"))
