"""A target interpreter's path -> jedi's environment for it, and the ``sys.path`` jedi sees there.

jedi is imported when one of these is first called, not with this module: the target
environment is read by commands and plugins (the pytest plugin, the pre-commit guard) that
check nothing, and importing jedi costs about a tenth of a second.
"""

from __future__ import annotations

from typing import Any


def jedi_environment(executable: str) -> Any:
    """jedi's environment for the interpreter at ``executable``, which it runs as its helper
    process (``safe=False``: jedi does not insist on an interpreter it found itself)."""
    import jedi  # loaded only when something is checked (see the module's docstring)

    return jedi.create_environment(executable, safe=False)


def interpreter_sys_path(executable: str) -> list[str]:
    """The ``sys.path`` jedi reads from the interpreter at ``executable``; raises jedi's own
    exceptions (``InvalidPythonEnvironment`` and others) when jedi cannot use it."""
    return list(jedi_environment(executable).get_sys_path())
