"""Command line: ``halluc-check [PATHS] [options]``, ``halluc-check rule CODE``, ``halluc-check rules``."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .api import check_paths, check_source
from .config import Config, ConfigError, load_config, parse_confidence
from .environment import EnvironmentError_
from .model import Result
from .report import REPORTERS, render
from .rules import RULES, lookup, matching

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="halluc-check",
        description=(
            "Find the imports, attributes and methods that generated Python code made up, "
            "resolved against the packages installed in the target environment."
        ),
        epilog="Subcommands: `halluc-check rule CODE` explains a rule; `halluc-check rules` lists them.",
    )
    parser.add_argument("paths", nargs="*", help="files or folders to check; `-` reads stdin")
    parser.add_argument(
        "--format",
        choices=sorted(REPORTERS),
        help="output format (default: full on a terminal, concise otherwise)",
    )
    parser.add_argument(
        "--python",
        metavar="PATH",
        help="interpreter or virtual environment to resolve against "
        "(default: $VIRTUAL_ENV, else ./.venv, else the running interpreter)",
    )
    parser.add_argument(
        "--select", metavar="CODES", help="only these rules (codes, prefixes or names)"
    )
    parser.add_argument(
        "--ignore", metavar="CODES", help="skip these rules (codes, prefixes or names)"
    )
    parser.add_argument(
        "--min-confidence",
        metavar="LEVEL",
        help="hide findings below this confidence: high or medium (default: medium)",
    )
    parser.add_argument(
        "--stdin-filename", metavar="PATH", help="where stdin's code lives (for messages)"
    )
    parser.add_argument(
        "--config", metavar="FILE", type=Path, help="a pyproject.toml to read instead"
    )
    parser.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when findings are reported"
    )
    parser.add_argument("--no-color", action="store_true", help="never colour the output")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what is skipped and why")
    parser.add_argument("--version", action="version", version=f"halluc-check {__version__}")
    return parser


def _use_color(stream: TextIO, disabled: bool) -> bool:
    if disabled or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty() and os.environ.get("TERM") != "dumb"


def _print_rule(code: str, out: TextIO) -> int:
    rule = lookup(code)
    if rule is None:
        print(f"error: unknown rule `{code}`; `halluc-check rules` lists them", file=sys.stderr)
        return EXIT_ERROR
    out.write(f"# {rule.name} ({rule.code})\n\n{rule.summary}\n\n{rule.docs}")
    return EXIT_CLEAN


def _print_rules(out: TextIO) -> int:
    width = max(len(rule.name) for rule in RULES)
    for rule in RULES:
        out.write(f"{rule.code}  {rule.name.ljust(width)}  {rule.summary}\n")
    return EXIT_CLEAN


def _config(args: argparse.Namespace) -> Config:
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
    return config.with_overrides(**overrides)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    out = sys.stdout
    if argv[:1] == ["rule"]:
        if len(argv) != 2:
            print("usage: halluc-check rule CODE", file=sys.stderr)
            return EXIT_ERROR
        return _print_rule(argv[1], out)
    if argv[:1] == ["rules"]:
        return _print_rules(out)
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not args.paths:
        print(
            "error: no paths given; try `halluc-check FILE_OR_FOLDER` or `-` for stdin",
            file=sys.stderr,
        )
        return EXIT_ERROR
    try:
        config = _config(args)
        results = _run(args, config)
    except (ConfigError, EnvironmentError_) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    fmt = args.format or ("full" if out.isatty() else "concise")
    render(results, fmt, out, color=_use_color(out, args.no_color))
    if any(not r.checked for r in results):
        return EXIT_ERROR
    if any(r.findings for r in results) and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _run(args: argparse.Namespace, config: Config) -> list[Result]:
    missing = [p for p in args.paths if p != "-" and not os.path.exists(p)]
    results = [Result(p, error="no such file or directory") for p in missing]
    if "-" in args.paths:
        source = sys.stdin.read()
        results.append(check_source(source, path=args.stdin_filename, config=config))
    paths = [p for p in args.paths if p != "-" and p not in missing]
    if paths:
        results.extend(check_paths(paths, config=config))
    return results
