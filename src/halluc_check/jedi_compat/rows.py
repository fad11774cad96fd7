"""The kinds of row of the patch table -> each checked against the installed jedi/parso, applied.

A row names what it changes in jedi or parso, why, and what it expects to find there: the
attribute itself and, for a function it replaces or wraps, the function's parameters. A jedi
release that renames or reshapes a target then stops the start-up with one line
(:class:`~halluc_check.jedi_compat.failures.IncompatibleJedi`) instead of silently bringing
jedi's old behaviour back.
"""

from __future__ import annotations

import enum
import functools
import inspect
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import jedi
import parso
from jedi.plugins import plugin_manager

from .failures import IncompatibleJedi, note_patch_error
from .originals import Original

_OWN_PACKAGE = __name__.rpartition(".")[0] + "."
_NOTED = "_halluc_patch_error"
"""Set on an exception once counted, so that the guards further out do not count it again."""
_ABSENT = object()
_replaced: dict[str, Any] = {}
"""Patch name -> what the patch replaced (``_ABSENT`` for an attribute it added), once applied:
a row is checked against it afterwards too."""


class Purpose(enum.Enum):
    """What a patch is for."""

    SAFETY = "safety"
    """Nothing of the checked environment is imported or run."""
    PRECISION = "precision"
    """A guess of jedi's becomes an unknown: no made-up type, no made-up finding."""
    SPEED = "speed"
    """The same answers, sooner."""
    ROBUSTNESS = "robustness"
    """A failure around jedi (a shared cache, a huge file) does not cost a check."""
    DETERMINISM = "determinism"
    """The same answers in every process, whatever the memory addresses."""


class Row(Protocol):
    """One change to jedi or parso."""

    @property
    def name(self) -> str: ...

    @property
    def purpose(self) -> Purpose: ...

    @property
    def why(self) -> str: ...

    def problem(self) -> str | None:
        """Why the installed jedi/parso does not fit this row, or None when it does."""

    def apply(self) -> None:
        """Make the change; replacement functions are :func:`guarded`."""


def versions() -> str:
    """The installed jedi's and parso's versions, for messages."""
    return f"jedi {jedi.__version__} and parso {parso.__version__}"


def incompatibility(row: Row, problem: str) -> IncompatibleJedi:
    """The one-line start-up error for a row that does not fit."""
    return IncompatibleJedi(
        f"halluc-check cannot run with {versions()}: patch {row.name}: {problem}"
    )


@dataclass(frozen=True)
class Patch:
    """``owner.attribute = replacement``: a function, a class or a setting of jedi or parso."""

    owner: Any
    attribute: str
    replacement: Any
    purpose: Purpose
    why: str
    expects: str | None = None
    """The parameters (names and kinds) of the function or class replaced, as the replacement
    expects them; None for a value that is not called (a setting)."""
    original: Original | None = None
    """Where the replaced function is kept, for a replacement that calls it."""
    in_place_of: Any = None
    """For an attribute the owner does not have of its own: the function of jedi's that answers
    for it now (its parameters are checked), which the replacement overrides for this owner."""

    @property
    def name(self) -> str:
        return f"{label(self.owner)}.{self.attribute}"

    def problem(self) -> str | None:
        target = getattr(self.owner, self.attribute, _ABSENT)
        if self._is_applied(target):
            target = _replaced.get(self.name, target)
        if self.in_place_of is not None:
            if target is not _ABSENT:
                return "target now exists, where the patch adds it"
            target = self.in_place_of
        elif target is _ABSENT:
            return "target not found (renamed or removed)"
        if self.expects is None:
            return None
        found = parameters(target)
        if found is None:
            return f"target is {type(target).__name__}, not a function"
        if found != self.expects:
            return f"target has parameters {found} where {self.expects} was expected"
        return None

    def apply(self) -> None:
        replaced = getattr(self.owner, self.attribute, _ABSENT)
        if self._is_applied(replaced):
            return  # its original would be the replacement itself
        _replaced[self.name] = replaced
        if self.original is not None:
            self.original.function = replaced
        replacement = self.replacement
        if isinstance(replacement, types.FunctionType):
            replacement = guarded(self.name, replacement)
        setattr(self.owner, self.attribute, replacement)

    def _is_applied(self, found: Any) -> bool:
        """Whether ``found`` is this patch's replacement (or its guard)."""
        if found is self.replacement and self.name in _replaced:
            return True
        return getattr(found, "__wrapped__", None) is self.replacement


@dataclass(frozen=True)
class Edit:
    """A change made inside an object of jedi's or parso's (a mapping), in place."""

    owner: Any
    attribute: str
    edit: Callable[[Any], None]
    kind: type
    """What the attribute is expected to be (``dict``)."""
    purpose: Purpose
    why: str

    @property
    def name(self) -> str:
        return f"{label(self.owner)}.{self.attribute}"

    def problem(self) -> str | None:
        if not hasattr(self.owner, self.attribute):
            return "target not found (renamed or removed)"
        found = getattr(self.owner, self.attribute)
        if not isinstance(found, self.kind):
            return f"target is {type(found).__name__} where {self.kind.__name__} was expected"
        return None

    def apply(self) -> None:
        self.edit(getattr(self.owner, self.attribute))


@dataclass(frozen=True)
class Plugin:
    """A class registered with jedi's ``plugin_manager``: each of its hooks wraps the jedi
    function of the same name."""

    plugin: type
    hooks: tuple[tuple[str, str], ...]
    """Hook name -> the parameters of jedi's function it wraps."""
    purpose: Purpose
    why: str

    @property
    def name(self) -> str:
        return f"plugin_manager.register({self.plugin.__name__})"

    def problem(self) -> str | None:
        callbacks = getattr(plugin_manager, "_cached_base_callbacks", None)
        if not isinstance(callbacks, dict) or not hasattr(plugin_manager, "register"):
            return "jedi's plugin manager is not the one the plugin was written for"
        for hook, expected in self.hooks:
            if hook not in callbacks:
                return f"jedi has no plugin hook {hook} (renamed or removed)"
            found = parameters(callbacks[hook])
            if found != expected:
                return f"hook {hook} has parameters {found} where {expected} was expected"
        return None

    def apply(self) -> None:
        hooks = {hook: staticmethod(self._guarded_hook(hook)) for hook, _ in self.hooks}
        plugin_manager.register(type(self.plugin.__name__, (), hooks))

    def _guarded_hook(self, hook: str) -> Callable[[Any], Any]:
        make = getattr(self.plugin, hook)
        name = f"{self.plugin.__name__}.{hook}"
        return lambda callback: guarded(name, make(callback))


def label(owner: Any) -> str:
    """A module's dotted name, a class's name."""
    if isinstance(owner, types.ModuleType):
        return owner.__name__
    return str(getattr(owner, "__qualname__", type(owner).__name__))


def parameters(target: Any) -> str | None:
    """``(self, name, *args)``: the parameters of a function or class, names and kinds only
    (defaults and annotations left out), seen through decorators; None without a signature."""
    try:
        signature = inspect.signature(undecorated(target))
    except (TypeError, ValueError):
        return None
    bare = [
        parameter.replace(default=inspect.Parameter.empty, annotation=inspect.Parameter.empty)
        for parameter in signature.parameters.values()
    ]
    return str(inspect.Signature(bare))


def undecorated(target: Any) -> Any:
    """The function under its decorators: through ``__wrapped__``, and through wrappers that
    take ``*args, **kwargs`` and close over one function (jedi's caches set no ``__wrapped__``)."""
    while True:
        inner = getattr(target, "__wrapped__", None)
        if inner is None:
            inner = _decorated_function(target)
        if inner is None:
            return target
        target = inner


def _decorated_function(target: Any) -> Any:
    code = getattr(target, "__code__", None)
    passes_everything = inspect.CO_VARARGS | inspect.CO_VARKEYWORDS
    if code is None or code.co_flags & passes_everything != passes_everything:
        return None
    functions = []
    for cell in target.__closure__ or ():
        try:
            content = cell.cell_contents
        except ValueError:  # an empty cell
            continue
        if isinstance(content, types.FunctionType):
            functions.append(content)
    return functions[0] if len(functions) == 1 else None


def guarded(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, counting the ``TypeError`` and ``AttributeError`` raised by the patches' own
    code (see :func:`~halluc_check.jedi_compat.failures.note_patch_error`); those raised deeper,
    in jedi or parso, pass as they are."""

    @functools.wraps(function)
    def guard(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except (TypeError, AttributeError) as error:
            if raised_by_patch(error):
                note_patch_error(name, error)
            raise

    return guard


def raised_by_patch(error: BaseException) -> bool:
    """Whether ``error`` was raised in the code of a patch (a module of this package) and not
    counted yet: a replacement that calls the original with parameters it no longer has, or is
    called with parameters it does not have, raises it in its own (or its guard's) frame."""
    if getattr(error, _NOTED, False):
        return False
    frames = error.__traceback__
    if frames is None:
        return False
    while frames.tb_next is not None:
        frames = frames.tb_next
    if not str(frames.tb_frame.f_globals.get("__name__", "")).startswith(_OWN_PACKAGE):
        return False
    setattr(error, _NOTED, True)
    return True
