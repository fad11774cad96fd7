"""The library model of pydantic 2 (``resolve/models/pydantic_v2.py``), against the installed
pydantic and openai: what it reports, at which confidence and with which note, what it leaves
open, and that it is off outside the versions it was verified against."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import parso
import pytest

from halluc_check.config import Config
from halluc_check.engine.checker import Checker
from halluc_check.model import Confidence, Finding
from halluc_check.resolve.library_models import metaclass_model
from halluc_check.resolve.models.pydantic_v2 import (
    BASE_MODEL,
    METACLASS,
    dataclass_may_keep_extra,
    own_setting,
)
from halluc_check.syntax.data_keys import data_names
from halluc_check.target.environment import Distribution, TargetEnvironment, load_environment

Check = Callable[..., list[Finding]]

MODELS = """\
from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: int


class Loose(BaseModel):
    model_config = ConfigDict(extra="allow")
    value: int


"""


def _by_name(findings: list[Finding]) -> dict[str, Finding]:
    return {finding.name: finding for finding in findings}


def test_a_name_no_model_has_is_reported_with_high_confidence(check: Check) -> None:
    found = _by_name(check(MODELS + "print(Strict(value=1).valeu)\n"))
    assert found["valeu"].confidence is Confidence.HIGH
    assert not any("extra" in note for note in found["valeu"].notes)


def test_extra_allow_is_medium_confidence_with_a_note(check: Check) -> None:
    found = _by_name(check(MODELS + "print(Loose(value=1).valeu)\n"))
    assert found["valeu"].confidence is Confidence.MEDIUM
    assert any('allows extra keys (`extra="allow"`)' in note for note in found["valeu"].notes)


def test_openai_responses_allow_extra_keys(check: Check) -> None:
    source = (
        "from openai import OpenAI\n"
        "r = OpenAI().chat.completions.create(model='x', messages=[])\n"
        "print(r.usage.total_token)\n"
    )
    found = _by_name(check(source))
    assert found["total_token"].confidence is Confidence.MEDIUM
    assert found["total_token"].symbol == "openai.types.completion_usage.CompletionUsage"


def test_validating_with_extra_makes_every_model_medium(check: Check) -> None:
    source = MODELS + (
        "s = Strict.model_validate({'value': 1}, extra='allow')\n"
        "print(s.valeu, Strict(value=1).other)\n"
    )
    found = _by_name(check(source))
    assert {f.confidence for f in found.values()} == {Confidence.MEDIUM}
    assert any("validates with an `extra=` argument" in n for n in found["valeu"].notes)


@pytest.mark.parametrize(
    "giving",
    [
        "Loose(value=1, valeu=2)",  # a keyword of the model's constructor
        "Strict(value=1).model_copy(update={'valeu': 2})",  # model_copy's update
        "Loose.model_validate({'value': 1, 'valeu': 2})",  # a literal key of the data
        'Loose.model_validate_json(\'{"value": 1, "valeu": 2}\')',  # a key of JSON text
    ],
)
def test_a_name_the_file_gives_as_data_is_not_reported(check: Check, giving: str) -> None:
    assert check(MODELS + f"m = {giving}\nprint(Strict(value=1).valeu)\n") == []


@pytest.mark.parametrize(
    "body",
    [
        "model_config = make()",  # a configuration that cannot be read
        "model_config = ConfigDict(**OPTIONS)",
        "model_config = {**OPTIONS}",
        "class Config(Base):\n        pass",  # `extra` may come from its base
        "def __getattr__(self, name):\n        return name",
    ],
)
def test_models_that_may_answer_any_name_stay_open(check: Check, body: str) -> None:
    source = (
        "from pydantic import BaseModel, ConfigDict\n"
        "OPTIONS = {'extra': 'allow'}\n"
        "class Base:\n    extra = 'allow'\n"
        "def make():\n    return OPTIONS\n"
        f"class Model(BaseModel):\n    {body}\n\n"
        "print(Model().anything)\n"
    )
    assert check(source) == []


def test_instances_of_base_model_itself_stand_for_models_made_at_run_time(check: Check) -> None:
    source = (
        "from pydantic import BaseModel, create_model\n"
        "Made = create_model('Made', size=(int, 0))\n"
        "def f(model: BaseModel) -> None:\n"
        "    print(model.anything, Made().size)\n"
    )
    assert check(source) == []


def test_class_level_names_are_checked_and_fields_are_not_reported(check: Check) -> None:
    findings = check(MODELS + "print(Strict.value, Strict.model_validate, Strict.parse_dict)\n")
    assert [f.name for f in findings] == ["parse_dict"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("x: int", (frozenset(), False)),
        ("model_config = ConfigDict(frozen=True)", (frozenset(), False)),
        ("model_config = ConfigDict(extra='allow')", (frozenset({"allow"}), True)),
        ("model_config = {'extra': 'forbid'}", (frozenset({"forbid"}), True)),
        ("model_config = ConfigDict(extra=None)", (frozenset({"ignore"}), True)),
        (
            "model_config: ClassVar[ConfigDict] = ConfigDict(extra=Extra.allow)",
            (frozenset({"allow"}), True),
        ),
        ("if V1:\n        model_config = {'extra': 'allow'}", (frozenset({"allow"}), False)),
        ("class Config:\n        extra = 'allow'", (frozenset({"allow"}), True)),
        ("model_config = ConfigDict(extra=EXTRA)", None),
        ("model_config['extra'] = 'allow'", None),
        ("model_config = ConfigDict(extra='everything')", None),
    ],
)
def test_own_setting(body: str, expected: tuple[frozenset[str], bool] | None) -> None:
    classdef = next(parso.parse(f"class M(BaseModel):\n    {body}\n").iter_classdefs())
    assert own_setting(classdef) == expected


def test_a_class_keyword_overrides_the_body() -> None:
    source = "class M(BaseModel, extra='forbid'):\n    model_config = ConfigDict(extra='allow')\n"
    classdef = next(parso.parse(source).iter_classdefs())
    assert own_setting(classdef) == (frozenset({"forbid"}), True)


def test_keywords_through_a_mapping_cannot_be_read() -> None:
    classdef = next(parso.parse("class M(BaseModel, **OPTIONS):\n    x: int\n").iter_classdefs())
    assert own_setting(classdef) is None


@pytest.mark.parametrize(
    ("source", "keeps"),
    [
        ("@dataclass\nclass D:\n    x: int\n", False),
        ("@dataclass(config=ConfigDict(frozen=True))\nclass D:\n    x: int\n", False),
        ("@dataclass(config=ConfigDict(extra='allow'))\nclass D:\n    x: int\n", True),
        ("@dataclass(config=CONFIG)\nclass D:\n    x: int\n", True),
        ("@dataclass\nclass D:\n    __pydantic_config__ = {'extra': 'allow'}\n", True),
        ("@dataclass\nclass D:\n    __pydantic_config__ = ConfigDict(extra='forbid')\n", False),
    ],
)
def test_dataclasses_whose_configuration_may_keep_extra_keys(source: str, keeps: bool) -> None:
    classdef = next(parso.parse(source).iter_classdefs())
    assert dataclass_may_keep_extra(classdef) is keeps


def test_data_names_read_without_ast_fall_back_to_every_keyword_and_quoted_word() -> None:
    named = data_names("match x:\n    case 1: M(value=1, note='n')\nprint(x.y\n")
    assert {"value", "note", "n"} <= named.keys


def _environment(pydantic_version: str) -> TargetEnvironment:
    env = load_environment(sys.executable)
    distributions = dict(env.distributions)
    distributions["pydantic"] = Distribution("pydantic", pydantic_version)
    env.__dict__["distributions"] = distributions
    return env


@pytest.mark.parametrize("version", ["1.10.13", "2.15.0", "3.0.0"])
def test_the_model_is_off_outside_the_versions_verified(version: str, tmp_path: Path) -> None:
    env = _environment(version)
    assert metaclass_model(METACLASS, env) is None
    assert metaclass_model(BASE_MODEL, env, role="bases") is None
    source = MODELS + "print(Strict(value=1).valeu, Strict.parse_dict)\n"
    path = tmp_path / "snippet.py"
    path.write_text(source, encoding="utf-8")
    result = Checker(Config(python=sys.executable), env=env).check_source(source, str(path))
    assert result.error is None
    assert list(result.findings) == []


def test_the_model_is_on_for_the_installed_pydantic() -> None:
    env = _environment("2.14.4")
    model = metaclass_model(METACLASS, env)
    assert model is not None and model.distribution == "pydantic"
    assert metaclass_model(BASE_MODEL, env, role="bases") is model
