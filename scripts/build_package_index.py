"""A dated list of PyPI's distribution names (TSV) -> the shipped package index.

Usage::

    python scripts/build_package_index.py PATH/TO/pypi.tsv [--out src/halluc_check/knowledge/data]

The input has a header and the columns ``name``, ``version``, ``month`` (of the latest release),
``rank_among_15000_most_downloaded`` (empty for the others) and ``summary``. The snapshot's date
is the latest ``month`` in it. Writes ``pypi_index.bin`` (see ``halluc_check.knowledge.package_index``
for the format) and ``stdlib_3.11.txt`` (``sys.stdlib_module_names`` of the Python 3.11 running
this script; the other versions are derived from it with ``stdlib.toml``).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import struct
import sys
import zlib
from pathlib import Path

MAGIC = b"HCPYPI1\n"
BLOCK = 512
"""Names per compressed block: a lookup decompresses one block (about 6 KB)."""
MAX_SHARED = 35
_SEPARATORS = re.compile(r"[-_.]+")


def normalise(name: str) -> str:
    """PEP 503: runs of ``-``, ``_`` and ``.`` become one ``-``, lower case."""
    return _SEPARATORS.sub("-", name).lower()


def read_snapshot(path: Path) -> tuple[list[str], dict[str, int], str]:
    """The sorted normalised names, the popular ones' ranks and the latest month."""
    names: set[str] = set()
    ranks: dict[str, int] = {}
    latest = ""
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(rows)
        if header[:4] != ["name", "version", "month", "rank_among_15000_most_downloaded"]:
            raise SystemExit(f"unexpected header: {header[:4]}")
        for row in rows:
            if not row or not row[0].strip():
                continue
            name = normalise(row[0].strip())
            names.add(name)
            month = row[2].strip() if len(row) > 2 else ""
            if re.fullmatch(r"\d{4}-\d{2}", month) and month > latest:
                latest = month
            rank = row[3].strip() if len(row) > 3 else ""
            if rank.isdigit():
                ranks[name] = min(int(rank), ranks.get(name, int(rank)))
    return sorted(names), ranks, latest


def front_coded(chunk: list[str]) -> str:
    """Each name as one character telling how many leading characters it shares with the one
    before (``chr(48 + n)``, at most 35), then the rest: a tenth smaller once compressed."""
    lines: list[str] = []
    previous = ""
    for name in chunk:
        limit = min(len(previous), len(name), MAX_SHARED)
        shared = 0
        while shared < limit and previous[shared] == name[shared]:
            shared += 1
        lines.append(chr(48 + shared) + name[shared:])
        previous = name
    return "\n".join(lines)


def encode(names: list[str], ranks: dict[str, int], date: str) -> bytes:
    firsts: list[str] = []
    offsets: list[int] = []
    blobs: list[bytes] = []
    position = 0
    for start in range(0, len(names), BLOCK):
        chunk = names[start : start + BLOCK]
        blob = zlib.compress(front_coded(chunk).encode("utf-8"), 9)
        firsts.append(chunk[0])
        offsets.append(position)
        blobs.append(blob)
        position += len(blob)
    offsets.append(position)
    popular = "\n".join(
        f"{name}\t{rank}" for name, rank in sorted(ranks.items(), key=lambda x: x[1])
    )
    popular_blob = zlib.compress(popular.encode("utf-8"), 9)
    header = {
        "date": date,
        "count": len(names),
        "block": BLOCK,
        "firsts": firsts,
        "offsets": offsets,
        "popular": len(popular_blob),
    }
    head = zlib.compress(json.dumps(header, separators=(",", ":")).encode("utf-8"), 9)
    return MAGIC + struct.pack("<I", len(head)) + head + popular_blob + b"".join(blobs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="the TSV list of PyPI distribution names")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "src/halluc_check/knowledge/data",
    )
    args = parser.parse_args(argv)
    names, ranks, date = read_snapshot(args.source)
    if not date:
        raise SystemExit("no `month` in the source: cannot date the snapshot")
    data = encode(names, ranks, date)
    (args.out / "pypi_index.bin").write_bytes(data)
    if sys.version_info[:2] == (3, 11):
        stdlib = "\n".join(sorted(sys.stdlib_module_names)) + "\n"
        (args.out / "stdlib_3.11.txt").write_text(stdlib, encoding="utf-8")
    else:
        print("not Python 3.11: stdlib_3.11.txt left as it is", file=sys.stderr)
    print(f"{len(names):,} names, {len(ranks):,} ranked, snapshot {date}: {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
