"""Imported libraries -> candidate probes: their real public names and invented neighbours proven
absent at run time, per kind (module attribute, class attribute, instance attribute, keyword).

Everything here runs in the benchmark's own process with ``dir()``, ``getattr``, ``inspect`` and
``importlib.util.find_spec``; halluc-check never imports the libraries it checks. Used by
``bench/oracle.py``.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import inspect
import keyword
import random
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

MODULE, CLASS, INSTANCE, KEYWORD = (
    "module attribute",
    "class attribute",
    "instance attribute",
    "keyword",
)
KINDS = (MODULE, CLASS, INSTANCE, KEYWORD)
EXISTING, INVENTED = "existing", "invented"


@dataclass
class Probe:
    """One name to look up: where it is used in the probe files and what halluc-check said."""

    library: str
    kind: str
    truth: str
    owner: str
    """The receiver's dotted expression: a module, a class, or a callable for keywords."""
    name: str
    variant: str
    """Existing names: where the name comes from; invented ones: the edit that made them."""
    form: str = "attribute"
    """How it is used: attribute, from-import, call, method (keyword through an instance)."""
    member: str = ""
    """For keywords of a method: the method's name; ``owner`` is then its class."""
    path: str = ""
    line: int = 0
    findings: list[str] = field(default_factory=list)
    flagged: bool = False
    why: str = ""


@dataclass
class Library:
    """Every candidate probe of one library, before sampling, and what was left out and why."""

    name: str
    existing: dict[str, list[Probe]] = field(default_factory=dict)
    real: dict[str, list[Probe]] = field(default_factory=dict)
    """Per kind, the real names invented neighbours are derived from (keywords include the
    positional-only names and leave out callables that take ``**kwargs``)."""
    skipped: Counter[str] = field(default_factory=Counter)
    classes: dict[str, type] = field(default_factory=dict)
    callables: dict[str, Callable[..., Any]] = field(default_factory=dict)
    signatures: dict[tuple[str, str], inspect.Signature | None] = field(default_factory=dict)
    """Per (owner, member), the accepted keywords' signature, or None when ``**kwargs`` opens it."""


def public(name: str) -> bool:
    return name.isidentifier() and not name.startswith("_") and not keyword.iskeyword(name)


def _names(obj: object) -> list[str]:
    try:
        return sorted(n for n in dir(obj) if public(n))
    except Exception:
        return []


def _get(obj: object, name: str) -> tuple[bool, Any]:
    """(found, value) of ``getattr``; found is None-like False on AttributeError only."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return True, getattr(obj, name)
        except AttributeError:
            return False, None
        except Exception:
            # a descriptor that fails for another reason: the name exists
            return True, None


# --------------------------------------------------------------------------- invented neighbours


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def neighbours(name: str, rng: random.Random) -> dict[str, list[str]]:
    """Invented names near ``name``, grouped by the kind of edit (not yet verified absent)."""
    groups: dict[str, list[str]] = {}
    if name.endswith("ies") and len(name) > 4:
        groups["singular"] = [name[:-3] + "y"]
    elif name.endswith("s") and not name.endswith("ss") and len(name) > 3:
        groups["singular"] = [name[:-1]]
    elif name.endswith("y") and len(name) > 2 and name[-2] not in "aeiou":
        groups["plural"] = [name[:-1] + "ies"]
    else:
        groups["plural"] = [name + ("es" if name.endswith(("s", "x", "ch", "sh")) else "s")]
    if "_" in name.strip("_"):
        groups["camelCase"] = [_camel(name)]
    elif re.search(r"[a-z][A-Z]", name):
        groups["snake_case"] = [_snake(name)]
    if name == name.lower():
        groups["prefix"] = [
            name[len(p) :] if name.startswith(p) else p + name for p in ("get_", "fetch_", "to_")
        ]
    if len(name) >= 4:
        # edits away from the first letter keep the name recognisable, as a slip would
        i = rng.randrange(1, len(name))
        swaps = [j for j in range(1, len(name) - 1) if name[j] != name[j + 1]]
        typos = [name[:i] + name[i + 1 :], name[:i] + name[i] + name[i:]]
        if swaps:
            j = rng.choice(swaps)
            typos.append(name[:j] + name[j + 1] + name[j] + name[j + 2 :])
        groups["typo"] = typos
    return {
        edit: [n for n in names if n != name and public(n)]
        for edit, names in groups.items()
        if any(n != name and public(n) for n in names)
    }


def invent(name: str, rng: random.Random, absent: Callable[[str], str | None]) -> Iterator[Probe]:
    """Neighbours of ``name`` that ``absent`` proves absent, one edit kind after another in a
    random order; ``absent`` returns None when absent, else why not ("exists", "unknown: ...")."""
    groups = neighbours(name, rng)
    edits = sorted(groups)
    rng.shuffle(edits)
    for edit in edits:
        candidates = groups[edit]
        rng.shuffle(candidates)
        for candidate in candidates:
            if absent(candidate) is None:
                variant = {"prefix": _prefix_edit(name, candidate), "typo": "typo"}.get(edit, edit)
                yield Probe("", "", INVENTED, "", candidate, f"{variant} of {name}")


def _prefix_edit(real: str, invented: str) -> str:
    return (
        f"without {real[: len(real) - len(invented)]}"
        if len(invented) < len(real)
        else (f"{invented[: len(invented) - len(real)]} prefix")
    )


# --------------------------------------------------------------------------- run-time absence


def absent_on_module(module: ModuleType, name: str) -> str | None:
    """Neither an attribute (``__getattr__`` included) nor an importable submodule."""
    if name in dir(module):
        return "exists"
    found, _ = _get(module, name)
    if found:
        return "exists"
    if hasattr(module, "__path__"):
        try:
            # find_spec of a submodule imports only its (already imported) parent
            if importlib.util.find_spec(f"{module.__name__}.{name}") is not None:
                return "exists"
        except Exception as exc:
            return f"unknown: find_spec failed ({type(exc).__name__})"
    return None


def absent_on_class(cls: type, name: str) -> str | None:
    """Not in ``dir()`` and ``getattr`` (metaclass ``__getattr__`` included) raises."""
    if name in dir(cls):
        return "exists"
    found, _ = _get(cls, name)
    return "exists" if found else None


class InstanceTruth:
    """Whether a name provably misses on every instance of a class: not a class member, field,
    slot or loaded subclass's member, no ``__getattr__`` that could serve it, and no assignment
    or string literal of it in the source of the classes of its MRO (``self.name = ...``,
    ``setattr(self, "name", ...)``). Without that source, instances with a ``__dict__`` are
    unknown."""

    def __init__(self) -> None:
        self._sources: dict[str, str] = {}
        self._open: dict[type, str | None] = {}
        self._subclass_names: dict[type, set[str]] = {}

    def fields(self, cls: type) -> list[str]:
        """Instance names that are not class members: dataclass, attrs and pydantic fields."""
        names: list[str] = []
        if dataclasses.is_dataclass(cls):
            names += [f.name for f in dataclasses.fields(cls)]
        for attribute in getattr(cls, "__attrs_attrs__", ()) or ():
            names.append(getattr(attribute, "name", ""))
        pydantic_fields = cls.__dict__.get("__pydantic_fields__")
        if isinstance(pydantic_fields, dict):
            names += list(pydantic_fields)
        return sorted({n for n in names if public(n)})

    def absent(self, cls: type, name: str) -> str | None:
        if absent_on_class(cls, name) is not None or name in self.fields(cls):
            return "exists"
        if name in self._subclasses(cls):
            return "exists on a subclass"
        why = self._openness(cls)
        if why is not None:
            return f"unknown: {why}"
        pattern = re.compile(
            rf"\.{name}\s*(?:=(?!=)|:)|[\"']{name}[\"']|^\s*{name}\s*:", re.MULTILINE
        )
        if any(pattern.search(text) for text in self._texts(cls)):
            return "assigned or named in the source"
        return None

    def _subclasses(self, cls: type) -> set[str]:
        if cls not in self._subclass_names:
            names: set[str] = set()
            seen: set[type] = set()
            todo = [cls]
            while todo:
                try:
                    subs: list[type] = type.__subclasses__(todo.pop())
                except TypeError:
                    continue
                for sub in subs:
                    if sub not in seen:
                        seen.add(sub)
                        todo.append(sub)
                        names.update(dir(sub))
                        names.update(self.fields(sub))
            self._subclass_names[cls] = names
        return self._subclass_names[cls]

    def _openness(self, cls: type) -> str | None:
        if cls not in self._open:
            self._open[cls] = self._why_open(cls)
        return self._open[cls]

    def _why_open(self, cls: type) -> str | None:
        for klass in cls.__mro__[:-1]:
            if "__getattr__" in klass.__dict__:
                if _is_pydantic_base(klass) and _pydantic_closed(cls):
                    continue  # a v2 model's __getattr__ serves only private attributes and extras
                return f"{klass.__qualname__}.__getattr__"
            if "__getattribute__" in klass.__dict__ and not _c_slot(klass, "__getattribute__"):
                return f"{klass.__qualname__}.__getattribute__"
        if getattr(cls, "__dictoffset__", 0) == 0:
            return None  # no instance __dict__: the class's members are all there is
        for klass in cls.__mro__[:-1]:
            if klass.__module__ != "builtins" and self._source(klass) is None:
                return f"no source for {klass.__qualname__}"
        return None

    def _texts(self, cls: type) -> Iterator[str]:
        for klass in cls.__mro__[:-1]:
            text = self._source(klass) if klass.__module__ != "builtins" else None
            if text:
                yield text

    def _source(self, klass: type) -> str | None:
        try:
            path = inspect.getsourcefile(klass)
        except (TypeError, OSError):
            return None
        if path is None:
            return None
        if path not in self._sources:
            try:
                self._sources[path] = Path(path).read_text(encoding="utf-8", errors="replace")
            except OSError:
                self._sources[path] = ""
        return self._sources[path] or None


def _c_slot(klass: type, name: str) -> bool:
    """A C type's slot wrapper: C types (datetime, deque) list their generic attribute lookup in
    their own ``__dict__``; a ``__getattribute__`` written in Python is a function instead."""
    return type(klass.__dict__[name]).__name__ == "wrapper_descriptor"


def _is_pydantic_base(klass: type) -> bool:
    return klass.__module__ == "pydantic.main" and klass.__name__ == "BaseModel"


def _pydantic_closed(cls: type) -> bool:
    config = getattr(cls, "model_config", None)
    return isinstance(config, dict) and config.get("extra") != "allow"


# --------------------------------------------------------------------------- enumeration


def load(name: str) -> ModuleType:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return importlib.import_module(name)


def _placeholder(value: object) -> bool:
    """A stand-in for a removed API (openai's ``openai.ChatCompletion``): in ``dir()``, but any
    attribute read returns the stand-in itself, and calling it raises. Whether such a name
    "exists" is no question to score a checker on; proxies that raise outside a context
    (flask's ``request``) or build what they are asked for (``sqlalchemy.func``) stay in."""
    if isinstance(value, (ModuleType, type)) or inspect.isroutine(value):
        return False
    found, answer = _get(value, "oracle_name_that_no_object_has")
    return found and answer is value


def _origin(module: ModuleType, name: str, value: object) -> str:
    if name in (getattr(module, "__all__", None) or ()):
        return "in __all__"
    if isinstance(value, ModuleType):
        inside = value.__name__.startswith(module.__name__ + ".")
        return "submodule" if inside else "imported module"
    return "public name"


def _member_kind(cls: type, name: str) -> str:
    """What a class member is, statically: slot, C attribute, property, method, class variable."""
    try:
        static = inspect.getattr_static(cls, name)
    except AttributeError:
        return "member served by the metaclass"
    kinds = {
        "member_descriptor": "slot",
        "getset_descriptor": "C attribute",
        "property": "property",
        "cached_property": "cached property",
        "classmethod": "classmethod",
        "staticmethod": "staticmethod",
        "function": "method",
    }
    kind = kinds.get(type(static).__name__)
    if kind is None:
        kind = "method" if inspect.isroutine(static) else "class variable"
    where = next((k for k in cls.__mro__ if name in k.__dict__), None)
    if where is not None and where is not cls:
        return f"{kind} (inherited from {where.__qualname__})"
    return kind


def enumerate_library(name: str) -> Library:
    """The real names of one library, per kind, with the receivers' run-time objects."""
    module = load(name)
    library = Library(name)
    for kind in KINDS:
        library.existing[kind] = []
        library.real[kind] = []
    for attr in _names(module):
        found, value = _get(module, attr)
        if not found:
            library.skipped["module attribute in dir() but not readable"] += 1
            continue
        if _placeholder(value):
            library.skipped[
                f"module attribute that is a stand-in answering any name with itself ({attr})"
            ] += 1
            continue
        library.existing[MODULE].append(
            Probe(name, MODULE, EXISTING, name, attr, _origin(module, attr, value))
        )
        if isinstance(value, type):
            library.classes[f"{name}.{attr}"] = value
        elif inspect.isroutine(value):
            library.callables[f"{name}.{attr}"] = value
    library.real[MODULE] = list(library.existing[MODULE])
    truth = InstanceTruth()
    for owner, cls in library.classes.items():
        for attr in _names(cls):
            member = _member_kind(cls, attr)
            library.existing[CLASS].append(Probe(name, CLASS, EXISTING, owner, attr, member))
            library.existing[INSTANCE].append(Probe(name, INSTANCE, EXISTING, owner, attr, member))
        for attr in truth.fields(cls):
            if attr not in dir(cls):
                library.existing[INSTANCE].append(
                    Probe(name, INSTANCE, EXISTING, owner, attr, "field")
                )
    library.real[CLASS] = list(library.existing[CLASS])
    library.real[INSTANCE] = list(library.existing[INSTANCE])
    _enumerate_keywords(library)
    return library


def _enumerate_keywords(library: Library) -> None:
    for owner, function in library.callables.items():
        _add_keywords(library, owner, "", function, drop_first=False)
    for owner, cls in library.classes.items():
        _add_keywords(library, owner, "", cls, drop_first=False)
        for attr in _names(cls):
            try:
                static = inspect.getattr_static(cls, attr)
            except AttributeError:
                continue
            if isinstance(static, staticmethod):
                _add_keywords(library, owner, attr, static.__func__, drop_first=False)
            elif isinstance(static, classmethod):
                _add_keywords(library, owner, attr, getattr(cls, attr), drop_first=False)
            elif inspect.isfunction(static) or (
                callable(static)
                and (inspect.ismethoddescriptor(static) or inspect.isbuiltin(static))
            ):
                _add_keywords(library, owner, attr, static, drop_first=True)


def _add_keywords(
    library: Library, owner: str, member: str, function: Any, *, drop_first: bool
) -> None:
    """The keywords one callable accepts, from ``inspect.signature`` (with and without following
    ``__wrapped__``: a wrapper taking ``**kwargs`` leaves the run-time set open)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            signature = inspect.signature(function)
            outer = inspect.signature(function, follow_wrapped=False)
    except (TypeError, ValueError, RuntimeError):
        library.skipped["keyword: signature not readable"] += 1
        return
    params = list(signature.parameters.values())
    if (
        drop_first
        and params
        and params[0].kind in (params[0].POSITIONAL_ONLY, params[0].POSITIONAL_OR_KEYWORD)
    ):
        params = params[1:]
    form = "method" if member else "call"
    accepting = [
        p.name
        for p in params
        if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and public(p.name)
    ]
    for param in accepting:
        library.existing[KEYWORD].append(
            Probe(library.name, KEYWORD, EXISTING, owner, param, "parameter", form, member)
        )
    opened = any(p.kind is p.VAR_KEYWORD for p in [*params, *outer.parameters.values()])
    if opened:
        library.skipped["keyword: callable takes **kwargs (no invented keywords)"] += 1
        library.signatures[(owner, member)] = None
        return
    library.signatures[(owner, member)] = signature.replace(parameters=params)
    positional_only = [p.name for p in params if p.kind is p.POSITIONAL_ONLY and public(p.name)]
    for param in [*accepting, *positional_only]:
        variant = "parameter" if param in accepting else "positional-only"
        library.real[KEYWORD].append(
            Probe(library.name, KEYWORD, EXISTING, owner, param, variant, form, member)
        )


def absent_keyword(signature: inspect.Signature, name: str) -> str | None:
    """None when a call passing ``name=`` raises TypeError: no such keyword, no ``**kwargs``."""
    for param in signature.parameters.values():
        if param.kind is param.VAR_KEYWORD:
            return "exists"
        if param.name == name and param.kind is not param.POSITIONAL_ONLY:
            return "exists"
    return None
