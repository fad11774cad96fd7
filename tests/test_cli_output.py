"""CLI output options: --statistics, --quiet, --output-file, colour, sarif/github, suppressions."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import subprocess
import sys
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import halluc_check.cli.command as cli
from halluc_check.model import Confidence, Finding, Result, Span, Suggestion

SGR = re.compile(r"\x1b\[[0-9;]*m")


def finding(path: str, line: int, **fields: Any) -> Finding:
    fields.setdefault("code", "HAL101")
    fields.setdefault("rule", "unresolved-attribute")
    fields.setdefault("message", "module `json` has no attribute `lodas`")
    return Finding(path=path, span=Span(line, 5, line, 10), **fields)


SOURCE = "import json\njson.lodas('x')\njson.parse('y')\nfrom json import nope\n"
RESULTS = [
    Result(
        "gen.py",
        (
            finding(
                "gen.py",
                2,
                suggestions=(Suggestion("did you mean `loads`?", "loads", Span(2, 5, 2, 10)),),
            ),
            finding("gen.py", 3, message="module `json` has no attribute `parse`"),
            finding(
                "gen.py",
                4,
                code="HAL002",
                rule="unresolved-import-name",
                message="cannot import name `nope` from `json`",
            ),
        ),
        lines=4,
        source=SOURCE,
    ),
    Result("clean.py", lines=1, source="x = 1\n"),
]
CONCISE = [
    "gen.py:2:6: HAL101 module `json` has no attribute `lodas` (help: did you mean `loads`?)",
    "gen.py:3:6: HAL101 module `json` has no attribute `parse`",
    "gen.py:4:6: HAL002 cannot import name `nope` from `json`",
]
SUMMARY = "Found 3 hallucinated references in 1 of 2 files (HAL101 \u00d72, HAL002 \u00d71)."


class Terminal(io.StringIO):
    """A captured stdout that claims to be a terminal."""

    encoding = "utf-8"

    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def plain_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS", "VIRTUAL_ENV"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.chdir(tmp_path)


def main(
    monkeypatch: pytest.MonkeyPatch, *args: str, results: list[Result] | None = None
) -> tuple[int, str, str]:
    """Run ``cli.main`` in-process with ``_run`` returning ``results``; return (code, out, err)."""
    given = RESULTS if results is None else results
    monkeypatch.setattr(cli, "_run", lambda _args, _config: list(given))
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    code = cli.main(["gen.py", "clean.py", *args])
    return code, out.getvalue(), err.getvalue()


def test_default_output_and_exit_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = main(monkeypatch)
    assert code == 1 and err == ""
    assert out.splitlines() == [*CONCISE, SUMMARY]
    assert main(monkeypatch, "--exit-zero")[0] == 0
    clean = [Result("clean.py")]
    assert main(monkeypatch, results=clean) == (0, "All checks passed!\n", "")
    broken = [Result("bad.py", error="cannot read: denied")]
    assert main(monkeypatch, "--exit-zero", results=broken)[0] == 2


def test_statistics_table(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = main(monkeypatch, "--statistics")
    assert code == 1
    assert out.splitlines() == [
        "2  HAL101  unresolved-attribute",
        "1  HAL002  unresolved-import-name",
        SUMMARY,
    ]
    assert main(monkeypatch, "--statistics", "-q")[1].splitlines()[-1].startswith("1  HAL002")


def test_statistics_json(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = main(monkeypatch, "--statistics", "--format", "json")
    assert code == 1
    assert json.loads(out) == [
        {"code": "HAL101", "name": "unresolved-attribute", "count": 2},
        {"code": "HAL002", "name": "unresolved-import-name", "count": 1},
    ]


@pytest.mark.parametrize("fmt", ["sarif", "github"])
def test_statistics_with_document_formats_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    code, out, err = main(monkeypatch, "--statistics", "--format", fmt, results=[])
    assert (code, out) == (2, "")
    assert err == f"error: `--statistics` cannot be combined with `--format {fmt}`\n"


def test_quiet_once_and_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = main(monkeypatch, "-q")
    assert code == 1 and out.splitlines() == CONCISE
    assert main(monkeypatch, "--quiet", "--format", "full")[1].rstrip().endswith("^^^^^")
    assert main(monkeypatch, "-qq") == (1, "", "")
    assert main(monkeypatch, "-q", "-q", "--format", "json") == (1, "", "")
    assert main(monkeypatch, "-q", results=[Result("clean.py")]) == (0, "", "")


def test_quiet_keeps_machine_documents_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    assert json.loads(main(monkeypatch, "-q", "--format", "json")[1])["summary"]["findings"] == 3
    assert json.loads(main(monkeypatch, "-q", "--format", "sarif")[1])["version"] == "2.1.0"


def test_github_format(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = main(monkeypatch, "--format", "github")
    lines = out.splitlines()
    assert code == 1
    assert lines[0] == (
        "::error file=gen.py,line=2,endLine=2,col=6,endColumn=11,title=halluc-check (HAL101)"
        "::module `json` has no attribute `lodas`%0Ahelp: did you mean `loads`?"
    )
    assert lines[3:] == [*CONCISE, SUMMARY]


def test_output_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.txt"
    code, out, err = main(monkeypatch, "--output-file", str(target))
    assert (code, out, err) == (1, SUMMARY + "\n", "")
    assert target.read_text(encoding="utf-8").splitlines() == [*CONCISE, SUMMARY]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_output_file_replaces_and_keeps_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.sarif"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    code, out, _ = main(monkeypatch, "--format", "sarif", "--output-file", "out.sarif", "-q")
    assert (code, out) == (1, "")
    assert json.loads(target.read_text(encoding="utf-8"))["runs"][0]["results"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.sarif"]


def test_output_file_is_never_coloured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    main(monkeypatch, "--format", "full", "--output-file", "full.txt")
    text = (tmp_path / "full.txt").read_text(encoding="utf-8")
    assert "\x1b" not in text and "error[HAL101]" in text


def test_output_file_errors_exit_2_before_checking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def must_not_run(*_args: object) -> list[Result]:
        raise AssertionError("checked although the output cannot be written")

    monkeypatch.setattr(cli, "_run", must_not_run)
    for target, reason in [
        ("missing/out.txt", "cannot write missing/out.txt: no such directory missing"),
        (str(tmp_path), f"cannot write {tmp_path}: it is a directory"),
    ]:
        err = io.StringIO()
        monkeypatch.setattr(sys, "stderr", err)
        assert cli.main(["gen.py", "--output-file", target]) == 2
        assert err.getvalue() == f"error: {reason}\n"


def test_output_file_is_untouched_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.txt"
    target.write_text("previous report\n", encoding="utf-8")

    def failing_render(_results: object, _fmt: str, out: io.StringIO, **_options: object) -> None:
        out.write("half a rep")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli, "render", failing_render)
    code, out, err = main(monkeypatch, "--output-file", str(target))
    assert (code, out) == (2, "")
    assert err == f"error: cannot write {target}: No space left on device\n"
    assert target.read_text(encoding="utf-8") == "previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]


def test_colour_follows_the_terminal_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    def run(*args: str) -> str:
        terminal = Terminal()
        monkeypatch.setattr(cli, "_run", lambda _args, _config: list(RESULTS))
        monkeypatch.setattr(sys, "stdout", terminal)
        cli.main(["gen.py", *args])
        return terminal.getvalue()

    coloured = run()
    assert SGR.search(coloured) and "error[HAL101]" in SGR.sub("", coloured)  # full on a terminal
    assert not SGR.search(run("--no-color"))
    monkeypatch.setenv("TERM", "dumb")
    assert not SGR.search(run())
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("NO_COLOR", "1")
    assert not SGR.search(run())
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert not SGR.search(run())  # NO_COLOR wins
    monkeypatch.delenv("NO_COLOR")
    assert not SGR.search(run("--no-color"))
    _, piped, _ = main(monkeypatch)
    assert SGR.search(piped)  # FORCE_COLOR colours a pipe too
    monkeypatch.delenv("FORCE_COLOR")
    assert not SGR.search(main(monkeypatch)[1])


HOSTILE = [
    Result(
        "evil\x1b[2J\n.py",
        (
            finding(
                "evil\x1b[2J\n.py",
                1,
                message="`\x1b]8;;http://x\x07` has no attribute `\u202eoops\r\n::error::x`",
                confidence=Confidence.MEDIUM,
                symbol="\udcff",
            ),
        ),
        source="\x1b[2J\n",
    ),
    Result("::warning file=x::y.py", error="cannot read:\n::error::injected\x1b[31m"),
]


@pytest.mark.parametrize(
    ("fmt", "statistics"),
    [(fmt, False) for fmt in ("full", "concise", "github", "json", "sarif")]
    + [(fmt, True) for fmt in ("full", "concise", "json")],
)
def test_hostile_strings_never_reach_the_terminal_raw(
    monkeypatch: pytest.MonkeyPatch, fmt: str, statistics: bool
) -> None:
    extra = ["--statistics"] if statistics else []
    code, out, _ = main(monkeypatch, "--format", fmt, *extra, results=HOSTILE)
    assert code == 2
    for line in out.splitlines():
        for char in line:
            assert unicodedata.category(char) not in {"Cc", "Cs", "Zl", "Zp"}, (line, char)
        assert (
            line == ""
            or not line.lstrip().startswith("::")
            or line.startswith(("::error file=", "::warning file="))
        )
    if fmt in {"json", "sarif"}:
        assert json.loads(out)


# -- end to end, as a subprocess -----------------------------------------------------------------


def run(*args: str, stdin: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "FORCE_COLOR")}
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "halluc_check", "-", "--python", sys.executable, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env=env,
    )


SNIPPET = "import json\njson.parse('{}')\njson.lodas('{}')  # noqa: HAL101\n"


def test_end_to_end_sarif_and_github(tmp_path: Path) -> None:
    proc = run(
        "--stdin-filename",
        "gen dir/answer.py",
        "--format",
        "sarif",
        "--output-file",
        "out.sarif",
        stdin=SNIPPET,
        cwd=tmp_path,
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == "Found 1 hallucinated reference in 1 of 1 file (HAL101 \u00d71).\n"
    log = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    (result,) = log["runs"][0]["results"]
    assert result["ruleId"] == "HAL101"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "gen%20dir/answer.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"]["startLine"] == 2
    proc = run("--stdin-filename", "answer.py", "--format", "github", stdin=SNIPPET, cwd=tmp_path)
    annotation, listing, summary = proc.stdout.splitlines()
    assert annotation.startswith(
        "::error file=answer.py,line=2,endLine=2,col=6,endColumn=11,title=halluc-check (HAL101)"
        "::module `json` has no attribute `parse`"
    )
    assert listing.startswith("answer.py:2:6: HAL101 module `json` has no attribute `parse`")
    assert summary == "Found 1 hallucinated reference in 1 of 1 file (HAL101 \u00d71)."


@cache
def test_end_to_end_dynamic_and_comments(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.halluc-check]\ndynamic = ["myproj"]\n', encoding="utf-8"
    )
    snippet = "import json\njson.parse('{}')  # halluc-check: ignore[unresolved-attribute]\n"
    proc = run("--stdin-filename", "answer.py", stdin=snippet, cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "All checks passed!\n"), proc.stderr
    (tmp_path / "pyproject.toml").write_text(
        '[tool.halluc-check]\ndynamic = ["json"]\n', encoding="utf-8"
    )
    proc = run("--stdin-filename", "answer.py", "-qq", stdin=SNIPPET, cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


def test_end_to_end_configuration(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.halluc-check]\nignore = ["unresolved-attribute"]\n', encoding="utf-8"
    )
    proc = run("--stdin-filename", "answer.py", "-qq", stdin=SNIPPET, cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.halluc-check]\ndynamic = "json"\n', encoding="utf-8"
    )
    proc = run("--stdin-filename", "answer.py", stdin=SNIPPET, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.endswith(
        "`dynamic` must be a list of dotted names such as `boto3.client`, not `json`\n"
    )


def test_every_option_is_documented_with_an_example() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| `-")]
    for action in cli._parser()._actions:
        for flag in action.option_strings:
            if flag in ("-h", "--help", "--version"):
                continue
            row = next((r for r in rows if f"`{flag}" in r.split("|")[1]), None)
            assert row is not None, f"{flag} is not in the README's option table"
            assert row.rstrip(" |").split("|")[-1].strip(), f"{flag} has no example"


def test_every_configuration_key_is_documented() -> None:
    from halluc_check.config import _KEYS

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    rows = [line.split("|")[1] for line in readme.splitlines() if line.startswith("| `")]
    example = readme.split("```toml\n[tool.halluc-check]", 1)[1].split("```", 1)[0]
    for key in _KEYS:
        assert any(f"`{key}`" in cell for cell in rows), f"`{key}` is not in the README's key table"
        assert f"\n{key} = " in example, f"`{key}` is not in the README's configuration example"
