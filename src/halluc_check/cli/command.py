"""Command line: ``halluc-check [PATHS] [options]``, ``halluc-check rule CODE``, ``halluc-check rules``.

``halluc-check cache`` lives in :mod:`halluc_check.cli.cache_commands`, ``halluc-check repair`` and
``halluc-check generate`` in :mod:`halluc_check.cli.repair_commands`."""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from ..api import get_checker
from ..cache import DiskCache
from ..config import Config, ConfigError
from ..daemon.client import check_remotely
from ..jedi_compat.failures import IncompatibleJedi
from ..model import Result
from ..report import REPORTERS, render
from ..report._files import write_atomically
from ..report._progress import ProgressBar
from ..report._style import escaper_for, is_terminal
from ..report._summary import summary_line
from ..report.statistics import write_statistics
from ..rules import RULES, lookup
from ..run.batch import Batch, check_jsonl
from ..run.options import DEFAULT_TIMEOUT, RunOptions, Unit, worker_count
from ..run.process import exit_at_once, tune_collector
from ..run.runner import check_units, collect_units
from ..run.sources import SourceError, decode_source, path_problem
from ..target.environment import EnvironmentError_
from ..version import __version__
from . import cache_commands
from .common import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    config_from_args,
    configure_logging,
    print_error,
    use_color,
)

MACHINE_FORMATS = frozenset({"json", "sarif"})
"""Formats whose whole output is one document: ``--quiet`` does not shorten them."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="halluc-check",
        description=(
            "Find the imports, attributes and methods that generated Python code made up, "
            "resolved against the packages installed in the target environment."
        ),
        epilog="Subcommands: `halluc-check rule CODE` explains a rule; `halluc-check rules` lists "
        "them; `halluc-check cache info|clear` shows or empties the result cache; "
        "`halluc-check repair FILE` and `halluc-check generate PROMPT` ask a chat model "
        "(see their --help); `halluc-check server` is a language server for editors; "
        "`halluc-check daemon start|stop|restart|status` keeps a warm checker for later runs.",
    )
    parser.add_argument("paths", nargs="*", help="files or folders to check; `-` reads stdin")
    parser.add_argument(
        "--jsonl",
        metavar="FILE",
        type=Path,
        help="check every record of a JSONL file of generations and report the hallucination rate",
    )
    parser.add_argument(
        "--field",
        metavar="KEY",
        default="completion",
        help="with --jsonl: the dotted key of the generated text (default: completion)",
    )
    _add_report_options(parser)
    _add_check_options(parser)
    return parser


def _add_report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=sorted(REPORTERS),
        help="output format (default: full on a terminal, concise otherwise); "
        "sarif for GitHub code scanning, github for workflow annotations",
    )
    parser.add_argument(
        "--statistics",
        action="store_true",
        help="print how often each rule fired instead of the findings",
    )
    parser.add_argument(
        "--output-file",
        metavar="PATH",
        type=Path,
        help="write the report to PATH (atomically); the terminal gets only the summary",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="count",
        default=0,
        help="print only the findings, no summary; twice: print nothing (exit code only)",
    )


def _add_check_options(parser: argparse.ArgumentParser) -> None:
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
    parser.add_argument(
        "-j",
        "--jobs",
        metavar="N",
        type=int,
        default=0,
        help="check files in N worker processes (default: one per available core)",
    )
    parser.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=float,
        help=f"a file that takes longer is reported as not checked (default: {DEFAULT_TIMEOUT:g}; "
        "0: no limit)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the on-disk cache of results and library indexes "
        "(`halluc-check cache info` shows where it is)",
    )
    parser.add_argument(
        "--online",
        action="store_true",
        help="ask the package index about distribution names the shipped snapshot does not know "
        "(answers cached; no answer in time: the name is not judged)",
    )
    parser.add_argument(
        "--index-url",
        metavar="URL",
        help="with --online: the package index's JSON API, asked as URL/<name>/json "
        "(default: `index-url` of [tool.halluc-check], else https://pypi.org/pypi)",
    )
    parser.add_argument(
        "--no-daemon",
        action="store_true",
        help="check in this process even when a daemon runs (`halluc-check daemon start`)",
    )
    parser.add_argument("--no-color", action="store_true", help="never colour the output")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what is skipped and why")
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")


def _print_rule(code: str, out: TextIO) -> int:
    rule = lookup(code)
    if rule is None:
        return print_error(f"unknown rule `{code}`; `halluc-check rules` lists them")
    out.write(f"# {rule.name} ({rule.code})\n\n{rule.summary}\n\n{rule.docs}")
    return EXIT_CLEAN


def _print_rules(out: TextIO) -> int:
    width = max(len(rule.name) for rule in RULES)
    for rule in RULES:
        out.write(f"{rule.code}  {rule.name.ljust(width)}  {rule.summary}\n")
    return EXIT_CLEAN


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
    if argv[:1] == ["cache"]:
        return cache_commands.main(argv[1:], out)
    if argv[:1] == ["daemon"]:
        from .daemon_commands import main as daemon_main

        return daemon_main(argv[1:], out)
    if argv[:1] == ["server"]:
        # the language server (pygls, lsprotocol: the `server` extra) loads only for this command
        from ..server import run as serve

        return serve(argv[1:])
    if argv[:1] in (["repair"], ["generate"]):
        # the repair layer (libcst, the chat-model session) loads only for these commands: not
        # for plain checks, and not in their worker processes, which import this module
        from .repair_commands import main as model_main

        return model_main(argv[0], argv[1:])
    args = _parser().parse_args(argv)
    configure_logging(args.verbose)
    problem = _usage_problem(args)
    if problem:
        return print_error(problem)
    tune_collector()
    try:
        config = config_from_args(args)
        results = _run(args, config)
    except (ConfigError, EnvironmentError_, IncompatibleJedi) as exc:
        return print_error(str(exc))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    try:
        _emit(args, results, out)
    except OSError as exc:
        if args.output_file is None:
            raise
        return print_error(f"cannot write {args.output_file}: {exc.strerror or exc}")
    if any(not r.checked for r in results):
        return EXIT_ERROR
    if any(r.findings for r in results) and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def console_main() -> NoReturn:
    """The ``halluc-check`` command: :func:`main`, then an exit that does not free every object
    of the check one by one."""
    exit_at_once(main())


def _usage_problem(args: argparse.Namespace) -> str | None:
    """Why the options cannot work together, found before any file is checked."""
    if not args.paths and args.jsonl is None:
        return "no paths given; try `halluc-check FILE_OR_FOLDER` or `-` for stdin"
    if args.jsonl is not None and not args.jsonl.is_file():
        return f"--jsonl {args.jsonl}: no such file"
    if args.index_url is not None and not args.online:
        return "--index-url is only asked with --online"
    if args.jobs < 0:
        return "--jobs must be 0 (one per core) or more"
    if args.timeout is not None and args.timeout < 0:
        return "--timeout must be 0 (no limit) or more seconds"
    if args.statistics and args.format not in (None, "full", "concise", "json"):
        return f"`--statistics` cannot be combined with `--format {args.format}`"
    target: Path | None = args.output_file
    if target is not None:
        if target.is_dir():
            return f"cannot write {target}: it is a directory"
        if not target.parent.is_dir():
            return f"cannot write {target}: no such directory {target.parent}"
    return None


def _emit(args: argparse.Namespace, results: list[Result], out: TextIO) -> None:
    """Write the report to ``out``, or to ``--output-file`` with only the summary on ``out``."""
    target: Path | None = args.output_file
    if target is None:
        if args.quiet >= 2:
            return
        fmt = args.format or ("full" if is_terminal(out) else "concise")
        color = use_color(out, args.no_color)
        _write_report(args, fmt, results, out, color=color, summary=args.quiet == 0)
        return
    fmt = args.format or "concise"
    write_atomically(
        target, lambda stream: _write_report(args, fmt, results, stream, color=False, summary=True)
    )
    if args.quiet == 0:
        out.write(summary_line(results, None, escaper_for(out)) + "\n")


def _write_report(
    args: argparse.Namespace,
    fmt: str,
    results: list[Result],
    stream: TextIO,
    *,
    color: bool,
    summary: bool,
) -> None:
    summary = summary or fmt in MACHINE_FORMATS
    batch: Batch | None = getattr(args, "batch", None)
    if args.statistics:
        kind = "json" if fmt == "json" else "text"
        write_statistics(results, stream, fmt=kind, summary=summary)
    elif batch is not None and fmt == "json":
        buffer = io.StringIO()
        render(results, fmt, buffer, color=False, summary=summary)
        document = json.loads(buffer.getvalue())
        document["batch"] = batch.as_dict()
        stream.write(json.dumps(document, indent=2, ensure_ascii=True) + "\n")
        return
    else:
        render(results, fmt, stream, color=color, summary=summary)
    if batch is not None and fmt not in MACHINE_FORMATS:
        for line in batch.summary_lines():
            stream.write(line + "\n")


def _stdin_unit(filename: str | None) -> Unit | Result:
    """Standard input, decoded from its bytes like a module (BOM, coding line, else UTF-8)."""
    binary = getattr(sys.stdin, "buffer", None)
    try:
        source = decode_source(binary.read()) if binary is not None else sys.stdin.read()
    except SourceError as exc:
        return Result(filename or "<stdin>", error=str(exc))
    return Unit(0, filename, source)


def _run(args: argparse.Namespace, config: Config) -> list[Result]:
    problems = {p: path_problem(p) for p in args.paths if p != "-"}
    missing = [p for p, problem in problems.items() if problem is not None]
    results = [Result(p, error=problems[p]) for p in missing]
    if args.jsonl is not None:
        args.batch = check_jsonl(get_checker(config), args.jsonl, args.field)
        results.extend(args.batch.results)
    units: list[Unit | Result] = []
    if "-" in args.paths:
        units.append(_stdin_unit(args.stdin_filename))
    paths = [p for p in args.paths if p != "-" and p not in missing]
    if paths:
        units.extend(collect_units([Path(p) for p in paths], config))
    if units:
        timeout = DEFAULT_TIMEOUT if args.timeout is None else args.timeout
        with ProgressBar(sys.stderr, enabled=args.quiet == 0) as bar:
            cache = None if args.no_cache else DiskCache()
            answered = None
            if not (args.no_daemon or args.no_cache):
                answered = check_remotely(
                    units, config, timeout=timeout or None, cache=cache, progress=bar.update
                )
            if answered is None:
                options = RunOptions(
                    jobs=worker_count(args.jobs),
                    timeout=timeout or None,
                    cache=cache,
                    progress=bar.update,
                )
                answered = list(check_units(units, config, options))
            results.extend(answered)
    return results


class _Version(argparse.Action):
    """``--version``: the program's version and the date of its package index, which is read
    only when asked (building the parser must not load it)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        from ..knowledge.package_index import snapshot_date

        print(f"halluc-check {__version__} (PyPI index of {snapshot_date()})")
        parser.exit()
