"""The result cache and the cached interpreter probe: same answers, fewer checks, every fault a miss."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from halluc_check import Config
from halluc_check.cache import DiskCache, folders_fingerprint, project_fingerprint
from halluc_check.config import from_mapping
from halluc_check.model import Result
from halluc_check.run import runner
from halluc_check.run.runner import RunOptions, check_files
from halluc_check.target.environment import load_environment

BAD = "import json\njson.dump_string({})\nclass A:\n    x = 1\nA().y\n"


def _project(tmp_path: Path, **files: str) -> Path:
    root = tmp_path / "project"
    root.mkdir(exist_ok=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\n", encoding="utf-8")
    for name, text in files.items():
        (root / f"{name}.py").write_text(text, encoding="utf-8")
    project_fingerprint.cache_clear()
    return root


def _run(root: Path, disk: DiskCache, config: Config | None = None) -> list[Result]:
    project_fingerprint.cache_clear()  # a new run sees the files as they are now
    return list(check_files([root], config or Config(), RunOptions(cache=disk)))


def _forbid_checking(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a cached result was expected")

    monkeypatch.setattr(runner, "checker_for", refuse)


def _summary(results: list[Result]) -> list[tuple[str, str | None, list[tuple[str, int, int]]]]:
    return [
        (Path(r.path).name, r.error, [(f.code, f.span.line, f.span.column) for f in r.findings])
        for r in results
    ]


def test_an_unchanged_project_is_answered_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path, bad=BAD, good="import os\nos.getcwd()\n")
    disk = DiskCache(tmp_path / "cache")
    first = _run(root, disk)
    assert _summary(first) == [
        ("bad.py", None, [("HAL101", 2, 5), ("HAL101", 5, 4)]),
        ("good.py", None, []),
    ]
    _forbid_checking(monkeypatch)
    second = _run(root, disk)
    assert second == first  # every field, notes, suggestions and symbols included
    assert [r.source for r in second] == [r.source for r in first]


def test_migration_hints_come_back_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path, old="import os\nimport json\nos.getcwdu()\njson.dump_string({})\n")
    disk = DiskCache(tmp_path / "cache")
    ours = {"api": "json:dump_string", "package": "python", "kind": "renamed", "since": "3.0"}
    config = from_mapping({"migrations": [{**ours, "replacement": "`json.dumps`"}]})
    first = _run(root, disk, config)
    hints = [f.migration and f.migration.api for r in first for f in r.findings]
    assert hints == ["os:getcwdu", "json:dump_string"]
    with monkeypatch.context() as patched:
        _forbid_checking(patched)
        assert _run(root, disk, config) == first
    # other entries are another configuration: checked again, with the new wording
    config = from_mapping({"migrations": [{**ours, "replacement": "`json.dumps()`"}]})
    again = _run(root, disk, config)
    assert again[0].findings[1].notes[-1].endswith("use `json.dumps()`")


@pytest.mark.parametrize("change", ["content", "sibling", "new-module", "config"])
def test_what_a_result_depends_on_invalidates_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    root = _project(tmp_path, bad=BAD)
    disk = DiskCache(tmp_path / "cache")
    _run(root, disk)
    config = Config()
    if change == "content":
        (root / "bad.py").write_text(BAD + "json.loads_all('')\n", encoding="utf-8")
    elif change == "sibling":
        (root / "helper.py").write_text("VALUE = 1\n", encoding="utf-8")
    elif change == "new-module":
        (root / "pkg").mkdir()
        (root / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    else:
        config = Config(ignore=frozenset({"HAL201"}))
    calls: list[str] = []
    real = runner.checker_for

    def counting(*args: object, **kwargs: object) -> object:
        calls.append("checker")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "checker_for", counting)
    results = _run(root, disk, config)
    assert calls, f"a {change} change must re-check"
    assert all(r.checked for r in results)


def test_a_corrupt_entry_is_a_miss_and_is_rewritten(tmp_path: Path) -> None:
    root = _project(tmp_path, bad=BAD)
    disk = DiskCache(tmp_path / "cache")
    first = _run(root, disk)
    entries = list((disk.root / "results").rglob("*.json"))
    assert len(entries) == 1
    entries[0].write_text('{"path": "x", "findings": [{"code": 1', encoding="utf-8")
    assert _run(root, disk) == first
    assert json.loads(entries[0].read_text(encoding="utf-8"))["findings"]
    entries[0].write_text('{"path": "x", "findings": [{"nonsense": 1}]}', encoding="utf-8")
    assert _run(root, disk) == first


def test_files_that_could_not_be_checked_are_not_cached(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "latin.py").write_bytes(b"# -*- coding: nonsense -*-\nx = 1\n")
    disk = DiskCache(tmp_path / "cache")
    results = _run(root, disk)
    assert results[0].error is not None
    assert not list(disk.root.rglob("results/**/*.json"))


def _cli(cwd: Path, *args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HALLUC_CHECK_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "halluc_check", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_an_unwritable_cache_warns_once_and_changes_nothing(tmp_path: Path) -> None:
    root = _project(tmp_path, a=BAD, b=BAD, c="x = 1\n")
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    proc = _cli(root, ".", "-j", "1", "--format", "concise", cache=blocked)
    reference = _cli(root, ".", "-j", "1", "--format", "concise", "--no-cache", cache=blocked)
    assert proc.returncode == reference.returncode == 1
    assert proc.stdout == reference.stdout
    warnings = [line for line in proc.stderr.splitlines() if "cache" in line]
    assert len(warnings) == 1, proc.stderr
    assert "going on without it" in warnings[0]


def test_concurrent_runs_share_the_cache(tmp_path: Path) -> None:
    root = _project(tmp_path, a=BAD, b="import os\nos.getcwd()\n")
    cache = tmp_path / "cache"
    command = [sys.executable, "-m", "halluc_check", ".", "-j", "1", "--format", "json"]
    env = {**os.environ, "HALLUC_CHECK_CACHE_DIR": str(cache)}
    runs = [
        subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [1, 1, 1]
    assert outputs[0] == outputs[1] == outputs[2]
    again = _cli(root, ".", "-j", "1", "--format", "json", cache=cache)
    assert again.stdout == outputs[0]
    assert not list(cache.rglob("*.tmp"))


def test_cache_info_and_clear(tmp_path: Path) -> None:
    root = _project(tmp_path, a=BAD)
    cache = tmp_path / "cache"
    assert _cli(root, "a.py", cache=cache).returncode == 1
    info = json.loads(_cli(root, "cache", "info", "--json", cache=cache).stdout)
    assert info["directory"] == str(cache)
    assert info["kinds"]["results"]["entries"] == 1
    assert info["kinds"]["probes"]["entries"] == 1
    assert info["kinds"]["stdlib-namespaces"]["entries"] == 1  # `json`, which lacks the name
    text = _cli(root, "cache", "info", cache=cache).stdout
    assert text.startswith(f"cache directory: {cache}")
    assert "results: 1 entries" in text
    cleared = _cli(root, "cache", "clear", cache=cache)
    assert cleared.stdout == f"removed 3 cache entries from {cache}\n"
    assert _cli(root, "cache", "info", cache=cache).stdout.endswith("empty\n")
    assert _cli(root, "cache", "prune", cache=cache).returncode == 2


def test_the_interpreter_probe_is_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    disk = DiskCache(tmp_path / "cache")
    first = load_environment(sys.executable, cache=disk)
    import halluc_check.target.environment as environment

    def no_probe(executable: str) -> dict[str, object]:
        raise AssertionError("the cached probe should have been used")

    monkeypatch.setattr(environment, "_probe", no_probe)
    second = load_environment(sys.executable, cache=disk)
    assert (second.sys_path, second.stdlib_names, second.version) == (
        first.sys_path,
        first.stdlib_names,
        first.version,
    )
    assert second.fingerprint == first.fingerprint


def test_installing_a_package_changes_the_environment_fingerprint(tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    site.mkdir()
    before = folders_fingerprint([str(site)])
    os.utime(site, ns=(1, 1))
    stamped = folders_fingerprint([str(site)])
    (site / "newpkg").mkdir()
    assert before != stamped != folders_fingerprint([str(site)])


def test_parse_cache_pickles_are_written_whole_and_a_broken_one_is_a_miss(
    checker: object, tmp_path: Path
) -> None:
    """Workers and concurrent runs share jedi's parse cache: a pickle half written by one process
    and read by another made a library module unknown, and its findings vanished."""
    import parso
    import parso.cache

    source = tmp_path / "library.py"
    source.write_text("def real():\n    return 1\n", encoding="utf-8")
    cache = tmp_path / "parse-cache"
    cache.mkdir()
    grammar = parso.load_grammar()

    def parse() -> str:
        parso.cache.parser_cache.clear()  # as in a fresh process
        module = grammar.parse(path=str(source), cache=True, cache_path=cache)
        return str(module.get_code())

    assert parse() == source.read_text(encoding="utf-8")
    (pickled,) = cache.rglob("*.pkl")
    pickled.write_bytes(pickled.read_bytes()[:40])  # what a reader saw mid-write
    assert parse() == source.read_text(encoding="utf-8")
    # rewritten whole, and no partial file left behind
    assert [p.name for p in cache.rglob("*") if p.is_file() and p.name != "PARSO-CACHE-LOCK"] == [
        pickled.name
    ]
    assert len(pickled.read_bytes()) > 40
    # an unwritable cache costs the pickle, not the parse
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    parso.cache.parser_cache.clear()
    module = grammar.parse(path=str(source), cache=True, cache_path=blocked / "cache")
    assert module.get_code() == source.read_text(encoding="utf-8")


def test_the_stdlib_index_is_read_once_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from halluc_check.resolve import scope_index

    root = _project(tmp_path, m="import json\njson.JSONDecoder().decode_all('')\n")
    disk = DiskCache(tmp_path / "cache")
    first = _run(root, disk)
    assert _summary(first) == [("m.py", None, [("HAL101", 2, 19)])]
    assert disk.info()["kinds"][scope_index.KIND]["entries"] == 1

    def no_reading(files: list[str]) -> scope_index.ScopeIndex:
        raise AssertionError("the kept index of the stdlib should have been used")

    monkeypatch.setattr(scope_index, "build", no_reading)
    (root / "m.py").write_text(
        "import json\n\njson.JSONDecoder().decode_all('')\n", encoding="utf-8"
    )
    again = _run(root, disk)  # the result is not cached (the text changed), the index is
    assert _summary(again) == [("m.py", None, [("HAL101", 3, 19)])]


def test_a_tree_is_pickled_with_the_collector_paused() -> None:
    """Pickling a tree makes a short-lived tuple per node; every collection they set off would
    rescan the whole tree. None runs while the tree is pickled, and the collector's state is
    given back."""
    import gc
    import pickle

    import parso

    from halluc_check.jedi_compat.pickling import dumps_without_collections

    source = "".join(f"def f{i}(a, b=1):\n    return [a, b, {i}]\n" for i in range(2_000))
    tree = parso.parse(source)
    collections: list[str] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(phase)

    thresholds = gc.get_threshold()
    gc.set_threshold(100)
    gc.callbacks.append(count)
    try:
        pickle.dumps(tree, pickle.HIGHEST_PROTOCOL)
        assert collections  # the control: plain pickling sets collections off
        collections.clear()
        data = dumps_without_collections(tree)
        assert collections == []
        assert gc.isenabled()
        gc.disable()
        dumps_without_collections(tree)
        assert not gc.isenabled()  # a paused collector stays paused
    finally:
        gc.enable()
        gc.callbacks.remove(count)
        gc.set_threshold(*thresholds)
    assert pickle.loads(data).get_code() == source


def test_the_stdlib_index_is_built_once_for_all_the_projects_of_a_checker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from halluc_check.engine.checker import Checker
    from halluc_check.resolve import scope_index

    built: list[list[str]] = []
    original = scope_index.build

    def counted(files: list[str]) -> scope_index.ScopeIndex:
        built.append(files)
        return original(files)

    monkeypatch.setattr(scope_index, "build", counted)
    checker = Checker(Config())  # no disk cache: only the process keeps the index
    source = "import json\njson.JSONDecoder().decode_all('')\n"
    for name in ("one", "two"):
        project = tmp_path / name
        project.mkdir()
        (project / "pyproject.toml").write_text("", encoding="utf-8")
        (project / "m.py").write_text(source, encoding="utf-8")
        result = checker.check_source(source, str(project / "m.py"))
        assert [(f.code, f.span.line) for f in result.findings] == [("HAL101", 2)]
    assert len(checker.projects) == 2
    decoder = json.decoder.__file__
    assert sum(1 for files in built if decoder in files) == 1
