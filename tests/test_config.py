"""``[tool.halluc-check]``: every key validated, bad values rejected with a one-line reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import halluc_check.cli.command as cli
from halluc_check.config import (
    Config,
    ConfigError,
    from_mapping,
    load_config,
    parse_confidence,
    parse_dynamic,
)
from halluc_check.model import Confidence
from halluc_check.rules import REGISTRY


def test_defaults() -> None:
    config = from_mapping({})
    assert config == Config()
    assert config.select == frozenset(REGISTRY)
    assert config.dynamic == ()
    assert config.min_confidence is Confidence.MEDIUM


def test_every_key(tmp_path: Path) -> None:
    config = from_mapping(
        {
            "python": ".venv/bin/python",
            "select": ["HAL0", "unresolved-attribute"],
            "ignore": "HAL002",
            "exclude": ["migrations", "*_pb2.py"],
            "min-confidence": "HIGH",
            "dynamic": ["boto3.client", "myproj.settings", "boto3.client"],
        },
        root=tmp_path,
    )
    assert config.python == str(tmp_path / ".venv/bin/python")
    assert config.select == {"HAL001", "HAL002", "HAL003", "HAL101"}
    assert config.ignore == {"HAL002"}
    assert config.enabled("HAL001") and not config.enabled("HAL002")
    assert config.exclude == ("migrations", "*_pb2.py")
    assert config.min_confidence is Confidence.HIGH
    assert config.dynamic == ("boto3.client", "myproj.settings")
    assert config.root == tmp_path
    hash(config)  # used as a cache key


def test_absolute_python_is_kept(tmp_path: Path) -> None:
    assert from_mapping({"python": "/usr/bin/python3"}, root=tmp_path).python == "/usr/bin/python3"


BAD_VALUES: list[tuple[dict[str, Any], str]] = [
    ({"python": 3}, "`python` must be the path of an interpreter or environment, not `3`"),
    ({"python": ""}, "`python` must be the path"),
    ({"python": ["a"]}, "`python` must be the path"),
    ({"select": ["HAL7"]}, "`select`: unknown rule selector `HAL7`"),
    ({"select": [1]}, "`select` must be a list of rule codes or names, not `[1]`"),
    ({"select": {"a": 1}}, "`select` must be a list of rule codes or names"),
    ({"ignore": ["nope-rule"]}, "`ignore`: unknown rule selector `nope-rule`"),
    ({"ignore": [""]}, "`ignore` must be a list of rule codes or names"),
    ({"exclude": "migrations"}, "`exclude` must be a list of glob patterns, not `migrations`"),
    ({"exclude": ["ok", 2]}, "`exclude` must be a list of glob patterns"),
    ({"min-confidence": "low"}, "`min-confidence` must be one of high, medium, not `low`"),
    ({"min-confidence": 1}, "`min-confidence` must be one of high, medium, not `1`"),
    ({"min-confidence": True}, "`min-confidence` must be one of high, medium"),
    ({"dynamic": "boto3.client"}, "`dynamic` must be a list of dotted names"),
    ({"dynamic": ["boto3..client"]}, "`dynamic`: `boto3..client` is not a dotted name"),
    ({"dynamic": ["boto3.client()"]}, "`dynamic`: `boto3.client()` is not a dotted name"),
    ({"dynamic": [None]}, "`dynamic` must be a list of dotted names"),
    ({"bogus": 1}, "unknown key(s) in [tool.halluc-check]: bogus"),
    (
        {"min_confidence": "high", "selct": []},
        "unknown key(s) in [tool.halluc-check]: min_confidence, selct"
        " (did you mean `min_confidence` -> `min-confidence`, `selct` -> `select`?)",
    ),
]


@pytest.mark.parametrize(("table", "reason"), BAD_VALUES)
def test_bad_values(table: dict[str, Any], reason: str) -> None:
    with pytest.raises(ConfigError) as caught:
        from_mapping(table)
    message = str(caught.value)
    assert reason in message
    assert "\n" not in message


def test_long_bad_values_are_shortened() -> None:
    with pytest.raises(ConfigError) as caught:
        from_mapping({"exclude": "x" * 500})
    assert len(str(caught.value)) < 150


def test_parse_helpers() -> None:
    assert parse_confidence(" Medium ") is Confidence.MEDIUM
    assert parse_dynamic(["a.b", " c "]) == ("a.b", "c")
    assert parse_dynamic([]) == ()


def write(folder: Path, text: str) -> Path:
    pyproject = folder / "pyproject.toml"
    pyproject.write_text(text, encoding="utf-8")
    return pyproject


def test_nearest_pyproject_is_found(tmp_path: Path) -> None:
    write(tmp_path, '[tool.halluc-check]\ndynamic = ["myproj.settings"]\npython = "venv"\n')
    nested = tmp_path / "src" / "pkg"
    nested.mkdir(parents=True)
    config = load_config(nested)
    assert config.dynamic == ("myproj.settings",)
    assert config.root == tmp_path.resolve()
    assert config.python == str(tmp_path.resolve() / "venv")


def test_no_table_and_no_file_give_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path) == Config() or load_config(tmp_path).select == frozenset(REGISTRY)
    write(tmp_path, "[project]\nname = 'x'\n")
    assert load_config(tmp_path).select == frozenset(REGISTRY)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[tool.halluc-check\n", "invalid TOML"),
        ('tool = "x"\n', None),
        ('[tool]\nhalluc-check = "x"\n', "[tool.halluc-check] must be a table"),
        ('[tool.halluc-check]\nexclude = "x"\n', "`exclude` must be a list of glob patterns"),
    ],
)
def test_file_errors_name_the_file(tmp_path: Path, text: str, reason: str | None) -> None:
    pyproject = write(tmp_path, text)
    if reason is None:
        assert load_config(path=pyproject).select == frozenset(REGISTRY)
        return
    with pytest.raises(ConfigError) as caught:
        load_config(path=pyproject)
    message = str(caught.value)
    assert message.startswith(f"{pyproject}: ") and reason in message
    assert "\n" not in message


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read: No such file or directory"):
        load_config(path=tmp_path / "nope.toml")


@pytest.mark.parametrize(("table", "reason"), BAD_VALUES)
def test_cli_exits_2_with_one_line(
    table: dict[str, Any],
    reason: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines = [f"{key} = {_toml(value)}" for key, value in table.items()]
    write(tmp_path, "[tool.halluc-check]\n" + "\n".join(lines) + "\n")
    (tmp_path / "a.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "_run", _must_not_run)
    assert cli.main(["a.py"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("error: ")
    assert reason in captured.err


def test_cli_config_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "_run", _must_not_run)
    assert cli.main(["a.py", "--config", "missing.toml"]) == 2
    assert capsys.readouterr().err == (
        "error: missing.toml: cannot read: No such file or directory\n"
    )
    other = tmp_path / "other"
    other.mkdir()
    write(other, '[tool.halluc-check]\nmin-confidence = "certain"\n')
    assert cli.main(["a.py", "--config", str(other / "pyproject.toml")]) == 2
    assert "`min-confidence` must be one of high, medium" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("option", "reason"),
    [
        (["--select", "HAL7"], "unknown rule selector `HAL7`"),
        (["--ignore", "nope"], "unknown rule selector `nope`"),
        (["--min-confidence", "low"], "`min-confidence` must be one of high, medium"),
    ],
)
def test_cli_override_errors(
    option: list[str],
    reason: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "_run", _must_not_run)
    assert cli.main(["a.py", *option]) == 2
    err = capsys.readouterr().err
    assert reason in err and err.count("\n") == 1


def _must_not_run(*args: object) -> list[Any]:
    raise AssertionError("no file should be checked when the configuration is bad")


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + "}"
    if value is None:
        return '""'  # TOML has no null; an empty string is just as invalid here
    return str(value)
