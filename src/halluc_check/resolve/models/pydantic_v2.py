"""pydantic 2's models: what ``ModelMetaclass`` and ``BaseModel`` add to a class, and whether a
model's instances can have attributes that only their data names (its ``extra`` setting).

Verified on the source of every minor release line from 2.0 to 2.14 (2.0, 2.1.1, 2.2.1, 2.3.0,
2.4.2, 2.5.3, 2.6.4, 2.7.4, 2.8.2, 2.9.2, 2.10.6, 2.11.10, 2.12.5, 2.13.5) and at run time on
2.14.4:

- ``ModelMetaclass.__new__`` stores only fixed names on the class (``model_config``,
  ``model_post_init``, ``__hash__`` and ``__pydantic_*__`` dunders), the class variables and, as
  deprecation descriptors, the fields its body declares; its ``__getattr__`` answers only the
  private attributes the bodies declare (``_name: int``, ``_name = PrivateAttr()``).
- ``BaseModel.__getattr__`` answers the private attributes and the keys of
  ``__pydantic_extra__``, which holds the extra keys of the validated data when the model's
  ``extra`` setting is ``"allow"`` (or, from 2.12, when ``model_validate*`` is called with
  ``extra="allow"``); ``__setattr__`` stores a name that is no field in ``__pydantic_extra__``
  (``extra="allow"``), refuses it (a ``ValueError``) or, for a ``_private`` name, stores it
  like any attribute store.
- ``model_copy(update=...)`` (and the deprecated ``copy(update=...)``) puts every key of
  ``update`` into the copy's ``__dict__``, whatever ``extra`` says; before 2.9,
  ``model_construct(**values)`` did so with every keyword.

So an instance's names are its class's (fields, methods, properties, computed fields, class
variables, ``BaseModel``'s API, private attributes) plus keys that only the data it was made
from names. pydantic 1 (``pydantic.v1``, and pydantic 1.x's ``pydantic.main``) has other
metaclass and base names and is not described here.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import Any

from ...jedi_compat.failures import note_failure
from ..limits import reset_limits
from ..values import describe, unwrap
from ..verdicts import DataKeys

VERSIONS = ">=2.0,<2.15"
METACLASS = "pydantic._internal._model_construction.ModelMetaclass"
BASE_MODEL = "pydantic.main.BaseModel"
WHY = (
    "pydantic 2's ModelMetaclass adds only fixed names and the names a model's body declares; "
    "BaseModel.__getattr__ answers only declared private attributes and extra keys of the data"
)

_EXTRA_VALUES = frozenset({"allow", "ignore", "forbid"})
#: Calls whose keywords are the configuration's keys.
_CONFIG_CALLS = frozenset({"ConfigDict", "SettingsConfigDict", "dict"})
#: ``Extra.allow``, ``pydantic.Extra.forbid``: the deprecated enumeration.
_EXTRA_MEMBER = re.compile(r"(?:\w+\.)*Extra\.(allow|ignore|forbid)")
#: Blocks of a class body whose statements may not run.
_CONDITIONAL_BLOCKS = frozenset(
    {"if_stmt", "try_stmt", "with_stmt", "for_stmt", "while_stmt", "async_stmt"}
)

Setting = frozenset[str] | None
"""The values ``extra`` may have (empty: not set here), or None when it cannot be read."""


def data_keys(cls: Any) -> DataKeys | None:
    """Whether instances of the model ``cls`` keep the extra keys of their data (``ALLOWED``)
    or get such names only from code that hands them over (``POSSIBLE``: ``model_copy``'s
    ``update``); None when a ``model_config``, ``class Config`` or class keyword of its MRO
    cannot be read."""
    extra = _possible_extra(cls, ())
    if extra is None:
        return None
    return DataKeys.ALLOWED if "allow" in extra else DataKeys.POSSIBLE


def dataclass_may_keep_extra(classdef: Any) -> bool:
    """A dataclass that pydantic validates (``pydantic.dataclasses.dataclass``, or any dataclass
    used as a field or through a ``TypeAdapter``) keeps the extra keys of its data as attributes
    when its configuration says ``extra="allow"``: the ``config=`` of its decorator or its
    ``__pydantic_config__``. True when one of them may say so or cannot be read."""
    for decorator in classdef.get_decorators():
        config = _keyword_argument(decorator.children[1], "config")
        if config is not None and _may_allow(_config_mapping(config)):
            return True
    for statement, _ in _body_statements(classdef):
        first = statement.get_first_leaf()
        if first.type == "name" and first.value == "__pydantic_config__":
            value = _assigned_value(statement)
            if value is None or _may_allow(_config_mapping(value)):
                return True
    return False


def _may_allow(setting: Setting) -> bool:
    return setting is None or "allow" in setting


def _keyword_argument(expression: Any, keyword: str) -> Any:
    """The value of ``keyword=`` in the call ``expression`` (``@dataclass(config=...)``)."""
    if expression.type not in ("atom_expr", "power"):
        return None
    call = expression.children[-1]
    if call.type != "trailer" or call.children[0] != "(" or len(call.children) != 3:
        return None
    return _keyword(_arguments(call.children[1]), keyword)


def _arguments(node: Any) -> list[Any]:
    """The arguments of an argument list (a single argument stands alone)."""
    if node is None:
        return []
    return [
        child for child in (node.children if node.type == "arglist" else [node]) if child != ","
    ]


def _keyword(arguments: list[Any], keyword: str) -> Any:
    """The value passed as ``keyword=`` among ``arguments``, or None."""
    for argument in arguments:
        children: list[Any] = argument.children if argument.type == "argument" else []
        if len(children) == 3 and children[1] == "=" and children[0].value == keyword:
            return children[2]
    return None


def _unpacks(arguments: list[Any]) -> bool:
    """``*args`` or ``**mapping`` among ``arguments``: what they pass is not visible."""
    return any(
        argument.type == "argument" and argument.children[0] in ("*", "**")
        for argument in arguments
    )


def _possible_extra(cls: Any, path: tuple[int, ...]) -> Setting:
    """Every value ``extra`` may have for ``cls``: a class's keywords override its body's
    configuration, which overrides what its bases' configurations merge to."""
    cls = unwrap(cls)
    node = getattr(cls, "tree_node", None)
    if node is None or node.type != "classdef" or cls.is_stub() or cls.is_compiled():
        return frozenset()  # typing's Generic and the like: no configuration
    if describe(cls, "class").qualname == BASE_MODEL:
        return frozenset({"ignore"})
    if id(node) in path or len(path) > 40:
        return None
    own = own_setting(node)
    if own is None:
        return None
    values, overrides = own
    if overrides:
        return values
    try:
        reset_limits(cls.inference_state)
        bases = [base for lazy in cls.py__bases__() for base in lazy.infer()]
    except Exception:
        note_failure()
        return None
    merged = set(values)
    for base in bases:
        inherited = _possible_extra(base, (*path, id(node)))
        if inherited is None:
            return None
        merged |= inherited
    return frozenset(merged)


def own_setting(classdef: Any) -> tuple[frozenset[str], bool] | None:
    """What a class's own code says of ``extra``: the values it may set, and whether one of
    them surely replaces what the bases say (a class keyword, or a configuration that is not
    inside an ``if``/``try`` block); None when it cannot be read."""
    keyword = _class_keyword(classdef)
    if keyword is None:
        return None
    if keyword:
        return keyword, True
    values: set[str] = set()
    overrides = False
    for statement, conditional in _body_statements(classdef):
        found = _statement_setting(statement)
        if found is None:
            return None
        values |= found
        overrides = overrides or bool(found and not conditional)
    return frozenset(values), overrides


def _class_keyword(classdef: Any) -> Setting:
    """``class M(BaseModel, extra="allow")``: the keyword's value (empty without one)."""
    arguments = _arguments(classdef.get_super_arglist())
    if _unpacks(arguments):
        return None  # keywords passed through a mapping
    value = _keyword(arguments, "extra")
    return frozenset() if value is None else _extra_value(value)


def _body_statements(classdef: Any) -> Iterator[tuple[Any, bool]]:
    """The assignments, expression statements and classes of a class body (through blocks),
    each with whether it sits in a block that may not run."""
    stack = [(child, False) for child in classdef.children[-1].children]
    while stack:
        node, conditional = stack.pop()
        kind = node.type
        if kind in _CONDITIONAL_BLOCKS:
            stack.extend((child, True) for child in node.children)
        elif kind in ("simple_stmt", "suite", "decorated"):
            stack.extend((child, conditional) for child in node.children)
        elif kind in ("expr_stmt", "classdef", "atom_expr", "power"):
            yield node, conditional


def _statement_setting(statement: Any) -> Setting:
    """What one statement of a class body sets ``extra`` to: ``model_config = ...`` or a
    ``class Config`` (anything else that touches ``model_config`` cannot be read)."""
    if statement.type == "classdef":
        return _config_class(statement) if statement.name.value == "Config" else frozenset()
    first = statement.get_first_leaf()
    if first.type != "name" or first.value != "model_config":
        return frozenset()
    if _declared_only(statement):
        return frozenset()  # `model_config: ClassVar[ConfigDict]` sets nothing
    value = _assigned_value(statement)
    return None if value is None else _config_mapping(value)


def _declared_only(statement: Any) -> bool:
    children = statement.children
    return (
        statement.type == "expr_stmt"
        and len(children) == 2
        and children[1].type == "annassign"
        and len(children[1].children) == 2
    )


def _assigned_value(statement: Any) -> Any:
    """The value of ``name = value`` or ``name: T = value`` whose target is a plain name."""
    if statement.type != "expr_stmt" or statement.children[0].type != "name":
        return None
    children = statement.children
    if len(children) == 3 and children[1] == "=":
        return children[2]
    if len(children) == 2 and children[1].type == "annassign" and len(children[1].children) == 4:
        return children[1].children[3]
    return None


def _config_class(classdef: Any) -> Setting:
    """``class Config: extra = "allow"`` (pydantic 1's style, still read by pydantic 2)."""
    found: set[str] = set()
    for statement, _ in _body_statements(classdef):
        first = statement.get_first_leaf()
        if statement.type == "classdef" or first.type != "name" or first.value != "extra":
            continue
        value = _assigned_value(statement)
        setting = None if value is None else _extra_value(value)
        if setting is None:
            return None
        found |= setting
    if not found and classdef.get_super_arglist() is not None:
        return None  # `extra` may come from the configuration class's bases
    return frozenset(found)


def _config_mapping(value: Any) -> Setting:
    """``ConfigDict(extra=...)`` or ``{"extra": ...}``: the value of its ``extra`` key."""
    if value.type == "atom" and value.children[0] == "{":
        return _dict_literal(value)
    if value.type not in ("atom_expr", "power"):
        return None
    *callee, call = value.children
    names = [c for c in callee if c.type == "name"] + [
        c.children[1] for c in callee if c.type == "trailer" and c.children[0] == "."
    ]
    if call.type != "trailer" or call.children[0] != "(" or not names:
        return None
    if names[-1].value not in _CONFIG_CALLS:
        return None
    if len(call.children) == 2:
        return frozenset()
    arguments = _arguments(call.children[1])
    if any(argument.type != "argument" for argument in arguments) or _unpacks(arguments):
        return None  # positional or unpacked: keys not visible
    extra = _keyword(arguments, "extra")
    return frozenset() if extra is None else _extra_value(extra)


def _dict_literal(atom: Any) -> Setting:
    if len(atom.children) == 2:
        return frozenset()
    inner = atom.children[1]
    if inner.type != "dictorsetmaker":
        return None
    children = [c for c in inner.children if c != ","]
    if any(c == "**" for c in children) or len(children) % 3:
        return None
    found: frozenset[str] = frozenset()
    for index in range(0, len(children), 3):
        key, colon, value = children[index : index + 3]
        if colon != ":" or key.type not in ("string", "strings"):
            return None
        if _string(key) == "extra":
            setting = _extra_value(value)
            if setting is None:
                return None
            found = setting
    return found


def _extra_value(node: Any) -> Setting:
    """``"allow"``, ``Extra.allow``, ``None`` (pydantic's default, ``"ignore"``)."""
    if node.type in ("string", "strings"):
        text = _string(node)
        return frozenset({text}) if text in _EXTRA_VALUES else None
    code = node.get_code().strip()
    if code == "None":
        return frozenset({"ignore"})
    match = _EXTRA_MEMBER.fullmatch(code)
    return frozenset({match.group(1)}) if match else None


def _string(node: Any) -> str | None:
    try:
        value = ast.literal_eval(node.get_code().strip())
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, str) else None
