"""Run by the target interpreter (``python -I -S -B -c``), never imported by halluc-check: the
namespaces of the standard-library modules named in ``sys.argv[1]`` (a JSON list), printed as one
JSON object, ``{module: answer}``.

Each module is imported in a child process forked from this one (where the platform can fork),
so that its answer is the same whatever else was asked in the same call: a module imported
alone, after only what this script imports. An answer is either ``{"error": reason}`` or::

    {"file": path or None, "names": [...], "submodules": [...], "package": bool,
     "getattr": bool, "open": reason or None}

``names``: ``dir(module)``, its ``__dict__`` and its ``__all__``; ``submodules``: what
``import module.sub`` finds (the package's folders, and what the import registered in
``sys.modules``); ``getattr``: the module defines ``__getattr__``; ``open``: why names beyond
these may exist (an import hook installed by the import, a module object of another class).

Runs on every Python halluc-check accepts as a target (3.10 and newer).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import pkgutil
import sys
import types
import warnings
from typing import Any

PER_MODULE_SECONDS = 10.0


def _strings(value: object) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [item for item in value if isinstance(item, str)]
    return []


def _open_reason(module: object, hooks_before: tuple[list[Any], list[Any]]) -> str | None:
    if (list(sys.meta_path), list(sys.path_hooks)) != hooks_before:
        return "its import installs an import hook"
    kind = type(module)
    if not isinstance(module, types.ModuleType):
        return f"the module is an object of class {kind.__name__}"
    if kind is not types.ModuleType and any(
        name in vars(klass)
        for klass in kind.__mro__
        if klass is not types.ModuleType and klass is not object
        for name in ("__getattr__", "__getattribute__")
    ):
        return f"the module is an object of class {kind.__name__}, which answers lookups"
    return None


def answer(name: str) -> dict[str, Any]:
    """What ``import name`` gives, as a JSON-able answer."""
    hooks_before = (list(sys.meta_path), list(sys.path_hooks))
    try:
        module = importlib.import_module(name)
    except BaseException as exc:  # any failure is "not importable here"
        return {"error": f"{type(exc).__name__}: {exc}"}
    namespace: dict[str, Any] = getattr(module, "__dict__", {})
    names = set(namespace)
    with contextlib.suppress(Exception):  # a __dir__ that fails lists nothing
        names.update(_strings(dir(module)))
    names.update(_strings(namespace.get("__all__")))
    submodules: set[str] = set()
    path = namespace.get("__path__")
    if path is not None:
        try:
            submodules.update(info.name for info in pkgutil.iter_modules(list(path)))
        except Exception:
            return {"error": "the package's folders cannot be listed"}
    prefix = name + "."
    for registered in list(sys.modules):
        if registered.startswith(prefix) and "." not in registered[len(prefix) :]:
            submodules.add(registered[len(prefix) :])
    file = namespace.get("__file__")
    return {
        "file": os.path.realpath(file) if isinstance(file, str) else None,
        "names": sorted(names),
        "submodules": sorted(submodules),
        "package": path is not None,
        "getattr": "__getattr__" in namespace,
        "open": _open_reason(module, hooks_before),
    }


def _in_child(name: str) -> dict[str, Any]:
    """``answer(name)`` computed in a forked child, which ends after it; an error on a crash or
    after ``PER_MODULE_SECONDS``."""
    import select
    import signal
    import time

    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: its own output goes nowhere, its answer down the pipe
        os.close(read_end)
        try:
            quiet = os.open(os.devnull, os.O_WRONLY)
            os.dup2(quiet, 1)
            os.dup2(quiet, 2)
            data = json.dumps(answer(name)).encode("utf-8")
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
        finally:
            os._exit(0)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + PER_MODULE_SECONDS
    timed_out = False
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            timed_out = True
            break
        ready, _, _ = select.select([read_end], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(read_end, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read_end)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    if timed_out:
        return {"error": f"no answer within {PER_MODULE_SECONDS} seconds"}
    try:
        decoded: dict[str, Any] = json.loads(b"".join(chunks).decode("utf-8"))
        return decoded
    except ValueError:
        return {"error": "the import ended the process"}


def main() -> None:
    warnings.simplefilter("ignore")
    names = json.loads(sys.argv[1])
    forks = hasattr(os, "fork")
    answers = {name: (_in_child(name) if forks else answer(name)) for name in names}
    sys.stdout.write(json.dumps(answers))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
