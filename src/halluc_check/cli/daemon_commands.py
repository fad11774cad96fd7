"""``halluc-check daemon start|stop|restart|status``: the warm daemon of the target environment
(see :mod:`halluc_check.daemon`); ``daemon _serve`` is the daemon process itself."""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path
from typing import TextIO

from ..config import ConfigError
from ..daemon import control
from ..daemon.location import Location, UnsafeLocation, location_for, supported
from ..daemon.protocol import identity_of
from ..daemon.service import DEFAULT_IDLE_TIMEOUT, AlreadyRunning, serve
from ..jedi_compat.failures import IncompatibleJedi
from ..target.environment import EnvironmentError_
from .common import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    config_from_args,
    configure_logging,
    print_error,
)

ACTIONS = ("start", "stop", "restart", "status")
_FORWARDED = ("python", "config", "select", "ignore", "min_confidence")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="halluc-check daemon",
        description="A warm daemon for the target environment: after `start`, `halluc-check "
        "FILES`, the pre-commit hook and the pytest plugin run with the same environment and "
        "configuration are checked by it (like dmypy).",
    )
    parser.add_argument(
        "action", choices=[*ACTIONS, "_serve"], metavar="{start,stop,restart,status}"
    )
    parser.add_argument(
        "--python", metavar="PATH", help="interpreter or virtual environment to resolve against"
    )
    parser.add_argument(
        "--config", metavar="FILE", type=Path, help="a pyproject.toml to read instead"
    )
    parser.add_argument("--select", metavar="CODES", help="only these rules")
    parser.add_argument("--ignore", metavar="CODES", help="skip these rules")
    parser.add_argument("--min-confidence", metavar="LEVEL", help="high or medium")
    parser.add_argument(
        "--idle-timeout",
        metavar="SECONDS",
        type=float,
        default=DEFAULT_IDLE_TIMEOUT,
        help=f"stop after this long without a request (default: {DEFAULT_IDLE_TIMEOUT:g})",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what the daemon does")
    parser.set_defaults(stdin_filename=None)
    return parser


def main(argv: list[str], out: TextIO) -> int:
    """Run ``daemon`` with ``argv`` (the arguments after ``daemon``), writing to ``out``."""
    args = _parser().parse_args(argv)
    configure_logging(args.verbose)
    if not supported():
        return print_error("the daemon needs Unix sockets: it is not available on this platform")
    if args.idle_timeout <= 0:
        return print_error("--idle-timeout must be more than 0 seconds")
    try:
        config = config_from_args(args)
        if args.action == "_serve":
            serve(config, args.idle_timeout)
        location = location_for(identity_of(config).python, create=args.action != "status")
    except FileNotFoundError:
        out.write("no daemon runs\n")
        return EXIT_FINDINGS
    except (
        ConfigError,
        EnvironmentError_,
        IncompatibleJedi,
        UnsafeLocation,
        AlreadyRunning,
    ) as exc:
        return print_error(str(exc))
    try:
        return _act(args, location, out)
    except control.DaemonError as exc:
        return print_error(str(exc))


def _act(args: argparse.Namespace, location: Location, out: TextIO) -> int:
    if args.action == "status":
        facts = control.status(location)
        if facts is None:
            out.write("no daemon runs\n")
            return EXIT_FINDINGS
        _describe(facts, out)
        return EXIT_CLEAN
    if args.action in ("stop", "restart"):
        pid = control.stop(location)
        if args.action == "stop":
            out.write("no daemon runs\n" if pid is None else f"daemon stopped (pid {pid})\n")
            return EXIT_CLEAN
    running = control.status(location)
    if running is not None:
        out.write(f"a daemon already runs (pid {running['pid']})\n")
        return EXIT_CLEAN
    facts = control.start(location, _serve_arguments(args))
    out.write(f"daemon started (pid {facts['pid']}), listening at {facts['socket']}\n")
    return EXIT_CLEAN


def _serve_arguments(args: argparse.Namespace) -> list[str]:
    """The options of ``start`` that make the configuration, for the daemon process."""
    forwarded: list[str] = []
    for name in _FORWARDED:
        value = getattr(args, name)
        if value is not None:
            forwarded += [f"--{name.replace('_', '-')}", str(value)]
    forwarded += ["--idle-timeout", repr(args.idle_timeout)]
    if args.verbose:
        forwarded.append("-v")
    return forwarded


def _describe(facts: dict[str, object], out: TextIO) -> None:
    identity = facts.get("identity")
    python = identity.get("python") if isinstance(identity, dict) else None
    started = facts.get("started")
    since = (
        datetime.datetime.fromtimestamp(started).isoformat(timespec="seconds")
        if isinstance(started, (int, float))
        else "?"
    )
    out.write(
        f"daemon running (pid {facts.get('pid')}) since {since}\n"
        f"  target interpreter: {python}\n"
        f"  configuration from: {facts.get('root') or '(defaults)'}\n"
        f"  socket: {facts.get('socket')}\n"
        f"  idle timeout: {facts.get('idle_timeout')} s; files checked: {facts.get('checked')}\n"
    )
