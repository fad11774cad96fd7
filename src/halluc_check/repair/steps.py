"""A conversation written as a generator of I/O steps -> its result, run synchronously or awaited.

The repair loop (:mod:`halluc_check.repair.driver`) and the talk with the endpoint
(:mod:`halluc_check.repair.chat`) are written once, as generators that yield the I/O they need:
call the client, read a stream to its end, sleep, do blocking work. :func:`run` performs each step
in the caller's thread; :func:`arun` awaits the client, sleeps without blocking the event loop
and does the blocking work (checks, which can take seconds) in a worker thread. A step that fails is
thrown back into the generator at the ``yield`` that asked for it, so ``try``/``except`` around a
step works as it would around the call itself.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Send:
    """Call ``create(**arguments)``; awaited when run asynchronously. Replies with its return value."""

    create: Callable[..., Any]
    arguments: Mapping[str, Any]


@dataclass(frozen=True)
class ReadStream:
    """Hand every item of ``stream`` (iterable, or async iterable when awaited) to ``take``."""

    stream: Any
    take: Callable[[Any], None]


@dataclass(frozen=True)
class Sleep:
    seconds: float


@dataclass(frozen=True)
class Work:
    """Call ``function()``: blocking work, done in a worker thread when run asynchronously."""

    function: Callable[[], Any]


Step: TypeAlias = Send | ReadStream | Sleep | Work
Steps: TypeAlias = Generator[Step, Any, T]
"""A generator of steps that receives each step's reply and returns a ``T``."""


def run(steps: Steps[T]) -> T:
    """Perform the steps one after the other in this thread; the generator's return value."""
    reply: Any = None
    error: BaseException | None = None
    while True:
        try:
            step = steps.send(reply) if error is None else steps.throw(error)
        except StopIteration as stop:
            result: T = stop.value
            return result
        finally:
            reply, error = None, None  # this frame keeps no exception that is raised through it
        try:
            reply = _perform(step)
        except BaseException as exc:  # the generator decides what it catches
            error = exc


async def arun(steps: Steps[T]) -> T:
    """:func:`run` on the event loop: the client awaited, blocking work in a worker thread."""
    reply: Any = None
    error: BaseException | None = None
    while True:
        try:
            step = steps.send(reply) if error is None else steps.throw(error)
        except StopIteration as stop:
            result: T = stop.value
            return result
        finally:
            reply, error = None, None  # this frame keeps no exception that is raised through it
        try:
            reply = await _aperform(step)
        except BaseException as exc:  # the generator decides what it catches
            error = exc


def _perform(step: Step) -> Any:
    if isinstance(step, Send):
        return step.create(**step.arguments)
    if isinstance(step, ReadStream):
        for item in step.stream:
            step.take(item)
        return None
    if isinstance(step, Sleep):
        time.sleep(step.seconds)
        return None
    return step.function()


async def _aperform(step: Step) -> Any:
    if isinstance(step, Send):
        return await step.create(**step.arguments)
    if isinstance(step, ReadStream):
        async for item in step.stream:
            step.take(item)
        return None
    if isinstance(step, Sleep):
        await asyncio.sleep(step.seconds)
        return None
    return await asyncio.to_thread(step.function)
