"""pytest plugin: ``pytest --halluc-check`` checks every collected ``.py`` file as one test item.

Off by default; on with ``--halluc-check`` or ``halluc_check = true`` in the ini file. Each file
becomes an item ``path/to/file.py::halluc-check`` carrying the marker ``halluc_check`` (so
``-m halluc_check`` runs only them, ``-m "not halluc_check"`` skips them). A failing item shows the
concise diagnostics, without a traceback. With ``--halluc-check-md`` Markdown files (``.md``,
``.markdown``) are items too: their Python code blocks are checked as one module.

A daemon started with ``halluc-check daemon start`` for the same target environment and
configuration checks the files when it runs (see the README's "Warm daemon"); otherwise this
process does.

Results are kept in pytest's cache (``.pytest_cache``), one entry per file, valid while the file's
content, halluc-check itself, the configuration and the target environment (interpreter,
``sys.path``, installed distributions and their versions) are unchanged. The key is the one of the
engine's own result cache (:func:`halluc_check.cache.result_key`) with three differences: the path
as shown, no fingerprint of the file's project, and the environment described by what is installed
rather than by the modification times of the folders on ``sys.path`` (pytest writes into the
project folder, which is often on it). A change in *another* project file that this file imports
is therefore not noticed: ``--cache-clear`` re-checks everything.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest

from halluc_check import api
from halluc_check.config import ConfigError, load_config
from halluc_check.target.environment import EnvironmentError_, load_environment

# The entry point loads this module into every pytest run of an environment where halluc-check
# is installed: the run layer loads only when the plugin is switched on, the engine (jedi, libcst)
# and the reporters (rich) only once a file is checked.

MARKER = "halluc_check"
ITEM_NAME = "halluc-check"
_MARKDOWN = (".md", ".markdown")
_CACHE_DIR = "halluc-check/v1"
_CACHED = "halluc_check_cached"
"""``user_properties`` name telling the controller (also across xdist) how an item was answered."""


class HallucCheckFailure(Exception):
    """A file with findings, or one that could not be checked; the message is the report."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("halluc-check", "hallucinated imports and attributes")
    group.addoption(
        "--halluc-check",
        action="store_true",
        dest="halluc_check",
        help="check every collected .py file for hallucinated imports and attributes",
    )
    group.addoption(
        "--halluc-check-python",
        metavar="PATH",
        dest="halluc_check_python",
        help="interpreter or virtual environment to resolve against, written with `=` "
        "(default: [tool.halluc-check] python, $VIRTUAL_ENV, ./.venv, this interpreter)",
    )
    group.addoption(
        "--halluc-check-md",
        action="store_true",
        dest="halluc_check_md",
        help="with --halluc-check: also check the Python code blocks of Markdown files",
    )
    parser.addini(
        "halluc_check",
        type="bool",
        default=False,
        help="check every collected .py file with halluc-check (like --halluc-check)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{MARKER}: halluc-check items (hallucinated imports and attributes)"
    )
    if config.getoption("halluc_check") or config.getini("halluc_check"):
        config.pluginmanager.register(HallucCheckPlugin(config), "halluc-check-session")


class HallucCheckPlugin:
    """Per-process state: the halluc-check configuration, the environment fingerprint, counts."""

    def __init__(self, config: pytest.Config) -> None:
        self.pytest_config = config
        try:
            settings = load_config(config.rootpath)
        except ConfigError as exc:
            raise pytest.UsageError(f"halluc-check: {exc}") from None
        python = config.getoption("halluc_check_python")
        self.settings = settings.with_overrides(python=python)
        self.suffixes = (".py", *_MARKDOWN) if config.getoption("halluc_check_md") else (".py",)
        self._environment_key: str | None = None
        self.checked = 0
        self.reused = 0

    # -- hooks -----------------------------------------------------------------------------------
    def pytest_collect_file(self, file_path: Path, parent: pytest.Collector) -> HallucFile | None:
        from halluc_check.run.sources import excluded

        if file_path.suffix.lower() not in self.suffixes:
            return None
        if excluded(file_path, self.settings.exclude):
            return None
        file: HallucFile = HallucFile.from_parent(parent, path=file_path)
        return file

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call":
            return
        for name, value in report.user_properties:
            if name == _CACHED:
                self.checked += 1
                self.reused += bool(value)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.checked:
            files = "file" if self.checked == 1 else "files"
            terminalreporter.write_line(
                f"halluc-check: {self.checked} {files}, {self.reused} answered from cache"
            )

    # -- checking --------------------------------------------------------------------------------
    def environment_key(self) -> str:
        """The target environment's interpreter, ``sys.path`` and installed distributions,
        hashed once per process."""
        from halluc_check.cache import digest

        if self._environment_key is None:
            env = load_environment(self.settings.python, cwd=self.settings.root)
            installed = sorted({str(d) for d in env.distributions.values()})
            self._environment_key = digest(env.executable, env.version, env.sys_path, installed)
        return self._environment_key

    def check(self, path: Path) -> tuple[bool, str, bool]:
        """``(passed, report, answered_from_cache)`` for one file."""
        from halluc_check.cache import config_digest, result_key
        from halluc_check.daemon.client import check_source_remotely
        from halluc_check.report import render
        from halluc_check.run.sources import SourceError, decode_source

        try:
            data = path.read_bytes()
            markdown = path.suffix.lower() in _MARKDOWN
            source = data.decode("utf-8-sig") if markdown else decode_source(data)
        except OSError as exc:
            return False, f"{path}: error: could not check: cannot read: {exc}", False
        except (UnicodeDecodeError, SourceError) as exc:
            return False, f"{path}: error: could not check: {exc}", False
        try:
            environment = self.environment_key()
        except EnvironmentError_ as exc:
            return False, f"halluc-check: {exc}", False
        display = _display_path(path)
        key = result_key(config_digest(self.settings), environment, None, display, source)
        cache = getattr(self.pytest_config, "cache", None)
        entry_name = f"{_CACHE_DIR}/{_entry_name(path)}"
        if cache is not None:
            entry = cache.get(entry_name, None)
            if isinstance(entry, dict) and entry.get("key") == key:
                return bool(entry["passed"]), str(entry["report"]), True
        # a daemon for this environment and configuration checks it warm (`halluc-check daemon
        # start`); without one, this process checks it
        result = check_source_remotely(source, display, self.settings) or api.check_source(
            source, path=display, config=self.settings
        )
        passed = result.checked and not result.findings
        out = io.StringIO()
        if not passed:
            render([result], "concise", out)
        if cache is not None and result.checked:
            cache.set(entry_name, {"key": key, "passed": passed, "report": out.getvalue()})
        return passed, out.getvalue(), False


class HallucFile(pytest.File):
    """A Python file; it holds one item."""

    def collect(self) -> list[HallucItem]:
        item: HallucItem = HallucItem.from_parent(self, name=ITEM_NAME)
        return [item]


class HallucItem(pytest.Item):
    """halluc-check of one whole file."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_marker(MARKER)
        # no fixtures; some plugins' hook wrappers read `funcargs` of every item and stop
        # before their `yield` on an item without it, which fails the run
        self.funcargs: dict[str, Any] = {}

    def runtest(self) -> None:
        plugin = self.config.pluginmanager.get_plugin("halluc-check-session")
        assert isinstance(plugin, HallucCheckPlugin)
        passed, report, cached = plugin.check(self.path)
        self.user_properties.append((_CACHED, cached))
        if not passed:
            raise HallucCheckFailure(report.rstrip("\n"))

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> Any:
        if isinstance(excinfo.value, HallucCheckFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, None, str]:
        return self.path, None, ITEM_NAME


# -- helpers ---------------------------------------------------------------------------------------
def _entry_name(path: Path) -> str:
    """The name of ``path``'s entry in pytest's cache."""
    return hashlib.sha256(str(path).encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _display_path(path: Path) -> str:
    """The path relative to the working folder when below it (as the command line shows it)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
