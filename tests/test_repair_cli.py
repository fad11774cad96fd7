"""``halluc-check repair`` and ``generate`` as real subprocesses against a scripted local server."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from halluc_check.cli import repair_commands as repair_cli
from halluc_check.cli.command import main

from .conftest import FIXTURES
from .openai_server import ChatServer, Reply
from .test_repair import BROKEN, HALF, REPAIRED, WORSE, fenced

STALE = FIXTURES / "founding" / "bot_stale.py"
FIXED = FIXTURES / "founding" / "bot_fixed.py"


def cli(
    *args: str,
    stdin: str | None = None,
    cwd: Path | None = None,
    key: str | None = "test-key",
    prelude: str = "",
) -> subprocess.CompletedProcess[str]:
    """Run ``halluc-check ARGS`` in a fresh interpreter; ``prelude`` runs before the CLI."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("VIRTUAL_ENV", "FORCE_COLOR", "OPENAI_API_KEY", "OPENAI_BASE_URL")
    }
    env["NO_COLOR"] = "1"
    if key is not None:
        env["OPENAI_API_KEY"] = key
    program = f"{prelude}\nimport sys\nfrom halluc_check.cli.command import main\nsys.exit(main())"
    return subprocess.run(
        [sys.executable, "-c", program, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env=env,
    )


def model_options(server: ChatServer) -> list[str]:
    return ["--model", "test-model", "--base-url", server.url, "--python", sys.executable]


def write(folder: Path, code: str, name: str = "helpers.py") -> Path:
    path = folder / name
    path.write_text(code, encoding="utf-8")
    return path


def test_founding_bot_repaired_and_written(tmp_path: Path) -> None:
    bot = tmp_path / "bot.py"
    shutil.copy(STALE, bot)
    fixed = FIXED.read_text(encoding="utf-8")
    answers = [Reply(status=500, message="warming up"), Reply(fenced(fixed), usage=(4000, 900))]
    with ChatServer(answers) as server:
        proc = cli(
            "repair", "bot.py", *model_options(server), "--write", "--stream", "--backoff", "0.01",
            cwd=tmp_path,
        )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert bot.read_text(encoding="utf-8") == fixed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bot.py"]  # no temporary file left
    assert proc.stdout.startswith("--- a/bot.py\n+++ b/bot.py\n@@ ")
    assert "-from telegram import Update, ParseMode, ChatAction" in proc.stdout
    assert "+from telegram.constants import ChatAction, ParseMode\n" in proc.stdout
    assert proc.stderr.splitlines() == [
        "bot.py: 10 findings; asking test-model for a repair (at most 3 rounds)",
        "round 1/3: 0 findings, 4,900 tokens",
        "All checks passed!",
        "10 -> 0 findings in 1 round, 4,900 tokens; best: round 1",
        "wrote bot.py",
    ]
    assert len(server.requests) == 2
    request = server.requests[1]
    assert request.body["stream"] is True
    assert request.body["model"] == "test-model"
    prompt = request.last
    assert "line 26: cannot import name `Filters` from `telegram.ext`" in prompt
    assert "`ParseMode` is defined in: `telegram.constants`" in prompt
    assert 'real signature: `Updater(bot: "Bot", update_queue: "asyncio.Queue[object]")`' in prompt
    assert "real names in `openai` closest to `error`: `APIError`" in prompt
    assert "`Updater` has no attribute `idle`" in prompt


def test_without_write_the_file_stays_and_the_remaining_findings_are_listed(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, BROKEN)
    with ChatServer([Reply(fenced(HALF)), Reply(fenced(WORSE)), Reply("No.")]) as server:
        proc = cli("repair", "helpers.py", *model_options(server), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert path.read_text(encoding="utf-8") == BROKEN
    assert proc.stdout.startswith("--- a/helpers.py\n+++ b/helpers.py\n")
    assert "+    return json.loads(text)\n" in proc.stdout
    assert "json.dumpz" not in proc.stdout  # still there: not part of the diff
    lines = proc.stderr.splitlines()
    assert lines[:4] == [
        "helpers.py: 3 findings; asking test-model for a repair (at most 3 rounds)",
        "round 1/3: 1 finding, 150 tokens",
        "round 2/3: 4 findings (worse than round 1 (1 findings)), 150 tokens",
        "round 3/3: no code (no code in the answer), 150 tokens",
    ]
    assert "helpers.py:10:17: HAL101 module `json` has no attribute `dumpz`" in proc.stderr
    assert "3 -> 1 findings in 3 rounds, 450 tokens; best: round 1" in proc.stderr
    assert lines[-1] == "error: the model's answer in round 3 contained no code"


def test_write_keeps_the_file_when_nothing_got_better(tmp_path: Path) -> None:
    path = write(tmp_path, BROKEN)
    syntax_error = REPAIRED.replace("def dump(data):", "def dump(data)")
    with ChatServer([Reply(fenced(syntax_error)), Reply(fenced(WORSE))]) as server:
        proc = cli(
            "repair", "helpers.py", *model_options(server), "--write", "--max-rounds", "2",
            cwd=tmp_path,
        )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert path.read_text(encoding="utf-8") == BROKEN
    assert proc.stdout == ""
    assert "round 1/2: code that does not parse (does not parse: line 9" in proc.stderr
    assert "best: the original" in proc.stderr
    assert "wrote" not in proc.stderr


def test_stdin_and_code_output_and_retries() -> None:
    answers = [
        Reply(status=429, message="slow down", headers={"retry-after-ms": "20"}),
        Reply(fenced(REPAIRED), delay=3.0),
        Reply(fenced(REPAIRED)),
    ]
    with ChatServer(answers) as server:
        proc = cli(
            "repair", "-", "--code", "--stdin-filename", "helpers.py", *model_options(server),
            "--request-timeout", "0.5", "--backoff", "0.01", "-q",
            stdin=BROKEN,
        )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == REPAIRED
    assert proc.stderr == ""
    assert len(server.requests) == 3


def test_authentication_failure_is_one_line(tmp_path: Path) -> None:
    write(tmp_path, BROKEN)
    with ChatServer([Reply(status=401, message="Incorrect API key provided: sk-bad")]) as server:
        proc = cli("repair", "helpers.py", *model_options(server), cwd=tmp_path, key="sk-bad")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.splitlines()[-1] == (
        "error: authentication failed (401): Incorrect API key provided: sk-bad; "
        "check OPENAI_API_KEY"
    )
    assert server.requests[0].headers["authorization"] == "Bearer sk-bad"


def test_a_looping_model(tmp_path: Path) -> None:
    write(tmp_path, BROKEN)
    with ChatServer([Reply(fenced(HALF)), Reply(fenced(HALF))]) as server:
        proc = cli("repair", "helpers.py", *model_options(server), cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[-1] == (
        "error: the model returned the same code as round 1; stopped after round 2"
    )
    assert len(server.requests) == 2


def test_generate_prints_the_final_code() -> None:
    answers = [Reply(fenced(BROKEN)), Reply(fenced(REPAIRED))]
    with ChatServer(answers) as server:
        proc = cli("generate", "Write JSON helpers.", *model_options(server), "--stream")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == REPAIRED
    assert proc.stderr.splitlines()[:2] == [
        "round 1/4: 3 findings, 150 tokens",
        "round 2/4: 0 findings, 150 tokens",
    ]
    assert server.requests[0].last.startswith("Write JSON helpers.\n")
    assert "module `json` has no attribute `loadz`" in server.requests[1].last


def test_generate_without_any_code() -> None:
    with ChatServer([Reply("I would rather not."), Reply("Really not.")]) as server:
        proc = cli("generate", "-", *model_options(server), "--max-rounds", "1", stdin="Task")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.splitlines()[-1] == (
        "error: the model's answer in round 2 contained no code"
    )


def test_without_the_openai_package(tmp_path: Path) -> None:
    write(tmp_path, BROKEN)
    proc = cli(
        "repair", "helpers.py", "--model", "m", cwd=tmp_path,
        prelude="import sys\nsys.modules['openai'] = None",
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr == (
        "error: the `repair` command needs the openai package: pip install 'halluc-check[openai]'\n"
    )


def test_the_hosted_api_needs_a_key(tmp_path: Path) -> None:
    write(tmp_path, BROKEN)
    proc = cli("repair", "helpers.py", "--model", "m", cwd=tmp_path, key=None)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: OPENAI_API_KEY is not set")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["repair", "x.py"], "--model is required: the name of the model the endpoint serves"),
        (["repair", "-", "--model", "m", "--write"], "--write needs a FILE, not stdin"),
        (["repair", "missing.py", "--model", "m"], "missing.py: no such file"),
        (["repair", "-", "--model", "m", "--max-rounds", "0"], "--max-rounds must be at least 1"),
        (["generate", " ", "--model", "m"], "the prompt is empty"),
    ],
)
def test_usage_errors(
    args: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    assert capsys.readouterr().err == f"error: {message}\n"


def test_every_option_is_documented_with_an_example() -> None:
    readme = (FIXTURES.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Repairing and generating code with a chat model", 1)[1]
    section = section.split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `-")]
    for command in ("repair", "generate"):
        for action in repair_cli._parser(command)._actions:
            for flag in action.option_strings:
                if flag in ("-h", "--help"):
                    continue
                row = next((r for r in rows if f"`{flag}" in r.split("|")[1]), None)
                assert row is not None, f"{command} {flag} is not in the README's option table"
                assert row.rstrip(" |").split("|")[-1].strip(), f"{flag} has no example"
