"""``halluc-check repair FILE|-`` and ``halluc-check generate "PROMPT"``: the chat-model commands.

stdout gets the result only (the unified diff, or the code with ``--code`` and for ``generate``),
so that it can be piped into ``patch`` or a file; progress, what remains and errors go to stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from ..config import ConfigError
from ..model import Result
from ..repair import RepairError, RepairResult, Round, generate, repair
from ..repair.chat import DEFAULT_BACKOFF, DEFAULT_RETRIES
from ..report import render
from ..report._files import write_atomically
from ..report._style import escaper_for, is_terminal
from ..report._text import TAB
from ..run.sources import read_source
from ..target.environment import EnvironmentError_
from .common import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    config_from_args,
    configure_logging,
    print_error,
    use_color,
)

MISSING_OPENAI = (
    "the `{command}` command needs the openai package: pip install 'halluc-check[openai]'"
)


def _parser(command: str) -> argparse.ArgumentParser:
    if command == "repair":
        parser = argparse.ArgumentParser(
            prog="halluc-check repair",
            description=(
                "Check FILE; while it has findings, ask a chat model (any OpenAI-compatible "
                "endpoint) to repair it, with the real API facts beside each finding, and "
                "re-check its answer. Prints a unified diff of the best version seen; "
                "--write saves it."
            ),
        )
        parser.add_argument("file", metavar="FILE", help="the Python file to repair; `-`: stdin")
        parser.add_argument(
            "--write", action="store_true", help="replace FILE with the repaired code"
        )
        parser.add_argument(
            "--code", action="store_true", help="print the repaired code instead of a diff"
        )
        parser.add_argument(
            "--stdin-filename", metavar="PATH", help="where stdin's code lives (for messages)"
        )
    else:
        parser = argparse.ArgumentParser(
            prog="halluc-check generate",
            description=(
                "Ask a chat model to write code for PROMPT, then check it and let the model "
                "repair what it invented. Prints the final code; what remains goes to stderr."
            ),
        )
        parser.add_argument("prompt", metavar="PROMPT", help="the task; `-` reads it from stdin")
    _add_model_options(parser)
    _add_check_options(parser)
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="no progress, no remaining findings"
    )
    parser.add_argument("--no-color", action="store_true", help="never colour the output")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    return parser


def _add_model_options(parser: argparse.ArgumentParser) -> None:
    model = parser.add_argument_group("model")
    model.add_argument("--model", metavar="NAME", help="the model name the endpoint serves")
    model.add_argument(
        "--base-url",
        metavar="URL",
        help="an OpenAI-compatible endpoint, e.g. http://localhost:8000/v1 "
        "(default: $OPENAI_BASE_URL, else the OpenAI API); the key is read from $OPENAI_API_KEY",
    )
    model.add_argument(
        "--max-rounds",
        metavar="N",
        type=int,
        default=3,
        help="the most repair answers to ask for (default: 3)",
    )
    model.add_argument("--stream", action="store_true", help="stream the answers (SSE)")
    model.add_argument(
        "--request-timeout",
        metavar="SECONDS",
        type=float,
        default=300.0,
        help="the longest wait for one answer (default: 300)",
    )
    model.add_argument(
        "--retries",
        metavar="N",
        type=int,
        default=DEFAULT_RETRIES,
        help="retries after a rate limit, server error, timeout or dropped connection "
        f"(default: {DEFAULT_RETRIES})",
    )
    model.add_argument(
        "--backoff",
        metavar="SECONDS",
        type=float,
        default=DEFAULT_BACKOFF,
        help="the wait before the first retry, doubled for each next one; a server's "
        f"Retry-After wins (default: {DEFAULT_BACKOFF:g})",
    )


def _add_check_options(parser: argparse.ArgumentParser) -> None:
    check = parser.add_argument_group("checking")
    check.add_argument(
        "--python", metavar="PATH", help="interpreter or virtual environment to resolve against"
    )
    check.add_argument("--config", metavar="FILE", type=Path, help="a pyproject.toml to read")
    check.add_argument("--select", metavar="CODES", help="only these rules")
    check.add_argument("--ignore", metavar="CODES", help="skip these rules")
    check.add_argument("--min-confidence", metavar="LEVEL", help="high or medium (default)")
    check.add_argument(
        "--format",
        choices=("full", "concise"),
        help="how the remaining findings are shown (default: full on a terminal)",
    )


def main(command: str, argv: Sequence[str]) -> int:
    """Run ``repair`` or ``generate`` with ``argv`` (the arguments after the command's name)."""
    args = _parser(command).parse_args(list(argv))
    if not hasattr(args, "stdin_filename"):
        args.stdin_filename = None
    configure_logging(args.verbose)
    problem = _usage_problem(command, args)
    if problem:
        return print_error(problem)
    try:
        import openai
    except ImportError:
        return print_error(MISSING_OPENAI.format(command=command))
    key = os.environ.get("OPENAI_API_KEY")
    base_url = args.base_url or os.environ.get("OPENAI_BASE_URL")
    if not key:
        if not base_url:
            return print_error(
                "OPENAI_API_KEY is not set: the OpenAI API needs a key "
                "(a local server given with --base-url accepts any)"
            )
        key = "no-key"  # local servers (vLLM, llama.cpp, Ollama) ignore it; the client wants one
    try:
        config = config_from_args(args)
        client = openai.OpenAI(api_key=key, base_url=base_url)
        if command == "repair":
            return _repair(args, config, client)
        return _generate(args, config, client)
    except (ConfigError, EnvironmentError_) as exc:
        return print_error(str(exc))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _usage_problem(command: str, args: argparse.Namespace) -> str | None:
    if not args.model:
        return "--model is required: the name of the model the endpoint serves"
    if args.max_rounds < 1:
        return "--max-rounds must be at least 1"
    if args.retries < 0 or args.backoff < 0 or args.request_timeout <= 0:
        return "--retries and --backoff cannot be negative, --request-timeout must be positive"
    if command == "repair":
        if args.file == "-" and args.write:
            return "--write needs a FILE, not stdin"
        if args.file != "-":
            path = Path(args.file)
            if not path.is_file():
                return f"{args.file}: no such file"
            if path.suffix.lower() in (".md", ".markdown", ".ipynb"):
                return f"{args.file}: repair works on Python files"
    elif not args.prompt.strip():
        return "the prompt is empty"
    return None


def _repair(args: argparse.Namespace, config: Any, client: Any) -> int:
    if args.file == "-":
        code = sys.stdin.read()
        path = args.stdin_filename
    else:
        path = args.file
        try:
            code = read_source(Path(path))
        except (OSError, UnicodeDecodeError, SyntaxError) as exc:
            return print_error(f"cannot read {path}: {exc}")
    display = path or "<stdin>"
    progress = _Progress(args, args.max_rounds)
    error: RepairError | None = None
    try:
        result = repair(
            code,
            client=client,
            model=args.model,
            max_rounds=args.max_rounds,
            config=config,
            path=path,
            stream=args.stream,
            retries=args.retries,
            backoff=args.backoff,
            timeout=args.request_timeout,
            on_round=progress.round,
            on_start=progress.start,
        )
    except RepairError as exc:
        if exc.result is None or not exc.result.rounds:
            # nothing was reached: the reason is all there is to say
            return print_error(exc.message)
        error, result = exc, exc.result
    out = sys.stdout
    if args.code:
        _write_text(out, result.code)
    else:
        _write_text(out, result.diff())
    _report(args, result, display)
    status = _stop_problem(result)
    if args.write and result.changed and result.parses:
        try:
            _save(Path(args.file), code, result.code)
        except OSError as exc:
            return print_error(f"cannot write {args.file}: {exc.strerror or exc}")
        if not args.quiet:
            print(f"wrote {args.file}", file=sys.stderr)
    if error is not None:
        return print_error(error.message)
    if status:
        print_error(status)
    return EXIT_CLEAN if result.clean else EXIT_FINDINGS


def _generate(args: argparse.Namespace, config: Any, client: Any) -> int:
    task = sys.stdin.read() if args.prompt == "-" else args.prompt
    progress = _Progress(args, args.max_rounds + 1)
    error: RepairError | None = None
    try:
        result = generate(
            task,
            client=client,
            model=args.model,
            max_rounds=args.max_rounds,
            config=config,
            stream=args.stream,
            retries=args.retries,
            backoff=args.backoff,
            timeout=args.request_timeout,
            on_round=progress.round,
        )
    except RepairError as exc:
        if exc.result is None or not exc.result.code:
            return print_error(exc.message)
        error, result = exc, exc.result
    if result.code:
        _write_text(sys.stdout, result.code)
        _report(args, result, "<generated>")
    if error is not None:
        return print_error(error.message)
    status = _stop_problem(result)
    if not result.code:
        return print_error(status or "the model wrote no code that parses")
    if status:
        print_error(status)
    return EXIT_CLEAN if result.clean else EXIT_FINDINGS


def _stop_problem(result: RepairResult) -> str | None:
    """The one-line reason when the model, not the code, ended the rounds."""
    last = result.rounds[-1] if result.rounds else None
    if result.stop == "loop" and last is not None:
        return f"the model {last.note}; stopped after round {last.number}"
    if result.stop == "no-code" and last is not None:
        return f"the model's answer in round {last.number} contained no code"
    return None


class _Progress:
    """One stderr line per round: ``round 1/3: 10 -> 3 findings (1,234 tokens)``."""

    def __init__(self, args: argparse.Namespace, rounds: int) -> None:
        self.quiet = bool(args.quiet)
        self.model = args.model
        self.rounds = rounds
        self.escape = escaper_for(sys.stderr)

    def start(self, checked: Result) -> None:
        findings = len(checked.findings)
        if self.quiet or not findings:
            return
        path = checked.path
        noun = "finding" if findings == 1 else "findings"
        self._line(
            f"{path}: {findings} {noun}; asking {self.model} for a repair "
            f"(at most {self.rounds} rounds)"
        )

    def round(self, entry: Round) -> None:
        if self.quiet:
            return
        if entry.code is None:
            what = "no code"
        elif not entry.parses:
            what = "code that does not parse"
        else:
            count = len(entry.findings)
            what = f"{count} finding" + ("" if count == 1 else "s")
        tokens = f", {entry.usage.total_tokens:,} tokens" if entry.usage else ""
        note = f" ({entry.note})" if entry.note else ""
        self._line(f"round {entry.number}/{self.rounds}: {what}{note}{tokens}")

    def _line(self, text: str) -> None:
        print(self.escape(text), file=sys.stderr)


def _report(args: argparse.Namespace, result: RepairResult, display: str) -> None:
    if args.quiet:
        return
    err = sys.stderr
    remaining = Result(
        display,
        result.findings,
        lines=result.code.count("\n"),
        source=result.code,
    )
    fmt = args.format or ("full" if is_terminal(err) else "concise")
    render([remaining], fmt, err, color=use_color(err, args.no_color))
    rounds = len(result.rounds)
    tokens = f", {result.tokens:,} tokens" if result.tokens else ""
    if result.rounds:
        print(
            f"{len(result.initial_findings)} -> {len(result.findings)} findings "
            f"in {rounds} round{'' if rounds == 1 else 's'}{tokens}; best: "
            + (f"round {result.best_round}" if result.best_round else "the original"),
            file=err,
        )


def _write_text(out: TextIO, text: str) -> None:
    """Model output reaches a terminal escaped; pipes and files get it as it is."""
    if not text:
        return
    if is_terminal(out):
        escape = escaper_for(out)
        text = "".join(escape(line.replace("\t", TAB)) + "\n" for line in text.splitlines())
    out.write(text)


def _save(path: Path, original: str, code: str) -> None:
    """Replace ``path`` atomically, keeping the original's line endings."""
    if "\r\n" in original and "\r\n" not in code:
        code = code.replace("\n", "\r\n")

    def write(stream: TextIO) -> None:
        stream.write(code)

    write_atomically(path, write)


__all__ = ["EXIT_ERROR", "main"]
