"""Ask the running daemon of a target environment; ``None`` means: check in this process.

Every reason not to use a daemon (none runs, its socket is stale or unsafe, it checks for another
configuration or another halluc-check, it broke down) ends in ``None`` and one ``INFO`` log line,
which ``-v`` shows; nothing is printed otherwise.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ..cache import DiskCache
from ..config import Config
from ..model import Result
from ..run.options import Unit
from ..target.environment import EnvironmentError_, find_interpreter
from .location import Location, UnsafeLocation, check_private, location_for, supported
from .protocol import decode_result, encode_item, identity_of, receive, same_interpreter, send

LOG = logging.getLogger(__name__)

CONNECT_SECONDS = 2.0
"""How long connecting and the daemon's first answer may take before the client gives up."""


class NoDaemon(Exception):
    """No daemon answers here; the message says why."""


@contextlib.contextmanager
def connection(location: Location, *, timeout: float | None = CONNECT_SECONDS) -> Iterator[Any]:
    """A connection to the daemon at ``location`` as a binary stream; raises :class:`NoDaemon`."""
    if not supported():
        raise NoDaemon("no daemon on this platform")
    try:
        check_private(location.folder, directory=True)
        check_private(location.socket, directory=False)
    except FileNotFoundError:
        raise NoDaemon("no daemon runs") from None
    except (UnsafeLocation, OSError) as exc:
        raise NoDaemon(f"daemon socket refused: {exc}") from None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(CONNECT_SECONDS)
        try:
            sock.connect(str(location.socket))
        except OSError as exc:
            raise NoDaemon(
                f"stale daemon socket {location.socket} ({exc.strerror or exc})"
            ) from None
        sock.settimeout(timeout)
        with sock.makefile("rwb") as stream:
            yield stream
    finally:
        sock.close()


def ask(
    location: Location, message: dict[str, Any], *, timeout: float | None = CONNECT_SECONDS
) -> dict[str, Any]:
    """One request and its single answer; raises :class:`NoDaemon`."""
    try:
        with connection(location, timeout=timeout) as stream:
            send(stream, message)
            answer = receive(stream)
    except (OSError, ValueError) as exc:
        raise NoDaemon(f"the daemon did not answer ({exc})") from None
    if answer is None:
        raise NoDaemon("the daemon closed the connection")
    return answer


def check_remotely(
    items: Sequence[Unit | Result],
    config: Config,
    *,
    timeout: float | None,
    cache: DiskCache | None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Result] | None:
    """One Result per item, in order, checked by the daemon of ``config``'s target environment;
    ``None`` when no daemon can answer for exactly this configuration (check in-process then)."""
    try:
        location = _location(config)
        request = {
            "op": "check",
            "identity": _identity(config),
            "cwd": os.getcwd(),
            "timeout": timeout,
            "cache": None if cache is None else str(cache.directory),
            "items": [encode_item(item) for item in items],
        }
        answer = _exchange(location, request, progress)
        results = _results(answer, len(items))
    except NoDaemon as exc:
        LOG.info("checking in this process: %s", exc)
        return None
    LOG.info("checked by the daemon at %s in %s s", location.socket, answer.get("seconds"))
    return results


def _location(config: Config) -> Location:
    """Where the daemon for ``config``'s target environment would listen; raises
    :class:`NoDaemon` when nothing is there (before anything costly is computed)."""
    if not supported():
        raise NoDaemon("no daemon on this platform")
    try:
        location = location_for(same_interpreter(find_interpreter(config.python, cwd=config.root)))
    except FileNotFoundError:
        raise NoDaemon("no daemon runs") from None
    except (EnvironmentError_, UnsafeLocation, OSError) as exc:
        raise NoDaemon(str(exc)) from None
    if not os.path.lexists(location.socket):
        raise NoDaemon("no daemon runs")
    return location


def _identity(config: Config) -> dict[str, str]:
    """The identity the daemon must have to check for ``config``."""
    try:
        return identity_of(config).as_dict()
    except EnvironmentError_ as exc:
        raise NoDaemon(str(exc)) from None


def _exchange(
    location: Location, request: dict[str, Any], progress: Callable[[int, int], None] | None
) -> dict[str, Any]:
    """Send ``request``; pass progress on; the last answer."""
    try:
        with connection(location, timeout=None) as stream:
            send(stream, request)
            while True:
                answer = receive(stream)
                if answer is None:
                    raise NoDaemon("the daemon closed the connection")
                if "progress" not in answer:
                    return answer
                if progress is not None:
                    progress(*answer["progress"])
    except (OSError, ValueError) as exc:
        raise NoDaemon(f"the daemon did not answer ({exc})") from None


def _results(answer: dict[str, Any], expected: int) -> list[Result]:
    if "mismatch" in answer:
        raise NoDaemon(f"the daemon checks for {answer['mismatch']}")
    if "results" not in answer:
        raise NoDaemon(f"the daemon could not check: {answer.get('failed', answer)}")
    try:
        results = [decode_result(r) for r in answer["results"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise NoDaemon(f"the daemon's answer does not decode ({exc})") from None
    if len(results) != expected:
        raise NoDaemon("the daemon answered for other files")
    return results


def check_source_remotely(source: str, path: str | None, config: Config) -> Result | None:
    """:func:`~halluc_check.api.check_source` by the daemon (no result cache, as there); ``None``:
    check in this process."""
    answered = check_remotely([Unit(0, path, source)], config, timeout=None, cache=None)
    return answered[0] if answered else None
