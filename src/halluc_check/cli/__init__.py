"""The command line: ``halluc-check [PATHS]``, its subcommands and the chat-model commands."""

from __future__ import annotations

from .command import console_main, main

__all__ = ["console_main", "main"]
