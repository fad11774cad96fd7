"""(receiver values, name) -> a verdict: the name exists, is proven missing, or is unknown.

Missing is reported only against a *closed* namespace: a module, class or instance whose every
possible member is known. Anything dynamic (``__getattr__``, ``setattr`` with computed names,
unresolved or cyclic bases, metaclasses, star imports that cannot be followed, abstract types
that stand for subclasses) makes the namespace open and the verdict unknown (see
:mod:`.openness`).
"""

from __future__ import annotations

from typing import Any

from jedi.inference import compiled as jedi_compiled
from jedi.inference.imports import Importer

from ..jedi_compat.failures import failure_count, note_failure
from ..model import Confidence
from ..target.environment import TargetEnvironment
from .defined_names import NamesAround
from .library_models import PartialStubs, partial_stubs
from .limits import reset_limits
from .openness import STANDS_FOR_SUBCLASSES, Openness, class_slots
from .project_scan import ProjectScan
from .stdlib_evidence import StdlibEvidence
from .tree_reading import assigned_on_self, class_body_names, platform_branches
from .values import (
    describe,
    has_name,
    implementation_values,
    is_exact,
    is_none,
    member_names,
    runtime_values,
    string_names,
    typing_alias_of,
    unwrap,
    value_path,
)
from .verdicts import DataKeys, Resolution, Verdict

_STUB_INSTANCE_NAMES: dict[tuple[int, str, str, tuple[int, ...]], tuple[Any, bool]] = {}
"""(stub class node, kind of instance value, name, target version) -> whether the name exists;
the node is kept so that its id is not reused."""


class ClassBodies:
    """What source classes bind, read once per class while a file is checked: the names their
    bodies bind, and which names their methods assign on ``self``."""

    def __init__(self) -> None:
        self._entries: dict[int, tuple[Any, frozenset[str], dict[str, bool]]] = {}

    def clear(self) -> None:
        """Forget what was read: the file's checks are done."""
        self._entries.clear()

    def names(self, classdef: Any) -> frozenset[str]:
        """The names the body of ``classdef`` binds (:func:`.tree_reading.class_body_names`)."""
        return self._entry(classdef)[1]

    def binds(self, cls: Any, name: str, *, instance: bool) -> bool:
        """Whether the source class ``cls`` binds ``name`` in its own body or, for its instances,
        as ``self.name = ...`` in one of its methods. Then the name exists, and jedi's walk of the
        whole MRO (every base class inferred) is not needed."""
        node = getattr(cls, "tree_node", None)
        if node is None or node.type != "classdef" or cls.is_stub() or cls.is_compiled():
            return False
        _, body, on_self = self._entry(node)
        if name in body:
            return True
        if not instance:
            return False
        if name not in on_self:  # every use of the name is scanned once per class
            on_self[name] = assigned_on_self(node, name)
        return on_self[name]

    def _entry(self, classdef: Any) -> tuple[Any, frozenset[str], dict[str, bool]]:
        """``(classdef, names its body binds, name -> assigned on self)``, kept per class; the
        node is kept so that its id is not reused."""
        key = id(classdef)
        entry = self._entries.get(key)
        if entry is None or entry[0] is not classdef:
            entry = self._entries[key] = (classdef, class_body_names(classdef), {})
        return entry


class MemberLookup:
    """The verdicts of one checked file, in its jedi inference state ``state``; ``path``: the
    checked file's real path (None for stdin)."""

    def __init__(
        self,
        state: Any,
        env: TargetEnvironment,
        path: str | None,
        *,
        project_scan: ProjectScan,
        openness: Openness,
        class_bodies: ClassBodies,
        names: NamesAround,
        stdlib: StdlibEvidence | None = None,
    ) -> None:
        """``stdlib``: the target interpreter's word on its standard library's modules."""
        self._state = state
        self.env = env
        self.path = path
        self.project_scan = project_scan
        self._openness = openness
        self._class_bodies = class_bodies
        self._names = names
        self._stdlib = stdlib

    def lookup(
        self, values: list[Any], name: str, *, called: bool = False, typing: bool = False
    ) -> Resolution:
        """Whether ``name`` exists on ``values`` (what a receiver inferred to): it exists when
        one value has it, and is missing only when every value is a closed namespace without
        it. ``called``: the name is called (a ``__getattr__`` returning only data cannot answer
        it); ``typing``: names that exist only for type checkers count."""
        reset_limits(self._state)
        values = [unwrap(v) for v in values]
        values = [v for v in values if not is_none(v)]
        if not values:
            return Resolution(Verdict.UNKNOWN, "receiver not inferred")
        if self.path and any(v.is_module() and value_path(v) == self.path for v in values):
            return Resolution(Verdict.UNKNOWN, "receiver resolved to the checked file itself")
        result = Resolution(Verdict.MISSING)
        # any value that has the name settles it, whichever comes first: jedi's value sets are
        # ordered by memory address, so stopping at the first unknown value made the verdict
        # depend on what else the process had inferred before
        unknown: Resolution | None = None
        for value in values:
            verdict, reason, confidence = self._member_state(value, name, called, typing)
            if verdict is Verdict.EXISTS:
                return Resolution(Verdict.EXISTS)
            if verdict is Verdict.UNKNOWN:
                unknown = unknown or Resolution(Verdict.UNKNOWN, reason)
                continue
            if confidence is Confidence.MEDIUM:
                result.confidence = Confidence.MEDIUM
                result.reason = reason
            elif reason and reason not in result.notes:
                result.notes.append(reason)  # why the name is certainly missing
            kind = "module" if value.is_module() else "class" if value.is_class() else "instance"
            owner_value = value.py__class__() if kind == "instance" else value
            result.owners.append(describe(owner_value, kind))
        if unknown is not None:
            return unknown
        exact = all(is_exact(v) for v in values)
        if any(
            self.project_scan.assigns(owner, name, self.env, exact=exact)
            for owner in result.owners
            if owner.kind != "module"
        ):
            return Resolution(Verdict.UNKNOWN, "attribute assigned in the owner's package")
        result.data_keys = self._data_keys(values)
        if result.data_keys is DataKeys.ALLOWED:
            result.confidence = Confidence.MEDIUM
        # listing every member is costly on large classes: only for a name that is missing
        for value in values:
            result.members |= member_names([value, *runtime_values(value)])
        return result

    def _member_state(
        self, value: Any, name: str, called: bool, typing: bool
    ) -> tuple[Verdict, str, Confidence]:
        high = Confidence.HIGH
        if value.is_module():
            return self._module_state(value, name, typing)
        private = name.startswith("_")
        if private and (value.is_stub() or value.is_compiled()):
            return Verdict.UNKNOWN, "private name on a stub (stubs omit private names)", high
        if value.is_class():
            if self._class_bodies.binds(unwrap(value), name, instance=False):
                return Verdict.EXISTS, "", high
            if has_name(value, name) or _implementation_has(value, name):
                return Verdict.EXISTS, "", high
            if self._metaclass_has(value, name) or self._stand_in_has(value, name):
                return Verdict.EXISTS, "", high
            reason = self._openness.of_class(value, instance=False) or self._openness.reserved(
                value, name
            )
            if reason:
                return Verdict.UNKNOWN, reason, high
            if _declared_slot(value, name):
                return Verdict.EXISTS, "", high
            if self._on_another_platform(unwrap(value), name):
                return Verdict.UNKNOWN, "defined for another platform", high
            model = self._partial_stubs(value)
            if model is not None:
                return Verdict.UNKNOWN, f"library model: {model.why}", high
            return Verdict.MISSING, "", high
        if value.is_instance():
            try:
                cls = unwrap(value.py__class__())
            except Exception:
                note_failure()
                cls = None
            if cls is not None and self._class_bodies.binds(cls, name, instance=True):
                return Verdict.EXISTS, "", high
            if self._stub_instance_has(value, cls, name) or any(
                has_name(v, name) for v in runtime_values(value)
            ):
                return Verdict.EXISTS, "", high
            if cls is None or not cls.is_class():
                return Verdict.UNKNOWN, "class of instance unknown", high
            if private and (cls.is_stub() or cls.is_compiled()):
                return Verdict.UNKNOWN, "private name on a stub (stubs omit private names)", high
            if _implementation_has(cls, name):
                return Verdict.EXISTS, "", high
            if self._stand_in_has(cls, name) or _declared_slot(cls, name):
                # a slot is an attribute the class declares, set by `setattr` or not at all
                return Verdict.EXISTS, "", high
            reason = self._openness.of_class(cls, instance=True)
            certain = ""
            if reason == STANDS_FOR_SUBCLASSES:
                reason, certain = self._beyond_subclasses(cls, name)
            if reason == "__getattr__" and called and self._getattr_is_data_only(value, name):
                return Verdict.MISSING, "only a data-returning __getattr__", Confidence.MEDIUM
            reason = reason or self._openness.reserved(cls, name)
            if reason:
                return Verdict.UNKNOWN, reason, high
            if self._on_another_platform(cls, name):
                return Verdict.UNKNOWN, "defined for another platform", high
            model = self._partial_stubs(cls)
            if model is not None:
                return Verdict.UNKNOWN, f"library model: {model.why}", high
            return Verdict.MISSING, certain, high
        return Verdict.UNKNOWN, f"receiver is a {type(value).__name__}", high

    def _data_keys(self, values: list[Any]) -> DataKeys:
        """Whether one of the instances among ``values`` can have names its data brings."""
        found = DataKeys.NONE
        for value in values:
            if not value.is_instance():
                continue
            try:
                keys = self._openness.data_keys(unwrap(value.py__class__()))
            except Exception:
                note_failure()
                continue
            if keys is DataKeys.ALLOWED:
                return keys
            if keys is DataKeys.POSSIBLE:
                found = keys
        return found

    def _beyond_subclasses(self, cls: Any, name: str) -> tuple[str | None, str]:
        """For an instance of the abstract class or protocol ``cls`` that lacks ``name``: why
        the name may still exist, or None with why it certainly does not. The object is of a
        class that stands for ``cls``; no such class can define a name written nowhere in the
        environment, the project or the file (see :mod:`.defined_names`)."""
        own = self._openness.of_class(cls, instance=True, subclasses=False)
        if own:
            return own, ""
        defined = self._names.defined_somewhere(name)
        if defined is None:
            return f"{STANDS_FOR_SUBCLASSES}; where names are defined cannot be read", ""
        if defined:
            return STANDS_FOR_SUBCLASSES, ""
        return None, (
            f"no class derived from `{cls.py__name__()}` defines it in this environment: "
            f"`{name}` is written nowhere in the installed packages, the standard library or "
            "this project"
        )

    def _stub_instance_has(self, value: Any, cls: Any, name: str) -> bool:
        """``has_name`` for an instance of ``cls``, remembered for the life of the process when
        the class comes from a stub: ``str``, ``dict`` and ``list`` are asked about in every file,
        and typeshed does not change under a run."""
        node = getattr(cls, "tree_node", None)
        if cls is None or node is None or not cls.is_stub():
            return has_name(value, name)
        key = (id(node), type(value).__name__, name, self.env.version)
        known = _STUB_INSTANCE_NAMES.get(key)
        if known is not None and known[0] is node:
            return known[1]
        failures = failure_count()
        found = has_name(value, name)
        if failure_count() == failures:
            # an answer given because looking failed ("not proof of absence") is this state's
            # alone: kept for the process, it would hide the name's absence from later files
            _STUB_INSTANCE_NAMES[key] = (node, found)
        return found

    def _stand_in_has(self, cls: Any, name: str) -> bool:
        """A typing alias among the bases (``NamedTuple``'s and typeshed's ``Tuple[...]``) stands
        for a builtin class whose members jedi does not list through the alias."""
        builtins = self._state.builtins_module
        stack: list[Any] = [cls]
        seen: set[int] = set()
        while stack:
            klass = stack.pop()
            if id(klass) in seen or len(seen) > 60:
                continue
            seen.add(id(klass))
            alias = typing_alias_of(klass)
            if alias is not None:
                if any(has_name(b, name) for b in builtins.py__getattribute__(alias)):
                    return True
                continue
            bases = getattr(klass, "py__bases__", None)
            if bases is None:
                return True  # an instance among the bases: nothing can be ruled out
            try:
                for lazy in bases():
                    if not hasattr(lazy, "infer"):
                        return True  # a compiled class's bases come as values
                    stack.extend(unwrap(b) for b in lazy.infer())
            except Exception:
                note_failure()
                return True
        return False

    def _metaclass_has(self, cls: Any, name: str) -> bool:
        """Class-level lookups also see the metaclass: ``ABC.register``, ``type.mro``."""
        try:
            metaclasses = list(cls.get_metaclasses()) or list(
                self._state.builtins_module.py__getattribute__("type")
            )
            return any(
                has_name(instance, name)
                for meta in metaclasses
                for instance in meta.execute_with_values()
            )
        except Exception:
            note_failure()
            return True

    # -- modules ---------------------------------------------------------------------------------
    def _module_state(
        self, module: Any, name: str, typing: bool
    ) -> tuple[Verdict, str, Confidence]:
        high = Confidence.HIGH
        candidates = [module, *runtime_values(module)]
        for value in candidates:
            if has_name(value, name, typing=typing):
                return Verdict.EXISTS, "", high
            try:
                if name in value.sub_modules_dict():
                    return Verdict.EXISTS, "", high
            except Exception:
                note_failure()
        reason = next(
            (why for why in (self._openness.module(v, name) for v in candidates) if why), None
        )
        if any(self._on_another_platform(value, name) for value in candidates):
            return Verdict.UNKNOWN, "defined for another platform", high
        # where the static reading leaves a standard-library module open, or finds the name
        # missing, the target interpreter's own namespace of it settles the name
        said = self._stdlib.verdict(module, candidates, name, reason) if self._stdlib else None
        if said is not None:
            exists, note = said
            if exists:
                return Verdict.EXISTS, "", high
            # the interpreter's word is a note only where it decided: a missing name the static
            # reading found reads the same whether or not the interpreter could be asked
            return Verdict.MISSING, note if reason else "", high
        if reason:
            return Verdict.UNKNOWN, reason, high
        return Verdict.MISSING, "", high

    def _partial_stubs(self, cls: Any) -> PartialStubs | None:
        """A library model saying the stub that describes ``cls`` (or a class of its MRO) is
        partial in the installed version (see :mod:`.library_models`)."""
        for klass in _stub_classes(cls):
            model = partial_stubs(".".join(string_names(klass)), self.env)
            if model is not None:
                return model
        return None

    def _on_another_platform(self, value: Any, name: str) -> bool:
        """The module or class defines ``name`` in a branch decided by the platform
        (``msvcrt.getch``, ``os.startfile``): code for that platform is not invented."""
        node = getattr(value, "tree_node", None)
        if node is None or node.type not in ("file_input", "classdef"):
            return False
        names, stars = platform_branches(node)
        if name in names:
            return True
        for star in stars:
            try:
                reset_limits(self._state)
                modules = Importer(
                    self._state, star.get_paths()[-1], value.as_context(), level=star.level
                ).follow()
            except Exception:
                note_failure()
                return True  # an import that cannot be followed may bring the name
            if any(has_name(module, name) for module in modules):
                return True
        return False

    def _getattr_is_data_only(self, instance: Any, name: str) -> bool:
        """A called ``x.name`` that only ``__getattr__`` could answer, with non-callable data."""
        try:
            slot_names = instance.get_function_slot_names("__getattr__")
            if not slot_names:
                return False
            arg = jedi_compiled.create_simple_object(self._state, name)
            reset_limits(self._state)  # the class walk before may have used up jedi's budget
            results = list(instance.execute_function_slots(slot_names, arg))
        except Exception:
            note_failure()
            return False
        if not results:
            return False
        for result in results:
            result = unwrap(result)
            if not result.is_instance() or is_none(result):
                return False
            try:
                if result.py__getattribute__("__call__") or has_name(result, "__call__"):
                    return False
            except Exception:
                note_failure()
                return False
        return True


def _implementation_has(cls: Any, name: str) -> bool:
    """A class of the MRO described by a stub has ``name`` in its implementation: pandas'
    source behind pandas-stubs, the interpreter's own ``OSError`` behind typeshed (whose
    ``characters_written`` every subclass inherits)."""
    return any(
        any(has_name(v, name) for v in implementation_values(klass)) for klass in _stub_classes(cls)
    )


def _stub_classes(cls: Any) -> list[Any]:
    """The classes of ``cls``'s MRO (itself first) that a stub describes."""
    try:
        return [klass for klass in [cls, *cls.py__mro__()] if klass.is_stub()]
    except Exception:
        note_failure()
        return []


def _declared_slot(cls: Any, name: str) -> bool:
    """``name`` is in the ``__slots__`` of the class or of a class of its MRO: read on the class,
    a slot is a member descriptor, which exists whether an instance has set it or not; on an
    instance it is a declared attribute, however it gets its value (``setattr`` in a loop).
    Asked only of a class that lacks the name otherwise."""
    try:
        mro = list(cls.py__mro__())
    except Exception:
        note_failure()
        return False
    for klass in mro:
        node = getattr(klass, "tree_node", None)
        if node is not None and node.type == "classdef":
            slots = class_slots(node)
            if slots and name in slots:
                return True
    return False
