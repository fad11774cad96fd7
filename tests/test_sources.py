"""Folder walks: sorted, excludes and .gitignore respected, environments and build folders skipped."""

from __future__ import annotations

from pathlib import Path

from halluc_check.run.sources import iter_python_files, read_source


def test_walk_respects_gitignore_excludes_and_skips(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("generated/\n*_pb2.py\n", encoding="utf-8")
    for name in (
        "b.py",
        "a.py",
        "x_pb2.py",
        "generated/g.py",
        ".venv/lib/v.py",
        "pkg/c.py",
        "pkg/skip.py",
    ):
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "pkg" / ".gitignore").write_text("skip.py\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("", encoding="utf-8")
    found = [
        p.relative_to(tmp_path).as_posix() for p in iter_python_files([tmp_path], exclude=["c.py"])
    ]
    assert found == ["a.py", "b.py"]
    explicit = list(iter_python_files([tmp_path / "x_pb2.py"]))
    assert explicit == [tmp_path / "x_pb2.py"]  # files named directly are always checked


def test_read_source_decodes_like_python(tmp_path: Path) -> None:
    latin = tmp_path / "latin.py"
    latin.write_bytes("# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n".encode("latin-1"))
    assert "café" in read_source(latin)
    bom = tmp_path / "bom.py"
    bom.write_bytes(b"\xef\xbb\xbfx = 1\n")
    assert read_source(bom) == "x = 1\n"
