"""flake8 plugin: ``flake8 --select HAL`` reports halluc-check's findings as ``HAL`` codes.

Registered under the ``flake8.extension`` entry point ``HAL``. flake8 hands over the file's lines;
the plugin checks their text with :func:`halluc_check.check_source` (flake8's ``ast`` is not used)
and yields one ``HALnnn`` error per finding. flake8 applies ``# noqa`` and ``--select``/``--ignore``.

The target environment is ``--halluc-python PATH`` (also ``halluc-python = PATH`` in flake8's
configuration), else ``[tool.halluc-check] python`` of the nearest ``pyproject.toml``, else
``$VIRTUAL_ENV``, ``./.venv`` or the interpreter running flake8.
"""

from __future__ import annotations

import argparse
import ast
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

from halluc_check.api import check_source
from halluc_check.config import Config, load_config
from halluc_check.model import Finding
from halluc_check.version import __version__

# flake8 imports every installed plugin at start-up: the engine (jedi, libcst) loads with the
# first check only.

_STDIN_NAMES = ("stdin", "-", "<stdin>")


class Plugin:
    """One file for flake8; ``run`` yields ``(line, column0, "HALnnn message", type)``."""

    name = "halluc-check"
    version = __version__

    _python: ClassVar[str | None] = None
    _config: ClassVar[Config | None] = None

    def __init__(self, tree: ast.AST, filename: str, lines: Sequence[str]) -> None:
        del tree  # flake8 passes its own ast; halluc-check parses the text itself
        self.filename = filename
        self.lines = lines

    @classmethod
    def add_options(cls, option_manager: Any) -> None:
        option_manager.add_option(
            "--halluc-python",
            metavar="PATH",
            default=None,
            parse_from_config=True,
            help="interpreter or virtual environment whose installed packages halluc-check "
            "resolves against (default: [tool.halluc-check] python, $VIRTUAL_ENV, ./.venv, "
            "the interpreter running flake8)",
        )

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        cls._python = getattr(options, "halluc_python", None)
        cls._config = None

    @classmethod
    def settings(cls) -> Config:
        """``[tool.halluc-check]`` of the nearest ``pyproject.toml``, with ``--halluc-python``."""
        if cls._config is None:
            cls._config = load_config(Path.cwd()).with_overrides(python=cls._python)
        return cls._config

    def run(self) -> Iterator[tuple[int, int, str, type[Plugin]]]:
        path = None if self.filename in _STDIN_NAMES else self.filename
        result = check_source("".join(self.lines), path=path, config=self.settings())
        if result.error is not None:
            yield 1, 0, f"HAL900 could not check this file: {_one_line(result.error)}", type(self)
            return
        for finding in result.findings:
            yield finding.span.line, finding.span.column, _text(finding), type(self)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _text(finding: Finding) -> str:
    text = f"{finding.code} {_one_line(finding.message)}"
    if finding.suggestions:
        suggestion = finding.suggestions[0]
        help_text = suggestion.message or f"did you mean `{suggestion.replacement}`?"
        text += f" (help: {_one_line(help_text)})"
    if finding.migration is not None:
        text += f" (note: {_one_line(finding.migration.note)})"
    return text
