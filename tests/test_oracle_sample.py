"""The run-time truth oracle (``bench/oracle.py``) on a short fixed sample -> probes generated and
verified at run time, findings matched to them, and today's quality kept as a floor."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import pickle
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
LIBRARIES = ("argparse", "logging", "requests", "click")
PER_KIND = 20
KINDS = ("module attribute", "class attribute", "instance attribute", "keyword")

# Measured on the sample (Python 3.11; requests 2.34, click 8.5): 320 existing names, 320 invented.
# The false alarms are `characters_written` of OSError subclasses, a C attribute the stubs omit.
# A regression below these fails; raise them as the engine improves.
MAX_FALSE_ALARMS = 3
MIN_RECALL = {
    "module attribute": 1.0,  # 80 of 80
    "class attribute": 0.98,  # 79 of 80
    "instance attribute": 0.95,  # 76 of 80
    "keyword": 0.98,  # 79 of 80
}


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is created
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def oracle() -> ModuleType:
    return _load("oracle")


_RUN = """
import importlib.util, pickle, sys
from pathlib import Path
spec = importlib.util.spec_from_file_location("oracle", Path(sys.argv[1]) / "oracle.py")
oracle = importlib.util.module_from_spec(spec)
sys.modules["oracle"] = oracle
spec.loader.exec_module(oracle)
outcome = oracle.run(tuple(sys.argv[4:]), int(sys.argv[3]), seed=0, jobs=1, folder=Path(sys.argv[2]))
sys.stdout.buffer.write(pickle.dumps(outcome))
"""


@pytest.fixture(scope="module")
def outcome(oracle: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The oracle's run, in a process of its own: what other tests checked before in this
    process must not decide it. In a test worker that had checked other files, one more
    instance attribute was missed (75 of 80 instead of 76); which earlier check leaves that
    behind is not found yet."""
    folder = tmp_path_factory.mktemp("oracle")
    proc = subprocess.run(
        [sys.executable, "-c", _RUN, str(BENCH), str(folder), str(PER_KIND), *LIBRARIES],
        capture_output=True,
        timeout=900,
        check=True,
    )
    return pickle.loads(proc.stdout)


def _resolve(dotted: str) -> Any:
    """The run-time object of ``package.module.Class`` (the longest importable prefix first)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            value: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:]:
            value = getattr(value, part)
        return value
    raise LookupError(dotted)


def _accepts(function: Any, name: str, method: bool) -> bool:
    """Whether ``function(name=...)`` binds, from the signature alone."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return True
    params = list(signature.parameters.values())
    if method and params and params[0].kind is not params[0].VAR_POSITIONAL:
        params = params[1:]
    return any(
        p.kind is p.VAR_KEYWORD
        or (p.name == name and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))
        for p in params
    )


def _exists(probe: Any) -> bool:
    """The probe's name looked up again here, independently of the oracle's own checks."""
    owner = _resolve(probe.owner)
    if probe.kind == "keyword":
        if probe.member:
            static = inspect.getattr_static(owner, probe.member)
            method = not isinstance(static, (staticmethod, classmethod))
            return _accepts(
                getattr(owner, probe.member) if not method else static, probe.name, method
            )
        return _accepts(owner, probe.name, method=False)
    if hasattr(owner, probe.name) or probe.name in dir(owner):
        return True
    if probe.kind == "instance attribute":
        fields = getattr(owner, "__dataclass_fields__", None) or owner.__dict__.get(
            "__pydantic_fields__", {}
        )
        return probe.name in fields
    if probe.kind == "module attribute" and hasattr(owner, "__path__"):
        return importlib.util.find_spec(f"{owner.__name__}.{probe.name}") is not None
    return False


def _probes(outcome: Any, truth: str) -> Iterator[Any]:
    return (p for p in outcome.probes if p.truth == truth)


def test_every_library_and_kind_has_its_probes(oracle: ModuleType, outcome: Any) -> None:
    truth = sys.modules["oracle_truth"]  # loaded by the oracle, from its own folder
    for library in LIBRARIES:
        available = truth.enumerate_library(library).existing
        for kind in KINDS:
            got = Counter(p.truth for p in outcome.probes if (p.library, p.kind) == (library, kind))
            assert got["existing"] == min(PER_KIND, len(available[kind])), (library, kind, got)
            assert got["invented"] == PER_KIND, (library, kind, got)


def test_probes_are_true_at_run_time(outcome: Any) -> None:
    wrong = [p for p in _probes(outcome, "existing") if not _exists(p)]
    wrong += [p for p in _probes(outcome, "invented") if _exists(p)]
    assert not wrong


def test_invented_names_are_new_and_distinct(outcome: Any) -> None:
    invented = [
        (p.library, p.kind, p.owner, p.member, p.name) for p in _probes(outcome, "invented")
    ]
    assert len(invented) == len(set(invented))
    assert {p.variant.split(" of ")[0] for p in _probes(outcome, "invented")} >= {
        "typo",
        "plural",
        "singular",
    }


def test_each_probe_is_on_its_own_line(outcome: Any) -> None:
    for probe in outcome.probes:
        line = Path(probe.path).read_text(encoding="utf-8").splitlines()[probe.line - 1]
        assert probe.name in line, (probe, line)
    places = [(p.path, p.line) for p in outcome.probes]
    assert len(places) == len(set(places))


def test_findings_are_matched_to_probes(outcome: Any) -> None:
    assert outcome.not_checked == {}
    assert outcome.stray == []
    found = [p for p in _probes(outcome, "invented") if p.flagged]
    assert found
    assert all(any(p.name in message for message in p.findings) for p in found)
    # a miss carries the engine's reason (or says that none was logged)
    assert all(p.why for p in _probes(outcome, "invented") if not p.flagged)


def test_quality_floor(oracle: ModuleType, outcome: Any) -> None:
    table = oracle.scores(outcome.probes)["all"]
    shown = {kind: (score.false_alarms, round(score.recall, 3)) for kind, score in table.items()}
    assert table["all"].false_alarms <= MAX_FALSE_ALARMS, shown
    for kind, floor in MIN_RECALL.items():
        assert table[kind].recall >= floor, shown
