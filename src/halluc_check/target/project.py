"""Where a checked file's own project lives: its import root, its project root, and the folders
its imports are resolved from (added to the target environment's path)."""

from __future__ import annotations

from pathlib import Path

_PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")


def import_root(folder: Path) -> Path:
    """The folder a file's package hierarchy is imported from: above the last ``__init__.py``."""
    while (folder / "__init__.py").exists() and folder.parent != folder:
        folder = folder.parent
    return folder


def project_root_of(path: Path) -> Path | None:
    """The nearest folder above ``path`` that holds a project marker, if any."""
    folder = path if path.is_dir() else path.parent
    for candidate in (folder, *folder.parents):
        if any((candidate / marker).exists() for marker in _PROJECT_MARKERS):
            return candidate
    return None


def project_folders(path: str | None) -> tuple[Path, Path, tuple[str, ...]]:
    """``(project root, import root, search path)`` for a checked file (``None``: stdin).

    The search path is what the file's own imports may resolve to besides the installed
    packages: its import root, the project root and a ``src/`` layout folder.
    """
    file_path = Path(path).resolve() if path else Path.cwd() / "<stdin>"
    imports = import_root(file_path.parent)
    root = project_root_of(file_path) or imports
    paths = [str(imports), str(root)]
    if (root / "src").is_dir():
        paths.append(str(root / "src"))
    return root, imports, tuple(dict.fromkeys(paths))
