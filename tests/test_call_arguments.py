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
