"""The real API facts beside each finding: nearest real names, signatures, where a name lives now."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from halluc_check.engine.checker import Checker
from halluc_check.knowledge.package_index import shipped
from halluc_check.model import Finding, Span
from halluc_check.repair.facts import (
    defined_elsewhere,
    facts_for,
    installed_alternatives,
    module_fact,
)
from halluc_check.repair.prompts import describe_problems, fenced, repair_prompt
from halluc_check.suggest import nearest_names

Check = Callable[..., list[Finding]]


def test_nearest_names_rank_without_cutoff() -> None:
    names = ["start_polling", "stop", "running", "bot", "_private", "initialize"]
    nearest = nearest_names("idle", names)
    assert set(nearest) == {"start_polling", "stop", "running", "bot", "initialize"}
    assert nearest[0] == "initialize"
    assert nearest_names("Filters", ["filters", "Defaults", "Updater"])[0] == "filters"
    assert nearest_names("x", [f"n{i}" for i in range(40)], limit=5) == [
        "n0",
        "n1",
        "n10",
        "n11",
        "n12",
    ]
    assert "_private" in nearest_names("_privte", names)


def test_findings_carry_the_missing_name_and_the_nearest_real_ones(check: Check) -> None:
    findings = check(
        "import jsonn\n"
        "from json import loadz\n"
        "import json\n"
        "json.dumpz({})\n"
        "import textwrap\n"
        "textwrap.shorten('x', widht=3)\n"
        "textwrap.dedent('a', 'b')\n"
    )
    by_code = {f.code + (f.name or ""): f for f in findings}
    assert set(by_code) == {"HAL001jsonn", "HAL002loadz", "HAL101dumpz", "HAL201widht", "HAL202"}
    assert by_code["HAL001jsonn"].nearest[0] == "json"
    assert by_code["HAL002loadz"].nearest[:2] == ("load", "loads")
    assert by_code["HAL101dumpz"].nearest[:2] == ("dump", "dumps")
    hal201 = by_code["HAL201widht"]
    assert hal201.nearest[0] == "width"
    assert hal201.signatures[0].startswith("shorten(text: str, width: int, *,")
    assert by_code["HAL202"].signatures == ("dedent(text: str) -> str",)
    assert all(not f.signatures for f in findings if f.code not in ("HAL201", "HAL202"))


def test_where_a_missing_name_is_defined_now(check: Check, checker: Checker) -> None:
    findings = check(
        "from telegram import ParseMode\n"
        "import openai\n"
        "openai.ChatCompletion\n"
        "openai.error\n"
        "from telegram.ext import Updater\n"
        "Updater(None, None).idle()\n"
    )
    places = {f.name: defined_elsewhere(f, checker.env) for f in findings}
    assert places == {
        "ParseMode": ["telegram.constants"],
        "ChatCompletion": ["openai.types.chat.chat_completion"],
        "error": [],
        "idle": [],  # an instance's attribute: never looked up as a module-level name
    }


def test_the_prompt_lists_problems_with_their_facts(check: Check, checker: Checker) -> None:
    code = "from telegram import ParseMode\nimport textwrap\ntextwrap.shorten('x', widht=3)\n"
    facts = [facts_for(f, checker.env) for f in check(code)]
    listing = describe_problems(code, facts)
    assert listing.splitlines()[0] == (
        "1. line 1: cannot import name `ParseMode` from `telegram` [HAL002 unresolved-import-name]"
    )
    assert "   code: `from telegram import ParseMode`" in listing
    assert "   `ParseMode` is defined in: `telegram.constants`" in listing
    assert "2. line 3: `shorten()` got an unexpected keyword argument `widht`" in listing
    assert "   real signature: `shorten(text: str, width: int, *," in listing
    prompt = repair_prompt(code, "app.py", facts, python="3.11")
    assert prompt.startswith(
        "The Python file `app.py` below was checked against the packages installed where it "
        "will run (Python 3.11, python-telegram-bot "
    )
    assert prompt.endswith(fenced(code))


def test_a_fence_inside_the_code_does_not_close_the_block() -> None:
    code = 'DOC = """\n```python\nx = 1\n```\n"""\n'
    assert fenced(code) == f"````python\n{code.rstrip()}\n````"


def test_an_invented_module_is_said_not_to_exist_and_the_installed_lookalikes_are_named(
    check: Check, checker: Checker
) -> None:
    code = (
        "import telegraf\n"
        "import telegram_bot_helpers\n"
        "import sklearn\n"
        "import numpyx\n"
        "import openai.error\n"
        "import zzqxv_made_up\n"
    )
    date = shipped().date
    facts = {f.name: facts_for(f, checker.env).module for f in check(code)}
    assert facts == {
        "telegraf": f"`telegraf` does not exist on PyPI (index of {date}); the library installed "
        "here with a similar import name is python-telegram-bot (`telegram`)",
        # not a near miss of `telegram`'s spelling: the distribution's name shares a word
        "telegram_bot_helpers": f"`telegram_bot_helpers` does not exist on PyPI (index of {date});"
        " the library installed here with a similar import name is python-telegram-bot "
        "(`telegram`)",
        "sklearn": "`sklearn` is provided by scikit-learn, not installed here; no library "
        "installed here has a similar import name",
        "numpyx": f"only a little-used distribution on PyPI is named `numpyx` (index of {date}), "
        "no well-known one provides `numpyx`; the library installed here with a similar import "
        "name is numpy (`numpy`)",
        "openai.error": None,  # a submodule: its package's real submodules are the facts
        "zzqxv_made_up": f"`zzqxv_made_up` does not exist on PyPI (index of {date}); no library "
        "installed here has a similar import name",
    }
    listing = describe_problems(code, [facts_for(f, checker.env) for f in check(code)])
    assert f"   `telegraf` does not exist on PyPI (index of {date}); the library" in listing


def test_a_real_module_not_installed_names_its_distribution(checker: Checker) -> None:
    # `yaml` is installed where the tests run: as checked against an environment without it
    finding = Finding(
        code="HAL003",
        rule="missing-dependency",
        message="`yaml` is not installed; it is provided by `PyYAML` (`pip install PyYAML`)",
        path="app.py",
        span=Span(1, 7, 1, 11),
        name="yaml",
    )
    assert module_fact(finding, checker.env) == (
        "`yaml` is provided by PyYAML, not installed here; no library installed here has a "
        "similar import name"
    )
    assert module_fact(replace(finding, code="HAL101"), checker.env) is None


def test_installed_alternatives_one_import_name_per_distribution(checker: Checker) -> None:
    assert installed_alternatives("pydantic_helpers", checker.env) == [
        ("pydantic", "pydantic"),
        ("pydantic_core", "pydantic_core"),
    ]
    assert installed_alternatives("requests", checker.env) == []  # itself is no alternative
