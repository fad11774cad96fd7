"""``halluc-check server`` driven end to end over stdio by a real LSP client (pytest-lsp):
diagnostics on open, change and save, quick fixes, broken documents, the same findings as a
cold check, and no process left behind when the client goes away."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")
import pytest_asyncio  # noqa: E402
from lsprotocol import types  # noqa: E402
from pygls.protocol import default_converter  # noqa: E402
from pytest_lsp import LanguageClient  # noqa: E402
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features  # noqa: E402

from halluc_check.cache import result_from_json  # noqa: E402
from halluc_check.model import Finding  # noqa: E402
from halluc_check.server.diagnostics import SOURCE, message_of  # noqa: E402

from .conftest import FIXTURES  # noqa: E402

SERVER = [sys.executable, "-m", "halluc_check", "server"]
PUBLISH = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
WAIT = 120.0
"""Seconds to wait for a publication: the first check of a server reads the libraries."""

GEN = """\
import json

data = json.loads("{}")
text = json.dumbs(data)
"""


class Client(LanguageClient):
    """pytest-lsp's client that also keeps every publication with its document version."""

    published: defaultdict[str, list[types.PublishDiagnosticsParams]]


def _client() -> Client:
    client = Client(converter_factory=default_converter)
    client.published = defaultdict(list)

    def publish(ls: Client, params: types.PublishDiagnosticsParams) -> None:
        ls.diagnostics[params.uri] = params.diagnostics
        ls.published[params.uri].append(params)

    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, PUBLISH: publish})
    return client


async def _start(root: Path, cache: Path, **options: Any) -> Client:
    client = _client()
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env["HALLUC_CHECK_CACHE_DIR"] = str(cache)
    await client.start_io(*SERVER, env=env)
    await client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
            initialization_options={"python": sys.executable, "debounce": 0.05, **options},
        )
    )
    return client


async def _published(
    client: Client,
    uri: str,
    version: int,
    accept: Callable[[types.PublishDiagnosticsParams], bool] = lambda p: True,
) -> list[types.Diagnostic]:
    """The diagnostics published for ``uri`` at ``version``, waiting for them."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        for params in reversed(client.published[uri]):
            if params.version == version and accept(params):
                return list(params.diagnostics)
        await asyncio.sleep(0.02)
    raise AssertionError(f"no diagnostics for {uri} version {version} within {WAIT} s")


def _open(client: Client, path: Path, text: str, language: str = "python") -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
        )
    )
    return uri


def _change(client: Client, uri: str, version: int, edits: list[tuple[types.Range, str]]) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(range=where, text=text)
                for where, text in edits
            ],
        )
    )


def _replace_all(client: Client, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def _range(line: int, start: int, end_line: int, end: int) -> types.Range:
    return types.Range(types.Position(line, start), types.Position(end_line, end))


def _apply(text: str, edits: list[types.TextEdit]) -> str:
    """``edits`` applied to ``text`` (ASCII text: UTF-16 units are code points)."""
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        return sum(len(line) + 1 for line in lines[: position.line]) + position.character

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        start, end = offset(edit.range.start), offset(edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
    return text


_COLD = """
import json, sys
from dataclasses import replace
from pathlib import Path
from halluc_check import check_source
from halluc_check.cache import result_to_json
from halluc_check.config import Config, load_config
path = Path(sys.argv[1])
config = replace(load_config(path.parent), python=sys.executable)
if config.root is None:
    config = Config(python=sys.executable)
print(json.dumps(result_to_json(check_source(sys.stdin.read(), path=path, config=config))))
"""


def _cold(text: str, path: Path) -> list[Finding]:
    """The findings of a cold check of ``text`` at ``path``, in a process of its own (as a
    command run would make them), with the configuration the server reads for that folder."""
    proc = subprocess.run(
        [sys.executable, "-c", _COLD, str(path)],
        input=text,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    result = result_from_json(json.loads(proc.stdout))
    assert result.error is None, result.error
    return list(result.findings)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def lsp(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[tuple[Client, Path]]:
    root = tmp_path_factory.mktemp("workspace")
    client = await _start(root, tmp_path_factory.mktemp("server-cache"))
    yield client, root
    await client.shutdown_session()
    await client.stop()


pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_an_invented_attribute_is_a_diagnostic(lsp: tuple[Client, Path]) -> None:
    client, root = lsp
    uri = _open(client, root / "gen.py", GEN)
    diagnostics = await _published(client, uri, 1)
    assert [d.code for d in diagnostics] == ["HAL101"]
    diagnostic = diagnostics[0]
    assert diagnostic.range == _range(3, 12, 3, 17)  # `dumbs`
    assert diagnostic.source == SOURCE
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert diagnostic.message.splitlines()[0] == "module `json` has no attribute `dumbs`"
    assert "help: did you mean `dumps`?" in diagnostic.message
    assert diagnostic.code_description is not None
    assert diagnostic.code_description.href.endswith("?rule=HAL101#rules")


async def test_diagnostics_follow_the_edits(lsp: tuple[Client, Path]) -> None:
    client, root = lsp
    uri = _open(client, root / "edited.py", GEN)
    await _published(client, uri, 1)
    # two lines above move the finding down; `dumbs` -> `dumps` in the same burst fixes it,
    # and a new invented name appears
    _change(client, uri, 2, [(_range(0, 0, 0, 0), "import os\n\n")])
    _change(client, uri, 3, [(_range(5, 12, 5, 17), "dumps")])
    _change(client, uri, 4, [(_range(6, 0, 6, 0), "os.getcwdz()\n")])
    diagnostics = await _published(client, uri, 4)
    assert [(d.code, d.range) for d in diagnostics] == [("HAL101", _range(6, 3, 6, 10))]
    assert "`getcwdz`" in diagnostics[0].message
    # a result for an older text never arrives after a newer one
    versions = [p.version or 0 for p in client.published[uri]]
    assert versions == sorted(versions)
    # saving checks again, with the same answer
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri=uri))
    )
    _change(client, uri, 5, [(_range(6, 0, 7, 0), "")])
    assert await _published(client, uri, 5) == []


async def test_quick_fixes_apply_the_suggestion_and_ignore_the_line(
    lsp: tuple[Client, Path],
) -> None:
    client, root = lsp
    path = root / "fixme.py"
    uri = _open(client, path, GEN)
    diagnostics = await _published(client, uri, 1)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostics[0].range,
            context=types.CodeActionContext(diagnostics=diagnostics),
        )
    )
    assert actions is not None
    by_title = {a.title: a for a in actions if isinstance(a, types.CodeAction)}
    assert set(by_title) == {
        "Replace `dumbs` with `dumps`",
        "Ignore HAL101 on this line (# noqa: HAL101)",
    }
    for action in by_title.values():
        assert action.kind == types.CodeActionKind.QuickFix
        assert action.edit is not None and action.edit.changes is not None
        fixed = _apply(GEN, list(action.edit.changes[uri]))
        assert fixed != GEN
        assert _cold(fixed, path) == [], fixed
    replace_edit = by_title["Replace `dumbs` with `dumps`"].edit
    assert replace_edit is not None and replace_edit.changes is not None
    assert "json.dumps(data)" in _apply(GEN, list(replace_edit.changes[uri]))

    # once the text under the diagnostic changed, its replacement is no longer offered
    _change(client, uri, 2, [(_range(3, 12, 3, 17), "dumpy")])
    stale = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostics[0].range,
            context=types.CodeActionContext(diagnostics=diagnostics),
        )
    )
    assert [a.title for a in stale or [] if isinstance(a, types.CodeAction)] == [
        "Ignore HAL101 on this line (# noqa: HAL101)"
    ]


async def test_a_half_typed_document_keeps_the_others(lsp: tuple[Client, Path]) -> None:
    client, root = lsp
    good = _open(client, root / "good.py", GEN)
    before = await _published(client, good, 1)
    assert [d.code for d in before] == ["HAL101"]
    broken = _open(client, root / "broken.py", "import json\n\njson.dumps(\nclass")
    diagnostics = await _published(client, broken, 1)
    assert [d.code for d in diagnostics] == ["HAL900"]
    for text in ("import json\njson.", "import json\njson.du", "def f(:\n  json.dumbs"):
        version = len(client.published[broken]) + 10
        _replace_all(client, broken, version, text)
        await _published(client, broken, version)
    # the good document's diagnostics were never replaced, and the server still answers
    assert [p.version for p in client.published[good]] == [1]
    assert list(client.diagnostics[good]) == before
    _change(client, good, 2, [(_range(3, 12, 3, 17), "dumps")])
    assert await _published(client, good, 2) == []


async def test_markdown_blocks_are_checked(lsp: tuple[Client, Path]) -> None:
    client, root = lsp
    text = "# Answer\n\n```python\nimport json\n\nprint(json.dumbs({}))\n```\n"
    uri = _open(client, root / "answer.md", text, language="markdown")
    diagnostics = await _published(client, uri, 1)
    assert [(d.code, d.range) for d in diagnostics] == [("HAL101", _range(5, 11, 5, 16))]


CASES = [
    *(FIXTURES / "cases" / name for name in ("HAL002_import_names.py", "HAL101_libraries.py")),
    FIXTURES / "cases" / "HAL101_stdlib.py",
    FIXTURES / "founding" / "bot_stale.py",
]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
async def test_the_same_findings_as_a_cold_check(lsp: tuple[Client, Path], path: Path) -> None:
    client, _ = lsp
    text = path.read_text(encoding="utf-8")
    uri = _open(client, path, text)
    diagnostics = await _published(client, uri, 1)
    expected = _cold(text, path)
    assert expected, "the fixture should have findings"
    lines = text.split("\n")

    def units(line: int, column: int) -> int:
        return len(lines[line - 1][:column].encode("utf-16-le")) // 2

    want = [
        (
            f.code,
            _range(
                f.span.line - 1,
                units(f.span.line, f.span.column),
                f.span.end_line - 1,
                units(f.span.end_line, f.span.end_column),
            ),
            message_of(f),
        )
        for f in expected
    ]
    assert [(d.code, d.range, d.message) for d in diagnostics] == want


def _children(pid: int) -> list[int]:
    """The living processes whose parent is ``pid``, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2 :].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
@pytest.mark.parametrize("ending", ["exit", "stdin closed"])
async def test_nothing_outlives_the_client(tmp_path: Path, ending: str) -> None:
    client = await _start(tmp_path, tmp_path / "cache")
    uri = _open(client, tmp_path / "gen.py", GEN)
    assert [d.code for d in await _published(client, uri, 1)] == ["HAL101"]
    server = client._server
    assert server is not None
    children = _children(server.pid)
    assert children, "the check should have started jedi's helper process"
    if ending == "exit":
        await client.shutdown_session()
        assert server.returncode == 0
    else:
        assert server.stdin is not None
        server.stdin.close()
        await asyncio.wait_for(server.wait(), 30)
    # at once, not a moment later: the server ended them before it exited
    assert [pid for pid in children if _alive(pid)] == []
    await client.stop()
