"""What only one library does, as data the resolver consults: each model names the distribution,
the versions it was verified against, and why it is needed. Outside those versions a model does
not apply, and the library is read like any other.
"""

from __future__ import annotations

from dataclasses import dataclass

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from ..target.environment import TargetEnvironment


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
        installed = env.distribution_of(module)
        if installed is None or installed.name.lower() != model.distribution:
            continue
        try:
            if Version(installed.version) in SpecifierSet(model.versions):
                return model
        except (InvalidVersion, InvalidSpecifier):
            continue
    return None
