"""Source text as Python reads it: where its lines break."""

from __future__ import annotations

import re

LINE_BREAK = re.compile(r"\r\n|\r|\n")
"""What ends a line for Python's tokenizer (and parso and libcst)."""


def split_lines(source: str) -> list[str]:
    """Split like Python's tokenizer (and parso/libcst): only ``\\n``, ``\\r\\n`` and ``\\r`` end a line."""
    return LINE_BREAK.split(source)
