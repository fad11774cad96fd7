"""Every patch of jedi and parso fits the installed versions; one that does not stops the start-up
with one line; a patch's own TypeError/AttributeError is counted and, under test, raised."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import jedi
import parso
import pytest

from halluc_check.jedi_compat import failures, patches, safety, setup
from halluc_check.jedi_compat.failures import (
    STRICT_PATCHES_VARIABLE,
    IncompatibleJedi,
    PatchError,
    patch_error_count,
)
from halluc_check.jedi_compat.rows import (
    Patch,
    Plugin,
    Purpose,
    Row,
    guarded,
    parameters,
    undecorated,
)

from .conftest import ROOT

VERSIONS = f"jedi {jedi.__version__} and parso {parso.__version__}"
CALLED = [row for row in patches.PATCHES if isinstance(row, Patch) and row.expects is not None]


# -- the table against the installed jedi and parso ---------------------------------------------
@pytest.mark.parametrize("row", patches.PATCHES, ids=[row.name for row in patches.PATCHES])
def test_the_patch_fits_the_installed_jedi(row: Row) -> None:
    assert row.problem() is None


@pytest.mark.parametrize("row", CALLED, ids=[row.name for row in CALLED])
def test_the_replacement_takes_what_jedi_passes(row: Patch) -> None:
    """The replacement accepts the parameters its row expects of the original."""
    assert row.expects is not None
    positional, keywords = _arguments(row.expects)
    if isinstance(row.replacement, classmethod):
        positional = ["cls", *positional]  # the class it is bound to comes first
    inspect.signature(undecorated(row.replacement)).bind(*positional, **keywords)


def test_the_table_is_the_one_list_of_changes() -> None:
    """Names are unique (they identify the rows in messages), every row says why, the originals
    kept are jedi's and parso's own, and a plugin has no hook its row does not check."""
    names = [row.name for row in patches.PATCHES]
    assert len(names) == len(set(names))
    assert all(row.why.strip() for row in patches.PATCHES)
    assert {row.purpose for row in patches.PATCHES} == set(Purpose)
    setup.configure(frozenset())
    for row in patches.PATCHES:
        if isinstance(row, Patch) and row.original is not None:
            assert row.original.function.__module__.split(".")[0] in ("jedi", "parso"), row.name
        if isinstance(row, Plugin):
            public = {name for name in vars(row.plugin) if not name.startswith("_")}
            assert public == {hook for hook, _ in row.hooks}


def test_parameters_are_read_through_jedis_caches() -> None:
    from jedi.inference.value.module import ModuleMixin

    assert parameters(ModuleMixin.star_imports) == "(self)"  # under jedi's memoizing wrapper
    assert parameters(_Owner.reachable) == "(self, name, strict)"
    assert parameters(42) is None


# -- a jedi that does not fit -------------------------------------------------------------------
class _Owner:
    """Stands for a class of jedi's in a newer release."""

    setting = 1

    def reachable(self, name: Any, strict: bool) -> bool:
        return True


def _replacement(self: Any, name: Any) -> bool:
    return False


def test_a_renamed_target_stops_the_start_up_with_one_line() -> None:
    row = Patch(
        _Owner, "_is_name_reachable", _replacement, Purpose.PRECISION, "why", "(self, name)"
    )
    with pytest.raises(IncompatibleJedi) as raised:
        patches.apply((row,))
    assert str(raised.value) == (
        f"halluc-check cannot run with {VERSIONS}: patch _Owner._is_name_reachable: "
        "target not found (renamed or removed)"
    )
    assert not hasattr(_Owner, "_is_name_reachable")


def test_a_changed_signature_stops_the_start_up_with_one_line() -> None:
    first = Patch(_Owner, "setting", 2, Purpose.SPEED, "why")
    row = Patch(_Owner, "reachable", _replacement, Purpose.PRECISION, "why", "(self, name)")
    original = _Owner.reachable
    with pytest.raises(IncompatibleJedi) as raised:
        patches.apply((first, row))
    assert str(raised.value) == (
        f"halluc-check cannot run with {VERSIONS}: patch _Owner.reachable: "
        "target has parameters (self, name, strict) where (self, name) was expected"
    )
    # nothing is applied when one row does not fit
    assert _Owner.reachable is original and _Owner.setting == 1


def test_configure_raises_for_a_patch_that_does_not_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    row = Patch(_Owner, "reachable", _replacement, Purpose.PRECISION, "why", "(self, name)")
    monkeypatch.setattr(patches, "PATCHES", (row,))
    monkeypatch.setattr(setup, "_applied", False)
    with pytest.raises(IncompatibleJedi, match=r"^halluc-check cannot run with jedi .*: patch "):
        setup.configure(frozenset())


def test_an_added_attribute_must_still_be_missing() -> None:
    """A patch that adds what jedi forwards elsewhere stops when jedi defines it itself."""
    row = Patch(
        _Owner, "reachable", _replacement, Purpose.PRECISION, "why", "(self, name)",
        in_place_of=_replacement,
    )  # fmt: skip
    assert row.problem() == "target now exists, where the patch adds it"


def test_a_renamed_setting_does_not_fit(tmp_path: Path) -> None:
    row = Patch(jedi.settings, "cache_dir", str(tmp_path), Purpose.ROBUSTNESS, "why")
    assert row.problem() == "target not found (renamed or removed)"


# -- errors of the patches' own code ------------------------------------------------------------
def test_a_patch_calling_its_original_wrongly_is_a_patch_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The original lost a parameter: the TypeError comes from the patch's own frame."""

    def original(inference_state: Any) -> Any:
        return None

    monkeypatch.setattr(safety.LOAD_MODULE, "function", original)
    guard = guarded("load_module", safety.safe_load_module)
    before = patch_error_count()
    with pytest.raises(PatchError, match=r"^patch load_module raised TypeError: "):
        guard(None, "builtins")
    assert patch_error_count() == before + 1
    monkeypatch.setenv(STRICT_PATCHES_VARIABLE, "0")
    with pytest.raises(TypeError):
        guard(None, "builtins")
    assert patch_error_count() == before + 2


def test_a_patch_called_with_other_parameters_is_a_patch_error() -> None:
    guard = guarded("load_module", safety.safe_load_module)
    before = patch_error_count()
    with pytest.raises(PatchError):
        guard(None, "builtins", "a parameter it does not have")
    assert patch_error_count() == before + 1


def test_an_error_of_jedis_own_code_passes_uncounted(monkeypatch: pytest.MonkeyPatch) -> None:
    def original(inference_state: Any, dotted_name: str, **kwargs: Any) -> Any:
        raise AttributeError("jedi's own")

    monkeypatch.setattr(safety.LOAD_MODULE, "function", original)
    guard = guarded("load_module", safety.safe_load_module)
    before = patch_error_count()
    with pytest.raises(AttributeError, match="jedi's own"):
        guard(None, "builtins")
    assert patch_error_count() == before


def test_patch_errors_pass_the_handlers_around_jedi() -> None:
    """Those handlers catch ``Exception`` and answer "unknown"."""
    assert not issubclass(PatchError, Exception)
    assert failures.strict_patches()  # set for the whole suite by conftest.py


def test_the_labelled_corpus_raises_no_patch_error(checker: Any) -> None:
    files = sorted((ROOT / "bench" / "corpus" / "hallucinated").rglob("*.py"))
    files += sorted((ROOT / "bench" / "corpus" / "correct").rglob("*.py"))
    assert len(files) > 40
    before = patch_error_count()
    for path in files:
        result = checker.check_source(path.read_text(encoding="utf-8"), str(path))
        assert result.error is None, (path, result.error)
    assert patch_error_count() == before


def _arguments(expects: str) -> tuple[list[str], dict[str, None]]:
    """Placeholders for parameters written ``(a, b, *, c, **d)``: the positional ones by
    position, the keyword-only ones by name."""
    positional: list[str] = []
    keywords: dict[str, None] = {}
    keyword_only = False
    for part in expects.strip("()").split(", "):
        if not part or part == "/" or part.startswith("**"):
            continue
        if part.startswith("*"):
            keyword_only = True
        elif keyword_only:
            keywords[part] = None
        else:
            positional.append(part)
    return positional, keywords
