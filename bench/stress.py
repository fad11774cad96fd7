"""Size and shape at full scale: a ~10 MB / 100,000-line file and a tree of 100,000 files.

The test suite runs scaled-down versions (tests/test_robustness.py); this runs the real sizes
through the command line, in a temporary folder, and prints the wall time, the peak memory and
the last line of each run. Each must end with exit code 1 (the planted findings) and no
traceback.

    python bench/stress.py                         # both, full size (takes a while)
    python bench/stress.py --lines 20000 --files 5000
    python bench/stress.py --files 0               # only the large file
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def large_file(folder: Path, lines: int) -> Path:
    """``lines`` lines of calls and attribute loads (about 110 bytes each), one planted finding."""
    path = folder / "large.py"
    with path.open("w", encoding="utf-8") as out:
        out.write("import json\nimport os\n")
        for index in range(lines):
            out.write(
                f"value_{index} = json.dumps({{'k': {index}, 'text': 'padding text to make "
                f"the line longer....'}}) + os.sep  # {index}\n"
            )
        out.write("json.lods('x')\n")
    return path


def file_tree(folder: Path, files: int) -> Path:
    """``files`` small files in nested folders (100 per folder); one in 1,000 has a finding."""
    root = folder / "tree"
    for index in range(files):
        sub = root / f"p{index // 10_000}" / f"q{index // 100 % 100}"
        sub.mkdir(parents=True, exist_ok=True)
        body = "import json\njson.lods('x')\n" if index % 1000 == 7 else f"x_{index} = {index}\n"
        (sub / f"m{index}.py").write_text(body, encoding="utf-8")
    return root


UNLIMITED = ("--timeout", "0", "--no-cache")


def run(target: Path, python: str) -> tuple[int, float, str]:
    started = time.perf_counter()
    proc = subprocess.run(
        # no time limit: the point is how long the whole file takes (the default limit would
        # report the 100,000-line file as not checked); no result cache: every file is checked
        [sys.executable, "-m", "halluc_check", str(target), "--python", python, *UNLIMITED],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    elapsed = time.perf_counter() - started
    if "Traceback" in proc.stderr:
        print(proc.stderr, file=sys.stderr)
    last = (proc.stdout.strip().splitlines() or [proc.stderr.strip()])[-1]
    return proc.returncode, elapsed, last


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000, help="lines of the large file")
    parser.add_argument("--files", type=int, default=100_000, help="files in the tree")
    parser.add_argument("--python", default=sys.executable, help="the target interpreter")
    args = parser.parse_args()
    failures = 0
    with tempfile.TemporaryDirectory(prefix="halluc-stress-") as tmp:
        folder = Path(tmp)
        cases = []
        if args.lines:
            path = large_file(folder, args.lines)
            size = path.stat().st_size / 1e6
            cases.append((f"one file, {args.lines:,} lines, {size:.1f} MB", path))
        if args.files:
            cases.append((f"{args.files:,} files", file_tree(folder, args.files)))
        for label, target in cases:
            code, elapsed, last = run(target, args.python)
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(f"{label}: exit {code} in {elapsed:.1f} s, peak {peak:.0f} MB so far")
            print(f"  {last}")
            failures += code != 1
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
