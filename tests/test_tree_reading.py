"""What a module's ``__getattr__`` can return for, read from its source."""

from __future__ import annotations

import parso
import pytest

from halluc_check.resolve.tree_reading import getattr_producible, module_level_getattr

TABLE = "_LAZY = {'Client': '.client', 'Server': '.server'}\n"
GATE = (
    "    found = _LAZY.get(name)\n    if found is None:\n        raise AttributeError(name)\n"
    "    return import_module(found)\n"
)


def _producible(source: str) -> set[str] | None:
    module = parso.parse(source)
    (funcdef,) = module_level_getattr(module)
    return getattr_producible(funcdef, module)


@pytest.mark.parametrize(
    "body",
    [
        # looked up with `.get`, refused when absent
        "    found = _LAZY.get(name)\n    if found is None:\n        raise AttributeError(name)\n"
        "    return import_module(found)\n",
        "    found = _LAZY.get(name, None)\n    if found is None:\n        raise AttributeError(name)\n"
        "    module = import_module(found)\n    return getattr(module, name)\n",
        # indexed: any other name raises there
        "    found = _LAZY[name]\n    return import_module(found)\n",
        # a membership test that refuses the others
        "    if name not in _LAZY:\n        raise AttributeError(name)\n    return _LAZY[name]\n",
        "    if name in _LAZY:\n        return import_module(_LAZY[name])\n"
        "    raise AttributeError(name)\n",
    ],
)
def test_a_table_closes_the_module(body: str) -> None:
    # builtins that only read the table change nothing
    source = TABLE + "def __dir__():\n    return sorted(set(globals()) | set(_LAZY))\n"
    source += "def __getattr__(name):\n" + body + "    raise AttributeError(name)\n"
    assert _producible(source) == {"Client", "Server"}


@pytest.mark.parametrize(
    ("before", "body"),
    [
        # the table grows: any name may be in it
        ("_LAZY['Extra'] = '.extra'\n", GATE),
        ("_LAZY.update(extra)\n", GATE),
        ("register(_LAZY)\n", GATE),
        ("_names = set(_LAZY)\nmutate(1, _LAZY)\n", GATE),
        ("", "    _LAZY.setdefault(name, '.x')\n" + GATE),
        # a fallback that answers for other names
        (
            "",
            "    found = _LAZY.get(name)\n    if found is None:\n        return fallback(name)\n"
            "    return found\n",
        ),
        # a default that is not None lets every name through
        (
            "",
            "    found = _LAZY.get(name, '.default')\n    if found is None:\n"
            "        raise AttributeError(name)\n    return found\n",
        ),
        # the refusal does not stop every other name
        (
            "",
            "    found = _LAZY.get(name)\n    if found is None:\n        log(name)\n"
            "    return found\n",
        ),
    ],
)
def test_a_table_that_does_not_close_it(before: str, body: str) -> None:
    source = TABLE + before + "def __getattr__(name):\n" + body + "    raise AttributeError(name)\n"
    assert _producible(source) is None


def test_a_tuple_cannot_change() -> None:
    source = (
        "_NAMES = ('Client', 'Server')\n"
        "__all__ = [*_NAMES]\n"
        "def __getattr__(name):\n"
        "    if name in _NAMES:\n        return load(name)\n"
        "    raise AttributeError(name)\n"
    )
    assert _producible(source) == {"Client", "Server"}
