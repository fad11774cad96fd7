"""The package's layers: imports go one way, nothing imports in a cycle, and the libraries whose
internals are patched or whose output is for terminals stay in the packages that own them.

Read from the source with ``ast`` (nothing is imported), so that a violation is reported as the
line that makes it, whether the import is at the top of a module, inside a function or under
``if TYPE_CHECKING:``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "halluc_check"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("model", "text", "version", "tomlfile", "suggest", "testing"),
    ("cache",),
    ("jedi_compat",),
    ("target",),
    ("knowledge",),
    ("syntax",),
    ("resolve",),
    ("rules",),
    ("config",),
    ("engine",),
    ("run",),
    ("api",),
    ("daemon",),
    ("repair",),
    ("report",),
    ("integrations", "server"),
    ("cli",),
    ("__init__", "__main__"),
)
"""Lowest first: a module may import from its own layer and the layers before it."""

OWNERS = {
    "jedi": {"jedi_compat", "resolve"},
    "parso": {"jedi_compat", "resolve"},
    "rich": {"report", "cli"},
    "pygls": {"server"},
    "lsprotocol": {"server"},
}
"""Third-party libraries that only these top-level parts of the package may import."""


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[int, str]]:
    """``(line, imported module)`` for every import in the module, relative ones made absolute
    (``halluc_check.`` left off); a name imported from a package counts as its submodule when
    there is one."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    here = name.split(".") if name != "__init__" else []
    package = here if is_package else here[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append((node.lineno, _own(alias.name) or "!" + alias.name))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join([*base, *(node.module.split(".") if node.module else [])])
                target = target or "__init__"
            elif node.module and _own(node.module) is not None:
                target = _own(node.module) or ""
            else:
                found.append((node.lineno, "!" + (node.module or "")))
                continue
            for alias in node.names:
                root = target in ("", "__init__")
                submodule = alias.name if root else f"{target}.{alias.name}"
                found.append((node.lineno, submodule if submodule in MODULES else target))
    return found


def _own(module: str) -> str | None:
    """``model`` for ``halluc_check.model``; None for another library."""
    if module == "halluc_check":
        return "__init__"
    if module.startswith("halluc_check."):
        return module[len("halluc_check.") :]
    return None


def _top(module: str) -> str:
    return module.split(".", 1)[0] or "__init__"


def _layer(module: str) -> int:
    top = _top(module)
    for index, layer in enumerate(LAYERS):
        if top in layer:
            return index
    raise AssertionError(f"`{module}` belongs to no layer: add its package to LAYERS")


IMPORTS = {name: _imports(name, path) for name, path in MODULES.items()}


def test_every_module_has_a_layer() -> None:
    for name in MODULES:
        _layer(name)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_go_down_the_layers(name: str) -> None:
    against = [
        f"{MODULES[name].relative_to(PACKAGE)}:{line}: imports `{target}` from a higher layer"
        for line, target in IMPORTS[name]
        if not target.startswith("!") and target and _layer(target) > _layer(name)
    ]
    assert not against, "\n".join(against)


@pytest.mark.parametrize("library", sorted(OWNERS))
def test_libraries_stay_with_their_owners(library: str) -> None:
    outside = [
        f"{MODULES[name].relative_to(PACKAGE)}:{line}: imports {library}"
        for name, imports in IMPORTS.items()
        for line, target in imports
        if target.startswith("!")
        and target[1:].split(".", 1)[0] == library
        and _top(name) not in OWNERS[library]
    ]
    assert not outside, "\n".join(outside)


def test_no_import_cycles() -> None:
    graph = {
        name: {t for _, t in imports if not t.startswith("!") and t in MODULES and t != name}
        for name, imports in IMPORTS.items()
    }
    # a package's __init__ that re-exports its submodules is not a cycle with them
    for name in graph:
        graph[name] = {t for t in graph[name] if not name.startswith(t + ".")}
    cycle = _find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    done: set[str] = set()
    for start in sorted(graph):
        if start in done:
            continue
        path: list[str] = []
        on_path: set[str] = set()
        stack = [(start, iter(sorted(graph[start])))]
        path.append(start)
        on_path.add(start)
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                on_path.discard(node)
                done.add(node)
                continue
            if child in on_path:
                return [*path[path.index(child) :], child]
            if child not in done:
                stack.append((child, iter(sorted(graph[child]))))
                path.append(child)
                on_path.add(child)
    return None


def test_the_checker_finds_a_violation(tmp_path: Path) -> None:
    """The rules above can fail: a cycle and an import against the direction are seen."""
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b"}, "b": set()}) is None
    assert _layer("engine.checker") > _layer("rules.base") > _layer("resolve.verdicts")
    assert _layer("report.full") > _layer("engine.checker")
