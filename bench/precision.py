"""Precision on real, correct code: run halluc-check over installed packages' own source.

Every finding here is a false alarm until proven otherwise (this code is released and tested).
Prints findings per 1,000 lines per package and lists every finding.

    python bench/precision.py                       # the default corpus (>= 50k lines)
    python bench/precision.py --packages rich json  # chosen packages
    python bench/precision.py --json out.json       # also write the findings as JSON
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

from halluc_check import Config, check_paths

DEFAULT = [
    # third-party packages installed with the test extra
    *("rich", "requests", "click", "httpx", "urllib3", "anyio", "markdown_it", "flask"),
    *("jinja2", "werkzeug"),
    # stdlib packages
    *("json", "email", "logging", "argparse", "http", "pathlib"),
]


def package_path(name: str) -> Path:
    """The source folder (or file) of an installed package, located without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise SystemExit(f"package {name} is not installed")
    origin = Path(spec.origin)
    return origin.parent if origin.name == "__init__.py" else origin


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", nargs="+", default=DEFAULT)
    parser.add_argument("--json", type=Path, help="write every finding to this file")
    args = parser.parse_args()
    config = Config(python=sys.executable)
    total_lines = total_findings = total_files = errors = 0
    listing: list[dict[str, object]] = []
    print(f"{'package':<12} {'files':>6} {'lines':>8} {'findings':>9} {'per 1k':>7} {'seconds':>8}")
    for name in args.packages:
        root = package_path(name)
        started = time.perf_counter()
        files = lines = findings = 0
        for result in check_paths([root], config=config):
            files += 1
            lines += result.lines
            if result.error:
                errors += 1
                print(f"  not checked: {result.path}: {result.error}", file=sys.stderr)
            for finding in result.findings:
                findings += 1
                listing.append(
                    {
                        "package": name,
                        "path": finding.path,
                        "line": finding.span.line,
                        "column": finding.span.column + 1,
                        "code": finding.code,
                        "message": finding.message,
                        "confidence": finding.confidence.value,
                    }
                )
        elapsed = time.perf_counter() - started
        per_k = findings * 1000 / lines if lines else 0.0
        print(
            f"{name:<12} {files:>6} {lines:>8} {findings:>9} {per_k:>7.3f} {elapsed:>8.1f}",
            flush=True,
        )
        total_lines += lines
        total_findings += findings
        total_files += files
    per_k = total_findings * 1000 / total_lines if total_lines else 0.0
    print(f"{'total':<12} {total_files:>6} {total_lines:>8} {total_findings:>9} {per_k:>7.3f}")
    if errors:
        print(f"{errors} files could not be checked")
    for item in listing:
        print(
            f"{item['path']}:{item['line']}:{item['column']}: {item['code']} {item['message']} [{item['confidence']}]"
        )
    if args.json:
        args.json.write_text(json.dumps(listing, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
