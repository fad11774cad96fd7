"""A module or class (a jedi value) -> why its namespace is open, or None when it is closed:
when every member it can have is known, a name it lacks is missing.

Anything dynamic opens a namespace: a module ``__getattr__`` that may return for any name,
``globals()`` stores, star imports that cannot be followed; for a class, a metaclass that adds
or answers names, ``__getattr__``, computed ``setattr``, class decorators, unresolved or cyclic
bases, and, for instances, abstract classes and protocols that stand for their subclasses.
"""

from __future__ import annotations

import re
from typing import Any

from jedi.inference.imports import Importer

from ..jedi_compat.failures import note_failure
from ..target.environment import TargetEnvironment
from .decorators import Decorators
from .library_models import MODELED_NAMES, MetaclassModel, Role, metaclass_model
from .limits import reset_limits
from .models import pydantic_v2
from .tree_reading import (
    getattr_producible,
    globals_written,
    literal_strings_combined,
    module_level_getattr,
)
from .values import describe, inferred_bases, runtime_values, string_names, typing_alias_of, unwrap
from .verdicts import DataKeys

_TRIVIAL_METACLASSES = frozenset({"type", "ABCMeta", "_ProtocolMeta"})
_ENUM_METACLASSES = frozenset({"EnumMeta", "EnumType"})
_SUNDER = re.compile(r"^_[^_](.*[^_])?_$")

STANDS_FOR_SUBCLASSES = "abstract class or protocol (stands for its subclasses)"
"""Why an instance of an abstract class or protocol may have names its class lacks: the object
is of a class that derives from it (or, for a protocol, matches it)."""

_ABSTRACT_MODULES = frozenset(
    {"typing", "typing_extensions", "collections.abc", "_collections_abc", "abc", "_typeshed"}
)

#: A store whose name is computed: ``setattr(x, name, v)``, ``namespace[key] = v``, ``d.update(...)``.
_COMPUTED_STORE = re.compile(
    r"(?<!__)setattr\(\s*[\w.]+\s*,\s*(?![\"'])|\b\w+\[\s*(?![\"'\d])[^\]]+\]\s*=(?!=)"
    r"|\b(namespace|attrs|dct|ns|classdict|class_dict|body)\.(update|setdefault)\("
)

#: A class that declares itself a base: its instances are always instances of subclasses.
_ABSTRACT_BASES = re.compile(r"\bProtocol\b|\bABC\b|metaclass\s*=\s*(abc\.)?ABCMeta\b")

_PICKLING_METHODS = frozenset(
    {"__setstate__", "__getstate__", "__reduce__", "__reduce_ex__", "__copy__", "__deepcopy__"}
)

#: Computed-name stores on instances (``setattr(self, key, v)``, ``self.__dict__.update``,
#: ``self.__dict__[key] = v``; reading ``self.__dict__[key]`` stores nothing) ...
_DYNAMIC_INSTANCE_ATTRS = re.compile(
    r"setattr\(\s*(self|obj|instance|rv|new|result)\s*,\s*(?![\"'])"
    r"|\b(self|obj|instance|rv|new|result)\.__dict__\s*"
    r"(\[.*?\]\s*=(?!=)|\.update|\.setdefault|\|=)"
    r"|vars\(\s*self\s*\)\s*(\[.*?\]\s*=(?!=)|\.update)"
)

#: ... and on the class itself, which also open class-level lookups.
_DYNAMIC_CLASS_ATTRS = re.compile(
    r"setattr\(\s*(cls|klass|type\(self\)|self\.__class__)\s*,\s*(?![\"'])"
    r"|\b(cls|klass)\.__dict__\s*(\[.*?\]\s*=(?!=)|\.update)"
)


class Openness:
    """Why a module or class is open, worked out once per module and class while a file is
    checked, in its jedi inference state ``state``."""

    def __init__(self, state: Any, env: TargetEnvironment, decorators: Decorators) -> None:
        self._state = state
        self.env = env
        self._decorators = decorators
        self._classes: dict[tuple[int, bool, bool], str | None] = {}
        self._modules: dict[int, str | None] = {}
        self._globals_names: dict[int, set[str]] = {}
        self._store_targets: dict[int, set[str]] = {}
        self._models: dict[int, tuple[Any, MetaclassModel | None]] = {}

    def clear(self) -> None:
        """Forget what was worked out: the file's checks are done."""
        for mine in (
            self._classes,
            self._modules,
            self._globals_names,
            self._models,
            self._store_targets,
        ):
            mine.clear()

    def module(self, module: Any, name: str) -> str | None:
        """Why ``module`` may have ``name`` although it does not define it, or None."""
        if module.is_namespace():
            return "namespace package"
        if module.is_compiled():
            top = string_names(module)[:1]
            return None if top and self.env.is_stdlib(top[0]) else "compiled module"
        try:
            node = module.tree_node
        except Exception:
            note_failure()
            return "module source unavailable"
        for funcdef in module_level_getattr(node):
            producible = getattr_producible(funcdef, node)
            if producible is None:
                return "module __getattr__"
            if name in producible:
                return "module __getattr__ returns it"
        key = id(node)
        if key not in self._modules:
            self._modules[key] = self._module_dynamic(module, node)
        if name in self._globals_names.get(key, ()):
            return "module assigns it through globals()"
        return self._modules[key]

    def _module_dynamic(self, module: Any, node: Any) -> str | None:
        if not module.is_stub():
            written = globals_written(node)
            if written is None:
                return "module writes its own globals"
            if written:
                self._globals_names[id(node)] = written
        for imp in node.iter_imports():
            if imp.type == "import_from" and imp.is_star_import():
                names = [n.value for n in imp.get_from_names()]
                try:
                    context = module.as_context()
                    followed = Importer(self._state, names, context, imp.level).follow()
                except Exception:
                    note_failure()
                    followed = []
                if not followed:
                    return "star import that cannot be followed"
                for target in followed:
                    if target.is_compiled() and not self.env.is_stdlib(names[0] if names else ""):
                        return "star import of a compiled module"
        return None

    def of_class(self, cls: Any, *, instance: bool, subclasses: bool = True) -> str | None:
        """Why ``cls`` (``instance``: an instance of it) may have names it does not define, or
        None; worked out once per class. An instance of an abstract class or protocol is open
        (:data:`STANDS_FOR_SUBCLASSES`) unless ``subclasses`` is False: then only what its own
        MRO leaves open counts (the classes that stand for it are the caller's question)."""
        key = (id(getattr(cls, "tree_node", cls)), instance, subclasses)
        if key not in self._classes:
            if instance and subclasses and self.stands_for_subclasses(cls):
                self._classes[key] = STANDS_FOR_SUBCLASSES
            else:
                self._classes[key] = self._compute_class_openness(cls, instance)
        return self._classes[key]

    def data_keys(self, cls: Any) -> DataKeys:
        """Whether instances of ``cls`` can also have names their data brings, as the library
        model of its MRO says (:mod:`.library_models`)."""
        model = self._model_of(cls)
        keys = None if model is None else model.data_keys(cls)
        return DataKeys.NONE if keys is None else keys

    def _model_of(self, cls: Any) -> MetaclassModel | None:
        """The library model one of whose base classes is in the MRO of ``cls``."""
        node = getattr(cls, "tree_node", cls)
        known = self._models.get(id(node))
        if known is not None and known[0] is node:
            return known[1]
        try:
            mro = [cls, *cls.py__mro__()]
        except Exception:
            note_failure()
            mro = []
        model = next((m for m in (self._modeled(k, "bases") for k in mro) if m is not None), None)
        self._models[id(node)] = (node, model)
        return model

    def _modeled(self, cls: Any, role: Role) -> MetaclassModel | None:
        """The active library model in which the class ``cls`` has ``role``."""
        try:
            if cls.py__name__() not in MODELED_NAMES:
                return None
        except Exception:
            note_failure()
            return None
        return metaclass_model(describe(cls, "class").qualname, self.env, role=role)

    def stands_for_subclasses(self, cls: Any) -> bool:
        """Whether an instance of ``cls`` is always an instance of another class: an abstract
        class, a protocol, or anything from ``typing``, ``collections.abc`` and ``abc``."""
        top_module = ".".join(string_names(cls))
        return top_module in _ABSTRACT_MODULES or self._is_abstract(cls)

    def _compute_class_openness(self, cls: Any, instance: bool) -> str | None:
        if instance and self._modeled(cls, "stand_for_subclasses") is not None:
            return "library base class whose instances stand for subclasses made at run time"
        try:
            metaclasses = list(cls.get_metaclasses())
        except Exception:
            note_failure()
            return "metaclass unknown"
        if string_names(cls) == ("enum",) and any(map(_is_enum_metaclass, metaclasses)):
            # `Enum("Color", "RED GREEN")` makes its class and members at run time
            return "an enum made by the functional API (its members are computed)"
        for meta in metaclasses:
            if meta.py__name__() not in _TRIVIAL_METACLASSES:
                reason = self._metaclass_openness(meta, instance)
                if reason:
                    return reason
        slotted = instance and self._fully_slotted(cls, ())
        reason = self._walk_bases(cls, instance, path=(), slotted=slotted)
        if reason == "cyclic base class":
            # typeshed's `class socket(_socket.socket)` resolves to itself; the installed
            # source (`socket.py` over the compiled `_socket`) has the real hierarchy
            runtime = runtime_values(cls)
            if runtime and all(
                self._walk_bases(r, instance, path=(), slotted=slotted) is None for r in runtime
            ):
                return None
        if reason is None and instance:
            model = self._model_of(cls)
            if model is not None and model.data_keys(cls) is None:
                return f"{model.distribution} model whose configuration cannot be read"
        return reason

    def reserved(self, cls: Any, name: str) -> str | None:
        """Why ``name`` may exist on ``cls`` although no body defines it: an enum's
        ``_sunder_`` names are EnumType's to set (``_member_map_``, ``_flag_mask_``,
        ``_sort_order_``), not all of them declared anywhere."""
        if not _SUNDER.match(name):
            return None
        try:
            metaclasses = list(cls.get_metaclasses())
        except Exception:
            note_failure()
            return "metaclass unknown"
        if any(_is_enum_metaclass(meta) for meta in metaclasses):
            return "a _sunder_ name of an enum (EnumType sets them)"
        return None

    def _computed_targets(self, module_node: Any) -> set[str]:
        """What a module stores computed names on, read once per module and checked file: its
        source is rendered for this alone."""
        key = id(module_node)
        if key not in self._store_targets:
            self._store_targets[key] = computed_store_targets(module_node.get_code())
        return self._store_targets[key]

    def _metaclass_openness(self, meta: Any, instance: bool) -> str | None:
        """A metaclass opens a class when it can add names it computes, or answers lookups.
        The standard library's ``EnumType`` does neither beyond the members its class body
        lists: it makes them class attributes and its ``__getattr__`` serves only them."""
        if _is_enum_metaclass(meta):
            return None
        for value in (meta, *runtime_values(meta)):
            if self._modeled(value, "metaclass") is not None:
                continue  # a library model knows every name it adds
            node = getattr(value, "tree_node", None)
            if node is None or node.type != "classdef":
                return f"metaclass {meta.py__name__()}"
            code = node.get_code()
            if not instance and re.search(r"def __getattr__\b", code):
                return f"metaclass {meta.py__name__()} has __getattr__"
            if _COMPUTED_STORE.search(code):
                return f"metaclass {meta.py__name__()} adds computed names"
            try:
                bases = [b for each in inferred_bases(value) for b in each]
            except Exception:
                note_failure()
                return "metaclass bases unknown"
            for base in bases:
                if base.is_class() and base.py__name__() not in _TRIVIAL_METACLASSES:
                    if base.py__name__() in ("object", "Generic", "Protocol"):
                        continue
                    reason = self._metaclass_openness(base, instance)
                    if reason:
                        return reason
        return None

    def _fully_slotted(self, cls: Any, path: tuple[int, ...]) -> bool:
        """Every class of the hierarchy declares ``__slots__`` without ``__dict__``: instances
        cannot grow attributes, whatever ``setattr`` is called with."""
        node = getattr(cls, "tree_node", None)
        if cls.is_compiled():
            return bool(cls.py__name__() == "object")
        if node is None or node.type != "classdef" or id(node) in path:
            return cls.py__name__() in ("object", "Generic", "Protocol")
        if cls.py__name__() != "object":
            slots = class_slots(node)
            if slots is None or "__dict__" in slots:
                return False
        try:
            bases = [b for each in inferred_bases(cls) for b in each]
        except Exception:
            note_failure()
            return False
        return all(self._fully_slotted(unwrap(b), (*path, id(node))) for b in bases)

    def _walk_bases(
        self, cls: Any, instance: bool, path: tuple[int, ...], *, slotted: bool = False
    ) -> str | None:
        node = getattr(cls, "tree_node", None)
        ident = id(node) if node is not None else id(cls)
        if ident in path:
            return "cyclic base class"
        if len(path) > 40:
            return "class hierarchy too deep"
        reason = self._own_openness(cls, instance, slotted=slotted)
        if reason:
            return reason
        try:
            bases = list(cls.py__bases__())
        except Exception:
            note_failure()
            return "bases unknown"
        for lazy in bases:
            try:
                reset_limits(self._state)
                inferred = list(lazy.infer()) if hasattr(lazy, "infer") else [lazy]
            except Exception:
                note_failure()
                return "base class not inferred"
            if not inferred:
                return "base class not inferred"
            for base in inferred:
                base = unwrap(base)
                if not base.is_class():
                    return "base is not a class"
                if type(base).__name__ in ("AnyClass",):
                    return "base is Any"
                reason = self._walk_bases(base, instance, (*path, ident), slotted=slotted)
                if reason:
                    return reason
        return None

    def _own_openness(self, cls: Any, instance: bool, *, slotted: bool = False) -> str | None:
        if cls.is_compiled():
            try:
                names = {
                    n.string_name for f in cls.get_filters(is_instance=instance) for n in f.values()
                }
            except Exception:
                note_failure()
                return "compiled class"
            if instance and ("__getattr__" in names) and cls.py__name__() != "object":
                return "__getattr__"
            return None
        if self._modeled(cls, "bases") is not None:
            return None  # a library model accounts for its `__getattr__` and `__setattr__`
        node = getattr(cls, "tree_node", None)
        if node is None or node.type != "classdef":
            special = cls.py__name__() in ("Generic", "Protocol", "NamedTuple")
            if type(cls).__name__ == "GenericClass" or special:
                return None
            if typing_alias_of(cls) is not None:
                return None  # `Tuple[int, str]` as a base: the builtin class stands in
            return "class not analysable"
        own = _funcdef_names(node)
        own |= _class_assigned_names(node)
        dynamic_lookup = "__getattr__" in own or "__getattribute__" in own
        if instance and dynamic_lookup and cls.py__name__() != "object":
            return "__getattr__"
        if not cls.is_stub():
            for decorator in node.get_decorators():
                if not self._decorators.benign(decorator, cls):
                    return f"class decorator {decorator.children[1].get_code().strip()}"
            if instance and pydantic_v2.dataclass_may_keep_extra(node):
                return "dataclass whose pydantic configuration may keep extra keys of its data"
            if not slotted and _dynamic_class_body(node, instance):
                return "class sets attributes with computed names"
            if node.name.value in self._computed_targets(node.get_root_node()):
                return "its module sets attributes on it with computed names"
        return None

    def _is_abstract(self, cls: Any) -> bool:
        node = getattr(cls, "tree_node", None)
        if node is None or node.type != "classdef":
            return False
        code = node.get_code()
        if "abstractmethod" in code or "abstractproperty" in code:
            return True
        if _interface_only(node):
            return True
        arglist = node.get_super_arglist()
        return bool(arglist is not None and _ABSTRACT_BASES.search(arglist.get_code()))


def _funcdef_names(scope_node: Any) -> set[str]:
    names = set()
    for child in scope_node.iter_funcdefs():
        names.add(child.name.value)
    return names


def _class_assigned_names(classdef: Any) -> set[str]:
    names: set[str] = set()
    suite = classdef.children[-1]
    for child in getattr(suite, "children", ()):
        if child.type == "simple_stmt":
            stmt = child.children[0]
            if stmt.type == "expr_stmt" and stmt.children[0].type == "name":
                names.add(stmt.children[0].value)
    return names


def class_slots(classdef: Any) -> set[str] | None:
    """The names of a class body's ``__slots__ = (...)``, or None without one (or unreadable)."""
    suite = classdef.children[-1]
    for child in getattr(suite, "children", ()):
        if child.type != "simple_stmt":
            continue
        stmt = child.children[0]
        target = stmt.children[0] if stmt.type == "expr_stmt" else None
        if target is not None and target.type == "name" and target.value == "__slots__":
            rhs = stmt.children[-1]
            if stmt.children[1].type == "annassign":
                rhs = stmt.children[1].children[-1]
            return literal_strings_combined(rhs)
    return None


def _dynamic_class_body(classdef: Any, instance: bool) -> bool:
    for funcdef in classdef.iter_funcdefs():
        if funcdef.name.value in _PICKLING_METHODS:
            continue
        code = funcdef.get_code()
        if _DYNAMIC_CLASS_ATTRS.search(code) or (instance and _DYNAMIC_INSTANCE_ATTRS.search(code)):
            return True
    return False


def _is_enum_metaclass(meta: Any) -> bool:
    """The standard library's ``enum.EnumType`` (``EnumMeta``)."""
    return meta.py__name__() in _ENUM_METACLASSES and string_names(meta) == ("enum",)


#: A store with a computed name on an object a module names: ``setattr(codes, key, v)``,
#: ``codes.__dict__.update(...)``, ``codes.__dict__[key] = v``.
_COMPUTED_STORE_ON_NAME = re.compile(
    r"setattr\(\s*([A-Za-z_]\w*)\s*,\s*(?![\"'])"
    r"|\b([A-Za-z_]\w*)\.__dict__\s*(?:\.update|\[.*?\]\s*=(?!=))"
)


def computed_store_targets(code: str) -> set[str]:
    """The names a module's code stores computed names on (httpx's
    ``setattr(codes, code._name_.lower(), int(code))`` after its class)."""
    return {a or b for a, b in _COMPUTED_STORE_ON_NAME.findall(code)}


def _refuses(funcdef: Any) -> str | None:
    """The exception a function body does nothing but raise (after a docstring), if any."""
    body = (
        [
            c
            for c in funcdef.children[-1].children
            if c.type not in ("newline", "operator")
            and not (c.type == "simple_stmt" and c.children[0].type == "string")
        ]
        if funcdef.children[-1].type == "suite"
        else [funcdef.children[-1]]
    )
    if len(body) != 1:
        return None
    stmt = body[0].children[0] if body[0].type == "simple_stmt" else body[0]
    if stmt.type != "raise_stmt" or len(stmt.children) < 2:
        return None
    return str(stmt.children[1].get_code().strip().split("(", 1)[0])


def _interface_only(classdef: Any) -> bool:
    """A class meant only as a base: its constructor refuses (``raise TypeError``), or every
    method it defines is left to subclasses (``raise NotImplementedError``)."""
    methods = list(classdef.iter_funcdefs())
    refusals = {f.name.value: _refuses(f) for f in methods}
    if refusals.get("__init__") or refusals.get("__new__"):
        return True
    plain = [name for name in refusals if not (name.startswith("__") and name.endswith("__"))]
    return bool(plain) and all(refusals[name] == "NotImplementedError" for name in plain)
