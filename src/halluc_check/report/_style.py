"""Reporter options → a configured rich ``Console`` with the ``halluc.*`` theme."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.theme import Theme

from halluc_check.report._text import Escaper

THEME = Theme(
    {
        "halluc.error": "bold red",
        "halluc.warning": "bold yellow",
        "halluc.message": "bold",
        "halluc.code": "bold",
        "halluc.gutter": "bold blue",
        "halluc.caret": "bold red",
        "halluc.help": "bold cyan",
        "halluc.note": "bold",
        "halluc.path": "bold",
    }
)
"""Named styles; override them by passing another ``Theme`` to a reporter's console."""


def make_console(out: TextIO, *, color: bool, width: int | None) -> Console:
    """A console that writes to ``out``, never wraps, and emits ANSI styles only when ``color``.

    Lines are printed with soft wrapping so that the terminal, not rich, folds long lines: copied
    output stays intact. Markup, emoji codes and highlighting are off; callers pass ``Text``.
    ``color`` is final: the caller has already weighed ``NO_COLOR``, ``TERM=dumb`` and ``--color``,
    so rich's own environment checks are overridden (the theme needs only the 16 standard colours).
    """
    return Console(
        file=out,
        theme=THEME,
        width=width,
        color_system="standard" if color else None,
        force_terminal=color,
        no_color=False,
        force_jupyter=False,
        force_interactive=False,
        soft_wrap=True,
        markup=False,
        emoji=False,
        highlight=False,
        legacy_windows=False,
    )


def escaper_for(out: TextIO) -> Escaper:
    """An escaper for the encoding of ``out`` (``io.StringIO`` has none: any Unicode is fine)."""
    encoding = getattr(out, "encoding", None)
    return Escaper(encoding if isinstance(encoding, str) else None)


def is_terminal(out: TextIO) -> bool:
    """Whether ``out`` is an interactive terminal (``False`` for pipes, files and closed streams)."""
    isatty = getattr(out, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except (OSError, ValueError):
        return False


class ReporterOptions:
    """The options every reporter takes (and may ignore), keyword-only.

    Args:
        color: emit ANSI styles (text formats only).
        width: console width in cells; ``None`` detects it.
        summary: end with the summary sentence.
    """

    def __init__(
        self, *, color: bool = False, width: int | None = None, summary: bool = True
    ) -> None:
        self.color = color
        self.width = width
        self.summary = summary
