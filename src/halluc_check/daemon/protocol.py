"""What a daemon and its clients say to each other: one JSON object per line over the socket.

A client sends one request and reads answers until the last one:

- ``{"op": "status"}`` -> ``{"status": {...}}`` (the daemon's identity, pid, socket, counts);
- ``{"op": "stop"}`` -> ``{"stopping": true}``; the daemon then ends, with its helper processes;
- ``{"op": "check", "identity": {...}, "cwd": ..., "timeout": ..., "cache": ..., "items": [...]}``
  -> any number of ``{"progress": [done, total]}``, then ``{"results": [...], "seconds": ...}``
  (the time the daemon took), or
  ``{"mismatch": reason}`` when the daemon does not check for that identity, or
  ``{"failed": reason}`` when the check broke down (the client then checks in its own process).

Results travel as the result cache stores them (:func:`~halluc_check.cache.result_to_json`), with
their source text, so that the client renders exactly what a check in its own process renders.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..cache import config_digest, digest, result_from_json, result_to_json, tool_fingerprint
from ..config import Config
from ..model import Result
from ..run.options import Unit
from ..target.environment import find_interpreter


@dataclass(frozen=True)
class Identity:
    """What a daemon's answers depend on; a request is served only when all of it is equal."""

    tool: str
    """halluc-check itself: its version and source files where it is installed, jedi's and
    libcst's versions, the running Python (see :func:`~halluc_check.cache.tool_fingerprint`)."""
    config: str
    """:func:`~halluc_check.cache.config_digest` of the configuration."""
    python: str
    """The target interpreter, resolved (``--python``, ``$VIRTUAL_ENV``, ``./.venv``, ...) and
    named alike however it was reached (see :func:`same_interpreter`)."""

    def mismatch(self, other: Mapping[str, Any]) -> str | None:
        """Why a request for ``other`` cannot be served by a daemon of this identity."""
        for name, what in (
            ("python", "target interpreter"),
            ("config", "configuration"),
            ("tool", "halluc-check installation"),
        ):
            if other.get(name) != getattr(self, name):
                return f"another {what}"
        return None

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def identity_of(config: Config) -> Identity:
    """The identity a check of ``config`` needs; raises the target's ``EnvironmentError_`` when
    its interpreter cannot be found."""
    tool = digest(tool_fingerprint(), str(Path(__file__).resolve().parent.parent))
    python = same_interpreter(find_interpreter(config.python, cwd=config.root))
    return Identity(tool=tool, config=config_digest(config), python=python)


def same_interpreter(executable: str) -> str:
    """One name for the interpreter of an environment, whichever of its names was given:
    ``.venv/bin/python`` and ``.venv/bin/python3`` are ``.venv/bin/python3.12``. The folder is
    kept (its links are resolved): a virtual environment's interpreter is a link to the base
    interpreter, and what it imports depends on where the link is."""
    folder = os.path.realpath(os.path.dirname(os.path.abspath(executable)))
    return os.path.join(folder, os.path.basename(os.path.realpath(executable)))


def send(stream: io.BufferedIOBase, message: Mapping[str, Any]) -> None:
    """One message, as a line of ASCII JSON (lone surrogates of broken sources survive it)."""
    stream.write(json.dumps(message, ensure_ascii=True).encode("ascii") + b"\n")
    stream.flush()


def receive(stream: io.BufferedIOBase) -> dict[str, Any] | None:
    """The next message; ``None`` when the other side closed the connection."""
    line = stream.readline()
    if not line:
        return None
    message = json.loads(line)
    if not isinstance(message, dict):
        raise ValueError("a message must be a JSON object")
    return message


def encode_result(result: Result) -> dict[str, Any]:
    return {**result_to_json(result), "source": result.source}


def decode_result(data: Mapping[str, Any]) -> Result:
    return result_from_json(data)


def encode_item(item: Unit | Result) -> dict[str, Any]:
    """A unit to check, or a Result known before checking (a missing file), in its place."""
    if isinstance(item, Result):
        return {"result": encode_result(item)}
    return {"path": item.path, "text": item.text, "requirements": item.requirements}


def decode_item(position: int, data: Mapping[str, Any]) -> Unit | Result:
    if "result" in data:
        return decode_result(data["result"])
    path = data["path"]
    if path is not None and not isinstance(path, str):
        raise ValueError("a unit's path must be a string or null")
    if not isinstance(data["text"], str):
        raise ValueError("a unit's text must be a string")
    requirements = data.get("requirements", False)
    if not isinstance(requirements, bool):
        raise ValueError("a unit's requirements flag must be a boolean")
    return Unit(position, path, data["text"], requirements=requirements)
