"""A compiled extension module outside the standard library -> the Python source it was compiled
from, when that source is installed beside it.

Such modules are never introspected (see :mod:`~halluc_check.jedi_compat.safety`), which left
them, and every class deriving from theirs, unknown. Cython's pure Python mode and mypyc compile
a package's ordinary ``.py`` files and install them next to the ``.so``/``.pyd`` the interpreter
imports (SQLAlchemy 2.1's ``sql/_cache_key_cy.py``): that source defines what the compiled module
defines, and reading it runs nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jedi.file_io import FileIO
from jedi.inference import imports as jedi_imports

_EXTENSION_SUFFIXES = (".so", ".pyd")


def compiled_from_source(dotted_name: str, sys_path: Iterable[str]) -> Path | None:
    """The ``.py`` file beside the extension module the interpreter would import for
    ``dotted_name`` from ``sys_path``; None when the first entry that has the module has no
    extension module of that name, or no source beside it."""
    *packages, name = dotted_name.split(".")
    for entry in sys_path:
        folder = Path(entry, *packages)
        if not folder.is_dir():
            continue
        if (folder / name / "__init__.py").is_file() or (folder / name).is_dir():
            return None  # a package comes first
        extensions = [
            p
            for p in folder.glob(f"{name}.*")
            if p.suffix in _EXTENSION_SUFFIXES and p.name.split(".", 1)[0] == name
        ]
        source = folder / f"{name}.py"
        if extensions:
            return source if source.is_file() else None
        if source.is_file():
            return None  # plain source: jedi reads it itself
    return None


def source_module(inference_state: Any, dotted_name: str, sys_path: Iterable[str]) -> Any:
    """jedi's module value read from the source of a compiled module, or None."""
    source = compiled_from_source(dotted_name, sys_path)
    if source is None:
        return None
    return jedi_imports._load_python_module(
        inference_state,
        FileIO(str(source)),
        import_names=tuple(dotted_name.split(".")),
        is_package=False,
    )
