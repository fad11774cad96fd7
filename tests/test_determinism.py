"""A file's findings depend on its text, its project, the configuration and the environment alone:
not on the other files of the run, their order, the number of worker processes or the checker
that checked something else before."""

from __future__ import annotations

import json
import random
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

from halluc_check import Config, check_paths
from halluc_check.engine.checker import Checker
from halluc_check.model import Result
from halluc_check.report.json import diagnostic

from .conftest import FIXTURES

ROOT = FIXTURES.parent
CONFIG = Config(python=sys.executable)

# files whose receivers or callees infer to several values (their order came from memory
# addresses), and files that import libraries many other files import too; kwargs_pandas.py:
# what `df.groupby(...)["a"].sum()` infers to depended on the order jedi iterated value sets in
_CORPUS_FILES = (
    "bench/corpus/hallucinated/click_rich_cli.py",
    "bench/corpus/hallucinated/kwargs_pandas.py",
    "bench/corpus/correct/pandas_correct.py",
    "bench/corpus/hallucinated/stdlib_instances.py",
    "bench/corpus/correct/guards.py",
    "fixtures/cases/HAL101_chains.py",
    "fixtures/founding/bot_stale.py",
)


def _package(root: Path) -> None:
    """A package whose backend module is named like the optional library it wraps, beside a
    module that imports that library under a guard (the library is not installed)."""
    (root / "pkg" / "_backends").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (root / "pkg" / "_backends" / "__init__.py").write_text("", encoding="utf-8")
    (root / "pkg" / "_backends" / "trio.py").write_text(
        "import trio\n\n\ndef current_time() -> float:\n    return trio.current_time()\n",
        encoding="utf-8",
    )
    (root / "pkg" / "_synchronization.py").write_text(
        "try:\n    import trio\nexcept ImportError:\n    trio = None\n\n\n"
        "def make_lock():\n    if trio is not None:\n        return trio.Lock()\n    return None\n\n\n"
        "def wait():\n    return trio.sleep(1)\n",
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("determinism")
    _package(root)
    for name in _CORPUS_FILES:
        target = root / "files" / Path(name).name
        target.parent.mkdir(exist_ok=True)
        shutil.copy(ROOT / name, target)
    return sorted(root.rglob("*.py"))


def _table(results: Iterable[Result]) -> dict[str, object]:
    table: dict[str, object] = {}
    for result in results:
        if result.error is not None:
            table[result.path] = {"error": result.error}
        else:
            table[result.path] = [
                json.dumps(diagnostic(f), sort_keys=True) for f in result.findings
            ]
    return dict(sorted(table.items()))


def _run(files: list[Path], *, jobs: int = 1) -> dict[str, object]:
    return _table(check_paths([str(f) for f in files], config=CONFIG, jobs=jobs))


def test_the_guarded_import_of_a_missing_library_is_never_answered_by_a_namesake(
    corpus: list[Path],
) -> None:
    """``import trio`` (not installed) is not the project's ``pkg/_backends/trio.py``, whichever
    file was checked before."""
    backend = next(f for f in corpus if f.name == "trio.py")
    user = next(f for f in corpus if f.name == "_synchronization.py")
    findings = _run([backend, user])
    assert findings[str(user)] == []


def test_findings_do_not_depend_on_order_grouping_or_workers(corpus: list[Path]) -> None:
    reference = _run(corpus)
    assert not [path for path, v in reference.items() if isinstance(v, dict)], reference
    assert any(reference.values()), "the corpus must have findings to compare"
    shuffled = list(corpus)
    random.Random(20261207).shuffle(shuffled)
    runs = {
        "reversed": _run(list(reversed(corpus))),
        "shuffled": _run(shuffled),
        "two workers": _run(corpus, jobs=2),
    }
    alone: dict[str, object] = {}
    for file in corpus:
        checker = Checker(CONFIG)
        alone |= _table([checker.check_source(file.read_text(encoding="utf-8"), str(file))])
    runs["each file alone"] = alone
    different = {
        name: [Path(path).name for path in reference if table.get(path) != reference[path]]
        for name, table in runs.items()
    }
    assert not any(different.values()), different


def test_a_long_run_keeps_the_parse_trees_jedi_reads_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """parso forgets cached parse trees unused for ten minutes once 600 are cached; jedi reads
    the cache entry of every module it holds again later. Made to forget at once, and starting
    from an empty cache, a run must still check every file, with the findings of a run that
    forgets nothing."""
    import parso.cache

    files = sorted((FIXTURES / "cases").glob("*.py"))
    cached = parso.cache.parser_cache
    kept = {grammar: dict(trees) for grammar, trees in cached.items()}
    cached.clear()  # no state outlives a run: nothing holds a tree of the cleared ones
    try:
        with monkeypatch.context() as patched:
            patched.setattr(parso.cache, "_CACHED_SIZE_TRIGGER", 5)
            patched.setattr(parso.cache, "_CACHED_FILE_MINIMUM_SURVIVAL", 0)
            forgetting = _run(files)
    finally:
        cached.clear()
        cached.update(kept)
    assert not [path for path, v in forgetting.items() if isinstance(v, dict)], forgetting
    assert forgetting == _run(files)
