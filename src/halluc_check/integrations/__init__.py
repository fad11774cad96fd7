"""Shells around the Python API for the tools developers already run: pre-commit, pytest, flake8.

None of them checks, caches checks or formats findings itself: they call
:func:`halluc_check.check_source` and :func:`halluc_check.report.render`.

This module holds the one piece of pre-commit support that the command line needs. pre-commit
installs a ``language: python`` hook into an isolated virtual environment, sets ``VIRTUAL_ENV`` to
it and ``PRE_COMMIT=1``. That environment holds halluc-check and its dependencies only, so checking
against it would report every project dependency as an invented module. :func:`guard_pre_commit`
points such a run at the project's ``./.venv`` instead, or refuses it with a one-line explanation.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from halluc_check.config import Config, ConfigError
from halluc_check.target.environment import EnvironmentError_, find_interpreter

__all__ = ["guard_pre_commit", "in_pre_commit_hook_environment", "refuse_isolated_environment"]

_HOOK_ENV_PREFIX = "py_env-"
"""pre-commit names a Python hook's environment ``py_env-<language_version>`` in its store."""


def _pre_commit_store(environ: Mapping[str, str]) -> Path:
    if environ.get("PRE_COMMIT_HOME"):
        return Path(environ["PRE_COMMIT_HOME"])
    cache = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache, "pre-commit")


def in_pre_commit_hook_environment(
    environ: Mapping[str, str] | None = None, *, prefix: str | None = None
) -> bool:
    """True when pre-commit runs this process from a hook environment it installed itself.

    ``PRE_COMMIT=1`` alone is not enough: a ``language: system`` hook also runs under it, from the
    developer's own interpreter, whose packages are the right ones to check against.
    """
    environ = os.environ if environ is None else environ
    if environ.get("PRE_COMMIT") != "1":
        return False
    own = Path(os.path.realpath(prefix or sys.prefix))
    if own.name.startswith(_HOOK_ENV_PREFIX):
        return True
    store = Path(os.path.realpath(_pre_commit_store(environ)))
    return own == store or store in own.parents


def _same_environment(venv: str, prefix: str) -> bool:
    return os.path.realpath(venv) == os.path.realpath(prefix)


def refuse_isolated_environment(
    config: Config,
    *,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    prefix: str | None = None,
) -> str | None:
    """The reason a run must not start, or ``None``: it would check against pre-commit's own,
    isolated hook environment (no ``--python``, no ``python`` setting, no ``./.venv``, and
    ``VIRTUAL_ENV`` unset or pointing at that hook environment)."""
    environ = os.environ if environ is None else environ
    prefix = prefix or sys.prefix
    if config.python or not in_pre_commit_hook_environment(environ, prefix=prefix):
        return None
    venv = environ.get("VIRTUAL_ENV")
    if venv and not _same_environment(venv, prefix):
        return None
    if _local_venv(config, cwd) is not None:
        return None
    return (
        "halluc-check runs in pre-commit's isolated hook environment, which lacks your project's "
        "packages: add `args: [--python, .venv/bin/python]` (your project's interpreter) to the "
        "hook, create ./.venv, or set `python` in [tool.halluc-check]"
    )


def guard_pre_commit(
    config: Config,
    *,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    prefix: str | None = None,
) -> Config:
    """``config`` made safe for a run inside a pre-commit hook environment.

    Outside one (or with ``--python``/``python`` set) ``config`` is returned unchanged. Inside one,
    the hook's own ``VIRTUAL_ENV`` is ignored and the project's ``./.venv`` is used when present.

    Raises:
        ConfigError: only the hook's own environment is left; the message says what to do.
    """
    environ = os.environ if environ is None else environ
    prefix = prefix or sys.prefix
    refusal = refuse_isolated_environment(config, environ=environ, cwd=cwd, prefix=prefix)
    if refusal is not None:
        raise ConfigError(refusal)
    if config.python or not in_pre_commit_hook_environment(environ, prefix=prefix):
        return config
    venv = environ.get("VIRTUAL_ENV")
    if venv and not _same_environment(venv, prefix):
        return config  # another environment is active: the engine finds it by itself
    local = _local_venv(config, cwd)
    return config.with_overrides(python=local) if local is not None else config


def _local_venv(config: Config, cwd: Path | None) -> str | None:
    """The interpreter of ``./.venv`` (relative to the configuration's folder, like the engine)."""
    folder = cwd or config.root or Path.cwd()
    local = folder / ".venv"
    if not local.is_dir():
        return None
    try:
        return find_interpreter(str(local))
    except EnvironmentError_:
        return None
