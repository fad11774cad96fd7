"""A jedi value -> what it is: its module and path, an :class:`Owner` describing it, the value
behind its decorators, its installed source behind a stub, whether it has a name.

Used by both the verdict on a name (:mod:`.lookup`) and the accepted signatures
(:mod:`.signatures`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import jedi.inference.compiled as jedi_compiled
from jedi.inference.arguments import TreeArguments
from jedi.inference.gradual.conversion import convert_values

from ..jedi_compat.failures import note_failure
from .tree_reading import only_for_type_checkers
from .verdicts import Owner

LOG = logging.getLogger(__name__)


def string_names(value: Any) -> tuple[str, ...]:
    """The dotted names of the module a value is defined in (empty when unknown)."""
    try:
        names = value.get_root_context().string_names
    except Exception:
        note_failure()
        return ()
    return tuple(names or ())


def value_path(value: Any) -> str | None:
    """The file of the module a value is defined in, if it has one."""
    try:
        path = value.get_root_context().py__file__()
    except Exception:
        note_failure()
        return None
    return str(path) if path else None


def in_stable_order(values: Iterable[Any]) -> list[Any]:
    """``values`` ordered by what they are, not by where they lie in memory.

    jedi's value sets iterate in the order of their members' hashes, which for most values are
    their addresses: the same code gave its values in another order in another process, or after
    other files were checked. The first value names a finding's owner and callee, and each
    value's lookup spends jedi's recursion budget, so the order must be the code's own.
    """
    listed = list(values)
    if len(listed) < 2:
        return listed
    return sorted(listed, key=_identity)


def _identity(value: Any) -> tuple[str, str, tuple[int, int], str, str]:
    """What tells values apart whatever the process: module, name, place in the source, kind."""
    try:
        module = ".".join(value.get_root_context().string_names or ())
    except Exception:  # a value without a module: it sorts first, and ties keep jedi's order
        module = ""
    try:
        name = str(value.py__name__())
    except Exception:
        name = ""
    node = getattr(value, "tree_node", None)
    position = getattr(node, "start_pos", (0, 0)) if node is not None else (0, 0)
    kind = "instance" if value.is_instance() else "class" if value.is_class() else ""
    return (module, name, position, kind, type(value).__name__)


def describe(value: Any, kind: str) -> Owner:
    """The owner a value stands for, as a verdict names it: ``kind`` is ``module``, ``class``,
    ``instance`` (``value`` is then its class) or ``function``."""
    module = ".".join(string_names(value))
    try:
        qualified = value.get_qualified_names() or ()
    except Exception:
        note_failure()
        qualified = ()
    if kind == "module":
        qualname = module or value.py__name__()
    else:
        inner = ".".join(qualified) if qualified else str(value.py__name__())
        qualname = f"{module}.{inner}" if module else inner
    return Owner(kind=kind, qualname=qualname, module=module, path=value_path(value))


def unwrap(value: Any) -> Any:
    """The value behind jedi's decorator wrappers (at most five of them)."""
    seen = 0
    while type(value).__name__ == "Decoratee" and seen < 5:
        value = value._wrapped_value
        seen += 1
    return value


def is_exact(value: Any) -> bool:
    """A class, or an instance made by a constructor call: its exact type is known.

    Instances from annotations and ``self`` may be instances of subclasses; a literal or a
    comprehension (``{"a": 1}``, ``[x for x in y]``, ``"text"``) is of its class exactly.
    """
    if value.is_class():
        return True
    if type(value).__module__ == "jedi.inference.value.iterable":
        return True
    if value.is_compiled() and value.is_instance():
        return True  # a literal's object, as the interpreter has it
    return type(value).__name__ == "TreeInstance" and isinstance(
        getattr(value, "_arguments", None), TreeArguments
    )


def is_none(value: Any) -> bool:
    """Whether a value is ``None`` itself."""
    if type(value).__module__ == "jedi.inference.value.iterable":
        return False  # a literal or comprehension; asking would infer all of it
    try:
        return bool(value.is_compiled() and value.get_safe_value(default=object()) is None)
    except Exception:
        note_failure()
        return False


def has_name(value: Any, name: str, *, typing: bool = False) -> bool:
    """Whether ``value`` has ``name`` at run time (or, with ``typing``, for type checkers)."""
    try:
        found = value.goto(name)
    except Exception:
        note_failure()
        LOG.debug("goto failed on %r", value, exc_info=True)
        return True  # failure to look is not proof of absence
    if not found:
        return False
    if value.is_module() and not value.is_stub() and not typing:
        # `if TYPE_CHECKING: from .console import Console` makes no runtime attribute
        return not all(only_for_type_checkers(n) for n in found)
    return True


#: typing aliases that stand for a builtin class when used as a base.
_TYPING_ALIASES = {"Tuple": "tuple"}


def typing_alias_of(cls: Any) -> str | None:
    """``tuple`` for typing's ``Tuple[...]`` (jedi's ``TypingClassWithGenerics``), else None."""
    if type(cls).__name__ not in ("TypingClassWithGenerics", "TypingClass"):
        return None
    try:
        return _TYPING_ALIASES.get(str(cls.py__name__()))
    except Exception:
        note_failure()
        return None


def member_names(values: Iterable[Any]) -> set[str]:
    """Every name the values' filters list: the members a missing name is compared with."""
    names: set[str] = set()
    for value in values:
        try:
            for filter_ in value.get_filters():
                names.update(n.string_name for n in filter_.values())
        except Exception:
            note_failure()
            LOG.debug("cannot list members of %r", value, exc_info=True)
    return names


def runtime_values(value: Any) -> list[Any]:
    """The non-stub counterparts of a stub value (the installed source), if any."""
    if not value.is_stub():
        return []
    try:
        return [v for v in convert_values([value], prefer_stubs=False) if not v.is_stub()]
    except Exception:
        note_failure()
        return []


def implementation_values(value: Any) -> list[Any]:
    """The run-time counterparts of a stub value: the installed source, and for the standard
    library's compiled classes (``OSError``) the class itself, introspected in the target
    interpreter. A stub is evidence of what exists, not proof of what does not."""
    if not value.is_stub():
        return []
    try:
        found = [
            v
            for v in convert_values([value], prefer_stubs=False, ignore_compiled=False)
            if not v.is_stub()
        ]
    except Exception:
        note_failure()
        return []
    return found or _interpreter_value(value)


def _interpreter_value(value: Any) -> list[Any]:
    """The object the target interpreter has under a stub class's name, for a class the
    standard library makes at run time (``re.Pattern = type(_compiler.compile('', 0))``), where
    neither source nor a compiled class of that name answers for the stub. Only the standard
    library's modules are introspected (see :mod:`~halluc_check.jedi_compat.safety`)."""
    try:
        if not value.is_class():
            return []
        module = ".".join(string_names(value))
        names = value.get_qualified_names() or ()
        if not module or not names:
            return []
        loaded = jedi_compiled.load_module(value.inference_state, dotted_name=module, sys_path=[])
        if loaded is None:
            return []  # not the standard library's: never imported
        values = [loaded]
        for name in names:
            values = [v for each in values for v in each.py__getattribute__(name)]
        return [v for v in values if v.is_compiled() and v.is_class()]
    except Exception:
        note_failure()
        return []


def inferred_bases(cls: Any) -> list[list[Any]]:
    """What each base of a class infers to. jedi gives a base as a lazy value, or, for some
    classes of a module that also exists compiled, as the value itself (``object``)."""
    return [list(lazy.infer()) if hasattr(lazy, "infer") else [lazy] for lazy in cls.py__bases__()]
