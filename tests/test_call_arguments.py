"""HAL201/HAL202 against real installed libraries: invented keywords found, open paths silent."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from halluc_check.model import Finding

Check = Callable[..., list[Finding]]


def _pairs(source: str, findings: list[Finding]) -> list[tuple[str, str]]:
    lines = source.splitlines()
    return [
        (f.code, lines[f.span.line - 1][f.span.column : f.span.end_column])
        for f in findings
        if f.code.startswith("HAL2")
    ]


INVALID: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "json-dumps-forwarded": ("import json\njson.dumps({}, pretty=True)\n", [("HAL201", "pretty")]),
    "requests-get-forwarded": (
        "import requests\nrequests.get('u', timeouts=5)\n",
        [("HAL201", "timeouts")],
    ),
    "requests-post-forwarded": (
        "import requests\nrequests.post('u', jsonn={})\n",
        [("HAL201", "jsonn")],
    ),
    "session-method-forwarded": (
        "import requests\nrequests.Session().get('u', timeoutt=1)\n",
        [("HAL201", "timeoutt")],
    ),
    "subprocess-overloads": (
        "import subprocess\nsubprocess.run(['ls'], capture=True)\n",
        [("HAL201", "capture")],
    ),
    "openai-create": (
        "from openai import OpenAI\nOpenAI().chat.completions.create(model='m', messages=[], max_token=5)\n",
        [("HAL201", "max_token")],
    ),
    "pandas-renamed": (
        "import pandas as pd\npd.DataFrame().to_csv('p', line_terminator='\\n')\n",
        [("HAL201", "line_terminator")],
    ),
    "httpx": ("import httpx\nhttpx.get('u', timeouts=3)\n", [("HAL201", "timeouts")]),
    "builtins": (
        "open('f', encodng='utf8')\nsorted([], revers=True)\n",
        [("HAL201", "encodng"), ("HAL201", "revers")],
    ),
    "dataclass": (
        "from dataclasses import dataclass\n@dataclass\nclass DC:\n    a: int\n\nDC(a=1, b=2)\n",
        [("HAL201", "b")],
    ),
    "local-function": (
        "def f(a, b=1):\n    return a\n\nf(1, c=2)\nf(1, 2, 3)\n",
        [("HAL201", "c"), ("HAL202", "3")],
    ),
    "positional-to-keyword-only": ("import json\njson.dumps({}, True)\n", [("HAL202", "True")]),
    # the implementation behind `@overload`s decides, not the overloads' `**kwds` (pandas)
    "overload-implementation": (
        "import pandas as pd\npd.read_csv('p', delimeter=';')\npd.read_csv('p', ';')\n",
        [("HAL201", "delimeter"), ("HAL202", "';'")],
    ),
    "overload-implementation-local": (
        "from typing import overload\n@overload\ndef f(a: int, **kw: object) -> int: ...\n"
        "@overload\ndef f(a: str, **kw: object) -> str: ...\ndef f(a, *, strict=False):\n"
        "    return a\n\nf(1, strct=True)\n",
        [("HAL201", "strct")],
    ),
    "positional-only-in-source": (
        "def f(a, /, b=1):\n    return a\n\nf(a=1)\n",
        [("HAL201", "a")],
    ),
    # `**kwargs` forwarded on never carries positional arguments (requests.get -> request)
    "forwarded-positional": (
        "import requests\nrequests.get('u', {}, {})\n",
        [("HAL202", "{}")],
    ),
    # `**kwargs` read as `kwargs.keys()` leaves keywords open, not the positional count
    "positional-with-open-kwargs": (
        "import logging\nlogging.basicConfig(logging.INFO)\n",
        [("HAL202", "logging.INFO")],
    ),
    "classmethod": (
        "import datetime\ndatetime.datetime.fromtimestamp(0, timezone=None)\n"
        "from pydantic import BaseModel\nclass M(BaseModel):\n    a: int\n\n"
        "M.model_validate({}, allow_extra=True)\n",
        [("HAL201", "timezone"), ("HAL201", "allow_extra")],
    ),
    # click.option(*decls, cls=None, **attrs) -> Option(...) -> super().__init__ -> Parameter
    "click-option-forwarded": (
        "import click\nclick.option('--n', 'count', env='N')\n",
        [("HAL201", "env")],
    ),
    "exact-class-super-chain": (
        "class Base:\n    def __init__(self, a=1):\n        self.a = a\n\n"
        "class Other(Base):\n    def __init__(self, b=2, **kw):\n        super().__init__(**kw)\n\n"
        "class C(Base):\n    def __init__(self, **kw):\n        super().__init__(**kw)\n\n"
        "def make(*names, cls=None, **kw):\n    if cls is None:\n        cls = C\n"
        "    return cls(*names, **kw)\n\nmake(c=1)\n",
        [("HAL201", "c")],
    ),
    # jedi's MRO is not C3; the constructor Python picks is found anyway
    "constructor-by-c3": (
        "import argparse\nargparse.ArgumentParser(desc='x')\n"
        "class Mixin:\n    pass\n\nclass Base:\n    def __init__(self, x=0):\n        self.x = x\n\n"
        "class C(Mixin, Base):\n    pass\n\nC(y=1)\n",
        [("HAL201", "desc"), ("HAL201", "y")],
    ),
    # a class decorator that returns the class it got keeps the constructor
    "identity-class-decorator": (
        "import sqlalchemy as sa\nsa.MetaData(bind=None)\n"
        "REGISTRY = {}\ndef register(cls):\n    REGISTRY[cls.__name__] = cls\n    return cls\n\n"
        "@register\nclass K:\n    def __init__(self, a=1):\n        self.a = a\n\nK(b=2)\n",
        [("HAL201", "bind"), ("HAL201", "b")],
    ),
    "typed-keeping-decorator": (
        "from typing import Callable, TypeVar\nF = TypeVar('F', bound=Callable)\n"
        "def logged(f: F) -> F:\n    return f\n\n@logged\ndef g(a=1):\n    return a\n\ng(b=2)\n",
        [("HAL201", "b")],
    ),
    # a method of an annotated receiver: every override in a subclass is considered
    "subclass-overrides-united": (
        "class Base:\n    def get(self, key):\n        return key\n\n"
        "class Sub(Base):\n    def get(self, key, default=None):\n        return default\n\n"
        "def f(b: Base):\n    return b.get('k', dflt=1)\n",
        [("HAL201", "dflt")],
    ),
    # an override in a nested subclass counts; a method of the class around it does not
    "nested-subclass-override": (
        "class Base:\n    def get(self, key):\n        return key\n\n"
        "class Outer:\n    class Sub(Base):\n        def get(self, key, default=None):\n"
        "            return default\n\n    def get(self, key, extra=None):\n"
        "        return extra\n\n"
        "def f(b: Base):\n    b.get('k', default=1)\n    return b.get('k', extra=1)\n",
        [("HAL201", "extra")],
    ),
    "sqlalchemy-session-annotated": (
        "from sqlalchemy.orm import Session\ndef f(s: Session):\n    return s.get(object, id=1)\n",
        [("HAL201", "id")],
    ),
    # a generic alias kept as a class attribute (`ContextTypes.DEFAULT_TYPE`) keeps its types
    "generic-alias-class-attribute": (
        "from telegram.ext import ContextTypes\n"
        "async def f(context: ContextTypes.DEFAULT_TYPE):\n"
        "    await context.bot.send_message(1, text='x', silent=True)\n",
        [("HAL201", "silent")],
    ),
}

VALID: dict[str, str] = {
    "correct-calls": (
        "import json, requests, subprocess\njson.dumps({}, indent=2)\nrequests.get('u', timeout=5, headers={})\n"
        "subprocess.run(['ls'], capture_output=True, text=True, check=False)\n"
    ),
    "custom-encoder-chosen-by-caller": (
        "import json\nclass E(json.JSONEncoder):\n    def __init__(self, *, pretty=False, **kw):\n"
        "        super().__init__(**kw)\n\njson.dumps({}, cls=E, pretty=True)\n"
    ),
    "call-site-unpacking": "import json\nopts = {'pretty': True}\njson.dumps({}, **opts)\njson.dumps(*[{}])\n",
    "kwargs-iterated": (
        "def f(**kwargs):\n    for k, v in kwargs.items():\n        print(k, v)\n\nf(anything=1)\n"
    ),
    "kwargs-ignored": "def f(a, **kwargs):\n    return a\n\nf(1, extra=2)\n",
    "wrapping-decorator": (
        "import functools\ndef deco(fn):\n    @functools.wraps(fn)\n    def wrapper(*args, **kwargs):\n"
        "        return fn(*args, **kwargs)\n    return wrapper\n\n@deco\ndef g(a):\n    return a\n\ng(a=1, b=2)\n"
    ),
    "partial": "import functools\np = functools.partial(print, 1)\np(sep='-', anything=1)\n",
    "pydantic-model": "from pydantic import BaseModel\nclass M(BaseModel):\n    a: int\n\nM(a=1, b=2)\n",
    "click-command": (
        "import click\n@click.command()\n@click.option('--n')\ndef cli(n):\n    pass\n\ncli(standalone_mode=False)\n"
    ),
    "compiled-callee": "import math\nmath.floor(1.5)\n'a,b'.split(sep=',')\n'{x}'.format(x=1)\n",
    "guarded": "import json\ntry:\n    json.dumps({}, pretty=True)\nexcept TypeError:\n    pass\n",
    "star-args-signature": "import os.path\nos.path.join('a', 'b', 'c', 'd')\nprint(1, 2, 3, sep='')\n",
    "overload-implementation": "import pandas as pd\npd.read_csv('p', sep=';', parse_dates=['d'])\n",
    # typeshed says `/` where only positional use is *safe*; the C implementation takes it
    "positional-only-in-stub": (
        "import datetime\ndatetime.datetime(2024, 1, 2).strftime(format='%Y')\n"
    ),
    "forwarded-positional": "import requests\nrequests.get('u', {}, headers={})\n",
    "classmethod": (
        "import datetime\ndatetime.datetime.fromtimestamp(0, tz=None)\n"
        "from pydantic import BaseModel\nclass M(BaseModel):\n    a: int\n\n"
        "M.model_validate({}, strict=True)\n"
    ),
    "click-option-forwarded": (
        "import click\nclick.option('--n', 'count', envvar='N', show_default=True)\n"
        "click.option('--n', cls=click.Option, anything=1)\n"
    ),
    "exact-class-super-chain": (
        "class Base:\n    def __init__(self, a=1):\n        self.a = a\n\n"
        "class Other(Base):\n    def __init__(self, b=2, **kw):\n        super().__init__(**kw)\n\n"
        "class C(Base):\n    def __init__(self, **kw):\n        super().__init__(**kw)\n\n"
        "def make(*names, cls=None, **kw):\n    if cls is None:\n        cls = C\n"
        "    return cls(*names, **kw)\n\nmake(a=1)\nmake(cls=Other, b=1)\n"
    ),
    "constructor-by-c3": (
        "import argparse\nargparse.ArgumentParser(description='x')\n"
        "class Mixin:\n    pass\n\nclass Base:\n    def __init__(self, x=0):\n        self.x = x\n\n"
        "class C(Mixin, Base):\n    pass\n\nC(x=1)\n"
    ),
    "class-decorator-adding-names": (
        "def with_init(cls):\n    def __init__(self, **kw):\n        pass\n    cls.__init__ = __init__\n"
        "    return cls\n\n@with_init\nclass K:\n    pass\n\nK(anything=1)\n"
    ),
    "wrapped-by-unknown-decorator": (
        "from nowhere_xyz import magic  # noqa\n@magic\ndef g(a=1):\n    return a\n\ng(b=2)\n"
    ),
    # typed as keeping the signature, but its wrapper takes a keyword of its own
    "typed-wrapper-adding-keyword": (
        "import functools\nfrom typing import Any, Callable, TypeVar, cast\n"
        "F = TypeVar('F', bound=Callable[..., Any])\n"
        "def retrying(fn: F) -> F:\n    @functools.wraps(fn)\n"
        "    def wrapper(*args: Any, retries: int = 3, **kwargs: Any) -> Any:\n"
        "        return fn(*args, **kwargs)\n    return cast(F, wrapper)\n\n"
        "@retrying\ndef fetch(url: str) -> str:\n    return url\n\nfetch('u', retries=1)\n"
    ),
    "subclass-overrides-united": (
        "class Base:\n    def get(self, key):\n        return key\n\n"
        "class Sub(Base):\n    def get(self, key, default=None):\n        return default\n\n"
        "def f(b: Base):\n    return b.get('k', default=1)\n"
    ),
    # super() in A goes on to B in C's MRO, not to A's own base
    "cooperative-multiple-inheritance": (
        "class A:\n    def __init__(self, **kw):\n        super().__init__(**kw)\n\n"
        "class B:\n    def __init__(self, b=1):\n        self.b = b\n\n"
        "class C(A, B):\n    pass\n\nC(b=2)\n"
        "from jinja2 import Environment\nfrom jinja2.sandbox import SandboxedEscapeFormatter\n"
        "SandboxedEscapeFormatter(Environment(), escape=str)\n"
    ),
    "super-of-inexact-instance": (
        "class A:\n    def run(self, **kw):\n        return super().run(**kw)\n\n"
        "class B:\n    def run(self, b=1):\n        return b\n\n"
        "class C(A, B):\n    pass\n\ndef f(a: A):\n    return a.run(b=2)\n"
    ),
    "subclass-override-with-kwargs": (
        "class Base:\n    def get(self, key):\n        return key\n\n"
        "class Sub(Base):\n    def get(self, key, **options):\n        return options\n\n"
        "def f(b: Base):\n    return b.get('k', anything=1)\n"
    ),
    "generic-alias-class-attribute": (
        "from telegram.ext import ContextTypes\n"
        "async def f(context: ContextTypes.DEFAULT_TYPE):\n"
        "    await context.bot.send_message(1, text='x', disable_notification=True)\n"
    ),
    "kwargs-popped": (
        "class Base:\n    def __init__(self, a=1):\n        self.a = a\n\nclass C(Base):\n"
        "    def __init__(self, **kwargs):\n        self.extra = kwargs.pop('extra', None)\n"
        "        super().__init__(**kwargs)\n\nC(a=1, extra=2)\n"
    ),
}


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid(name: str, check: Check) -> None:
    source, expected = INVALID[name]
    assert _pairs(source, check(source)) == expected


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid(name: str, check: Check) -> None:
    source = VALID[name]
    assert _pairs(source, check(source)) == []


def test_message_names_callee_version_and_suggestion(check: Check) -> None:
    source = "import requests\nrequests.get('u', timeouts=5)\n"
    (finding,) = check(source)
    assert finding.message == "`get()` got an unexpected keyword argument `timeouts`"
    assert finding.suggestions[0].replacement == "timeout"
    assert finding.package is not None and finding.package.startswith("requests ")
    assert any("forwarded to `request()`" in note for note in finding.notes)
