"""``repair``/``arepair``/``generate`` through the real openai client against a scripted local server."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import pytest
from openai import AsyncOpenAI, OpenAI

from halluc_check import Config
from halluc_check.repair import (
    RepairError,
    RepairResult,
    Round,
    agenerate,
    arepair,
    extract_code,
    generate,
    repair,
)

from .conftest import FIXTURES
from .openai_server import ChatServer, Reply

CONFIG = Config(python=sys.executable)
STALE = FIXTURES / "founding" / "bot_stale.py"
FIXED = FIXTURES / "founding" / "bot_fixed.py"

BROKEN = """\
import json
import textwrap


def load(text):
    return json.loadz(text)


def dump(data):
    return json.dumpz(data)


def short(text):
    return textwrap.shorten(text, widht=20)
"""
HALF = BROKEN.replace("json.loadz", "json.loads").replace("widht=", "width=")
REPAIRED = HALF.replace("json.dumpz", "json.dumps")
WORSE = BROKEN + "\n\ndef parse(text):\n    return json.parse(text)\n"
OTHER_WRONG = REPAIRED.replace("json.loads", "json.read").replace("json.dumps", "json.write")
OTHER_WRONG = OTHER_WRONG.replace("width=", "size=")


def fenced(code: str, prose: str = "Here is the corrected file:") -> str:
    return f"{prose}\n\n```python\n{code}```\n\nThis uses only real APIs."


def run(code: str, server: ChatServer, **options: object) -> RepairResult:
    client = OpenAI(api_key="test-key", base_url=server.url, max_retries=0)
    options.setdefault("backoff", 0.01)
    return repair(code, client=client, model="test-model", config=CONFIG, **options)  # type: ignore[arg-type]


def error_of(replies: list[Reply], **options: object) -> tuple[RepairError, ChatServer]:
    """The error ``run`` raises against a server scripted with ``replies``, and the server."""
    with ChatServer(replies) as server, pytest.raises(RepairError) as info:
        run(BROKEN, server, **options)
    return info.value, server


# -- rounds ------------------------------------------------------------------------------------------


def test_one_round_repair_with_findings_and_facts_in_the_prompt() -> None:
    with ChatServer([Reply(fenced(REPAIRED), usage=(1200, 300))]) as server:
        result = run(BROKEN, server, path="snippet.py")
    assert result.stop == "clean"
    assert result.clean and result.changed
    assert result.code == REPAIRED
    assert result.findings == ()
    assert [f.code for f in result.initial_findings] == ["HAL101", "HAL101", "HAL201"]
    assert result.findings_per_round == (3, 0)
    assert result.best_round == 1
    assert result.rounds[0].usage is not None and result.rounds[0].usage.total_tokens == 1500
    assert result.tokens == 1500
    assert len(server.requests) == 1
    body = server.requests[0].body
    assert body["model"] == "test-model"
    assert "stream" not in body
    system, user = body["messages"]
    assert system["role"] == "system" and "```python" in system["content"]
    prompt = user["content"]
    # the findings, with the line of code they are on
    assert "line 6: module `json` has no attribute `loadz` [HAL101 unresolved-attribute]" in prompt
    assert "code: `return json.loadz(text)`" in prompt
    assert "`shorten()` got an unexpected keyword argument `widht`" in prompt
    # the real API facts resolved by the checker
    assert "real names in `json` closest to `loadz`: `load`, `loads`" in prompt
    assert "real signature: `shorten(text: str, width: int, *, initial_indent: str" in prompt
    assert "accepted keyword arguments closest to `widht`: `width`" in prompt
    assert "note: `**kwargs` is forwarded to `TextWrapper()`" in prompt
    assert "Python 3." in prompt
    assert "```python\n" + BROKEN.rstrip() + "\n```" in prompt
    assert result.diff().startswith("--- a/snippet.py\n+++ b/snippet.py\n")
    assert "-    return json.loadz(text)\n+    return json.loads(text)\n" in result.diff()


def test_two_rounds_feed_back_what_remains() -> None:
    rounds: list[Round] = []
    with ChatServer([Reply(fenced(HALF)), Reply(fenced(REPAIRED))]) as server:
        result = run(BROKEN, server, on_round=rounds.append)
    assert result.stop == "clean"
    assert result.code == REPAIRED
    assert result.findings_per_round == (3, 1, 0)
    assert [r.number for r in rounds] == [1, 2]
    assert [len(r.findings) for r in rounds] == [1, 0]
    second = server.requests[1]
    roles = [m["role"] for m in second.messages]
    assert roles == ["system", "user", "assistant", "user"]
    assert second.messages[2]["content"] == fenced(HALF)
    assert "still finds references" in second.last
    assert "module `json` has no attribute `dumpz`" in second.last
    assert "`loadz`" not in second.last
    assert "real names in `json` closest to `dumpz`: `dump`, `dumps`" in second.last


def test_never_succeeds_keeps_the_original() -> None:
    answers = [
        Reply(fenced(OTHER_WRONG)),
        Reply(fenced(OTHER_WRONG.replace("json.read", "json.parse"))),
        Reply(fenced(OTHER_WRONG.replace("json.write", "json.serialize"))),
    ]
    with ChatServer(answers) as server:
        result = run(BROKEN, server, max_rounds=3)
    assert result.stop == "max-rounds"
    assert len(server.requests) == 3
    assert result.findings_per_round == (3, 3, 3, 3)
    assert result.best_round == 0
    assert result.code == BROKEN and not result.changed
    assert result.diff() == ""
    assert [r.note for r in result.rounds] == ["no better than the original"] * 3
    assert not result.clean


def test_an_answer_that_makes_things_worse_never_replaces_a_better_one() -> None:
    answers = [Reply(fenced(HALF)), Reply(fenced(WORSE)), Reply(fenced(WORSE + "\n# again\n"))]
    with ChatServer(answers) as server:
        result = run(BROKEN, server, max_rounds=3)
    assert result.stop == "max-rounds"
    assert result.code == HALF
    assert result.best_round == 1
    assert result.findings_per_round == (3, 1, 4, 4)
    assert result.rounds[1].note == "worse than round 1 (1 findings)"
    feedback = server.requests[2].last
    assert "Your version is worse: it has 4 problems where an earlier version had 1" in feedback
    assert "```python\n" + HALF.rstrip() + "\n```" in feedback


def test_a_looping_model_stops_early() -> None:
    answers = [Reply(fenced(HALF)), Reply(fenced(HALF + "\n\n")), Reply(fenced(REPAIRED))]
    with ChatServer(answers) as server:
        result = run(BROKEN, server, max_rounds=3)
    assert result.stop == "loop"
    assert len(server.requests) == 2
    assert result.rounds[-1].note == "returned the same code as round 1"
    assert result.code == HALF


def test_the_code_returned_unchanged_is_a_loop() -> None:
    with ChatServer([Reply(fenced(BROKEN))]) as server:
        result = run(BROKEN, server)
    assert result.stop == "loop"
    assert result.rounds[0].note == "returned the code unchanged"
    assert result.rounds[0].findings == result.initial_findings
    assert len(server.requests) == 1


def test_an_answer_without_code_is_asked_again() -> None:
    answers = [Reply("I am sorry, I cannot see any problem."), Reply(fenced(REPAIRED))]
    with ChatServer(answers) as server:
        result = run(BROKEN, server)
    assert result.stop == "clean"
    assert result.rounds[0].code is None
    assert result.rounds[0].note == "no code in the answer"
    assert result.findings_per_round == (3, -1, 0)
    assert "Your answer contained no Python code" in server.requests[1].last


def test_only_answers_without_code() -> None:
    with ChatServer([Reply("Sure."), Reply("Done")]) as server:
        result = run(BROKEN, server, max_rounds=2)
    assert result.stop == "no-code"
    assert result.code == BROKEN
    assert len(server.requests) == 2


def test_code_that_does_not_parse_is_never_the_result() -> None:
    broken_syntax = REPAIRED.replace("def dump(data):", "def dump(data)")
    answers = [Reply(fenced(broken_syntax), finish_reason="length"), Reply(fenced(HALF))]
    with ChatServer(answers) as server:
        result = run(BROKEN, server, max_rounds=2)
    assert result.code == HALF
    first = result.rounds[0]
    assert not first.parses
    assert first.note is not None and first.note.startswith("does not parse: line 9")
    assert first.note.endswith("cut off at the token limit")
    assert "is not valid Python: line 9" in server.requests[1].last


def test_nothing_to_repair_asks_nothing() -> None:
    with ChatServer([]) as server:
        result = run(REPAIRED, server)
    assert result.stop == "clean" and result.rounds == () and not server.requests
    assert result.code == REPAIRED


def test_plain_code_answer_and_reasoning_left_out() -> None:
    answer = "<think>The user wants ```python\nimport nonsense\n``` fixed.</think>\n" + REPAIRED
    with ChatServer([Reply(answer)]) as server:
        result = run(BROKEN, server)
    assert result.stop == "clean"
    assert result.code == REPAIRED


def test_parameters_and_options_reach_the_server() -> None:
    with ChatServer([Reply(fenced(REPAIRED))]) as server:
        run(BROKEN, server, options={"temperature": 0.0, "max_tokens": 2000})
    body = server.requests[0].body
    assert body["temperature"] == 0.0 and body["max_tokens"] == 2000
    assert server.requests[0].headers["authorization"] == "Bearer test-key"


def test_max_rounds_must_be_positive() -> None:
    with ChatServer([]) as server, pytest.raises(ValueError, match="at least 1"):
        run(BROKEN, server, max_rounds=0)


# -- streaming ---------------------------------------------------------------------------------------


def test_streamed_answers_and_usage() -> None:
    with ChatServer([Reply(fenced(HALF), usage=(700, 90)), Reply(fenced(REPAIRED))]) as server:
        result = run(BROKEN, server, stream=True)
    assert result.stop == "clean" and result.code == REPAIRED
    assert server.requests[0].body["stream"] is True
    assert server.requests[0].body["stream_options"] == {"include_usage": True}
    first = result.rounds[0]
    assert first.usage is not None
    assert (first.usage.prompt_tokens, first.usage.completion_tokens) == (700, 90)
    assert first.finish_reason == "stop"
    assert result.tokens == 790 + 150


def test_an_error_event_in_a_stream_is_retried() -> None:
    answers = [Reply(fenced(REPAIRED), stream_error="overloaded"), Reply(fenced(REPAIRED))]
    with ChatServer(answers) as server:
        result = run(BROKEN, server, stream=True)
    assert result.stop == "clean"
    assert len(server.requests) == 2


# -- errors ------------------------------------------------------------------------------------------


def test_authentication_failure_is_not_retried() -> None:
    error, server = error_of([Reply(status=401, message="Incorrect API key provided")])
    assert error.kind == "auth"
    assert str(error) == (
        "authentication failed (401): Incorrect API key provided; check OPENAI_API_KEY"
    )
    assert len(server.requests) == 1
    assert error.result is not None and error.result.code == BROKEN


def test_rate_limit_is_retried_after_the_servers_wait() -> None:
    answers = [
        Reply(status=429, message="slow down", headers={"retry-after-ms": "50"}),
        Reply(status=429, message="slow down", headers={"retry-after-ms": "50"}),
        Reply(fenced(REPAIRED)),
    ]
    with ChatServer(answers) as server:
        started = time.monotonic()
        result = run(BROKEN, server, backoff=0.0)
        elapsed = time.monotonic() - started
    assert result.stop == "clean"
    assert len(server.requests) == 3
    assert elapsed >= 0.1  # both waits were honoured


def test_persistent_rate_limit_gives_up_after_the_retries() -> None:
    error, server = error_of([Reply(status=429, message="slow down")] * 5, retries=2)
    assert error.kind == "rate-limit"
    assert str(error) == "rate limited (429): slow down (after 3 attempts)"
    assert len(server.requests) == 3


def test_exhausted_quota_is_not_retried() -> None:
    reply = Reply(status=429, message="You exceeded your current quota", code="insufficient_quota")
    error, server = error_of([reply, Reply(fenced(REPAIRED))])
    assert error.kind == "rate-limit"
    assert str(error) == "quota exhausted (429): You exceeded your current quota"
    assert len(server.requests) == 1


def test_server_errors_are_retried_with_backoff() -> None:
    answers = [Reply(status=500, message="boom"), Reply(status=503), Reply(fenced(REPAIRED))]
    with ChatServer(answers) as server:
        started = time.monotonic()
        result = run(BROKEN, server, backoff=0.05)
        elapsed = time.monotonic() - started
    assert result.stop == "clean"
    assert len(server.requests) == 3
    assert elapsed >= 0.05 + 0.1  # 0.05 s, then doubled


def test_persistent_server_error() -> None:
    error, server = error_of([Reply(status=500, message="boom")] * 3, retries=1)
    assert error.kind == "server"
    assert str(error) == "the server failed (500): boom (after 2 attempts)"
    assert len(server.requests) == 2


def test_a_slow_answer_times_out_and_is_retried() -> None:
    with ChatServer([Reply(fenced(HALF), delay=2.0), Reply(fenced(REPAIRED))]) as server:
        result = run(BROKEN, server, timeout=0.3)
    assert result.stop == "clean" and result.code == REPAIRED
    assert len(server.requests) == 2


def test_persistent_timeout() -> None:
    error, server = error_of([Reply(fenced(REPAIRED), delay=2.0)] * 2, timeout=0.2, retries=1)
    assert error.kind == "timeout"
    assert "did not answer within the timeout of 0.2 s (after 2 attempts)" in str(error)
    assert len(server.requests) == 2


def test_unknown_model_is_a_request_error() -> None:
    error, server = error_of([Reply(status=404, message="The model `nope` does not exist")])
    assert error.kind == "request"
    assert str(error) == (
        "not found (404): The model `nope` does not exist; check --model and --base-url"
    )
    assert len(server.requests) == 1


def test_no_server_at_all() -> None:
    with ChatServer([]) as server:
        url = server.url
    client = OpenAI(api_key="k", base_url=url, max_retries=0)
    with pytest.raises(RepairError) as info:
        repair(BROKEN, client=client, model="m", config=CONFIG, retries=1, backoff=0.01)
    assert info.value.kind == "connection"


def test_an_error_after_progress_keeps_the_best_version() -> None:
    error, _ = error_of([Reply(fenced(HALF)), Reply(status=401, message="key revoked")])
    partial = error.result
    assert partial is not None
    assert partial.stop == "error"
    assert partial.code == HALF and partial.best_round == 1
    assert partial.findings_per_round == (3, 1)


# -- async clients -----------------------------------------------------------------------------------


def test_arepair_with_an_async_client() -> None:
    async def main(url: str) -> RepairResult:
        client = AsyncOpenAI(api_key="k", base_url=url, max_retries=0)
        return await arepair(
            BROKEN, client=client, model="m", config=CONFIG, stream=True, backoff=0.01
        )

    answers = [Reply(status=500), Reply(fenced(HALF)), Reply(fenced(REPAIRED))]
    with ChatServer(answers) as server:
        result = asyncio.run(main(server.url))
    assert result.stop == "clean"
    assert result.findings_per_round == (3, 1, 0)
    assert len(server.requests) == 3


def test_repair_accepts_an_async_client_outside_an_event_loop() -> None:
    with ChatServer([Reply(fenced(REPAIRED))]) as server:
        client = AsyncOpenAI(api_key="k", base_url=server.url, max_retries=0)
        result = repair(BROKEN, client=client, model="m", config=CONFIG)
    assert result.stop == "clean"


def test_async_errors() -> None:
    async def main(url: str) -> None:
        client = AsyncOpenAI(api_key="k", base_url=url, max_retries=0)
        await arepair(BROKEN, client=client, model="m", config=CONFIG)

    with (
        ChatServer([Reply(status=401, message="bad key")]) as server,
        pytest.raises(RepairError, match=r"authentication failed \(401\): bad key"),
    ):
        asyncio.run(main(server.url))


# -- generate ----------------------------------------------------------------------------------------


def test_generate_then_repair() -> None:
    with ChatServer([Reply(fenced(BROKEN)), Reply(fenced(REPAIRED))]) as server:
        client = OpenAI(api_key="k", base_url=server.url, max_retries=0)
        result = generate(
            "Write JSON helpers.", client=client, model="m", config=CONFIG, max_rounds=2
        )
    assert result.stop == "clean"
    assert result.original == BROKEN and result.code == REPAIRED
    assert result.findings_per_round == (3, 3, 0)
    first, second = server.requests
    assert first.messages[-1]["content"].startswith("Write JSON helpers.")
    assert "module `json` has no attribute `loadz`" in second.last


def test_agenerate_without_any_code() -> None:
    async def main(url: str) -> RepairResult:
        client = AsyncOpenAI(api_key="k", base_url=url, max_retries=0)
        return await agenerate("Write it.", client=client, model="m", config=CONFIG, max_rounds=1)

    with ChatServer([Reply("No."), Reply("Still no.")]) as server:
        result = asyncio.run(main(server.url))
    assert result.stop == "no-code"
    assert result.code == "" and not result.clean
    assert len(server.requests) == 2


# -- the founding fixture ----------------------------------------------------------------------------


def test_founding_bot_repaired_end_to_end() -> None:
    stale = STALE.read_text(encoding="utf-8")
    fixed = FIXED.read_text(encoding="utf-8")
    with ChatServer([Reply(fenced(fixed))]) as server:
        result = run(stale, server, path=str(STALE))
    assert result.stop == "clean" and result.clean
    assert result.code == fixed
    assert len(result.initial_findings) == 10
    prompt = server.requests[0].last
    assert "cannot import name `ParseMode` from `telegram`" in prompt
    assert "`ParseMode` is defined in: `telegram.constants`" in prompt
    assert "`ChatAction` is defined in: `telegram.constants`" in prompt
    assert "real names in `telegram.ext` closest to `Filters`: `filters`" in prompt
    assert "module `openai` has no attribute `ChatCompletion`" in prompt
    assert "real names in `openai` closest to `error`: `APIError`" in prompt
    assert 'real signature: `Updater(bot: "Bot", update_queue: "asyncio.Queue[object]")`' in prompt
    assert "real names in `telegram.ext._updater.Updater` closest to `idle`:" in prompt
    assert "python-telegram-bot 22" in prompt and "openai " in prompt


# -- taking code from answers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        ("```python\nx = 1\n```", "x = 1\n"),
        ("```py\nx = 1\n```", "x = 1\n"),
        ("Text\n```\nx = 1\n```\nmore", "x = 1\n"),
        ("```bash\npip install x\n```\n```python\nimport x\nx.run()\n```", "import x\nx.run()\n"),
        (
            "```python\na = 1\n```\nand the full file:\n```python\na = 1\nb = 2\n```",
            "a = 1\nb = 2\n",
        ),
        ("````python\ns = '''\n```\n'''\n````", "s = '''\n```\n'''\n"),
        ("import os\nprint(os.getcwd())", "import os\nprint(os.getcwd())\n"),
        ("x = 1\r\ny = 2\r\n", "x = 1\ny = 2\n"),
        ("Here:\n```python\nimport os\nos.getcwd(", "import os\nos.getcwd(\n"),
        ("<think>hmm</think>\n```python\nx = 1\n```", "x = 1\n"),
        ("I cannot help with that.", None),
        ("Done", None),
        ("42", None),
        ("", None),
        ('```json\n{"a": 1}\n```', None),
    ],
)
def test_extract_code(answer: str, code: str | None) -> None:
    assert extract_code(answer) == code


def test_code_that_cannot_be_checked_is_not_sent() -> None:
    config = Config(python=sys.executable, ignore=frozenset({"HAL900"}))
    with ChatServer([]) as server, pytest.raises(RepairError) as info:
        client = OpenAI(api_key="k", base_url=server.url)
        repair("def f(:\n", client=client, model="m", config=config)
    assert info.value.kind == "check"
    assert str(info.value).startswith("cannot check <stdin>: it does not parse (line 1:")
    assert not server.requests


def test_an_original_that_does_not_parse_can_be_repaired() -> None:
    with ChatServer([Reply(fenced(REPAIRED))]) as server:
        result = run("import json\ndef f(:\n", server)
    assert [f.code for f in result.initial_findings] == ["HAL900"]
    assert "cannot parse" in server.requests[0].last
    assert result.stop == "clean" and result.code == REPAIRED


def test_repair_refuses_markdown(tmp_path: Path) -> None:
    with ChatServer([]) as server, pytest.raises(ValueError, match="Markdown"):
        run("x = 1\n", server, path=str(tmp_path / "answer.md"))
