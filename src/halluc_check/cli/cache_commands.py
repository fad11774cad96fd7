"""``halluc-check cache info [--json]`` and ``halluc-check cache clear``: the on-disk cache's
location and size, or an empty cache."""

from __future__ import annotations

import json
import sys
from typing import TextIO

from ..cache import DiskCache
from .common import EXIT_CLEAN, EXIT_ERROR

USAGE = "usage: halluc-check cache info [--json] | halluc-check cache clear"


def main(argv: list[str], out: TextIO) -> int:
    """Run ``cache`` with ``argv`` (the arguments after ``cache``), writing to ``out``."""
    if argv not in (["info"], ["clear"], ["info", "--json"]):
        print(USAGE, file=sys.stderr)
        return EXIT_ERROR
    disk = DiskCache()
    if argv[0] == "clear":
        removed = disk.clear()
        out.write(f"removed {removed} cache entries from {disk.directory}\n")
        return EXIT_CLEAN
    info = disk.info()
    if argv[1:] == ["--json"]:
        out.write(json.dumps(info, indent=2) + "\n")
        return EXIT_CLEAN
    out.write(f"cache directory: {info['directory']} (format {info['format']})\n")
    if not info["kinds"]:
        out.write("empty\n")
    for kind, numbers in info["kinds"].items():
        out.write(f"{kind}: {numbers['entries']} entries, {numbers['bytes'] / 1024:.0f} KiB\n")
    return EXIT_CLEAN
