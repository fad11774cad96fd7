"""A class decorated with the standard library's ``@dataclass`` -> the ``__init__`` Python gives
it, read from source the way :mod:`dataclasses` builds it.

jedi's own reading differs from Python's in ways that made correct calls look wrong:
``@dataclass(init=False)`` and a class that writes its own ``__init__`` keep that ``__init__``
(or the one their MRO picks), and the fields of a dataclass base whose own ``__init__`` was not
generated still are parameters of a subclass's generated one. What is read here:

- ``@dataclass`` generates ``__init__`` unless its ``init`` is false or the class body defines
  ``__init__``; an ``init`` or ``kw_only`` argument that is not a literal leaves it open;
- the fields are the annotated names of every dataclass in the MRO, from ``object`` down, a
  redefined field keeping its first place; ``ClassVar`` annotations are no fields, ``InitVar``
  ones are, ``field(init=False)`` is no parameter;
- a field is keyword-only after ``_: KW_ONLY``, under ``@dataclass(kw_only=True)`` or with
  ``field(kw_only=True)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from inspect import Parameter
from typing import Any

from ..tree_reading import class_body_names
from .open_paths import OpenPath

_DATACLASS_ARGUMENTS = frozenset(
    {"init", "repr", "eq", "order", "unsafe_hash", "frozen", "match_args", "kw_only", "slots"}
    | {"weakref_slot"}
)


@dataclass(frozen=True)
class DataclassOptions:
    """What a class's ``@dataclass(...)`` says about its ``__init__``."""

    init: bool
    kw_only: bool


@dataclass(frozen=True)
class FieldParameter:
    """One parameter of a generated ``__init__``, shaped as jedi's parameter names are."""

    string_name: str
    keyword_only: bool

    def get_kind(self) -> Any:
        return Parameter.KEYWORD_ONLY if self.keyword_only else Parameter.POSITIONAL_OR_KEYWORD


class GeneratedInit:
    """The ``__init__`` ``@dataclass`` writes for ``cls``, as a signature the resolver reads."""

    def __init__(self, cls: Any, parameters: list[FieldParameter]) -> None:
        self.value = cls
        self._parameters = parameters

    def get_param_names(self, resolve_stars: bool = False) -> list[FieldParameter]:
        return list(self._parameters)

    def to_string(self) -> str:
        texts: list[str] = []
        starred = False
        for parameter in self._parameters:
            if parameter.keyword_only and not starred:
                texts.append("*")
                starred = True
            texts.append(parameter.string_name)
        return f"{self.value.py__name__()}({', '.join(texts)})"


def dataclass_options(decorator: Any) -> DataclassOptions:
    """The options of a ``@dataclass`` / ``@dataclass(...)`` decorator node; raises
    :class:`OpenPath` when one that decides the ``__init__`` is not a literal."""
    arguments = _keyword_arguments(decorator.children[1])
    for name, _ in arguments:
        if name not in _DATACLASS_ARGUMENTS:
            raise OpenPath(f"@dataclass({name}=...) is not a dataclass option")
    init, kw_only = _init_and_kw_only(arguments, "@dataclass")
    return DataclassOptions(
        init=True if init is None else init, kw_only=False if kw_only is None else kw_only
    )


def generates_init(classdef: Any, options: DataclassOptions) -> bool:
    """Whether ``@dataclass`` writes the ``__init__`` of the class: not when told not to, and
    not over one the class body defines."""
    return options.init and "__init__" not in class_body_names(classdef)


def class_fields(
    classdef: Any, options: DataclassOptions
) -> list[tuple[str, FieldParameter | None]]:
    """The fields a dataclass's own body declares, in order: each with its ``__init__``
    parameter (None for ``field(init=False)``)."""
    fields: list[tuple[str, FieldParameter | None]] = []
    keyword_only = options.kw_only
    for name, annotation, default in _annotations(classdef):
        text = annotation.get_code().strip().strip("\"'")
        last = text.split("[", 1)[0].rsplit(".", 1)[-1].strip()
        if last == "ClassVar":
            continue
        if last == "KW_ONLY":
            keyword_only = True
            continue
        init, own_kw_only = _field_call(default)
        if init is False:
            fields.append((name, None))
            continue
        kw = own_kw_only if own_kw_only is not None else keyword_only
        fields.append((name, FieldParameter(name, kw)))
    return fields


def init_parameters(fields: dict[str, FieldParameter | None]) -> list[FieldParameter]:
    """The generated ``__init__``'s parameters: positional ones first, then keyword-only ones
    (as :mod:`dataclasses` orders them)."""
    present = [p for p in fields.values() if p is not None]
    return [p for p in present if not p.keyword_only] + [p for p in present if p.keyword_only]


def _annotations(classdef: Any) -> list[tuple[str, Any, Any]]:
    """``name: annotation [= default]`` statements of a class body (through ``if`` blocks, as
    ``__annotations__`` collects them), in source order."""
    found: list[tuple[str, Any, Any]] = []
    stack = list(reversed(classdef.children[-1].children))
    while stack:
        node = stack.pop()
        if node.type in ("simple_stmt", "if_stmt", "suite", "try_stmt", "with_stmt"):
            stack.extend(reversed(node.children))
        elif node.type == "expr_stmt" and node.children[1].type == "annassign":
            target = node.children[0]
            if target.type != "name":
                continue
            annassign = node.children[1]
            default = annassign.children[3] if len(annassign.children) > 3 else None
            found.append((target.value, annassign.children[1], default))
    return found


def _field_call(default: Any) -> tuple[bool | None, bool | None]:
    """``field(init=..., kw_only=...)`` as a default: its literal ``init`` and ``kw_only``
    (None when not given); raises :class:`OpenPath` for one that is not a literal."""
    if default is None or default.type not in ("atom_expr", "power"):
        return None, None
    callee = default.children[-2] if len(default.children) >= 2 else None
    name = callee.children[-1] if callee is not None and callee.type == "trailer" else callee
    call = default.children[-1]
    if getattr(name, "value", None) != "field" or call.type != "trailer" or call.children[0] != "(":
        return None, None
    return _init_and_kw_only(_keyword_arguments(default), "field")


def _init_and_kw_only(
    arguments: list[tuple[str, Any]], call: str
) -> tuple[bool | None, bool | None]:
    """The literal ``init`` and ``kw_only`` among a call's keyword arguments (None when not
    given); raises :class:`OpenPath` for one that is not a literal."""
    found: dict[str, bool] = {}
    for keyword, value in arguments:
        if keyword in ("init", "kw_only"):
            literal = _literal_bool(value)
            if literal is None:
                raise OpenPath(f"{call}({keyword}=...) is not a literal")
            found[keyword] = literal
    return found.get("init"), found.get("kw_only")


def _keyword_arguments(expression: Any) -> list[tuple[str, Any]]:
    """The ``name=value`` arguments of a call expression's last trailer; a ``**mapping``
    leaves them open."""
    if expression.type not in ("atom_expr", "power"):
        return []
    call = expression.children[-1]
    if call.type != "trailer" or call.children[0] != "(" or len(call.children) != 3:
        return []
    inside = call.children[1]
    arguments = [c for c in inside.children if c != ","] if inside.type == "arglist" else [inside]
    found = []
    for argument in arguments:
        if argument.type == "argument" and argument.children[0].type == "name":
            found.append((str(argument.children[0].value), argument.children[2]))
        elif argument.type == "argument" and argument.children[0] == "**":
            raise OpenPath("@dataclass(**options)")
    return found


def _literal_bool(node: Any) -> bool | None:
    if node.type != "keyword":
        return None
    return {"True": True, "False": False}.get(str(node.value))
