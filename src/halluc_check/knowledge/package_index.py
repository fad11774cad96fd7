"""The shipped snapshot of PyPI's distribution names -> does a name exist, how popular is it, when.

``data/pypi_index.bin`` is written by ``scripts/build_package_index.py``::

    b"HCPYPI1\\n"  uint32 (little-endian) length of the header
    header        zlib of JSON: date, count, block (names per block), firsts (the first name of
                  every block), offsets (of every block, after the popular section, plus the end),
                  popular (the popular section's length)
    popular       zlib of ``name<TAB>rank`` lines, the 15,000 most downloaded distributions
    blocks        zlib of sorted, normalised names, front-coded: each line starts with
                  ``chr(48 + n)``, n the number of leading characters shared with the line before

Nothing is read until the first question: importing this module costs nothing, the first lookup
reads the file's header (a bisect index over the blocks) and decompresses one block; blocks are
remembered. Names are compared in their PEP 503 normal form (``Foo_Bar.baz`` -> ``foo-bar-baz``).
"""

from __future__ import annotations

import bisect
import json
import re
import struct
import threading
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

MAGIC = b"HCPYPI1\n"
INDEX_FILE = "pypi_index.bin"
_SEPARATORS = re.compile(r"[-_.]+")


def normalise(name: str) -> str:
    """PEP 503 normal form of a distribution name: ``Foo_Bar.baz`` -> ``foo-bar-baz``."""
    return _SEPARATORS.sub("-", name).lower()


class IndexError_(Exception):
    """The shipped index is missing or damaged (a broken installation)."""


@dataclass(frozen=True, slots=True)
class _Header:
    date: str
    count: int
    firsts: tuple[str, ...]
    offsets: tuple[int, ...]
    popular_start: int
    start: int
    """Where the first block starts in the data."""


class PackageIndex:
    """Distribution names of one snapshot; ``data`` is the file's bytes, read when first asked."""

    def __init__(self, data: bytes | None = None) -> None:
        self._data = data
        self._header: _Header | None = None
        self._ranks: dict[str, int] | None = None
        self._blocks: dict[int, frozenset[str]] = {}
        self._lock = threading.Lock()

    @property
    def date(self) -> str:
        """The snapshot's date: the latest release month in the source list (``2026-11``)."""
        return self._load().date

    def __len__(self) -> int:
        return self._load().count

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.exists(name)

    def exists(self, name: str) -> bool:
        """Whether a distribution of this name (in any spelling PEP 503 equates) is on PyPI."""
        key = normalise(name)
        header = self._load()
        block = bisect.bisect_right(header.firsts, key) - 1
        return block >= 0 and key in self._block(block)

    def rank(self, name: str) -> int | None:
        """1 for the most downloaded distribution, up to 15,000; None for the others."""
        return self.ranks().get(normalise(name))

    def ranks(self) -> dict[str, int]:
        """Normalised name -> rank, for the most downloaded distributions."""
        if self._ranks is None:
            header = self._load()
            data = self._bytes()
            text = zlib.decompress(data[header.popular_start : header.start]).decode("utf-8")
            ranks: dict[str, int] = {}
            for line in text.splitlines():
                name, _, rank = line.partition("\t")
                ranks[name] = int(rank)
            self._ranks = ranks
        return self._ranks

    def _bytes(self) -> bytes:
        if self._data is None:
            try:
                files = resources.files("halluc_check.knowledge") / "data" / INDEX_FILE
                self._data = files.read_bytes()
            except OSError as exc:
                raise IndexError_(f"the package index cannot be read: {exc}") from exc
        return self._data

    def _load(self) -> _Header:
        if self._header is not None:
            return self._header
        with self._lock:
            if self._header is None:
                self._header = _parse_header(self._bytes())
        return self._header

    def _block(self, number: int) -> frozenset[str]:
        found = self._blocks.get(number)
        if found is None:
            header = self._load()
            data = self._bytes()
            begin = header.start + header.offsets[number]
            end = header.start + header.offsets[number + 1]
            found = frozenset(_front_decoded(zlib.decompress(data[begin:end]).decode("utf-8")))
            self._blocks[number] = found
        return found

    def block_names(self, number: int) -> frozenset[str]:
        """The names of one block (for tests and the build's round trip)."""
        return self._block(number)

    @property
    def blocks(self) -> int:
        return len(self._load().firsts)


def _parse_header(data: bytes) -> _Header:
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 4:
        raise IndexError_("the package index is damaged: not a halluc-check index")
    (length,) = struct.unpack_from("<I", data, len(MAGIC))
    begin = len(MAGIC) + 4
    try:
        header = json.loads(zlib.decompress(data[begin : begin + length]))
        popular = int(header["popular"])
        return _Header(
            date=str(header["date"]),
            count=int(header["count"]),
            firsts=tuple(header["firsts"]),
            offsets=tuple(header["offsets"]),
            popular_start=begin + length,
            start=begin + length + popular,
        )
    except (zlib.error, ValueError, KeyError, TypeError) as exc:
        raise IndexError_(f"the package index is damaged: {exc}") from exc


def _front_decoded(text: str) -> list[str]:
    names: list[str] = []
    previous = ""
    for line in text.split("\n"):
        shared = ord(line[0]) - 48
        previous = previous[:shared] + line[1:]
        names.append(previous)
    return names


@lru_cache(maxsize=1)
def shipped() -> PackageIndex:
    """The index shipped with halluc-check (read on its first lookup)."""
    return PackageIndex()


def snapshot_date() -> str:
    """The shipped snapshot's date, or ``unknown`` when the index cannot be read."""
    try:
        return shipped().date
    except IndexError_:
        return "unknown"
