"""Terminal-safe text: source lines and messages → printable strings with known cell widths.

Checked files are untrusted input. Nothing from them (or from messages quoting them) may reach a
terminal raw: control characters, bidi overrides, line separators, lone surrogates and characters
the output stream cannot encode are shown as visible escapes such as ``\\x1b`` or ``\\u202e``.
Tabs become four spaces. The same transform is applied to a line and to the prefix that positions
its carets, so underlines stay aligned.
"""

from __future__ import annotations

import codecs
import unicodedata
from functools import lru_cache

from rich.cells import cell_len

TAB = "    "

# Invisible characters that reorder or hide text (CVE-2021-42574, "Trojan Source").
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _is_unsafe(char: str) -> bool:
    return char in _BIDI_CONTROLS or unicodedata.category(char) in _UNSAFE_CATEGORIES


class Escaper:
    """Make strings safe to print to a stream with the given encoding (``None``: any Unicode)."""

    def __init__(self, encoding: str | None = None) -> None:
        self._encoding = _normalize_encoding(encoding)
        self._char = lru_cache(maxsize=4096)(self._escape_char)

    def __call__(self, text: str) -> str:
        """Return ``text`` with tabs expanded and every unsafe character escaped."""
        if text.isascii() and text.isprintable():
            return text
        return "".join(self._char(char) for char in text)

    def can_encode(self, text: str) -> bool:
        """Whether the stream can take ``text`` as is."""
        if self._encoding is None:
            return not any(unicodedata.category(char) == "Cs" for char in text)
        try:
            text.encode(self._encoding)
        except UnicodeEncodeError:
            return False
        return True

    def _escape_char(self, char: str) -> str:
        if char == "\t":
            return TAB
        if _is_unsafe(char) or (not char.isascii() and not self.can_encode(char)):
            return _escape(char)
        return char


def _normalize_encoding(encoding: str | None) -> str | None:
    """``None`` for encodings that take every code point (UTF-8/16/32), else the codec name."""
    if not encoding:
        return None
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return None
    return None if name.startswith("utf") else name


def cells(text: str) -> int:
    """Terminal cells taken by an already escaped string."""
    return cell_len(text)


def slice_cells(text: str, start: int, stop: int) -> str:
    """The part of ``text`` between cells ``start`` and ``stop``; a cut wide character becomes spaces."""
    parts: list[str] = []
    position = 0
    for char in text:
        char_width = cell_len(char)
        end = position + char_width
        if position >= start and end <= stop:
            parts.append(char)
        elif position < start < end:
            parts.append(" " * (min(end, stop) - start))
        position = end
        if position >= stop:
            break
    return "".join(parts)
