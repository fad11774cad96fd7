"""Migration hints: the shipped data is true for the installed packages, entries match findings
by resolved owner and package (never by bare name), and hints never create or hide a finding."""

from __future__ import annotations

import importlib
import inspect
import io
import json
import sys
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import replace
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from halluc_check.config import Config, ConfigError, from_mapping, load_config
from halluc_check.engine.checker import Checker
from halluc_check.knowledge.migrations import (
    MigrationError,
    Migrations,
    builtin,
    load_file,
    normalise,
    parse_entry,
    version_tuple,
)
from halluc_check.model import Finding, Migration, Result
from halluc_check.report import render

from .conftest import FIXTURES
from .test_cli import run as run_cli

STALE = FIXTURES / "founding" / "bot_stale.py"
CHAT_COMPLETION_NOTE = (
    "`ChatCompletion` was removed in openai 1.0.0; use `OpenAI().chat.completions.create`"
)


# -- the shipped data ------------------------------------------------------------------------------
def test_shipped_entries_are_valid_and_unique() -> None:
    entries = builtin()
    assert len(entries) > 250
    keys = [entry.key for entry in entries]
    assert len(keys) == len(set(keys))
    packages = {entry.package for entry in entries}
    assert {"openai", "numpy", "pandas", "python-telegram-bot", "SQLAlchemy"} <= packages
    assert {"Flask", "Werkzeug", "python"} <= packages


def _installed_version(entry: Migration) -> tuple[int, ...] | None:
    if entry.package == "python":
        return tuple(sys.version_info[:3])
    try:
        return version_tuple(metadata.version(entry.package))
    except metadata.PackageNotFoundError:
        return None


def _applies_here(entry: Migration) -> bool:
    installed = _installed_version(entry)
    if installed is None:
        return False
    since = version_tuple(entry.since)
    width = max(len(installed), len(since))
    return installed + (0,) * (width - len(installed)) >= since + (0,) * (width - len(since))


def _create_engine(keyword: str) -> None:
    from sqlalchemy import create_engine

    create_engine("sqlite://", **{keyword: True})


def _send_from_directory(keyword: str) -> None:
    import flask

    folder = tempfile.mkdtemp()
    Path(folder, "x.txt").write_text("x", encoding="utf-8")
    with flask.Flask("probe").test_request_context():
        flask.send_from_directory(folder, "x.txt", **{keyword: "x.txt"})


#: Callables that take ``**kwargs``: their signature cannot show that a keyword is refused, so
#: the keyword is passed for real and must be refused.
KEYWORD_PROBES: dict[str, Callable[[str], None]] = {
    "sqlalchemy:create_engine": _create_engine,
    "flask:send_from_directory": _send_from_directory,
}


def _missing_at_run_time(entry: Migration) -> bool:
    """Whether what ``entry`` names is really gone from the interpreter running the tests."""
    try:
        value: Any = importlib.import_module(entry.module)
    except ImportError:
        return not entry.member and not entry.keyword
    for part in entry.member.split(".") if entry.member else ():
        try:
            value = getattr(value, part)
        except AttributeError:
            return not entry.keyword
    if not entry.member:
        return False  # the module imports
    if entry.keyword is None:
        # openai 1.x keeps the 0.x names as proxies that raise as soon as they are used
        return type(value).__name__ == "APIRemovedInV1Proxy"
    parameters = inspect.signature(value).parameters
    if entry.keyword in parameters:
        return False
    if not any(p.kind is p.VAR_KEYWORD for p in parameters.values()):
        return True
    probe = KEYWORD_PROBES.get(entry.api)
    assert probe is not None, f"{entry.api} takes **kwargs: add a probe for `{entry.keyword}`"
    try:
        probe(entry.keyword)
    except TypeError:
        return True
    return False


def test_every_shipped_entry_names_what_the_installed_version_lacks() -> None:
    """Entries whose ``since`` the installed version has reached must name a missing API."""
    checked = 0
    wrong = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for entry in builtin():
            if not _applies_here(entry):
                continue
            checked += 1
            if not _missing_at_run_time(entry):
                wrong.append(f"{entry.api} {entry.keyword or ''}".strip())
    assert wrong == []
    assert checked > 200  # the test extra installs every library the data speaks of


def test_every_entry_the_engine_proves_here_gets_its_own_hint(checker: Checker) -> None:
    """For each entry, a use of the API: when the engine reports it, the hint is that entry's."""
    proved = set()
    for entry in builtin():
        if not _applies_here(entry):
            continue
        for source in _uses(entry):
            findings = checker.check_source(source, None).findings
            if findings:
                assert [f.migration for f in findings] == [entry], (source, findings)
                proved.add(entry.api)
                break
    # the engine cannot prove some of them (pandas' overloaded readers, **kwargs passed on)
    assert len(proved) > 200
    for api in ("openai:ChatCompletion", "numpy:float", "pandas:DataFrame.append", "urllib2"):
        assert api in proved
    for api in ("telegram.ext:Updater", "sqlalchemy.engine:Engine.execute", "flask:Markup"):
        assert api in proved
    for api in ("werkzeug.urls:url_quote", "collections:Mapping", "builtins:dict.iteritems"):
        assert api in proved


def _uses(entry: Migration) -> list[str]:
    """Ways generated code uses the API of ``entry``."""
    module, member = entry.module, entry.member
    parts = member.split(".") if member else []
    if entry.keyword:
        call = f"({entry.keyword}=None)"
        if len(parts) == 1:
            return [f"import {module} as m\nm.{member}{call}\n"]
        owner, rest = parts[0], ".".join(parts[1:])
        return [
            f"import {module} as m\nm.{owner}().{rest}{call}\n",
            f"import {module} as m\ndef f(o: m.{owner}):\n    o.{rest}{call}\n",
        ]
    if not parts:
        if "." not in module:
            return [f"import {module}\n"]
        parent, name = module.rsplit(".", 1)
        return [f"import {module}\n", f"from {parent} import {name}\n"]
    if module == "builtins":
        literal = {"dict": "{}", "str": "''"}[parts[0]]
        return [f"x = {literal}\nx.{parts[1]}()\n"]
    if len(parts) == 1:
        return [f"import {module} as m\nm.{member}\n", f"from {module} import {member}\n"]
    owner, rest = parts[0], ".".join(parts[1:])
    return [
        f"import {module} as m\nm.{owner}.{rest}\n",
        f"import {module} as m\nm.{owner}().{rest}()\n",
        f"import {module} as m\ndef f(o: m.{owner}):\n    o.{rest}()\n",
    ]


# -- the founding fixture ----------------------------------------------------------------------------
def test_founding_fixture_findings_gain_hints(checker: Checker) -> None:
    result = checker.check_source(STALE.read_text(encoding="utf-8"), str(STALE))
    assert len(result.findings) == 10
    hints = {f.span.line: f.migration for f in result.findings}
    assert all(hints.values()), result.findings
    assert {line: hint.api for line, hint in hints.items() if hint} == {
        25: "telegram:ChatAction",  # ParseMode, then ChatAction, on line 25
        26: "telegram.ext:Filters",
        56: "openai:ChatCompletion",
        71: "openai:Completion",
        83: "openai.error",
        85: "openai.error",
        98: "telegram.ext:Updater",
        99: "telegram.ext:Updater.dispatcher",
        108: "telegram.ext:Updater.idle",
    }
    chat = next(f for f in result.findings if f.span.line == 56)
    assert chat.notes[-1] == CHAT_COMPLETION_NOTE
    keyword = next(f for f in result.findings if f.code == "HAL201")
    assert keyword.notes[-1].startswith(
        "keyword `use_context` of `Updater` was removed in python-telegram-bot 20.0; drop it"
    )
    error = next(f for f in result.findings if f.span.line == 83)
    assert error.notes[-1].startswith("`openai.error` was removed in openai 1.0.0")


def _plain(findings: tuple[Finding, ...]) -> list[tuple[Any, ...]]:
    return [(f.code, f.span, f.message, f.confidence) for f in findings]


@pytest.fixture(scope="module")
def bare(checker: Checker) -> Checker:
    """The same engine without any migration entry."""
    plain = Checker(checker.config, env=checker.env)
    plain.migrations = Migrations(shipped=False)
    return plain


@pytest.mark.parametrize(
    "path",
    [STALE, *sorted((FIXTURES / "cases").glob("*.py"))],
    ids=lambda p: p.name,
)
def test_hints_never_create_or_remove_findings(checker: Checker, bare: Checker, path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    with_hints = checker.check_source(source, str(path))
    without = bare.check_source(source, str(path))
    assert _plain(with_hints.findings) == _plain(without.findings)
    assert all(f.migration is None for f in without.findings)
    for hinted, plain in zip(with_hints.findings, without.findings, strict=True):
        if hinted.migration is None:
            assert hinted == plain
        else:
            assert hinted == replace(
                plain, notes=(*plain.notes, hinted.migration.note), migration=hinted.migration
            )


def _checker_with(checker: Checker, entries: list[dict[str, str]]) -> Checker:
    config = from_mapping({"python": sys.executable, "migrations": entries})
    assert len(config.migrations) == len(entries)
    return Checker(config, env=checker.env)


def test_an_entry_for_an_existing_api_reports_nothing(checker: Checker) -> None:
    own = _checker_with(
        checker,
        [
            {"api": "json:loads", "package": "python", "kind": "removed", "since": "3.0",
             "replacement": "`json.load`"},
            {"api": "pandas:DataFrame.merge", "package": "pandas", "kind": "removed",
             "since": "1.0", "replacement": "`pd.merge`"},
        ],
    )  # fmt: skip
    source = (
        "import json\nimport pandas as pd\njson.loads('1')\npd.DataFrame().merge(pd.DataFrame())\n"
    )
    assert own.check_source(source, None).findings == ()


def test_same_name_on_another_owner_gets_no_hint(checker: Checker, tmp_path: Path) -> None:
    source = (
        "import numpy as np\n"
        "class DataFrame:\n    pass\n\n"
        "DataFrame().append(1)\n"  # a class of the checked file, not pandas'
        "np.random.float\n"  # `float` on numpy.random, not on numpy
        "import string\nstring.Formatter.letters\n"  # `letters` on a class, not the module
    )
    path = tmp_path / "snippet.py"
    path.write_text(source, encoding="utf-8")
    findings = checker.check_source(source, str(path)).findings
    assert [f.message.split("`")[-2] for f in findings] == ["append", "float", "letters"]
    assert [f.migration for f in findings] == [None, None, None]


def test_package_and_version_must_match(checker: Checker) -> None:
    own = Checker(Config(python=sys.executable), env=checker.env)
    own.migrations = Migrations(
        [
            # the right name on the right module, but another distribution
            Migration("numpy:float", "pandas", "removed", "1.0", "`float`"),
            # removed in a version the installed numpy has not reached
            Migration("numpy:int", "numpy", "removed", "999.0", "`int`"),
            # the right distribution, and a version it has reached
            Migration("numpy:complex", "numpy", "removed", "1.24", "`complex`"),
            # Python entries need a Python that has reached the version
            Migration("time:clock", "python", "removed", "4.0", "`time.perf_counter`"),
        ],
        shipped=False,
    )
    source = "import numpy as np\nimport time\nnp.float\nnp.int\nnp.complex\ntime.clock()\n"
    findings = own.check_source(source, None).findings
    assert [f.message.split("`")[-2] for f in findings] == ["float", "int", "complex", "clock"]
    assert [f.migration and f.migration.api for f in findings] == [
        None,
        None,
        "numpy:complex",
        None,
    ]


def test_user_entry_replaces_the_shipped_one(checker: Checker) -> None:
    own = _checker_with(
        checker,
        [{"api": "openai:ChatCompletion", "package": "openai", "kind": "renamed", "since": "1.0",
          "replacement": "`client.chat.completions.create` (see our wiki)"}],
    )  # fmt: skip
    findings = own.check_source("import openai\nopenai.ChatCompletion.create()\n", None).findings
    assert [f.notes[-1] for f in findings] == [
        "`ChatCompletion` was renamed in openai 1.0; use `client.chat.completions.create` (see our wiki)"
    ]
    assert len([e for e in own.migrations.entries if e.api == "openai:ChatCompletion"]) == 1


def test_a_users_own_library(checker: Checker, tmp_path: Path) -> None:
    """Entries for a package of the target environment the shipped data knows nothing of."""
    own = _checker_with(
        checker,
        [{"api": "requests:Session.get_json", "package": "requests", "kind": "removed",
          "since": "2.0", "replacement": "`session.get(url).json()`"},
         {"api": "requests:get", "keyword": "verify_ssl", "package": "requests",
          "kind": "renamed", "since": "1.0", "replacement": "`verify=`"}],
    )  # fmt: skip
    source = (
        "import requests\ns = requests.Session()\ns.get_json('u')\n"
        "requests.get('u', verify_ssl=False)\n"
    )
    findings = own.check_source(source, None).findings
    assert [f.notes[-1] for f in findings] == [
        "`Session.get_json` was removed in requests 2.0; use `session.get(url).json()`",
        "keyword `verify_ssl` of `get` was renamed in requests 1.0; use `verify=`",
    ]


# -- configuration -----------------------------------------------------------------------------------
def test_migrations_file_relative_to_the_pyproject(tmp_path: Path) -> None:
    (tmp_path / "hints").mkdir()
    (tmp_path / "hints" / "ours.toml").write_text(
        '[[migration]]\napi = "mylib.old"\npackage = "mylib"\nkind = "renamed"\n'
        'since = "2.0"\nreplacement = "`mylib.new`"\n',
        encoding="utf-8",
    )
    (tmp_path / "pyproject.toml").write_text(
        '[tool.halluc-check]\nmigrations = "hints/ours.toml"\n', encoding="utf-8"
    )
    config = load_config(tmp_path)
    assert config.migrations == (Migration("mylib.old", "mylib", "renamed", "2.0", "`mylib.new`"),)
    hash(config)


def test_inline_tables_in_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[[tool.halluc-check.migrations]]\n"
        'api = "pandas:read_csv"\nkeyword = "sep_regex"\npackage = "pandas"\n'
        'kind = "Removed"\nsince = "2.0"\nreplacement = "`sep=`"\n',
        encoding="utf-8",
    )
    (entry,) = load_config(tmp_path).migrations
    assert entry == Migration("pandas:read_csv", "pandas", "removed", "2.0", "`sep=`", "sep_regex")


GOOD = {"api": "a.b:C.d", "package": "a", "kind": "removed", "since": "1.0", "replacement": "`x`"}
BAD_ENTRIES: list[tuple[Any, str]] = [
    ("", "`migrations` must be the path of a TOML file or [[tool.halluc-check.migrations]]"),
    (3, "`migrations` must be the path of a TOML file"),
    ([1], "migrations[1] must be a table, not `1`"),
    ([{**GOOD, "sincee": "1"}], "migrations[1]: unknown key(s) sincee (known: api, keyword,"),
    ([GOOD, {"api": "x"}], "migrations[2]: missing `package`, `kind`, `since`, `replacement`"),
    ([{**GOOD, "kind": "gone"}], "migrations[1]: `kind` must be one of removed, renamed, moved"),
    ([{**GOOD, "api": "a b"}], "migrations[1]: `api` must be `module` or `module:Name.attr`"),
    ([{**GOOD, "api": "a:"}], "`api` must be `module` or `module:Name.attr`, not `a:`"),
    ([{**GOOD, "since": "soon"}], "migrations[1]: `since` must be a version like `2.0.0`"),
    ([{**GOOD, "keyword": "not-a-name"}], "`keyword` must be an identifier, not `not-a-name`"),
    ([{**GOOD, "replacement": 1}], "migrations[1]: `replacement` must be a non-empty string"),
    ([{**GOOD, "package": "a b"}], "`package` must be a distribution name or `python`"),
    ("missing.toml", "missing.toml: cannot read:"),
]


@pytest.mark.parametrize(("value", "message"), BAD_ENTRIES)
def test_bad_entries_are_clear_errors(tmp_path: Path, value: Any, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        from_mapping({"migrations": value}, root=tmp_path)
    assert message in str(caught.value)


def test_bad_migrations_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[migration]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.toml: invalid TOML"):
        from_mapping({"migrations": "bad.toml"}, root=tmp_path)
    bad.write_text('[[migrations]]\napi = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown key\(s\) migrations \(entries are"):
        from_mapping({"migrations": str(bad)})
    bad.write_text('[[migration]]\napi = "x"\n', encoding="utf-8")
    with pytest.raises(MigrationError, match=r"bad\.toml: migration\[1\]: missing `package`"):
        load_file(bad)


def test_cli_rejects_a_bad_entry_with_exit_2(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[[tool.halluc-check.migrations]]\napi = "x"\n', encoding="utf-8"
    )
    (tmp_path / "a.py").write_text("x = 1\n", encoding="utf-8")
    proc = run_cli("a.py", "--python", sys.executable, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'pyproject.toml'}: migrations[1]: missing `package`, `kind`, "
        "`since`, `replacement`"
    ]


def test_parse_entry_normalises() -> None:
    entry = parse_entry({**GOOD, "kind": " Moved ", "replacement": "use\n  `x`"}, "t")
    assert (entry.kind, entry.replacement) == ("moved", "use `x`")
    assert entry.note == "`C.d` was moved in a 1.0; use use `x`"
    dropped = replace(entry, replacement="drop it: not needed")
    assert dropped.note == "`C.d` was moved in a 1.0; drop it: not needed"
    assert normalise("python_telegram.bot") == "python-telegram-bot"
    assert version_tuple("2.0.0rc1") == (2, 0, 0)


# -- outputs -----------------------------------------------------------------------------------------
def _founding(checker: Checker) -> Result:
    return checker.check_source(STALE.read_text(encoding="utf-8"), str(STALE))


def _render(result: Result, fmt: str) -> str:
    out = io.StringIO()
    render([result], fmt, out, color=False)
    return out.getvalue()


def test_every_format_shows_the_hint(checker: Checker) -> None:
    result = _founding(checker)
    assert f"= note: {CHAT_COMPLETION_NOTE}\n" in _render(result, "full")
    assert f"(help: did you mean `chat`?) (note: {CHAT_COMPLETION_NOTE})\n" in _render(
        result, "concise"
    )
    data = json.loads(_render(result, "json"))
    chat = next(d for d in data["diagnostics"] if d["line"] == 56)
    assert chat["migration"] == {
        "api": "openai:ChatCompletion",
        "keyword": None,
        "package": "openai",
        "kind": "removed",
        "since": "1.0.0",
        "replacement": "`OpenAI().chat.completions.create`",
        "note": CHAT_COMPLETION_NOTE,
    }
    sarif = json.loads(_render(result, "sarif"))
    first = next(
        r
        for r in sarif["runs"][0]["results"]
        if r["locations"][0]["physicalLocation"]["region"]["startLine"] == 56
    )
    assert first["message"]["text"].endswith(f"\nnote: {CHAT_COMPLETION_NOTE}")
    assert first["properties"]["migration"]["api"] == "openai:ChatCompletion"
    github = _render(result, "github")
    assert "line=56,endLine=56,col=23,endColumn=37,title=halluc-check (HAL101)::" in github
    assert f"%0Anote: {CHAT_COMPLETION_NOTE}\n" in github


def test_cli_json_carries_the_hint() -> None:
    proc = run_cli(str(STALE), "--python", sys.executable, "--format", "json")
    assert proc.returncode == 1, proc.stderr
    diagnostics = json.loads(proc.stdout)["diagnostics"]
    assert all(d["migration"] is not None for d in diagnostics)
    assert [d["migration"]["api"] for d in diagnostics][:3] == [
        "telegram:ParseMode",
        "telegram:ChatAction",
        "telegram.ext:Filters",
    ]
