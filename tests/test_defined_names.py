"""Where names could be defined: the index behind names on abstract classes and protocols."""

from __future__ import annotations

import sys
from pathlib import Path

import parso

from halluc_check.cache import DiskCache
from halluc_check.resolve.defined_names import DefinedNames, bound_in_file
from halluc_check.target.environment import TargetEnvironment


def _environment(tmp_path: Path) -> TargetEnvironment:
    stdlib = tmp_path / "lib" / "python3.11"
    site = tmp_path / "venv" / "site-packages"
    (stdlib / "site-packages" / "other").mkdir(parents=True)
    (site / "pkg").mkdir(parents=True)
    (stdlib / "shelf.py").write_text("class Shelf:\n    def stdlib_method(self): pass\n")
    # the interpreter's own packages are not the environment's
    (stdlib / "site-packages" / "other" / "__init__.py").write_text("def not_on_the_path(): pass\n")
    (site / "pkg" / "__init__.py").write_text("def make(obj):\n    obj.stored_from_outside = 1\n")
    (site / "fast.cpython-311-x86_64-linux-gnu.so").write_bytes(b"\x7fELF\x00compiled_only\x00")
    (site / "typed.cpython-311-x86_64-linux-gnu.so").write_bytes(b"\x00binary_behind_stub\x00")
    (site / "typed.pyi").write_text("def stubbed(): ...\n")
    editable = tmp_path / "checkout" / "edpkg"
    editable.mkdir(parents=True)
    (editable / "__init__.py").write_text("class Editable:\n    editable_attribute = 1\n")
    (site / "__editable___edpkg_0_1_finder.py").write_text(f"MAPPING = {{'edpkg': '{editable}'}}\n")
    return TargetEnvironment(
        executable=sys.executable,
        version=(3, 11, 0),
        sys_path=(str(stdlib), str(site)),
        stdlib_names=frozenset({"shelf"}),
        builtin_names=frozenset(),
        stdlib_dirs=(str(stdlib),),
    )


def test_the_installed_part_holds_every_identifier_written_on_the_path(tmp_path: Path) -> None:
    env = _environment(tmp_path)
    disk = DiskCache(tmp_path / "cache")
    installed = DefinedNames(env, disk=disk).installed()
    assert installed is not None
    for name in ("stdlib_method", "stored_from_outside", "compiled_only", "stubbed"):
        assert name in installed, name
    assert "editable_attribute" in installed  # an editable install's source, off the path
    assert "not_on_the_path" not in installed
    assert "binary_behind_stub" not in installed  # its stub is read instead
    assert "never_written_anywhere_at_all" not in installed
    # kept on disk, and read back the same
    again = DefinedNames(env, disk=disk).installed()
    assert again is not None and list(again.hashes) == list(installed.hashes)


def test_the_project_part_leaves_out_the_checked_file(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("")
    (project / "shapes.py").write_text("class Square:\n    def corner_count(self): ...\n")
    checked = project / "draw.py"
    checked.write_text("def draw(s):\n    s.corner_count()\n    s.only_used_here()\n")
    names = DefinedNames(_environment(tmp_path)).project((str(project),))
    assert names is not None
    assert names.written_besides("corner_count", str(checked))
    assert not names.written_besides("only_used_here", str(checked))
    assert names.written_besides("only_used_here", str(project / "elsewhere.py"))


def test_what_the_checked_file_binds() -> None:
    source = (
        "import os as renamed\n"
        "class Impl(Base):\n"
        "    def bound_method(self): self.on_self = 1\n"
        "    slot_holder = 1\n"
        "setattr(obj, 'set_by_literal', 1)\n"
        "namedtuple('P', 'left, right')\n"
        "obj.used_only()\n"
    )
    bound = bound_in_file(parso.parse(source))
    for name in ("renamed", "Impl", "bound_method", "on_self", "slot_holder", "set_by_literal"):
        assert name in bound, name
    assert {"left", "right"} <= bound
    assert "used_only" not in bound
