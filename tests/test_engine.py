"""The engine against real installed libraries: hallucinations found, traps left alone.

Each invalid snippet lists exactly the (code, name) pairs it must produce; each valid snippet
must produce nothing. Snippets are checked from a temporary file, never executed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from halluc_check.model import Confidence, Finding

Check = Callable[..., list[Finding]]


def _pairs(source: str, findings: list[Finding]) -> list[tuple[str, str]]:
    lines = source.splitlines()
    return [(f.code, lines[f.span.line - 1][f.span.column : f.span.end_column]) for f in findings]


INVALID: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "invented-module": ("import telegraf_xyz\ntelegraf_xyz.Bot()\n", [("HAL001", "telegraf_xyz")]),
    "py2-module": ("import urllib2\n", [("HAL001", "urllib2")]),
    "missing-submodule": ("import openai.error\n", [("HAL001", "openai.error")]),
    "from-missing-module": (
        "from sklearn_utils_xyz import fit\nfit()\n",
        [("HAL001", "sklearn_utils_xyz")],
    ),
    "from-missing-submodule": ("from json.fancy import x\n", [("HAL001", "json.fancy")]),
    "import-name-renamed": ("from telegram.ext import Filters\n", [("HAL002", "Filters")]),
    "import-name-stdlib": ("from collections import Mapping\n", [("HAL002", "Mapping")]),
    "import-name-flask": ("from flask import escape\n", [("HAL002", "escape")]),
    "import-name-jinja2": ("from jinja2 import Markup\n", [("HAL002", "Markup")]),
    "module-attr-stdlib": ("import json\njson.parse('{}')\n", [("HAL101", "parse")]),
    "module-attr-os-path": ("import os\nos.path.exist('x')\n", [("HAL101", "exist")]),
    "module-attr-time-clock": ("import time\ntime.clock()\n", [("HAL101", "clock")]),
    # `self.name` is settled from the class body alone only when that body binds the name
    "own-class-member-missing": (
        "class A:\n    x = 1\n    z: int\n    def m(self):\n        return self.x, self.q\n"
        "    @staticmethod\n    def s(self):\n        return self.x\n"
        "    def r(self):\n        self = 'text'\n        return self.x\n"
        "    @classmethod\n    def c(cls):\n        return cls.x, cls.nope\n",
        [("HAL101", "q"), ("HAL101", "nope")],
    ),
    # type variables are still bound from the constructor call of a generic class
    # `self.items` is inferred once per class and binding: a classmethod's `cls.items` is the
    # class attribute, an instance's is what `__init__` stored
    "receiver-attribute-per-binding": (
        "class K:\n    items = [1]\n\n    def __init__(self):\n        self.items = {}\n\n"
        "    def a(self):\n        return self.items.keys()\n\n"
        "    def b(self):\n        return self.items.kyes()\n\n"
        "    @classmethod\n    def c(cls):\n        return cls.items.keys()\n\n"
        "    @classmethod\n    def d(cls):\n        return cls.items.append(2)\n",
        [("HAL101", "kyes"), ("HAL101", "keys")],
    ),
    # an annotation gives every type variable: nothing is bound from a constructor, the values'
    # types still flow
    "parametrized-annotation": (
        "def f(d: dict[str, int], items: list[str]):\n    d['a'].bit_length()\n"
        "    d['a'].uper()\n    items[0].upper()\n    items[0].uper()\n"
        "    for k, v in d.items():\n        k.uper()\n",
        [("HAL101", "uper"), ("HAL101", "uper"), ("HAL101", "uper")],
    ),
    "generic-binding": (
        "from typing import Generic, TypeVar\nT = TypeVar('T')\n"
        "class Box(Generic[T]):\n    def __init__(self, item: T) -> None:\n        self.item = item\n"
        "    def get(self) -> T:\n        return self.item\n"
        "class Plain:\n    def __init__(self, size: int) -> None:\n        self.size = size\n"
        "Box('text').get().uper()\nBox(3).get().bit_length()\nPlain(3).sise\n"
        "items = list(['a'])\nitems[0].uper()\n",
        [("HAL101", "uper"), ("HAL101", "sise"), ("HAL101", "uper")],
    ),
    "openai-v0": (
        "import openai\nopenai.ChatCompletion.create(model='x')\n",
        [("HAL101", "ChatCompletion")],
    ),
    "openai-chain": (
        "from openai import OpenAI\nclient = OpenAI()\nclient.chat.completion.create(model='x')\n",
        [("HAL101", "completion")],
    ),
    "requests-response": (
        "import requests\nr = requests.get('u')\nr.json_data()\n",
        [("HAL101", "json_data")],
    ),
    "requests-call-result": (
        "import requests\nrequests.get('u').json_data()\n",
        [("HAL101", "json_data")],
    ),
    "requests-module": ("import requests\nrequests.get_async('u')\n", [("HAL101", "get_async")]),
    "session-method": (
        "import requests\ns = requests.Session()\ns.fetch('u')\n",
        [("HAL101", "fetch")],
    ),
    "numpy-removed": ("import numpy as np\nnp.float(1)\n", [("HAL101", "float")]),
    "numpy-submodule-attr": (
        "import numpy as np\nnp.linalg.fast_inverse([[1]])\n",
        [("HAL101", "fast_inverse")],
    ),
    "str-literal": ("'abc'.uper()\n", [("HAL101", "uper")]),
    "list-literal": ("[].push(1)\n", [("HAL101", "push")]),
    "dict-py2": ("{}.iteritems()\n", [("HAL101", "iteritems")]),
    "open-file": ("with open('f') as fh:\n    fh.readAll()\n", [("HAL101", "readAll")]),
    "path-self": ("from pathlib import Path\nPath('.').parent.mkdirs()\n", [("HAL101", "mkdirs")]),
    "local-class-instance": (
        "class A:\n    def __init__(self):\n        self.x = 1\n\nA().y\n",
        [("HAL101", "y")],
    ),
    "local-class-self": (
        "class Greeter:\n    def run(self):\n        return self.helper()\n",
        [("HAL101", "helper")],
    ),
    "annotated-parameter": (
        "import requests\ndef f(r: requests.Response):\n    return r.json_data()\n",
        [("HAL101", "json_data")],
    ),
    "telegram-updater": (
        "from telegram.ext import Updater\nu = Updater(None, None)\nu.dispatcher\n",
        [("HAL101", "dispatcher")],
    ),
    "first-link-only": (
        "import openai\nopenai.ChatCompletion.create().choices[0].message\n",
        [("HAL101", "ChatCompletion")],
    ),
    "httpx-client": ("import httpx\nhttpx.Client().fetch('u')\n", [("HAL101", "fetch")]),
    "click-module": ("import click\nclick.Argument2\n", [("HAL101", "Argument2")]),
    # numpy's stub re-exports `zeros`, `arange` through `__all__`: their results are ndarrays
    "numpy-call-results": (
        "import numpy as np\nnp.zeros(3).to_list()\narr = np.arange(4)\narr.push(1)\n",
        [("HAL101", "to_list"), ("HAL101", "push")],
    ),
    # `_socket` is read from its own stub, not from `socket.pyi` (no cycle)
    "socket-instance": (
        "import socket\ns = socket.socket()\ns.set_timeout(1)\n",
        [("HAL101", "set_timeout")],
    ),
    # `Tuple[...]` bases (typeshed's struct_time, NamedTuple) stand for `tuple`
    "struct-time": ("import time\ntime.localtime().year\n", [("HAL101", "year")]),
    "namedtuple-missing": (
        "from typing import NamedTuple\nclass P(NamedTuple):\n    x: int\n\nP(1).z\n",
        [("HAL101", "z")],
    ),
}

MEDIUM: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "pandas-append": (
        "import pandas as pd\ndf = pd.DataFrame()\ndf.append({})\n",
        [("HAL101", "append")],
    ),
    "pandas-iteritems-param": (
        "import pandas as pd\ndef f(df: pd.DataFrame):\n    return df.iteritems()\n",
        [("HAL101", "iteritems")],
    ),
}

VALID: dict[str, str] = {
    "own-class-members": (
        "class A:\n    x = 1\n    y: int = 2\n    if True:\n        w = 3\n"
        "    try:\n        import json as j\n    except ImportError:\n        j = None\n"
        "    @property\n    def p(self):\n        return 1\n"
        "    class Inner:\n        pass\n"
        "    def m(self):\n        return self.x, self.y, self.w, self.p, self.m, self.Inner\n"
        "    @classmethod\n    def c(cls):\n        return cls.x, cls.Inner, cls.m\n"
    ),
    "module-getattr-pep562": (
        "import numpy as np\nnp.linalg.inv\nnp.random.default_rng().integers(3)\n"
    ),
    "numpy-reexports": "import numpy as np\nnp.zeros(3)\nnp.asarray([1]).mean()\nnp.finfo(1.0).eps\n",
    "numpy-from-import": "from numpy import zeros, asarray\nimport numpy.linalg\n",
    "self-type": "from pathlib import Path\nPath('.').parent.mkdir(exist_ok=True)\n",
    "open-name": "with open('f') as fh:\n    fh.name\n    fh.read()\n",
    "socket-cycle": "import socket\ns = socket.socket()\ns.settimeout(1)\ns.recv(10)\n",
    "class-getattr": (
        "class Dyn:\n    def __getattr__(self, name):\n        return 1\n\nDyn().anything\n"
    ),
    "setattr-loop": (
        "class C:\n    def __init__(self, **kw):\n        for k, v in kw.items():\n"
        "            setattr(self, k, v)\n\nC(a=1).a\n"
    ),
    "dict-update": (
        "class C:\n    def __init__(self, d):\n        self.__dict__.update(d)\n\nC({}).x\n"
    ),
    "stored-outside": "class C:\n    pass\n\nc = C()\nc.extra = 1\nprint(c.extra)\n",
    "unresolved-base": "from nowhere_xyz import Base  # noqa\n\nclass C(Base):\n    pass\n\nC().anything\n",
    "none-only": "class C:\n    def __init__(self):\n        self.conn = None\n    def go(self):\n        self.conn.send()\n",
    "abstract-io": "import io\ndef f(s: io.IOBase):\n    return s.peek\n",
    "typing-mapping": "from typing import Mapping\ndef f(m: Mapping[str, int]):\n    return m.copy()\n",
    "private-stub-name": "import sys\nsys._getframe(0)\n",
    "dunders": "class C:\n    pass\n\nC.__mro__\nC().__dict__\nprint.__self__\n",
    "hasattr-guard": "import json\nif hasattr(json, 'lodas'):\n    json.lodas('x')\n",
    "getattr-ternary": "import os\nf = os.fspath if hasattr(os, 'fspath2') else os.fspath2\n",
    "try-attributeerror": "import time\ntry:\n    t = time.clock()\nexcept AttributeError:\n    t = time.perf_counter()\n",
    "try-importerror": "try:\n    import simplejson as json\nexcept ImportError:\n    import json\n",
    "type-checking": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from nowhere_xyz import Thing\n",
    "version-branch": "import sys\nif sys.version_info >= (3, 12):\n    from typing import override\n",
    "platform-branch": "import sys\nif sys.platform == 'win32':\n    import winreg\n    winreg.HKEY_CURRENT_USER\n",
    "isinstance": "def f(e: BaseException):\n    if isinstance(e, SyntaxError):\n        return e.offset\n",
    "enum": "import enum\nclass Color(enum.Enum):\n    RED = 1\n\nColor.RED.value\nColor.RED.name\n",
    "dataclass": "from dataclasses import dataclass\n@dataclass\nclass P:\n    x: int\n\nP(1).x\n",
    "namedtuple": "from typing import NamedTuple\nclass P(NamedTuple):\n    x: int\n\nP(1).x\nP(1)._asdict()\n",
    "argparse-namespace": "import argparse\nargs = argparse.ArgumentParser().parse_args()\nargs.verbose\n",
    "simple-namespace": "import types\ntypes.SimpleNamespace(a=1).a\n",
    "thread-local": "import threading\nlocal = threading.local()\nlocal.value\n",
    "pandas-columns": "import pandas as pd\ndf = pd.DataFrame({'price': [1]})\ndf.price\ndf.price.sum()\ndf.items()\n",
    "requests-ok": "import requests\nr = requests.Session().get('u')\nr.json()\nr.raise_for_status()\nr.status_code\n",
    "openai-ok": (
        "from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model='x', messages=[])\n"
        "client.embeddings.create(model='x', input='y')\n"
    ),
    "relative-sibling": "from . import sibling\n",
    "mixin-self": "class JsonMixin:\n    def dump(self):\n        return self.data\n",
    "subclassed-self": (
        "class Base:\n    def run(self):\n        return self.step()\n\nclass Impl(Base):\n"
        "    def step(self):\n        return 1\n"
    ),
    "noqa": "import json\njson.parse('{}')  # noqa: HAL101\n",
    "rich-console": "from rich.console import Console\nConsole().print('x')\nConsole().log('y')\n",
    "flask-app": "from flask import Flask, request\napp = Flask(__name__)\n@app.route('/')\ndef index():\n    return request.args.get('q')\n",
    "sqlalchemy-orm": (
        "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n"
        "class Base(DeclarativeBase):\n    pass\n\nclass User(Base):\n    __tablename__ = 'u'\n"
        "    id: Mapped[int] = mapped_column(primary_key=True)\n\nUser.id\nUser.metadata\nUser.__table__\n"
    ),
    "pydantic-model": (
        "from pydantic import BaseModel\nclass M(BaseModel):\n    a: int\n\nm = M(a=1)\nm.a\nm.model_dump()\n"
    ),
    "subprocess": "import subprocess\nsubprocess.run(['ls'], capture_output=True).stdout.decode()\n",
    "logging": "import logging\nlogging.getLogger(__name__).info('x')\n",
    "defaultdict": "import collections\ncollections.defaultdict(list)['k'].append(1)\n",
    "mock": "from unittest import mock\nmock.MagicMock().anything.goes()\n",
    "functools-partial": "import functools\nfunctools.partial(print, 1).func\n",
    "re-optional": "import re\nm = re.match('a', 'a')\nif m:\n    m.group(0)\n",
    "numpy-call-results": (
        "import numpy as np\nnp.zeros(3).tolist()\narr = np.arange(4)\narr.reshape(2, 2).T\n"
        "np.asarray([1.0]).mean()\nnp.array([1], dtype=float).astype(int).itemsize\n"
    ),
    "socket-instance": (
        "import socket\ns = socket.socket()\ns.settimeout(1)\ns.makefile()\ns.family\ns.detach()\n"
    ),
    "tuple-members": (
        "import time\nfrom typing import NamedTuple\nclass P(NamedTuple):\n    x: int\n\n"
        "P(1).count(1)\nP(1).index(1)\nP(1)._replace(x=2)\nP._fields\n"
        "time.localtime().tm_year\ntime.localtime().count(1)\ntime.localtime().n_fields\n"
    ),
}


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid(name: str, check: Check) -> None:
    source, expected = INVALID[name]
    findings = check(source)
    assert _pairs(source, findings) == expected
    assert all(f.confidence is Confidence.HIGH for f in findings)


@pytest.mark.parametrize("name", sorted(MEDIUM))
def test_medium_confidence(name: str, check: Check) -> None:
    source, expected = MEDIUM[name]
    findings = check(source)
    assert _pairs(source, findings) == expected
    assert all(f.confidence is Confidence.MEDIUM for f in findings)


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid(name: str, check: Check) -> None:
    source = VALID[name]
    assert _pairs(source, check(source)) == []


def test_evidence_and_suggestion(check: Check) -> None:
    source = (
        "from openai import OpenAI\nclient = OpenAI()\nclient.chat.completion.create(model='x')\n"
    )
    (finding,) = check(source)
    assert finding.symbol == "openai.resources.chat.chat.Chat"
    assert finding.package is not None and finding.package.startswith("openai ")
    assert finding.suggestions[0].replacement == "completions"
    assert finding.message == "`Chat` has no attribute `completion`"
    assert "`client.chat` resolved to an instance of" in finding.notes[0]


def test_parse_error_is_located(check: Check) -> None:
    (finding,) = check("def f(:\n    pass\n")
    assert finding.code == "HAL900"
    assert finding.span.line == 1


def test_relative_imports_inside_a_package(checker: object, tmp_path: Path) -> None:
    from halluc_check.engine.checker import Checker

    assert isinstance(checker, Checker)
    package = tmp_path / "app"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "helpers.py").write_text("def real():\n    return 1\n", encoding="utf-8")
    source = (
        "from .helpers import real, invented\n"
        "from . import helpers\n"
        "from .nothing_here import x\n"
        "from . import ghost\n"
        "helpers.real()\n"
        "helpers.unreal()\n"
    )
    main = package / "main.py"
    main.write_text(source, encoding="utf-8")
    result = checker.check_source(source, str(main))
    assert _pairs(source, list(result.findings)) == [
        ("HAL002", "invented"),
        ("HAL001", "nothing_here"),
        ("HAL002", "ghost"),
        ("HAL101", "unreal"),
    ]


def test_module_never_resolves_to_the_checked_file(checker: object, tmp_path: Path) -> None:
    from halluc_check.engine.checker import Checker

    assert isinstance(checker, Checker)
    source = "import socks_xyz\nsocks_xyz.anything\n"
    path = tmp_path / "socks_xyz.py"
    path.write_text(source, encoding="utf-8")
    result = checker.check_source(source, str(path))
    assert [f.code for f in result.findings] == ["HAL001"]


def test_members_of_a_class_in_another_module(check: Check, tmp_path: Path) -> None:
    """Names a class binds in its own body or on ``self`` are found without walking its bases;
    anything else still goes through the whole MRO."""
    (tmp_path / "store.py").write_text(
        "class Store:\n"
        "    limit = 3\n"
        "    def __init__(self, other):\n"
        "        self.count = 0\n"
        "        (self.first, self.second) = (1, 2)\n"
        "        other.size = 1\n"
        "    @staticmethod\n"
        "    def make():\n"
        "        return Store(None)\n"
        "class Child(Store):\n"
        "    pass\n",
        encoding="utf-8",
    )
    source = (
        "from store import Store, Child\n"
        "s = Store(None)\n"
        "s.count, s.limit, s.first, s.second, s.make()\n"
        "s.ghost\n"
        "Store.limit, Store.make()\n"
        "Store.phantom\n"
        "c = Child(None)\n"
        "c.count, c.limit\n"
        "c.spirit\n"
    )
    assert _pairs(source, check(source, "main.py")) == [
        ("HAL101", "ghost"),
        ("HAL101", "phantom"),
        ("HAL101", "spirit"),
    ]


def test_names_its_module_sets_on_a_class_with_computed_names(check: Check, tmp_path: Path) -> None:
    """httpx's ``setattr(codes, code.name.lower(), int(code))`` after its enum: the class's
    names are not all in a body; another enum of the module stays closed."""
    (tmp_path / "status.py").write_text(
        "import enum\n"
        "class Status(enum.IntEnum):\n"
        "    OK = 200\n"
        "class Level(enum.Enum):\n"
        "    LOW = 1\n"
        "for _status in Status:\n"
        "    setattr(Status, _status.name.lower(), int(_status))\n",
        encoding="utf-8",
    )
    source = "from status import Level, Status\nStatus.OK, Status.ok, Status.anything\nLevel.LOWW\n"
    assert _pairs(source, check(source, "main.py")) == [("HAL101", "LOWW")]


def test_stub_members_are_remembered_per_name(check: Check) -> None:
    """What a builtin class has is asked once per process: later files get the same answers."""
    sources = [
        "text = 'a'\ntext.uper()\ntext.upper()\n",
        "word = 'b'\nword.upper().uper()\nword.strip()\n",
        "items = []\nitems.push(1)\nitems.append(1)\n",
    ]
    found = [_pairs(source, check(source, f"file{n}.py")) for n, source in enumerate(sources)]
    assert found == [[("HAL101", "uper")], [("HAL101", "uper")], [("HAL101", "push")]]


def _resolver(checker: Any, path: Path, source: str) -> Any:
    """A FileResolver of ``source`` written at ``path``, as the checker makes one per file."""
    from halluc_check.resolve.file_resolver import FileResolver

    path.write_text(source, encoding="utf-8")
    project = checker.projects.for_path(str(path))
    return FileResolver(
        source, str(path), env=checker.env, project=project.jedi_project, project_scan=project.scan
    )


def test_callee_from_the_receiver_inferred_before(checker: object, tmp_path: Path) -> None:
    """A call's callee is looked up on the receiver values its attribute check inferred; the
    result is the one jedi gives for the whole expression."""
    from halluc_check.engine.checker import Checker

    assert isinstance(checker, Checker)
    source = (
        "import requests\n"
        "session = requests.Session()\n"
        "session.headers.update({})\n"
        "session.get('u')\n"
    )
    resolver = _resolver(checker, tmp_path / "calls.py", source)
    for receiver_end, callee_end in (((3, 15), (3, 22)), ((4, 7), (4, 11))):
        receivers = resolver.infer_at(receiver_end)
        assert receivers
        direct = resolver.infer_at(callee_end)
        stepped = resolver.member_values(receivers, callee_end)
        assert direct and sorted(map(repr, stepped)) == sorted(map(repr, direct))


def test_self_assignments_are_scanned_once_per_class_and_name(
    check: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scanning every use of a name is done once per class, not once per reference: a long
    module with thousands of references made it quadratic."""
    from halluc_check.resolve import lookup

    scans: list[str] = []
    original = lookup.assigned_on_self

    def counted(classdef: object, name: str) -> bool:
        scans.append(name)
        return original(classdef, name)

    monkeypatch.setattr(lookup, "assigned_on_self", counted)
    source = "class Big:\n    def __init__(self):\n        self.real = 1\n\n"
    source += "".join(f"Big().missing{i % 2}\nBig().real\n" for i in range(40))
    findings = check(source)
    assert len(findings) == 40
    assert sorted(scans) == ["missing0", "missing1"]


def test_stub_classes_have_no_self_attribute_filters(checker: object, tmp_path: Path) -> None:
    """jedi asks every class of an instance's MRO for ``self.name = ...`` stores before any class
    body; typeshed's classes have none, so only source classes are asked."""
    from halluc_check.engine.checker import Checker

    assert isinstance(checker, Checker)
    source = (
        "class Base(dict):\n    def __init__(self):\n        self.stored = 1\n\n"
        "class Child(Base):\n    pass\n\nChild().stored\n{}.get\n"
    )
    path = tmp_path / "filters.py"
    resolver = _resolver(checker, path, source)

    def self_filters(position: tuple[int, int]) -> list[str]:
        (instance,) = resolver.infer_at(position)
        return [
            type(f).__name__
            for f in instance.get_filters()
            if type(f).__name__ in ("SelfAttributeFilter", "_NoNames")
        ]

    # Child, Base, then dict's nine typeshed classes
    assert self_filters((8, 7))[:2] == ["SelfAttributeFilter", "SelfAttributeFilter"]
    assert set(self_filters((8, 7))[2:]) == {"_NoNames"}
    assert set(self_filters((9, 2))) == {"_NoNames"}
    assert _pairs(source, list(checker.check_source(source, str(path)).findings)) == []
    missing = source.replace("Child().stored", "Child().storde")
    assert _pairs(missing, list(checker.check_source(missing, str(path)).findings)) == [
        ("HAL101", "storde")
    ]


def test_receiver_attributes_are_inferred_once_per_class(
    checker: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``self.name`` in any method of a class infers to the same values: jedi is asked once."""
    from halluc_check.resolve import file_resolver as resolve

    source = "class Queue:\n    def __init__(self):\n        self._items = []\n\n" + "".join(
        f"    def m{i}(self):\n        self._items.append({i})\n" for i in range(12)
    )
    resolver = _resolver(checker, tmp_path / "queue.py", source)
    asked: list[object] = []
    original = resolve.jedi_helpers.infer

    def counted(*args: object) -> object:
        asked.append(args[-1])
        return original(*args)

    monkeypatch.setattr(resolve.jedi_helpers, "infer", counted)
    values = [resolver.infer_at((6 + 2 * i, 19)) for i in range(12)]
    assert len(asked) == 1 and all(v == values[0] and v for v in values)


def test_parametrized_instances_skip_constructor_binding(
    checker: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``dict[str, int]`` from an annotation has all its type variables: jedi's matching of the
    constructor's signatures is skipped; a bare generic class still goes through it."""
    from halluc_check.jedi_compat import speed

    source = "from typing import Generic, TypeVar\nT = TypeVar('T')\n"
    source += "class Box(Generic[T]):\n    def __init__(self, item: T) -> None:\n"
    source += "        self.item = item\n\ndef f(d: dict[str, int]):\n    d\n\nbox = Box(1)\nbox\n"
    resolver = _resolver(checker, tmp_path / "generic.py", source)
    bound: list[str] = []
    original = speed.ANNOTATED_CLASS.function

    def counted(instance: Any) -> Any:
        bound.append(instance.class_value.py__name__())
        return original(instance)

    monkeypatch.setattr(speed.ANNOTATED_CLASS, "function", counted)
    (annotated,) = resolver.infer_at((8, 5))
    assert speed.fully_parametrized(annotated.class_value)
    assert annotated.get_annotated_class_object() is annotated.class_value
    (box,) = resolver.infer_at((11, 3))
    assert not speed.fully_parametrized(box.class_value)
    box.get_annotated_class_object()
    assert bound == ["Box"]


def _parsed_paths(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every path jedi asks parso for from now on (a tree in memory or on disk counts too)."""
    from jedi.inference import InferenceState

    asked: list[str] = []
    original = InferenceState.parse

    def parse(self: Any, *args: Any, **kwargs: Any) -> Any:
        file_io = kwargs.get("file_io")
        if file_io is not None:
            asked.append(str(file_io.path))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(InferenceState, "parse", parse)
    return asked


def test_the_source_behind_a_stub_is_read_only_when_the_stub_rejects_the_call(
    check: Check, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """jedi imports a module's source before its stub; the source is parsed only when the stub
    alone would report the call, and then it has the last word."""
    package = tmp_path / "stubbed"
    package.mkdir()
    source = package / "__init__.py"
    source.write_text("def f(a, extra=1, **kwargs):\n    return a\n", encoding="utf-8")
    (package / "__init__.pyi").write_text("def f(a: int) -> int: ...\n", encoding="utf-8")
    parsed = _parsed_paths(monkeypatch)
    assert check("import stubbed\nstubbed.f(1)\nstubbed.f(a=2)\n") == []
    assert str(source) not in parsed
    code = "import stubbed\nstubbed.f(1, extra=2)\nstubbed.f(1, 2)\nstubbed.f(1, extrra=3)\n"
    assert _pairs(code, check(code)) == []  # the source takes **kwargs: nothing to report
    assert str(source) in parsed
    source.write_text("def f(a, extra=1):\n    return a\n", encoding="utf-8")
    code = "import stubbed\nstubbed.f(1, extra=2)\nstubbed.f(1, extrra=3)\nstubbed.f(1, 2, 3)\n"
    assert _pairs(code, check(code, "other.py")) == [("HAL201", "extrra"), ("HAL202", "3")]


def test_stdlib_sources_paired_with_stubs_are_not_parsed(
    check: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``import ssl`` answers from typeshed's ``ssl.pyi``; ``ssl.py`` itself stays unparsed."""
    parsed = _parsed_paths(monkeypatch)
    code = "import ssl\nctx = ssl.create_default_context(cafile=None)\nctx.load_default_certs()\n"
    assert check(code) == []
    assert any(p.endswith("ssl.pyi") for p in parsed)
    assert not [p for p in parsed if p.endswith("ssl.py")]


def test_a_verdict_does_not_depend_on_the_order_of_the_values(
    checker: object, tmp_path: Path
) -> None:
    """jedi's value sets are ordered by memory address: any value that has the name settles
    the verdict, before or after a value that cannot be decided."""
    from halluc_check.resolve.verdicts import Verdict

    source = "import os\ndef f():\n    pass\n\nos\nf\n"
    resolver = _resolver(checker, tmp_path / "order.py", source)
    (module,) = resolver.infer_at((5, 1))
    (function,) = resolver.infer_at((6, 1))
    for values in ([module, function], [function, module]):
        assert resolver.lookup(values, "path").verdict is Verdict.EXISTS
        assert resolver.lookup(values, "pathh").verdict is Verdict.UNKNOWN
    assert resolver.lookup([module], "pathh").verdict is Verdict.MISSING


def _helper_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[Any, ...]]]:
    """Every question sent to jedi's helper process from now on: its function's name and its
    positional arguments."""
    from jedi.inference.compiled.subprocess import CompiledSubprocess

    calls: list[tuple[str, tuple[Any, ...]]] = []
    original = CompiledSubprocess._send

    def send(self: Any, state: Any, function: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append((getattr(function, "__name__", ""), args[0] if args else ()))
        return original(self, state, function, *args, **kwargs)

    monkeypatch.setattr(CompiledSubprocess, "_send", send)
    return calls


def test_the_helper_process_is_not_asked_again_what_it_answered(
    check: Check, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each file gets a fresh inference state; where a module is and what a literal is were
    asked of jedi's helper process again for every file."""
    calls = _helper_calls(monkeypatch)
    source = "import json, xml.dom\njson.dumps({}, indent=2, separators=(',', ': '))\n"
    source += "x = 'halluc-check literal'\nx.uper()\ny = 'halluc-check literal'\ny.upper()\n"
    first = _pairs(source, check(source, "first.py"))
    assert first == [("HAL101", "uper")]
    looked_for = [name for name, _ in calls].count("get_module_info")
    calls.clear()
    assert _pairs(source, check(source, "second.py")) == first
    asked = [name for name, _ in calls]
    made = [arguments for name, arguments in calls if name == "create_simple_object"]
    assert "safe_literal_eval" not in asked
    # only what was not found is looked for again (typeshed's `_typeshed` has no source)
    assert asked.count("get_module_info") < looked_for
    assert made and len(made) == len(set(made))  # each literal's value made once per file


def test_a_remembered_module_is_read_as_it_is_now(check: Check, tmp_path: Path) -> None:
    """Where a module is gets remembered, never its text: an edit is seen by the next check."""
    module = tmp_path / "edited_module.py"
    module.write_text("def old():\n    pass\n", encoding="utf-8")
    code = "import edited_module\nedited_module.new()\n"
    assert _pairs(code, check(code, "a.py")) == [("HAL101", "new")]
    module.write_text("def old():\n    pass\n\ndef new():\n    pass\n", encoding="utf-8")
    os.utime(module, ns=(time.time_ns() + 10**9,) * 2)  # a later mtime on a coarse clock
    assert check(code, "b.py") == []


def test_a_module_is_looked_for_again_when_it_was_not_there(check: Check, tmp_path: Path) -> None:
    code = "import freshly_made_module\nfreshly_made_module.run()\n"
    assert _pairs(code, check(code, "a.py")) == [("HAL001", "freshly_made_module")]
    module = tmp_path / "freshly_made_module.py"
    module.write_text("def run():\n    pass\n", encoding="utf-8")
    assert check(code, "b.py") == []
    module.unlink()
    assert _pairs(code, check(code, "c.py")) == [("HAL001", "freshly_made_module")]


_SCOPES = """import functools

@functools.lru_cache(maxsize=None)
def outer(a: int = len([1]), *args: str, b=lambda x: x + 1, **kwargs: dict) -> list:
    class Inner(dict, metaclass=type):
        size: int = 3
        def method(self, value=[n for n in range(3)]) -> "Inner":
            return {k: v for k, v in self.items() if k in [m for m in value]}
    squares = [x * y for x in range(a) for y in (x, a) if x]
    pairs = {x: [y for y in range(x)] for x in squares}
    total = sum(x for x in pairs)
    return [Inner, squares, pairs, total, (lambda z=a: z)(), {s for s in args}]
"""


def test_a_leaf_is_found_at_every_position_as_parso_finds_it() -> None:
    import gc

    import parso

    from halluc_check.resolve.tree_reading import leaf_at

    for source in (_SCOPES, "def broken(:\n    x = (1,\n\n  # comment\nclass\n"):
        module = parso.parse(source)
        lines = source.splitlines(keepends=True)
        positions = [
            (row, column) for row, line in enumerate(lines, 1) for column in range(len(line) + 1)
        ]
        for position in positions:
            for prefixes in (False, True):
                expected = module.get_leaf_for_position(position, include_prefixes=prefixes)
                assert leaf_at(module, position, prefixes) is expected, position
        for outside in ((0, 5), (len(lines) + 2, 0)):
            with pytest.raises(ValueError):
                leaf_at(module, outside)
        gc.collect()
        gc.disable()
        try:
            for position in positions:
                leaf_at(module, position, include_prefixes=True)
            assert gc.collect() == 0  # no cycles left for the collector
        finally:
            gc.enable()


def test_the_context_of_every_name_is_the_one_jedi_gives(checker: object, tmp_path: Path) -> None:
    """jedi's ``create_context`` without its closures: the same context for every name, from
    decorators and defaults to nested comprehensions, and no cyclic garbage."""
    import gc

    from halluc_check.jedi_compat import speed

    resolver = _resolver(checker, tmp_path / "scopes.py", _SCOPES)
    module = resolver._module_context

    def chain(context: Any) -> list[tuple[str, Any]]:
        links = []
        while context is not None:
            links.append((type(context).__name__, context.tree_node))
            context = context.parent_context
        return links

    names = [leaf for leaf in resolver._module_node.get_used_names().values() for leaf in leaf]
    assert len(names) > 60
    kinds = set()
    for name in names:
        ours = chain(speed.create_context(module, name))
        assert ours == chain(speed.JEDI_CREATE_CONTEXT(module, name)), name
        kinds.add(ours[0][0])
    assert {"CompForContext", "AnonymousFunctionExecution", "ClassContext"} <= kinds, kinds
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for name in names:
            speed.create_context(module, name)
        gc.collect()
        assert not [o for o in gc.garbage if type(o).__name__ == "function"]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


def test_a_files_inference_is_freed_without_the_cyclic_collector(
    checker: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once a file is checked, jedi's caches for it are emptied: what they held is freed by
    reference counting instead of waiting for the collector to trace it."""
    import gc

    from halluc_check.resolve.file_resolver import FileResolver

    source = (
        "import collections, json, os\nd = collections.OrderedDict()\nd.move_to_end('a')\n"
        "os.path.join('a', 'b').upper()\njson.dumps({}, indent=2)\nclass A:\n"
        "    def f(self):\n        return [x for x in self.g()]\n"
        "    def g(self):\n        return {1: 2}.items()\n"
    )

    def garbage_after_check(name: str) -> int:
        path = tmp_path / name
        path.write_text(source, encoding="utf-8")
        gc.collect()
        gc.disable()
        try:
            assert checker.check_source(source, str(path)).findings == ()
            return gc.collect()
        finally:
            gc.enable()

    garbage_after_check("warm.py")  # the library modules' trees are read once, and kept
    released = garbage_after_check("released.py")
    monkeypatch.setattr(FileResolver, "release", lambda self, clean=True: None)
    kept = garbage_after_check("kept.py")
    assert released * 3 < kept * 2, (released, kept)


_SUBCLASSES = '''class Plain(Base):
    def run(self, a, *, b=1):
        return a

    @staticmethod
    def run(x, y):  # a second definition, kept too
        pass

    if FLAG:
        async def run(self, c, **kw): return c
    else:
        @functools.wraps(other)
        def run(self, d): ...
    try:
        def run(self, e): pass
    except ImportError:
        def run(self, f):
            """A docstring
that starts at column zero."""
    finally:
        with lock:
            def run(self, g, /, h): "é"; return h
    for _ in ():
        def run(self, never): pass
    def helper(self):
        def run(self, inner): pass
    class Nested(pkg.Base[int], metaclass=Meta):
        def run(self, nested_é, *args,
                k=(1, 2)): return 1
    class Other(Unrelated):
        def run(self, unrelated): pass
'''


@pytest.mark.parametrize("indent", ["", "    "])
def test_overrides_are_read_with_pythons_parser_as_parso_reads_them(indent: str) -> None:
    """A class statement is read with ``ast``, and only the headers of the methods asked about
    with parso: the same ``def`` nodes as parsing the whole statement, as far as signatures go."""
    import textwrap

    import parso

    from halluc_check.resolve.project_scan import (
        _class_methods,
        _header_funcdef,
        _parse_cut,
        _subclass_methods,
    )

    grammar = parso.load_grammar()
    text = textwrap.indent(_SUBCLASSES, indent)

    def described(funcdefs: list[Any]) -> list[tuple[str, ...]]:
        return sorted(
            (
                f.name.value,
                f.children[2].get_code(),
                *(d.get_code().strip() for d in f.get_decorators()),
            )
            for f in funcdefs
        )

    classes = _class_methods(text)
    assert classes is not None
    counts = {}
    for base, method in [("Base", "run"), ("Base", "helper"), ("Unrelated", "run"), ("X", "run")]:
        ours = [
            _header_funcdef(grammar, header)
            for found in classes
            if base in found.bases
            for header in found.headers.get(method, ())
        ]
        expected = _subclass_methods(_parse_cut(grammar, text), base, method)
        assert described(ours) == described(expected), (base, method)
        counts[base, method] = len(ours)
    # Plain's seven (not the one under `for`, nor the inner function) and Nested's
    assert counts == {
        ("Base", "run"): 8,
        ("Base", "helper"): 1,
        ("Unrelated", "run"): 1,
        ("X", "run"): 0,
    }
    assert _class_methods('class Old(Base):\n    def run(self): print "x"\n') is None


def test_libcst_is_loaded_only_for_code_pythons_parser_cannot_read(tmp_path: Path) -> None:
    """A worker starts faster without libcst; it is needed only for syntax this interpreter
    does not know and for the account of a syntax error."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from halluc_check.engine.checker import Checker\n"
        "from halluc_check.config import Config\n"
        "checker = Checker(Config(python=sys.executable))\n"
        "result = checker.check_source('import os\\nos.path.joinn\\n', sys.argv[1])\n"
        "print(len(result.findings), 'libcst' in sys.modules)\n"
        "result = checker.check_source('def f(:\\n', sys.argv[1])\n"
        "print(len(result.findings), 'libcst' in sys.modules)\n"
    )
    path = tmp_path / "snippet.py"
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert done.stdout.split("\n")[:2] == ["1 False", "1 True"], done.stderr


def test_a_literals_value_is_not_asked_of_the_helper_process(
    check: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    """jedi asks its helper process for a literal's value (to index a tuple); that value
    is the object the literal was made from."""
    calls = _helper_calls(monkeypatch)
    code = "pair = (1, 'text')\npair[1].upper()\npair[1].uper()\npair[0].bit_length()\n"
    assert _pairs(code, check(code)) == [("HAL101", "uper")]
    asked = [arguments[1] for name, arguments in calls if name == "get_compiled_method_return"]
    assert "get_safe_value" not in asked


def test_an_answer_given_because_looking_failed_is_not_kept_for_the_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A stub instance's name is looked up once per process; an answer that only says "looking
    failed" (taken as "exists") belongs to the state that failed, not to later files."""
    from types import SimpleNamespace

    from halluc_check.jedi_compat.failures import note_failure
    from halluc_check.resolve import lookup

    class StubClass:
        tree_node = SimpleNamespace()

        def is_stub(self) -> bool:
            return True

    answers = iter([True, False, True])

    def has_name(value: Any, name: str) -> bool:
        answer = next(answers)
        if answer:
            note_failure()  # the first lookup fails, and says "exists"
        return answer

    monkeypatch.setattr(lookup, "has_name", has_name)
    monkeypatch.setattr(lookup, "_STUB_INSTANCE_NAMES", {})
    owner = SimpleNamespace(env=SimpleNamespace(version=(3, 11, 7)))
    cls, value = StubClass(), SimpleNamespace()
    ask = lookup.MemberLookup._stub_instance_has
    assert ask(owner, value, cls, "loadz") is True  # type: ignore[arg-type]
    assert ask(owner, value, cls, "loadz") is False  # type: ignore[arg-type]
    assert ask(owner, value, cls, "loadz") is False  # type: ignore[arg-type]  # kept


def test_a_module_getattr_that_serves_a_table(check: Check, tmp_path: Path) -> None:
    """A module ``__getattr__`` that looks names up in a literal table it never changes and
    refuses the others serves only the table's keys (pydantic's lazy imports, without its
    migration fallback)."""
    package = tmp_path / "lazy_tables"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from importlib import import_module\n"
        "_dynamic_imports: 'dict[str, tuple[str, str]]' = {\n"
        "    'Client': (__spec__.parent, '.client'),\n"
        "}\n"
        "def __getattr__(attr_name: str) -> object:\n"
        "    dynamic_attr = _dynamic_imports.get(attr_name)\n"
        "    if dynamic_attr is None:\n"
        "        raise AttributeError(f'module {__name__!r} has no attribute {attr_name!r}')\n"
        "    package, module_name = dynamic_attr\n"
        "    return getattr(import_module(module_name, package=package), attr_name)\n",
        encoding="utf-8",
    )
    (package / "client.py").write_text("class Client:\n    pass\n", encoding="utf-8")
    source = (
        "import lazy_tables\n"
        "from lazy_tables import Client, Clientt\n"
        "lazy_tables.Client()\n"
        "lazy_tables.Clientt()\n"
    )
    assert _pairs(source, check(source, "main.py")) == [
        ("HAL002", "Clientt"),
        ("HAL101", "Clientt"),
    ]
