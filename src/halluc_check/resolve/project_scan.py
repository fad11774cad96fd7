"""(owner, name) -> whether the code around the owner stores ``name`` on it from outside its
class, or defines it in a subclass; (owner, method) -> the overriding ``def`` nodes of its
subclasses. Read from a :class:`~.scope_index.ScopeIndex` of the owner's package."""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass
from typing import Any

from ..cache import DiskCache
from ..target.environment import TargetEnvironment, real_path
from . import scope_index
from .scope_index import ScopeIndex, listed_bases
from .tree_reading import body_functions
from .verdicts import Owner


class ProjectScan:
    """Answers "is ``name`` assigned to objects from outside their class?" for an owner's package.

    jedi does not track ``obj.attr = value`` written outside the class body, so before an
    attribute is reported, the code around the owner is searched for such a store: the stdlib
    for stdlib classes, the distribution's package for installed ones, and for classes of the
    checked project their top-level package (or, for a loose script, its sibling files). For a
    receiver whose exact type is not known (``self``, annotations), a subclass defining the
    name counts too. Each folder is read once into a :class:`ScopeIndex`; the indexes of the
    stdlib and of installed distributions are kept on ``disk`` between runs.
    """

    def __init__(self, *, max_files: int = 5000, disk: DiskCache | None = None) -> None:
        self.max_files = max_files
        self.disk = disk
        self._indexes: dict[tuple[str, bool], ScopeIndex] = {}
        self._texts: dict[str, str] = {}
        self._override_nodes: dict[tuple[str, bool, str, str], list[Any] | None] = {}
        # (file, start, end) -> its classes, asked about for each of their methods
        self._classes: dict[tuple[str, int, int], list[_ClassMethods] | None] = {}
        # (file, start, end) -> the statement's parso tree, when Python's parser cannot read it
        self._statements: dict[tuple[str, int, int], Any] = {}

    def assigns(self, owner: Owner, name: str, env: TargetEnvironment, *, exact: bool) -> bool:
        scope = self._scope(owner, env)
        if scope is None:
            return False
        index = self._index(scope, env)
        if name in index.stored_outside:
            return True
        # a subclass elsewhere in the project may define the name
        return not (exact or env.is_library_path(owner.path)) and name in index.defined

    def overrides(
        self, owner: Owner, method: str, env: TargetEnvironment, grammar: Any
    ) -> list[Any] | None:
        """The ``def method`` nodes of classes around the owner that list it as a base (an
        instance declared as the owner may be of such a subclass); None when that cannot be
        told (no scope to search, or a subclass binds the name some other way)."""
        scope = self._scope(owner, env)
        if scope is None:
            return None
        name = owner.short
        key = (*scope, name, method)
        if key not in self._override_nodes:
            definition = re.compile(rf"^[ \t]+(?:async\s+)?def\s+{re.escape(method)}\s*\(", re.M)
            assigned = re.compile(rf"^[ \t]+{re.escape(method)}\s*(:[^=\n]*)?=(?!=)", re.M)
            found: list[Any] | None = []
            statements: list[tuple[str, int, int]] = []
            for file, start, end in self._index(scope, env).subclasses.get(name, ()):
                text = self._text(file)
                if assigned.search(text, start, end):
                    found = None
                    break
                if definition.search(text, start, end):
                    statements.append((file, start, end))
            if found is not None:
                # only the class statements are read: their modules can be large
                # (`pydoc`, `multiprocessing.pool`) and are not otherwise needed
                for place in statements:
                    found.extend(self._overrides_in(place, grammar, name, method))
            self._override_nodes[key] = found
        return self._override_nodes[key]

    def _overrides_in(
        self, place: tuple[str, int, int], grammar: Any, name: str, method: str
    ) -> list[Any]:
        """The ``def method`` nodes in the classes of one class statement listing ``name``."""
        if place not in self._classes:
            file, start, end = place
            self._classes[place] = _class_methods(self._text(file)[start:end])
        classes = self._classes[place]
        if classes is None:
            # syntax this interpreter does not know: parso reads the whole statement
            if place not in self._statements:
                file, start, end = place
                self._statements[place] = _parse_cut(grammar, self._text(file)[start:end])
            return _subclass_methods(self._statements[place], name, method)
        return [
            _header_funcdef(grammar, header)
            for found in classes
            if name in found.bases
            for header in found.headers.get(method, ())
        ]

    def _index(self, scope: tuple[str, bool], env: TargetEnvironment) -> ScopeIndex:
        if scope not in self._indexes:
            folder, recursive = scope
            installed = env.is_library_path(folder) or real_path(folder) in env.real_stdlib_dirs
            self._indexes[scope] = scope_index.load(
                folder,
                recursive,
                self.disk if installed else None,
                max_files=self.max_files,
            )
        return self._indexes[scope]

    def _text(self, file: str) -> str:
        if file not in self._texts:
            self._texts[file] = scope_index.read_text(file)
        return self._texts[file]

    def _scope(self, owner: Owner, env: TargetEnvironment) -> tuple[str, bool] | None:
        """The folder to search and whether to search it recursively."""
        if not owner.path:
            return None
        path = real_path(owner.path)
        if "typeshed" in path or env.is_stdlib(owner.module):
            # the stdlib stores attributes across its packages (urllib sets `HTTPResponse.url`)
            stdlib = next(iter(env.real_stdlib_dirs), None)
            return (stdlib, True) if stdlib else None
        folder = os.path.dirname(path)
        if not env.is_library_path(path):
            if not os.path.exists(os.path.join(folder, "__init__.py")):
                return folder, False  # a loose script: its siblings
            while os.path.exists(os.path.join(os.path.dirname(folder), "__init__.py")):
                folder = os.path.dirname(folder)
            return folder, True
        is_package = os.path.basename(path).startswith("__init__.")
        if not owner.module or ("." not in owner.module and not is_package):
            return path, False  # a single-module distribution: scan that file
        for _ in range(owner.module.count(".") - (0 if is_package else 1)):
            folder = os.path.dirname(folder)
        return folder, True


@dataclass(frozen=True)
class _ClassMethods:
    """A class of a class statement cut out of its module, as far as overrides go."""

    bases: frozenset[str]
    """The short names of the bases it lists."""
    headers: dict[str, list[str]]
    """For each method its body defines (through ``if``/``try``/``with`` blocks), the source of
    each ``def``: decorators and header, the body replaced by ``pass``."""


def _class_methods(text: str) -> list[_ClassMethods] | None:
    """Every class in ``text``, a class statement cut out of its module (an indented one is put
    under an ``if``); None when this interpreter cannot parse it as it stands.

    Python's own parser does this about six times as fast as parso, and such statements can run
    to thousands of lines; only the headers asked about are parsed again, with parso."""
    source = "if 1:\n" + text if text[:1] in (" ", "\t") else text
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    lines = source.splitlines(keepends=True)
    classes = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.bases:
            headers: dict[str, list[str]] = {}
            for function in _ast_body_functions(node):
                headers.setdefault(function.name, []).append(_header_source(function, lines))
            classes.append(_ClassMethods(frozenset(_ast_base_names(node)), headers))
    return classes


def _ast_base_names(classdef: ast.ClassDef) -> list[str]:
    """The short names of the bases (``mod.Name[T]`` -> ``Name``), as :func:`listed_bases`."""
    names = []
    for base in classdef.bases:
        while isinstance(base, ast.Subscript):
            base = base.value
        if isinstance(base, ast.Name):
            names.append(base.id)
        elif isinstance(base, ast.Attribute):
            names.append(base.attr)
    return names


_AST_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)

_AST_TRY = (ast.Try, getattr(ast, "TryStar", ast.Try))


def _ast_body_functions(classdef: ast.ClassDef) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The functions a class body defines, through ``if``/``try``/``with`` blocks (as
    :func:`.tree_reading.body_functions`)."""
    found = []
    stack: list[ast.stmt] = list(classdef.body)
    while stack:
        node = stack.pop()
        if isinstance(node, _AST_FUNCTIONS):
            found.append(node)
        elif isinstance(node, ast.If):
            stack.extend((*node.body, *node.orelse))
        elif isinstance(node, _AST_TRY):
            stack.extend((*node.body, *node.orelse, *node.finalbody))
            for handler in node.handlers:
                stack.extend(handler.body)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            stack.extend(node.body)
    return found


def _header_source(function: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> str:
    """The function's decorators and header as written, its body replaced by ``pass``."""
    first = min([d.lineno for d in function.decorator_list] + [function.lineno])
    body = function.body[0]
    line = lines[body.lineno - 1]
    # ast counts columns in UTF-8 bytes
    column = len(line.encode("utf-8")[: body.col_offset].decode("utf-8", "replace"))
    return "".join(lines[first - 1 : body.lineno - 1]) + line[:column] + "pass\n"


def _header_funcdef(grammar: Any, header: str) -> Any:
    """The parso ``funcdef`` node of a header from :func:`_header_source`."""
    return next(_parse_cut(grammar, header).iter_funcdefs())


def _parse_cut(grammar: Any, text: str) -> Any:
    """The parso tree of statements cut out of their module; indented (nested) ones are put
    under an ``if`` so that they parse as they stand."""
    if text[:1] in (" ", "\t"):
        text = "if 1:\n" + text
    return grammar.parse(text)


def _subclass_methods(module: Any, name: str, method: str) -> list[Any]:
    """``def method`` nodes in the bodies of classes listing ``name`` as a base."""
    found = []
    stack = [module]
    while stack:
        node = stack.pop()
        if node.type == "classdef":
            arglist = node.get_super_arglist()
            if arglist is not None and name in listed_bases(arglist.get_code()):
                found.extend(body_functions(node, method))
        stack.extend(getattr(node, "children", ()))
    return found
