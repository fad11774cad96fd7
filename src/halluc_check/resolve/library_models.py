"""What only one library does, as data the resolver consults: each model names the distribution,
the versions it was verified against, and why it is needed. Outside those versions a model does
not apply, and the library is read like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from ..target.environment import TargetEnvironment
from .models import pydantic_v2
from .verdicts import DataKeys


@dataclass(frozen=True)
class PartialStubs:
    """A distribution whose own ``.pyi`` files for some of its modules leave members out: a name
    missing from them is not proof that the class lacks it."""

    distribution: str
    versions: str
    """The versions verified, as a PEP 440 specifier."""
    modules: tuple[str, ...]
    """The modules (and their submodules) whose stubs are partial."""
    why: str


PARTIAL_STUBS = (
    PartialStubs(
        "pandas",
        ">=3.1,<3.2",
        ("pandas._libs.tslibs.offsets",),
        "pandas' .pyi file for its Cython date offsets leaves out members: "
        "`DateOffset.is_month_start`, inherited from the Cython `BaseOffset`, exists at run time",
    ),
)


def partial_stubs(module: str, env: TargetEnvironment) -> PartialStubs | None:
    """The model saying that the stubs of ``module`` are partial in the installed version."""
    for model in PARTIAL_STUBS:
        if not any(module == m or module.startswith(m + ".") for m in model.modules):
            continue
        if _installed_within(module, model.distribution, model.versions, env):
            return model
    return None


@dataclass(frozen=True)
class MetaclassModel:
    """A library's metaclass whose added names are known, and the library's base classes whose
    ``__getattr__``/``__setattr__`` answer only for names the model knows of: classes made by
    it are closed although the metaclass and the bases look dynamic."""

    distribution: str
    versions: str
    """The versions verified, as a PEP 440 specifier."""
    metaclass: str
    """The qualified name of the metaclass (its subclasses are read like any metaclass)."""
    bases: tuple[str, ...]
    """The qualified names of the library's base classes whose dynamic members the model
    accounts for; a class is the model's when one of them is in its MRO."""
    stand_for_subclasses: tuple[str, ...]
    """Classes whose instances stand for subclasses made at run time (left open)."""
    data_keys: Callable[[Any], DataKeys | None]
    """A class of the model (a jedi value) -> whether its instances can have names their data
    brings, or None when that cannot be read (the class is then left open)."""
    why: str


METACLASS_MODELS = (
    MetaclassModel(
        "pydantic",
        pydantic_v2.VERSIONS,
        pydantic_v2.METACLASS,
        (pydantic_v2.BASE_MODEL,),
        (pydantic_v2.BASE_MODEL,),
        pydantic_v2.data_keys,
        pydantic_v2.WHY,
    ),
)


#: The last part of every qualified name the models know: most classes are ruled out by it.
MODELED_NAMES = frozenset(
    name.rsplit(".", 1)[-1]
    for model in METACLASS_MODELS
    for name in (model.metaclass, *model.bases, *model.stand_for_subclasses)
)


Role = Literal["metaclass", "bases", "stand_for_subclasses"]
"""What a class is in a :class:`MetaclassModel`."""


def metaclass_model(
    qualname: str, env: TargetEnvironment, *, role: Role = "metaclass"
) -> MetaclassModel | None:
    """The model, active in the installed version, in which the class ``qualname`` has the
    ``role`` ``metaclass``, ``bases`` or ``stand_for_subclasses``."""
    for model in METACLASS_MODELS:
        names = (model.metaclass,) if role == "metaclass" else getattr(model, role)
        if qualname in names and _installed_within(
            qualname, model.distribution, model.versions, env
        ):
            return model
    return None


def _installed_within(
    module: str, distribution: str, versions: str, env: TargetEnvironment
) -> bool:
    """The distribution that provides ``module`` is ``distribution`` at one of ``versions``."""
    installed = env.distribution_of(module)
    if installed is None or installed.name.lower() != distribution:
        return False
    try:
        return Version(installed.version) in SpecifierSet(versions)
    except (InvalidVersion, InvalidSpecifier):
        return False
