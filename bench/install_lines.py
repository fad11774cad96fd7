"""Precision of HAL301/HAL302 on real requirements: every name here exists, so every finding is a
false alarm.

The requirements are the ``Requires-Dist`` lines of every distribution installed in the given
environments (read with ``importlib.metadata``, nothing imported) and, with ``--tsv``, the most
downloaded distributions of a PyPI list (TSV with the columns ``name`` and
``rank_among_15000_most_downloaded``, as ``scripts/build_package_index.py`` reads). They are
written as one requirements file per source and checked like any requirements file; the lookup
time per name is measured on the same names.

    python bench/install_lines.py --site .venv/lib/python3.11/site-packages --tsv pypi.tsv
    python bench/install_lines.py --site SITE --site OTHER --top 15000 --tsv pypi.tsv
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from importlib import metadata
from pathlib import Path

from halluc_check.knowledge.install_lines import from_requirements
from halluc_check.knowledge.package_index import PackageIndex
from halluc_check.rules.install_lines import install_findings


def requires_dist(sites: list[str]) -> list[str]:
    """Every distinct ``Requires-Dist`` line of the distributions installed in ``sites``."""
    lines: dict[str, None] = {}
    for dist in metadata.distributions(path=sites):
        for requirement in dist.requires or ():
            lines.setdefault(requirement.strip(), None)
    return list(lines)


def top_names(tsv: Path, top: int) -> list[str]:
    """The ``top`` most downloaded distributions of the list, most downloaded first."""
    ranked: list[tuple[int, str]] = []
    csv.field_size_limit(sys.maxsize)
    with open(tsv, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            rank = row.get("rank_among_15000_most_downloaded") or ""
            if rank.strip().isdigit() and int(rank) <= top:
                ranked.append((int(rank), row["name"]))
    return [name for _, name in sorted(ranked)]


def check(label: str, lines: list[str]) -> int:
    """Check ``lines`` as a requirements file; print the count and every finding."""
    text = "\n".join(lines) + "\n"
    named = from_requirements(text)
    findings = install_findings(named, f"{label}.txt")
    print(f"{label}: {len(lines)} lines, {len(named)} names, {len(findings)} false alarms")
    for finding in findings:
        print(f"  {finding.code} line {finding.span.line}: {lines[finding.span.line - 1]!r}")
        print(f"    {finding.message}; {finding.label}")
    return len(findings)


def lookup_times(names: list[str]) -> None:
    """The first lookup of a fresh index (reads the file's header) and the mean per name after."""
    index = PackageIndex()
    started = time.perf_counter()
    index.exists(names[0])
    first = time.perf_counter() - started
    started = time.perf_counter()
    for name in names:
        index.exists(name)
    cold = (time.perf_counter() - started) / len(names)
    started = time.perf_counter()
    for _ in range(10):
        for name in names:
            index.exists(name)
    warm = (time.perf_counter() - started) / (10 * len(names))
    print(
        f"lookup: first {first * 1e3:.1f} ms (header), then {cold * 1e6:.1f} µs per name while "
        f"blocks are decompressed, {warm * 1e6:.2f} µs per name once they are "
        f"({len(names)} names, {index.blocks} blocks)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", action="append", default=[], help="a site-packages folder")
    parser.add_argument("--tsv", type=Path, help="a PyPI list with download ranks")
    parser.add_argument("--top", type=int, default=1000, help="how many of its most downloaded")
    args = parser.parse_args()
    alarms = 0
    names: list[str] = []
    if args.site:
        lines = requires_dist(args.site)
        alarms += check("requires-dist", lines)
        names += [n.name for n in from_requirements("\n".join(lines))]
    if args.tsv is not None:
        top = top_names(args.tsv, args.top)
        alarms += check(f"top-{args.top}", top)
        names += top
    if names:
        lookup_times(names)
    return 1 if alarms else 0


if __name__ == "__main__":
    raise SystemExit(main())
