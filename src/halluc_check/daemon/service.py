"""The daemon process: one warm Checker for one target environment and configuration, serving
the clients of a Unix socket until it is stopped or has been idle for ``idle_timeout`` seconds.

Connections are read in threads of their own; the checks themselves run one at a time in the main
thread (jedi is not thread-safe, and a check's time limit is a ``SIGALRM``), so a second client
waits for the first and never sees its state. Before a check the daemon compares the target
environment with the one its Checker was made for (the folders on ``sys.path`` change when a
package is installed or removed) and makes a new Checker when it changed.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import queue
import signal
import socket
import struct
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from ..cache import DiskCache
from ..config import Config
from ..engine.units import check_text, new_checker
from ..run.children import end_descendants
from ..run.options import RunOptions
from ..run.process import settle_between_files, tune_collector
from ..run.runner import check_units
from ..target.environment import load_environment
from .location import Location, check_private, location_for
from .protocol import Identity, decode_item, encode_result, identity_of, receive, send

if TYPE_CHECKING:
    from ..engine.checker import Checker

LOG = logging.getLogger(__name__)

DEFAULT_IDLE_TIMEOUT = 1800.0
"""Seconds without a request after which the daemon ends by itself (30 minutes)."""
READ_SECONDS = 30.0
"""How long a connected client may take to send its request."""
_POLL_SECONDS = 0.5
_WARM_UP = "import os\n\nos.path.join('a', 'b')\n"
"""Checked once at start, so that the first request finds jedi loaded and set up."""


class AlreadyRunning(Exception):
    """Another daemon holds the lock of this environment."""


@dataclass
class _Job:
    """A check asked for by one connection; the main thread runs it and answers on ``stream``."""

    request: dict[str, Any]
    stream: io.BufferedIOBase
    done: threading.Event = field(default_factory=threading.Event)


class Daemon:
    """What the daemon keeps between requests: its identity, its warm Checker, its queue of
    checks, and when it was last asked anything (for the idle timeout)."""

    def __init__(self, config: Config, identity: Identity, location: Location, idle: float):
        self.config = config
        self.identity = identity
        self.location = location
        self.idle_timeout = idle
        self.disk = DiskCache()
        self.jobs: queue.Queue[_Job | None] = queue.Queue()
        self.checked = 0
        self.started = time.time()
        self._checker: Checker | None = None
        self._environment: str | None = None
        self._busy = 0
        self._busy_lock = threading.Lock()
        self._last_active = time.monotonic()
        self._stopping = threading.Event()

    # -- the checker ---------------------------------------------------------------------------
    def checker(self) -> Checker:
        """The warm Checker, made anew when the target environment changed since it was made."""
        env = load_environment(self.config.python, cwd=self.config.root, cache=self.disk)
        if self._checker is None or env.fingerprint != self._environment:
            if self._checker is not None:
                LOG.warning("the target environment changed: its packages are read again")
            self._checker = new_checker(self.config, self.disk)
            self._environment = env.fingerprint
        return self._checker

    def warm_up(self) -> None:
        check_text(self.checker(), _WARM_UP, None)
        settle_between_files()

    # -- serving -------------------------------------------------------------------------------
    def serve(self, listener: socket.socket) -> NoReturn:
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        while not self._stopping.is_set():
            try:
                job = self.jobs.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                if self._idle_for() > self.idle_timeout:
                    LOG.info("idle for %g s: stopping", self.idle_timeout)
                    break
                continue
            if job is None:
                break
            try:
                self._run(job)
            finally:
                job.done.set()
        self.shut_down(listener)

    def _idle_for(self) -> float:
        with self._busy_lock:
            if self._busy:
                return 0.0
            return time.monotonic() - self._last_active

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return  # closed: the daemon is ending
            with self._busy_lock:
                self._busy += 1
            threading.Thread(target=self._serve_connection, args=(conn,), daemon=True).start()

    def _serve_connection(self, conn: socket.socket) -> None:
        try:
            with conn, conn.makefile("rwb") as stream:
                if not _same_user(conn):
                    return
                conn.settimeout(READ_SECONDS)
                request = receive(stream)
                conn.settimeout(None)
                if request is not None:
                    self._answer(request, stream)
        except (OSError, ValueError) as exc:
            LOG.info("a connection ended early: %s", exc)
        finally:
            with self._busy_lock:
                self._busy -= 1
                self._last_active = time.monotonic()

    def _answer(self, request: dict[str, Any], stream: io.BufferedIOBase) -> None:
        op = request.get("op")
        if op == "status":
            send(stream, {"status": self.status()})
        elif op == "stop":
            send(stream, {"stopping": True})
            self._stopping.set()
            self.jobs.put(None)
        elif op == "check":
            reason = self.identity.mismatch(request.get("identity") or {})
            if reason is not None:
                send(stream, {"mismatch": reason})
                return
            job = _Job(request, stream)
            self.jobs.put(job)
            job.done.wait()
        else:
            send(stream, {"failed": f"unknown request `{op}`"})

    def status(self) -> dict[str, Any]:
        return {
            "pid": os.getpid(),
            "socket": str(self.location.socket),
            "identity": self.identity.as_dict(),
            "root": None if self.config.root is None else str(self.config.root),
            "idle_timeout": self.idle_timeout,
            "started": self.started,
            "checked": self.checked,
        }

    def _run(self, job: _Job) -> None:
        """Check the job's items here, in the main thread, and answer; a client that went away
        meanwhile is not an error."""
        request = job.request
        started = time.perf_counter()
        gone = False

        def tell(message: dict[str, Any]) -> None:
            nonlocal gone
            if not gone:
                try:
                    send(job.stream, message)
                except OSError:
                    gone = True

        try:
            items = [decode_item(i, data) for i, data in enumerate(request["items"])]
            os.chdir(request["cwd"])
            cache = request.get("cache")
            options = RunOptions(
                jobs=1,
                timeout=request.get("timeout") or None,
                cache=None if cache is None else DiskCache(Path(cache)),
                progress=lambda done, total: tell({"progress": [done, total]}),
                checker=self.checker(),
            )
            results = list(check_units(items, self.config, options))
        except Exception as exc:  # the client checks in its own process and says what is wrong
            LOG.warning("a check broke down: %s: %s", type(exc).__name__, exc, exc_info=True)
            tell({"failed": f"{type(exc).__name__}: {exc}"})
            return
        finally:
            settle_between_files()
        self.checked += len(items)
        seconds = round(time.perf_counter() - started, 4)
        tell({"results": [encode_result(r) for r in results], "seconds": seconds})

    def shut_down(self, listener: socket.socket) -> NoReturn:
        """Remove the socket, end jedi's helper processes and every other child, and exit."""
        with contextlib.suppress(OSError):
            os.unlink(self.location.socket)  # the lock kept any other daemon from replacing it
        listener.close()
        end_descendants()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(0)


def _same_user(conn: socket.socket) -> bool:
    """Whether the peer runs as this user (where the system tells: ``SO_PEERCRED``)."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return True  # the socket's folder and mode already keep others out
    credentials = conn.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    _, uid, _ = struct.unpack("3i", credentials)
    return bool(uid == os.getuid())


def _lock(location: Location) -> int:
    """Take the environment's lock for the daemon's life; raise :class:`AlreadyRunning`."""
    import fcntl  # Unix only, like the daemon: this module is imported on every platform

    descriptor = os.open(location.lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(descriptor)
        raise AlreadyRunning(
            f"a daemon already runs for this environment ({location.socket})"
        ) from None
    return descriptor


def _listen(location: Location) -> socket.socket:
    """Bind the socket with mode 0600 (a stale one from a daemon that died is replaced)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(location.socket)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    previous = os.umask(0o177)
    try:
        listener.bind(str(location.socket))
    finally:
        os.umask(previous)
    os.chmod(location.socket, 0o600)
    check_private(location.socket, directory=False)
    listener.listen(16)
    return listener


def serve(config: Config, idle_timeout: float) -> NoReturn:
    """Run the daemon of ``config`` in this process until it stops; never returns.

    Raises (before it serves): :class:`AlreadyRunning`, the location's ``UnsafeLocation``, the
    target's ``EnvironmentError_`` and the configuration's errors."""
    identity = identity_of(config)
    location = location_for(identity.python, create=True)
    lock = _lock(location)
    os.set_inheritable(lock, False)
    tune_collector()  # a process that exists to check: see its docstring
    daemon = Daemon(config, identity, location, idle_timeout)
    daemon.warm_up()
    listener = _listen(location)

    def stop(signum: int, frame: object) -> None:
        daemon.shut_down(listener)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    daemon.serve(listener)
