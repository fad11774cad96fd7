"""What the commands share: exit codes, the configuration from their options, error lines, logging
and the colour choice."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import TextIO

from ..config import Config, ConfigError, load_config, parse_confidence, parse_index_url
from ..integrations import guard_pre_commit
from ..report._style import escaper_for, is_terminal
from ..rules import matching

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def use_color(stream: TextIO, disabled: bool) -> bool:
    """``--no-color`` and ``NO_COLOR`` win, then ``FORCE_COLOR``, then whether ``stream`` is a terminal."""
    if disabled or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return is_terminal(stream) and os.environ.get("TERM") != "dumb"


def print_error(message: str) -> int:
    """Print ``error: message`` to stderr as one escaped line; return the usage-error exit code."""
    escape = escaper_for(sys.stderr)
    print(f"error: {escape(' '.join(message.splitlines()))}", file=sys.stderr)
    return EXIT_ERROR


def configure_logging(verbose: bool) -> None:
    """Warnings on stderr; with ``-v`` everything, down to what is skipped and why."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


def config_from_args(args: argparse.Namespace) -> Config:
    """The configuration found from ``--stdin-filename``'s folder or the working folder (or read
    from ``--config``), with ``--python``, ``--select``, ``--ignore`` and ``--min-confidence``
    applied."""
    start = Path(args.stdin_filename).parent if args.stdin_filename else Path.cwd()
    config = load_config(start, path=args.config)
    overrides: dict[str, object] = {}
    if args.python:
        overrides["python"] = args.python
    try:
        if args.select:
            overrides["select"] = frozenset(matching(args.select.split(",")))
        if args.ignore:
            overrides["ignore"] = frozenset(matching(args.ignore.split(",")))
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    if args.min_confidence:
        overrides["min_confidence"] = parse_confidence(args.min_confidence)
    if getattr(args, "online", False):
        overrides["online"] = True
    if getattr(args, "index_url", None):
        overrides["index_url"] = parse_index_url(args.index_url)
    # Inside a pre-commit hook environment: use the project's ./.venv, or refuse with a reason.
    return guard_pre_commit(config.with_overrides(**overrides))
