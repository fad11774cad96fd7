"""Every finding of the labelled corpus, the precision corpus and ``fixtures/`` as one JSON file.

A change that must not alter behaviour (a restructuring, a speed-up) is checked by writing this
file before and after it and comparing the two:

    python bench/findings.py --out before.json
    ... change ...
    python bench/findings.py --out after.json
    diff before.json after.json                       # empty: the same findings, word for word

Files are listed relative to the corpus they belong to, sorted, so that the result depends on
neither the order nor the machine; ``--jobs`` and ``--order`` check that it does not either.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

from precision import DEFAULT, package_path

from halluc_check import Config, Finding, check_paths
from halluc_check.report.json import diagnostic

ROOT = Path(__file__).resolve().parent.parent


def corpora(precision: list[str]) -> dict[str, Path]:
    """Corpus name -> folder: the labelled corpus, the fixtures and each precision package."""
    found = {"corpus": ROOT / "bench" / "corpus", "fixtures": ROOT / "fixtures"}
    for name in precision:
        found[f"package:{name}"] = package_path(name)
    return found


def findings(folders: dict[str, Path], *, jobs: int, order: str) -> dict[str, object]:
    """``{corpus: {relative path: [finding, ...] or {"error": ...}}}``."""
    config = Config(python=sys.executable)
    table: dict[str, dict[str, object]] = {}
    for name, folder in folders.items():
        files = sorted(str(p) for p in folder.rglob("*") if p.suffix in (".py", ".md", ".ipynb"))
        if folder.is_file():
            files = [str(folder)]
        if order == "reversed":
            files.reverse()
        elif order == "shuffled":
            random.Random(7).shuffle(files)
        entries: dict[str, object] = {}
        base = folder if folder.is_dir() else folder.parent
        for result in check_paths(files, config=config, jobs=jobs):
            key = str(Path(result.path).resolve().relative_to(base.resolve()))
            if result.error is not None:
                entries[key] = {"error": result.error}
            else:
                entries[key] = [_plain(f) for f in result.findings]
        table[name] = dict(sorted(entries.items()))
    return table


def _plain(finding: Finding) -> dict[str, Any]:
    data = diagnostic(finding)
    data.pop("path", None)
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--order", choices=("sorted", "reversed", "shuffled"), default="sorted")
    parser.add_argument("--packages", nargs="*", default=DEFAULT)
    args = parser.parse_args()
    table = findings(corpora(args.packages), jobs=args.jobs, order=args.order)
    args.out.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    entries = [v for corpus in table.values() for v in corpus.values()]  # type: ignore[attr-defined]
    total = sum(len(v) for v in entries if isinstance(v, list))
    errors = sum(1 for v in entries if isinstance(v, dict))
    print(f"{args.out}: {total} findings, {errors} files not checked")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
