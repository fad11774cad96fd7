"""``halluc-check server``: LSP messages over stdio -> diagnostics and quick fixes for the open
Python and Markdown documents (and ``.ipynb`` notebooks opened as text)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from ..cache import DiskCache
from ..config import ConfigError
from ..engine.units import check_text
from ..jedi_compat.failures import IncompatibleJedi
from ..model import Result
from ..run.children import end_descendants, parent_alive
from ..run.process import tune_collector
from ..target.environment import EnvironmentError_
from ..text import split_lines
from ..version import __version__
from .actions import code_actions
from .diagnostics import to_diagnostic
from .scheduler import Scheduler
from .settings import Configurations, parse_settings

LOG = logging.getLogger(__name__)

PYTHON_SUFFIXES = frozenset({".py"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
LANGUAGES = {"python": ".py", "markdown": ".md"}
"""Documents checked by their ``languageId`` when their name does not say (unsaved ones)."""
_WATCH_SECONDS = 3.0


class HallucServer(LanguageServer):
    """The language server and what it keeps between messages."""

    def __init__(self, cache: DiskCache | None = None) -> None:
        super().__init__("halluc-check", __version__)
        self.configs = Configurations(cache)
        self.scheduler = Scheduler(self._check_failed)
        self.generations: dict[str, int] = {}
        """Per document, the number of the latest check asked for: older results are dropped."""
        self.loop: asyncio.AbstractEventLoop | None = None
        self.shut_down = False
        self._reported: set[str] = set()
        self._exit_lock = threading.Lock()

    # -- checking ----------------------------------------------------------------------------

    def schedule(self, uri: str, delay: float = 0.0) -> None:
        """Check the open document ``uri`` as it is now, after ``delay`` seconds."""
        document = self.workspace.text_documents.get(uri)
        if document is None:
            return
        check_path = _check_path(uri, document.language_id)
        if check_path is None:
            return
        generation = self.generations.get(uri, 0) + 1
        self.generations[uri] = generation
        text, version = document.source, document.version
        path = _fs_path(uri)

        def work() -> None:
            config = self.configs.config_for(path)
            checker = self.configs.checker_for(config)
            result = check_text(checker, text, check_path)
            self._call_soon(self._publish, uri, generation, version, text, result)

        self.scheduler.submit(uri, work, delay)

    def _publish(
        self, uri: str, generation: int, version: int | None, text: str, result: Result
    ) -> None:
        """Runs in the server's thread: publish ``result`` unless a newer check was asked for."""
        if self.generations.get(uri) != generation or uri not in self.workspace.text_documents:
            return
        if result.error is not None:
            # keep what the client shows; say why this version could not be checked
            self._log(types.MessageType.Warning, f"{uri}: not checked: {result.error}")
            return
        lines = split_lines(text)
        codec = self.workspace.position_codec
        notebook = uri.lower().endswith(".ipynb")
        diagnostics = [to_diagnostic(f, lines, codec, notebook=notebook) for f in result.findings]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    def _check_failed(self, uri: str, exc: BaseException) -> None:
        """From the checking thread: a check broke down; tell the client, keep serving."""
        if isinstance(exc, (ConfigError, EnvironmentError_, IncompatibleJedi)):
            message = f"halluc-check cannot check {uri}: {exc}"
            self._call_soon(self._log, types.MessageType.Error, message)
            if message not in self._reported:  # a pop-up once, not at every keystroke
                self._reported.add(message)
                self._call_soon(self._show, message)
            return
        self._call_soon(
            self._log,
            types.MessageType.Error,
            f"halluc-check: checking {uri} failed: {type(exc).__name__}: {exc}",
        )

    def _call_soon(self, function: Any, *args: Any) -> None:
        if self.loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop is closing: the process is ending
                self.loop.call_soon_threadsafe(function, *args)

    def _log(self, kind: types.MessageType, message: str) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def _show(self, message: str) -> None:
        self.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Error, message=message)
        )

    def recheck_all(self) -> None:
        for uri in list(self.workspace.text_documents):
            self.schedule(uri)

    def set_folders(self) -> None:
        folders = [to_fs_path(f.uri) for f in self.workspace.folders.values()]
        if not folders and self.workspace.root_path:
            folders = [self.workspace.root_path]
        self.configs.folders = tuple(Path(f).resolve() for f in folders if f)

    def apply_settings(self, raw: Any) -> bool:
        """Take the client's settings; False (and a message) when they cannot be used."""
        try:
            self.configs.settings = parse_settings(raw)
        except ConfigError as exc:
            message = f"halluc-check: invalid settings: {exc}"
            self._log(types.MessageType.Error, message)
            self._show(message)
            return False
        return True

    # -- ending ------------------------------------------------------------------------------

    def finish(self, code: int) -> None:
        """End the server and every process it started, now."""
        with self._exit_lock:
            self.scheduler.stop()
            end_descendants()
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(Exception):
                    stream.flush()
            os._exit(code)

    def watch_parent(self, pid: int) -> None:
        """End when the client's process does, even if it never closes the pipe."""
        if os.name != "posix" or pid == os.getpid():
            return

        def watch() -> None:
            while parent_alive(pid):
                time.sleep(_WATCH_SECONDS)
            self.finish(1)

        threading.Thread(target=watch, name="halluc-check-parent", daemon=True).start()


def _fs_path(uri: str) -> Path | None:
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return Path(path) if path else None


def _check_path(uri: str, language_id: str | None) -> str | None:
    """The path the engine checks the document as (its suffix picks Python or Markdown), or
    None for a document that is neither."""
    path = _fs_path(uri)
    name = str(path) if path is not None else uri.rsplit("/", 1)[-1] or "untitled"
    suffix = os.path.splitext(name)[1].lower()
    if suffix in PYTHON_SUFFIXES or suffix in MARKDOWN_SUFFIXES or suffix == ".ipynb":
        return name
    by_language = LANGUAGES.get(language_id or "")
    if by_language is not None:
        return name + by_language
    return None


def build_server(cache: DiskCache | None = None) -> HallucServer:
    """The server with its features registered."""
    server = HallucServer(cache)

    @server.feature(types.INITIALIZE)
    def initialize(ls: HallucServer, params: types.InitializeParams) -> None:
        ls.loop = asyncio.get_running_loop()
        ls.set_folders()
        ls.apply_settings(params.initialization_options)
        if params.process_id is not None:
            ls.watch_parent(params.process_id)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: HallucServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: HallucServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, ls.configs.settings.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: HallucServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: HallucServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.scheduler.cancel(uri)
        ls.generations.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(
        ls: HallucServer, params: types.DidChangeConfigurationParams
    ) -> None:
        if params.settings is not None and ls.apply_settings(params.settings):
            ls.recheck_all()

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def did_change_folders(ls: HallucServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
        ls.set_folders()
        ls.recheck_all()

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(ls: HallucServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        document = ls.workspace.text_documents.get(uri)
        check_path = _check_path(uri, document.language_id) if document else None
        if document is None or check_path is None or check_path.lower().endswith(".ipynb"):
            return []
        python = not check_path.lower().endswith(tuple(MARKDOWN_SUFFIXES))
        codec = ls.workspace.position_codec
        return code_actions(uri, document.source, params.context.diagnostics, codec, python=python)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: HallucServer, params: None) -> None:
        ls.shut_down = True
        ls.scheduler.stop()

    @server.feature(types.EXIT)
    def exit_(ls: HallucServer, params: None) -> None:
        ls.finish(0 if ls.shut_down else 1)

    return server


def main(argv: Sequence[str] = ()) -> int:
    """Serve one client over stdin and stdout until it goes away; never returns normally."""
    if argv and argv[0] not in ("--stdio",):
        print("usage: halluc-check server [--stdio]", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    # the protocol owns the real stdin and stdout; file descriptors 0 and 1 become /dev/null
    # and stderr, so that nothing else (a library's print, a child process) can write into the
    # protocol's stream or read from it
    protocol_in = os.fdopen(os.dup(0), "rb")
    protocol_out = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    tune_collector()  # a process that exists to check: see its docstring
    server = build_server(DiskCache())
    server.start_io(protocol_in, protocol_out)
    # the client closed the stream (or the loop ended) without `exit`
    server.finish(0 if server.shut_down else 1)
    return 1
