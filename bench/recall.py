"""Recall and false alarms on the labelled corpus (``bench/corpus`` and ``fixtures``).

Hallucinated files carry ``# expect: CODE[name]`` labels verified at run time
(``bench/corpus/verify_labels.py``); correct files carry none and must stay silent.

    python bench/recall.py            # table + every miss and false alarm
    python bench/recall.py --quiet    # table only
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import time
from collections import Counter
from pathlib import Path

from halluc_check import Config, check_paths
from halluc_check.testing import actual, expected

ROOT = Path(__file__).resolve().parent.parent
HALLUCINATED = [ROOT / "bench/corpus/hallucinated", ROOT / "fixtures/founding/bot_stale.py"]
CORRECT = [ROOT / "bench/corpus/correct", ROOT / "fixtures/founding/bot_fixed.py"]
KINDS = {"HAL001": "imports", "HAL002": "imports", "HAL101": "attributes"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    config = Config(python=sys.executable)
    reasons = _capture_skip_reasons()
    started = time.perf_counter()
    labelled: Counter[str] = Counter()
    found: Counter[str] = Counter()
    misses: list[str] = []
    extra_in_hallucinated: list[str] = []
    false_alarms: list[str] = []
    correct_lines = 0
    for group, roots in (("hallucinated", HALLUCINATED), ("correct", CORRECT)):
        for result in check_paths(roots, config=config):
            path = Path(result.path)
            source = path.read_text(encoding="utf-8")
            want = expected(path)
            got = actual(result.findings, source)
            where = path.relative_to(ROOT)
            if result.error:
                print(f"not checked: {where}: {result.error}")
            for line, code, name in sorted(want):
                labelled[KINDS.get(code, code)] += 1
                if (line, code, name) in got:
                    found[KINDS.get(code, code)] += 1
                else:
                    why = reasons.get((str(path), line, name), "")
                    misses.append(f"{where}:{line}: {code}[{name}]" + (f"  ({why})" if why else ""))
            for line, code, name in sorted(got - want):
                text = f"{where}:{line}: {code}[{name}]"
                (false_alarms if group == "correct" else extra_in_hallucinated).append(text)
            if group == "correct":
                correct_lines += result.lines
    elapsed = time.perf_counter() - started
    print(f"{'kind':<12} {'labelled':>9} {'found':>6} {'recall':>7}")
    for kind in sorted(labelled):
        print(
            f"{kind:<12} {labelled[kind]:>9} {found[kind]:>6} {found[kind] / labelled[kind]:>7.3f}"
        )
    total, hits = sum(labelled.values()), sum(found.values())
    print(f"{'all':<12} {total:>9} {hits:>6} {hits / total if total else 0:>7.3f}")
    print(f"false alarms on correct code: {len(false_alarms)} ({correct_lines} lines)")
    print(f"unlabelled findings in hallucinated files: {len(extra_in_hallucinated)}")
    print(f"time: {elapsed:.1f} s")
    if not args.quiet:
        for title, items in (
            ("missed", misses),
            ("false alarms", false_alarms),
            ("unlabelled findings", extra_in_hallucinated),
        ):
            if items:
                print(f"\n{title}:")
                print("\n".join(f"  {item}" for item in items))
    return 0


class _Reasons(logging.Handler):
    """Collects the engine's debug notes on what it did not check, keyed by place and name."""

    pattern = re.compile(
        r"^(?P<path>.+):(?P<line>\d+):\d+: not checked `(?P<expr>[^`]*)`: (?P<why>.*)$"
    )

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.found: dict[tuple[str, int, str], str] = {}

    def emit(self, record: logging.LogRecord) -> None:
        match = self.pattern.match(record.getMessage())
        if match:
            name = match.group("expr").rsplit(".", 1)[-1]
            self.found[(match.group("path"), int(match.group("line")), name)] = match.group("why")


def _capture_skip_reasons() -> dict[tuple[str, int, str], str]:
    handler = _Reasons()
    logger = logging.getLogger("halluc_check.engine.checker")
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    return handler.found


if __name__ == "__main__":
    raise SystemExit(main())
