"""The files of a run share one jedi inference state per project: the same findings as a state
per file, nothing of one file kept for the next, and a fresh state where sharing is unsafe."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import jedi
import pytest

from halluc_check.config import Config
from halluc_check.engine.checker import Checker
from halluc_check.jedi_compat import failures
from halluc_check.jedi_compat.shared_inference import SharedInference, _in_lasting_tree, _Reach
from halluc_check.model import Result
from halluc_check.run.runner import RunOptions, check_files

from .conftest import FIXTURES


def _keys(results: list[Result]) -> list[tuple[str, int, int, str, str]]:
    return [
        (r.path, f.span.line, f.span.column, f.code, f.message) for r in results for f in r.findings
    ]


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


_SHARED_AND_ALONE = """
import json, sys
from pathlib import Path
from halluc_check.config import Config
from halluc_check.engine.checker import Checker

def keys(results):
    return [[r.path, f.span.line, f.span.column, f.code, f.message]
            for r in results for f in r.findings]

files = sys.argv[1:]
checker = Checker(Config())
alone = [checker.check_source(Path(f).read_text(), f) for f in files]
freed_before = bool(len(checker.projects)) and all(
    p.inference._state is None for p in checker.projects
)
with checker.sharing_inference():
    shared = [checker.check_source(Path(f).read_text(), f) for f in files]
    did_share = any(p.inference._state is not None for p in checker.projects)
freed_after = all(p.inference._state is None for p in checker.projects)
print(json.dumps({"alone": keys(alone), "shared": keys(shared), "freed_before": freed_before,
                  "did_share": did_share, "freed_after": freed_after}))
"""


def test_a_shared_state_finds_what_a_state_per_file_finds() -> None:
    """In a process of its own: what other tests checked before in this one must not decide
    whether the state is kept (see tests/test_determinism.py)."""
    files = sorted(str(p) for p in (FIXTURES / "cases").glob("*.py"))
    proc = subprocess.run(
        [sys.executable, "-c", _SHARED_AND_ALONE, *files],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    seen = json.loads(proc.stdout)
    assert seen["freed_before"]  # a state per file is freed after it
    assert seen["did_share"]  # the files did share
    assert len(seen["alone"]) > 20
    assert seen["shared"] == seen["alone"]
    assert seen["freed_after"]  # the run's end lets go of the state


def test_a_run_shares_and_finds_the_same() -> None:
    files = [str(p) for p in sorted((FIXTURES / "cases").glob("*.py"))]
    results = list(check_files(files, Config(), RunOptions(jobs=1)))
    checker = Checker(Config())
    assert _keys(results) == _keys([checker.check_source(Path(f).read_text(), f) for f in files])


def test_folders_with_different_import_paths_do_not_share(tmp_path: Path) -> None:
    # two script folders, each with its own `utils`: the second must not see the first's
    _write(
        tmp_path,
        {
            "pyproject.toml": "",
            "a/utils.py": "def first():\n    return 1\n",
            "a/main.py": "import utils\n\nutils.first()\n",
            "b/utils.py": "def second():\n    return 2\n",
            "b/main.py": "import utils\n\nutils.second()\nutils.third()\n",
        },
    )
    checker = Checker(Config(root=tmp_path))
    with checker.sharing_inference():
        results = [
            checker.check_source((tmp_path / n).read_text(), str(tmp_path / n))
            for n in ("a/main.py", "a/main.py", "b/main.py")
        ]
    assert results[0].findings == results[1].findings == ()
    assert [(f.code, f.span.line) for f in results[2].findings] == [("HAL101", 4)]
    # one jedi project for both folders: jedi puts each script's folder on the import path
    shared = SharedInference(jedi.Project(tmp_path), checker.env.jedi_environment)
    states = []
    for name in ("a/main.py", "a/utils.py", "b/main.py"):
        path = tmp_path / name
        script = shared.open(path.read_text(), str(path))
        states.append(shared._state)
        shared.close(script, clean=True)
    assert states[0] is states[1]  # the same folder: the same import path
    assert states[2] is not states[0]


def test_nothing_of_a_checked_file_is_kept_for_the_next(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/models.py": """\
                import collections


                class Basket(collections.OrderedDict):
                    def total(self) -> int:
                        return sum(self.values())


                def make() -> Basket:
                    return Basket(apples=1)


                make().total()
                make().move_to_end("apples")
            """,
            "pkg/other.py": "import json\n\njson.dumps({})\n",
        },
    )
    checker = Checker(Config(root=tmp_path))
    scripts: list[Any] = []
    original = SharedInference.open

    def open_(self: SharedInference, source: str, path: str | None) -> Any:
        script = original(self, source, path)
        scripts.append((self, script))
        return script

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SharedInference, "open", open_)
        with checker.sharing_inference():
            for name in ("pkg/models.py", "pkg/other.py"):
                path = tmp_path / name
                checker.check_source(path.read_text(), str(path))
            shared, first = scripts[0]
            state = shared._state
            assert state is not None and scripts[1][0] is shared
            own = first._module_node
            in_first = [
                key
                for memo in state.memoize_cache.values()
                for key in memo
                if _mentions_tree(key, own)
            ]
            assert in_first == []
            # the state did keep what it learnt of the library
            assert sum(len(memo) for memo in state.memoize_cache.values()) > 100
            # and the first file's module is not among the modules imports find
            for values in state.module_cache._name_cache.values():
                assert all(getattr(v, "tree_node", None) is not own for v in values)


def _mentions_tree(thing: Any, own: Any, depth: int = 0) -> bool:
    """Whether a memo key refers, through its parts' trees and contexts, to ``own``."""
    if depth > 6:
        return False
    if isinstance(thing, tuple | list | frozenset):
        return any(_mentions_tree(part, own, depth + 1) for part in thing)
    node = getattr(thing, "tree_node", None) or getattr(thing, "tree_name", None)
    if node is None and hasattr(thing, "get_root_node") and hasattr(thing, "children"):
        node = thing
    if node is not None and hasattr(node, "get_root_node") and node.get_root_node() is own:
        return True
    parent = thing.__dict__.get("parent_context") if hasattr(thing, "__dict__") else None
    return parent is not None and _mentions_tree(parent, own, depth + 1)


def test_a_failed_inference_ends_the_shared_state(tmp_path: Path) -> None:
    _write(tmp_path, {"one.py": "import os\n\nos.getcwd()\n", "two.py": "import os\n"})
    checker = Checker(Config(root=tmp_path))
    with checker.sharing_inference():
        checker.check_source((tmp_path / "one.py").read_text(), str(tmp_path / "one.py"))
        project = next(iter(checker.projects))
        kept = project.inference._state
        assert kept is not None
        script = project.inference.open("import os\n", str(tmp_path / "two.py"))
        assert project.inference._state is kept
        failures.note_failure()  # as each `except Exception` around jedi does
        project.inference.close(script, clean=True)
        assert project.inference._state is None


def test_a_file_never_closed_ends_the_shared_state(tmp_path: Path) -> None:
    _write(tmp_path, {"one.py": "import os\n\nos.getcwd()\n", "two.py": "import os\n"})
    checker = Checker(Config(root=tmp_path))
    shared = SharedInference(jedi.Project(tmp_path), checker.env.jedi_environment)
    first = shared.open("import os\n", str(tmp_path / "one.py"))
    kept = shared._state
    shared.close(first, clean=True)
    shared.open("import os\n", str(tmp_path / "two.py"))
    assert shared._state is kept
    # a check that broke off before closing its file: what that file left is not known
    shared.open("import os\n", str(tmp_path / "one.py"))
    assert shared._state is not kept


def test_a_file_that_changes_sys_path_ends_the_shared_state(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "one.py": "import sys\n\nsys.path.insert(0, 'vendor')\nimport os\n",
            "two.py": "import os\n\nos.getcwd()\n",
        },
    )
    checker = Checker(Config(root=tmp_path))
    with checker.sharing_inference():
        checker.check_source((tmp_path / "one.py").read_text(), str(tmp_path / "one.py"))
        assert next(iter(checker.projects)).inference._state is None
        checker.check_source((tmp_path / "two.py").read_text(), str(tmp_path / "two.py"))
        assert next(iter(checker.projects)).inference._state is not None


def test_a_tree_parsed_on_the_way_is_not_lasting() -> None:
    import parso

    module = parso.parse("x: 'List[int]' = []\n")
    annotation = parso.parse("List[int]").children[0]
    annotation.parent = module.children[0]  # as jedi hangs a string annotation's tree
    lasting = {id(module)}
    assert _in_lasting_tree(module.children[0].children[0], lasting)
    assert not _in_lasting_tree(annotation, lasting)
    reach = _Reach()
    reach.lasting = lasting
    assert not reach.tied((module.children[0], (), frozenset()))
    assert reach.tied((annotation, (), frozenset()))
    assert reach.tied((object(), (), frozenset()))  # a part whose module cannot be told
