"""Source text -> a Result: parse, collect references, run the selected rules' checks against the
target environment, then drop what the configuration and the suppression comments hide."""

from __future__ import annotations

import ast
import contextlib
from collections.abc import Iterator
from dataclasses import replace

from ..cache import DiskCache
from ..config import Config
from ..jedi_compat import setup as jedi_setup
from ..jedi_compat.failures import IncompatibleJedi
from ..knowledge.migrations import Migrations
from ..knowledge.online import OnlineIndex
from ..model import TOO_DEEP, Finding, Result
from ..resolve.projects import Projects
from ..rules.context import QualnameCache
from ..rules.parse_error import libcst_error_finding, syntax_error_finding
from ..syntax.collect_ast import collect
from ..syntax.parse import (
    libcst_parses,
    lone_surrogate,
    python_verdict,
    running_parse,
    target_grammar,
)
from ..syntax.refs import Collected
from ..target.environment import EnvironmentError_, TargetEnvironment, load_environment
from ..text import split_lines
from .file_check import check_file
from .suppress import apply_dynamic, suppressed


class Checker:
    """Checks source units against one target environment; reuse it for many files."""

    def __init__(
        self,
        config: Config | None = None,
        *,
        env: TargetEnvironment | None = None,
        cache: DiskCache | None = None,
    ):
        """``cache`` keeps what is read from installed packages (the scope indexes) between
        runs; without it, they are read again in every process."""
        self.config = config or Config()
        self.cache = cache
        cwd = self.config.root if self.config.root is not None else None
        self.env = env or load_environment(self.config.python, cwd=cwd)
        try:
            jedi_setup.configure(self.env.stdlib_names)
        except IncompatibleJedi as exc:
            # every caller reports an unusable environment in one line; this is one
            raise EnvironmentError_(str(exc)) from exc
        self.projects = Projects(self.env, disk=self.cache)
        self.migrations = Migrations(self.config.migrations)
        self.online = (
            OnlineIndex(self.config.index_url, cache=self.cache) if self.config.online else None
        )
        """With ``--online``: the package index asked about names its snapshot does not know."""
        self._qualnames: QualnameCache = {}

    @contextlib.contextmanager
    def sharing_inference(self) -> Iterator[None]:
        """While this lasts, the files of a project share one jedi inference state (see
        :mod:`~halluc_check.jedi_compat.shared_inference`): for a batch of files read at one
        moment, not for a checker that lives on while the files on disk change."""
        self.start_sharing_inference()
        try:
            yield
        finally:
            self.projects.stop_sharing()

    def start_sharing_inference(self) -> None:
        """:meth:`sharing_inference` for a process that checks one batch and ends."""
        self.projects.sharing = True

    def check_source(self, source: str, path: str | None = None) -> Result:
        display = path or "<stdin>"
        lines = source.count("\n") + (0 if source.endswith("\n") or not source else 1)
        surrogate = lone_surrogate(source)
        if surrogate:
            return Result(display, error=surrogate, lines=lines, source=source)
        collected = self._collect(source, display)
        if isinstance(collected, Finding):
            kept = (collected,) if self.config.enabled(collected.code) else ()
            return Result(collected.path, kept, lines=lines, source=source)
        if collected is None:
            return Result(display, error=TOO_DEEP, lines=lines, source=source)
        findings: list[Finding] = []
        if collected.imports or collected.attributes or collected.calls:
            findings = check_file(
                source,
                path,
                display,
                collected,
                projects=self.projects,
                migrations=self.migrations,
                qualname_cache=self._qualnames,
                enabled=self.config.enabled,
                online=self.online,
            )
        text_lines = tuple(split_lines(source))
        findings = apply_dynamic(
            (f for f in findings if self._keep(f, text_lines)), self.config.dynamic
        )
        findings.sort(key=lambda f: (f.span, f.code))
        return Result(display, tuple(findings), lines=lines, source=source)

    def _collect(self, source: str, display: str) -> Collected | Finding | None:
        """The references of ``source``; a parse-error finding when the target's Python would
        refuse it; None when it is nested too deeply to parse."""
        verdict = python_verdict(source, target_grammar(self.env.version))
        if isinstance(verdict, SyntaxError):
            finding = syntax_error_finding(verdict, display)
            if libcst_parses(source):
                version = ".".join(str(part) for part in self.env.version[:2])
                note = f"the target runs Python {version}; a newer Python may accept this line"
                finding = replace(finding, notes=(*finding.notes, note))
            return finding
        if verdict == TOO_DEEP:
            return None
        tree = verdict if isinstance(verdict, ast.Module) else running_parse(source)
        if tree is not None:
            return collect(tree, source)
        # syntax this interpreter does not know (the target is newer), or NUL characters;
        # libcst is loaded only for those (a tenth of a second of every worker's start)
        import libcst as cst

        from ..syntax.collect_cst import collect_cst

        try:
            module = cst.parse_module(source)
        except cst.ParserSyntaxError as exc:
            return libcst_error_finding(exc, source, display)
        return collect_cst(module, source)

    def _keep(self, finding: Finding, lines: tuple[str, ...]) -> bool:
        if not self.config.enabled(finding.code):
            return False
        if finding.confidence.rank < self.config.min_confidence.rank:
            return False
        return not suppressed(finding, lines)
