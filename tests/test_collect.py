"""The ``ast`` collector finds exactly what the libcst collector finds, at the same positions.

Code that this interpreter can parse is collected from ``ast``; code it cannot parse (syntax of a
newer target Python) from libcst. Both must give the same references, spans and guards, or a
finding would move or vanish depending on the interpreter running the check.
"""

from __future__ import annotations

import ast
import dataclasses
import sysconfig
from pathlib import Path
from typing import Any

import libcst as cst
import pytest

from halluc_check.model import Span
from halluc_check.syntax import collection_rules
from halluc_check.syntax.collect_ast import collect
from halluc_check.syntax.collect_cst import collect_cst
from halluc_check.syntax.parse import parse_python
from halluc_check.syntax.refs import Collected

ROOT = Path(__file__).resolve().parent.parent


def _flat(text: str) -> str:
    # libcst renders a nested node without the indentation of its block; ast keeps the source
    return " ".join(text.split())


def canonical(collected: Collected) -> dict[str, Any]:
    """The collection without what depends on traversal order (list positions, scope ids)."""
    attributes = collected.attributes
    order = sorted(range(len(attributes)), key=lambda i: (attributes[i].span, attributes[i].attr))
    scopes: dict[int, int] = {}
    rows = []
    for index in order:
        ref = attributes[index]
        row = dataclasses.asdict(ref)
        row["scope"] = scopes.setdefault(ref.scope, len(scopes))
        row["inner"] = attributes[ref.inner].span if ref.inner is not None else None
        row["base_text"] = _flat(ref.base_text)
        rows.append(row)
    calls = sorted(
        repr(dataclasses.replace(call, func_text=_flat(call.func_text))) for call in collected.calls
    )
    return {
        "attributes": rows,
        "calls": calls,
        "imports": sorted(repr(ref) for ref in collected.imports),
        "stored": sorted(collected.stored_attributes),
        "subclassed": sorted(collected.subclassed),
    }


def both(source: str) -> tuple[dict[str, Any], dict[str, Any]]:
    from_ast = canonical(collect(parse_python(source), source))
    from_cst = canonical(collect_cst(cst.parse_module(source), source))
    return from_ast, from_cst


TRICKY = {
    "parentheses": (
        "import os\n"
        "x = (os).path\n"
        "y = ( os  # a comment with ( and )\n ).sep\n"
        "z = ((os.path)).join(((os)).sep, (1, 2), b=(3))\n"
        "callable(os) and os.x\n"
        "isinstance((os), int) and os.y\n"
        "all(p for p in os.sep)\n"
        "sorted((p for p in os.sep), key=len)\n"
        "(os.path\n  .join)(1)\n"
    ),
    "imports": (
        "from ... import a\n"
        "from .. x import b\n"
        "from\\\n  . import c\n"
        "from . import (d,\n  e as f)\n"
        "import os . path as p, json\n"
        "from os.path import *\n"
        "from __future__ import annotations\n"
    ),
    "form feeds and tabs": (
        "import os\n\x0cos.getcwd()\nif True:\n\x0c    os.sep\nif 1:\n\tif 2:\n\t\tos.sep.x(a,\tb)\n"
    ),
    "unicode": (
        'import os\né = os.path.join("é", "b")\né.upper(1, (2, 3))\n'
        's = "😀"; s.strip( (s for s in s) )\nπ = s.λ\n'
    ),
    "line endings": "import os\r\nos.path\r\nx = os.\\\r\n  sep\r\nprint(os .  name)\ros.x(a, b=1)\n",
    "guards": (
        "import os\n"
        "try:\n    import zz\n    zz.a\nexcept ImportError:\n    pass\nelse:\n    zz.b\n"
        "try:\n    os.c\nexcept* ValueError:\n    os.d\n"
        "with suppress(AttributeError):\n    os.e\n"
        "if sys.version_info >= (3, 12):\n    os.f\nelif TYPE_CHECKING:\n    os.g\nelse:\n    os.h\n"
        "if hasattr(os, 'i'):\n    os.i\n"
        "def f(x):\n    if getattr(x, name):\n        return x.anything\n"
        "setattr(os, 'j', 1)\nos.j\n"
    ),
    "scopes and stores": (
        "class A(os.PathLike, B, metaclass=M):\n"
        "    @os.deco(os.arg)\n"
        "    def f(self, a: os.PathLike = os.sep, *args: os.X, **kw: 'os.Y') -> os.Z:\n"
        "        self.x = self.y.z\n"
        "        self.a.b[0] = 1\n"
        "        del self.c\n"
        "        for self.d in os.e: pass\n"
        "        with os.f() as self.g: pass\n"
        "        self.h += [q.r for q.s in os.t]\n"
        "        lam = lambda v: v.w\n"
        "        x: os.u.v = os.w\n"
        "        isinstance(self, os.I) and self.k\n"
    ),
    "guards by exception and context": (
        "import os\n"
        "try:\n    import a\nexcept (ValueError, ImportError):\n    a.x\n"
        "try:\n    os.y\nexcept ValueError:\n    os.z\nelse:\n    os.w\nfinally:\n    os.v\n"
        "try:\n    os.u\nexcept:\n    pass\n"
        "try:\n    os.t\nexcept mod.AttributeError as e:\n    e.args\n"
        "try:\n    os.t2\nexcept f():\n    pass\n"
        "with contextlib.suppress(KeyError):\n    os.s\n"
        "with suppress(ImportError) as s, open(os.q) as f:\n    os.p\n"
        "with open(os.q2), suppress(ValueError, (AttributeError, KeyError)):\n    os.p2\n"
        "async def f():\n    async with suppress(ImportError), open(x) as y:\n        os.r\n"
        "if PY3:\n    os.o\nelif x.y:\n    os.n\nelif sys.platform == 'win32':\n    os.m\n"
        "if (\n  version > 3\n):\n    os.l\n"
        "if x:\n    if TYPE_CHECKING:\n        os.k\n    os.j\n"
    ),
    "probes and narrowing": (
        "import os\n"
        "hasattr(os, 'a')\n"
        "def g(x):\n    delattr(x, name)\n    return x.b\n"
        "def h(x):\n"
        "    if issubclass(x.k, int):\n        x.k.c\n"
        "    if type(x) is int:\n        x.d\n"
        "    getattr(os, 'e', None)\n    os.e, os.a, os.other\n"
        "    callable((os.f)) and os.f.g\n"
        "    builtins.isinstance(x.q, str) and x.q.r\n"
        "setattr(obj, *args)\n"
        "lambda y: hasattr(y, 'z') and y.z\n"
    ),
    "probes by name": (
        "import os\n"
        "class E:\n    def getattr(self, o, n): pass\n    hasattr = staticmethod(len)\n"
        "def a(env, n):\n    env.getattr(os, n)\n    os.a\n"
        "def b():\n    E().hasattr(os, 'b')\n    os.b\n"
        "def c(getattr):\n    getattr(os, 'c')\n    os.c\n"
        "def d():\n    def inner():\n        hasattr(os, 'd')\n        os.d\n"
        "    hasattr = lambda o, n: True\n    return inner\n"
        "def e():\n    from operator import getitem as delattr\n    delattr(os, 'e')\n    os.e\n"
        "def f(x):\n    for hasattr in x:\n        hasattr(os, 'f')\n        os.f\n"
        "def g(x):\n    match x:\n        case [*getattr]:\n            getattr(os, 'g')\n"
        "            os.g\n"
        "def h(x):\n    with x as hasattr:\n        hasattr(os, 'h') and (getattr := 1)\n        os.h\n"
        "def i():\n    builtins.hasattr(os, 'i')\n    os.i\n"
        "def j():\n    hasattr(os, 'j')\n    os.j\n"
        "lambda getattr: getattr(os, 'k') and os.k\n"
    ),
    "stores": (
        "a.b, [c.d, *e.f] = 1, 2\n"
        "for (a.x, b.y) in z.w:\n    pass\n"
        "with open(p) as (a.p, b.q):\n    pass\n"
        "del a.r, b.s\n"
        "a.t: int\n"
        "[1 for a.u in v.v]\n"
        "a.v += a.v\n"
        "x = y.z = w.q\n"
    ),
    "calls": (
        "f(*a.b, **k.c)\n"
        "f(x, *a, y=1)\n"
        "f()\n"
        "f(**{})\n"
        "(f)(x)\n"
        "f(a)(b=1)\n"
        "a.b[c](d, e=f.g)\n"
        "a.b(\n    x=1,  # c\n    y = 2,\n)\n"
        "g(*())\n"
    ),
    "annotations and scopes": (
        "import os\n"
        "x: list[os.A] = []\n"
        "def f(a, /, b: os.B = os.C, *, k: os.D = lambda q: q.r) -> 'os.E':\n"
        "    async def g() -> os.F:\n        return [v.w async for v in os.G]\n"
        "    class K(os.H, k.L[int], metaclass=os.M):\n        y: os.N\n"
        "    return os.O\n"
    ),
}


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_code_collects_the_same(name: str) -> None:
    from_ast, from_cst = both(TRICKY[name])
    assert from_ast == from_cst


@pytest.mark.parametrize(
    "path",
    sorted(
        p.relative_to(ROOT).as_posix()
        for p in [*ROOT.glob("fixtures/**/*.py"), *ROOT.glob("src/**/*.py")]
    ),
)
def test_shipped_code_collects_the_same(path: str) -> None:
    source = (ROOT / path).read_bytes().decode("utf-8")
    from_ast, from_cst = both(source)
    assert from_ast == from_cst


STDLIB = Path(sysconfig.get_paths()["stdlib"])


@pytest.mark.parametrize(
    "name",
    ["json/__init__.py", "json/decoder.py", "contextlib.py", "functools.py", "shlex.py"],
)
def test_standard_library_code_collects_the_same(name: str) -> None:
    path = STDLIB / name
    if not path.is_file():
        pytest.skip(f"no {name} in this Python")
    from_ast, from_cst = both(path.read_text(encoding="utf-8"))
    assert from_ast == from_cst


def test_the_rules_know_no_tree() -> None:
    """The rules are written once, for both trees: their module imports neither parser."""
    tree = ast.parse(Path(collection_rules.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name.split(".")[0] in ("ast", "libcst")}


def test_positions_are_characters_and_parentheses_belong_to_the_base() -> None:
    source = 'é = "ü"; (é\n ).upper(x, (1, 2))\n'
    collected = collect(parse_python(source), source)
    (ref,) = collected.attributes
    assert ref.base_text == "(é\n )"
    assert ref.base_end == (2, 2)
    assert ref.span == Span(2, 3, 2, 8)
    (call,) = collected.calls
    assert call.func_end == (2, 8)
    assert call.positional == (Span(2, 9, 2, 10), Span(2, 13, 2, 17))


def test_a_call_does_not_lend_its_parentheses_to_a_narrowed_subject() -> None:
    source = "import os\nif callable(os.x):\n    os.x.y\n"
    collected = collect(parse_python(source), source)
    narrowed = [ref.expression for ref in collected.attributes if ref.narrowed]
    assert narrowed == ["os.x.y"]  # the subject is `os.x`, not `(os.x)`


@pytest.mark.parametrize(
    "source",
    [
        "f((1, 2,), 3)\n",
        "f((1,\n 2,  # c\n), 3)\n",
        "f((1, 2 ), 3, ())\n",
        "f(\n    g(x)\n    for x in y  # a comment\n)\n",
        "f((x for x in y if x  # c\n), 2)\n",
        "any(not w.c() for w in (s.w or ()))\n",
        "tuple(a for p in q if (a := n(p))\n)\n",
    ],
)
def test_tuple_and_generator_arguments_end_where_libcst_ends_them(source: str) -> None:
    from_ast, from_cst = both(source)
    assert from_ast == from_cst


def test_only_the_builtin_probes_guard() -> None:
    """A method named ``getattr`` and a name the scope (or a scope around it) rebinds probe
    nothing; the builtin, by its bare name or through ``builtins``, does."""
    collected = collect(parse_python(TRICKY["probes by name"]), TRICKY["probes by name"])
    guarded = {ref.attr for ref in collected.attributes if ref.base_text == "os" and ref.guarded}
    assert guarded == {"i", "j"}
