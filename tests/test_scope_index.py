"""The index of a folder's stores and subclasses: what it finds, and when it is read again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from halluc_check.cache import DiskCache
from halluc_check.resolve import scope_index
from halluc_check.resolve.scope_index import ScopeIndex, build, load

MODULE = """\
import os

class Base:
    def run(self, a):
        return a

class Child(pkg.Base, metaclass=Meta):
    count: int = 0

    def run(self, a, b=None):
        self.own = 1
        cls.also_own = 2
        return b

    class Nested(Base):
        def run(self, a, c=None):
            return c

def configure(obj):
    obj.colour = "red"
    obj.total += 1
    obj.same == 3
    setattr(obj, "flavour", 1)
    self.not_a_store = 1
"""


def _folder(tmp_path: Path, **files: str) -> Path:
    root = tmp_path / "lib"
    root.mkdir(exist_ok=True)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_names_stored_from_outside(tmp_path: Path) -> None:
    index = build([str(_folder(tmp_path, **{"m.py": MODULE}) / "m.py")])
    assert {"colour", "total", "flavour"} <= index.stored_outside
    assert not {"own", "also_own", "not_a_store", "same", "path"} & index.stored_outside


def test_names_defined_or_bound_in_blocks(tmp_path: Path) -> None:
    index = build([str(_folder(tmp_path, **{"m.py": MODULE}) / "m.py")])
    assert {"run", "configure", "count"} <= index.defined


def test_class_statements_by_base(tmp_path: Path) -> None:
    file = str(_folder(tmp_path, **{"m.py": MODULE}) / "m.py")
    index = build([file])
    assert set(index.subclasses) == {"Base"}  # `metaclass=` is no base
    statements = [MODULE[start:end] for _, start, end in index.subclasses["Base"]]
    assert statements[0].startswith("class Child(pkg.Base, metaclass=Meta):\n")
    assert "def configure" not in statements[0]  # the body ends at the next top-level line
    assert statements[1].startswith("    class Nested(Base):\n")
    assert all(f == file for f, _, _ in index.subclasses["Base"])


def test_json_round_trip(tmp_path: Path) -> None:
    index = build([str(_folder(tmp_path, **{"m.py": MODULE}) / "m.py")])
    assert ScopeIndex.from_json(index.to_json()) == index


def test_folder_listing_leaves_out_tests_and_hidden(tmp_path: Path) -> None:
    root = _folder(
        tmp_path,
        **{"a.py": "", "sub/b.py": "", "tests/t.py": "", ".hidden/h.py": "", "c.txt": ""},
    )
    files = scope_index.list_files(str(root), True, max_files=100)
    assert [Path(f).relative_to(root).as_posix() for f in files] == ["a.py", "sub/b.py"]
    assert scope_index.list_files(str(root), False, max_files=100) == [str(root / "a.py")]
    assert scope_index.list_files(str(root / "a.py"), True, max_files=100) == [str(root / "a.py")]


def _count_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    builds: list[int] = []
    real = scope_index.build

    def counted(files: list[str]) -> ScopeIndex:
        builds.append(len(files))
        return real(files)

    monkeypatch.setattr(scope_index, "build", counted)
    return builds


def test_kept_on_disk_until_a_file_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _folder(tmp_path, **{"m.py": MODULE, "n.py": "x.first = 1\n"})
    disk = DiskCache(tmp_path / "cache")
    builds = _count_builds(monkeypatch)
    first = load(str(root), True, disk, max_files=100)
    again = load(str(root), True, disk, max_files=100)
    assert again == first and len(builds) == 1
    (root / "n.py").write_text("x.second = 1\n", encoding="utf-8")
    os.utime(root / "n.py", ns=(1, 1))  # whatever the clock, the stamp differs
    changed = load(str(root), True, disk, max_files=100)
    assert len(builds) == 2
    assert "second" in changed.stored_outside and "first" not in changed.stored_outside


def test_without_disk_read_every_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _folder(tmp_path, **{"m.py": MODULE})
    builds = _count_builds(monkeypatch)
    load(str(root), True, None, max_files=100)
    load(str(root), True, None, max_files=100)
    assert len(builds) == 2


def test_corrupt_entry_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _folder(tmp_path, **{"m.py": MODULE})
    disk = DiskCache(tmp_path / "cache")
    expected = load(str(root), True, disk, max_files=100)
    entries = list((disk.root / scope_index.KIND).rglob("*.json"))
    assert len(entries) == 1
    entries[0].write_text('{"stored_outside": 3}', encoding="utf-8")
    builds = _count_builds(monkeypatch)
    assert load(str(root), True, disk, max_files=100) == expected
    assert len(builds) == 1


def test_unwritable_cache_still_answers(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    root = _folder(tmp_path, **{"m.py": MODULE})
    index = load(str(root), True, DiskCache(blocker), max_files=100)
    assert "colour" in index.stored_outside
