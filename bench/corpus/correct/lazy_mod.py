"""Helper module with a PEP 562 module-level __getattr__ (lazy attributes).

Any name listed in _LAZY is produced on first access; static tools cannot see these
names in the module body, so attribute access on this module must never be reported.
"""

import importlib

__all__ = ["eager_value", "json_tools", "answer", "settings"]

eager_value = 1

_LAZY = {
    "json_tools": lambda: importlib.import_module("json"),
    "answer": lambda: 42,
    "settings": lambda: {"debug": False},
}


def __getattr__(name: str):
    try:
        value = _LAZY[name]()
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    globals()[name] = value
    return value


def __dir__():
    return sorted([*globals(), *_LAZY])
