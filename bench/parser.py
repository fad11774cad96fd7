"""parso's Python parser against halluc-check's inlined one, on real code.

Parses the same sources with both parsers, in turn (``--rounds`` times), with the cyclic
collector off so that only parsing is timed, and checks that every tree is the same, node for
node. The sources are the installed packages the benchmark's real-code corpus is made of
(whatever of them is installed) and the stdlib's top-level modules.

    python bench/parser.py
    python bench/parser.py --rounds 5 --stdlib 300
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sysconfig
import time
from pathlib import Path
from typing import Any

import parso
from parso.python.parser import Parser

from halluc_check.jedi_compat.parso_parser import InlinedParser, tree_shape

PACKAGES = ["requests", "click", "flask", "httpx", "jinja2", "urllib3"]


def sources(stdlib_modules: int) -> list[str]:
    site = Path(sysconfig.get_paths()["purelib"])
    files = [f for name in PACKAGES for f in sorted((site / name).rglob("*.py"))]
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files += sorted(stdlib.glob("*.py"))[:stdlib_modules]
    return [f.read_text(encoding="utf-8", errors="replace") for f in files]


def parse_all(grammar: Any, parser: type, texts: list[str]) -> tuple[float, list[Any]]:
    grammar._parser = parser
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        trees = [grammar.parse(text, cache=False, diff_cache=False) for text in texts]
        return time.perf_counter() - start, trees
    finally:
        gc.enable()


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--rounds", type=int, default=3)
    options.add_argument("--stdlib", type=int, default=150, help="stdlib modules to add")
    args = options.parse_args()
    texts = sources(args.stdlib)
    lines = sum(text.count("\n") for text in texts)
    grammar = parso.load_grammar()
    times: dict[type, list[float]] = {Parser: [], InlinedParser: []}
    for _ in range(args.rounds):
        for parser in (Parser, InlinedParser):
            seconds, trees = parse_all(grammar, parser, texts)
            times[parser].append(seconds)
            if parser is Parser:
                expected = [tree_shape(tree) for tree in trees]
            elif [tree_shape(tree) for tree in trees] != expected:
                raise SystemExit("the inlined parser built a different tree")
            del trees
    old, new = statistics.median(times[Parser]), statistics.median(times[InlinedParser])
    print(f"{len(texts)} files, {lines:,} lines, median of {args.rounds} rounds; same trees")
    print(f"parso's parser    {old:6.2f} s   {lines / old:9,.0f} lines/s")
    print(
        f"inlined parser    {new:6.2f} s   {lines / new:9,.0f} lines/s   ({new / old:.2f}x the time)"
    )


if __name__ == "__main__":
    main()
