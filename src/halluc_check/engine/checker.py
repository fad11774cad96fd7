"""Source text -> findings: parse, collect references, resolve them against the target environment."""

from __future__ import annotations

import ast
import contextlib
import logging
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jedi

from ..cache import DiskCache
from ..config import Config
from ..jedi_compat import setup as jedi_setup
from ..jedi_compat.shared_inference import SharedInference
from ..knowledge.migrations import Migrations
from ..model import TOO_DEEP, Confidence, Finding, Migration, Result, Span, Suggestion
from ..resolve.file_resolver import FileResolver, ProjectScan
from ..resolve.signatures import SignatureResolver
from ..resolve.verdicts import Accepted, CallSite, Owner, Resolution, Verdict
from ..rules import REGISTRY
from ..suggest import close_names, nearest_names
from ..syntax.collect_ast import AttributeRef, CallRef, Collected, ImportRef, collect, dunder
from ..syntax.parse import parse_python
from ..target.environment import TargetEnvironment, load_environment
from ..target.modules import ModuleFinder, Presence
from ..target.project import project_folders
from ..text import split_lines
from .suppress import apply_dynamic, suppressed

if TYPE_CHECKING:
    import libcst as cst

LOG = logging.getLogger(__name__)

_ABSTRACT_NAME = re.compile(r"(Mixin|Base|Interface|ABC)$|^(Base|Abstract)[A-Z_]")


@dataclass
class _Project:
    jedi_project: jedi.Project
    scan: ProjectScan
    paths: tuple[str, ...]
    inference: SharedInference


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
        jedi_setup.configure(self.env.stdlib_names)
        self._projects: dict[str, _Project] = {}
        self._scan = ProjectScan(disk=self.cache)
        """One for every project: what it reads is keyed by folder and file, and the stdlib's
        and the installed packages' folders are the same for all."""
        self.migrations = Migrations(self.config.migrations)
        self._qualnames: dict[tuple[str, tuple[str, ...]], frozenset[str]] = {}
        self._sharing = False

    @contextlib.contextmanager
    def sharing_inference(self) -> Iterator[None]:
        """While this lasts, the files of a project share one jedi inference state (see
        :mod:`~halluc_check.jedi_compat.shared_inference`): for a batch of files read at one moment, not
        for a checker that lives on while the files on disk change."""
        self.start_sharing_inference()
        try:
            yield
        finally:
            self._sharing = False
            for project in self._projects.values():
                project.inference.discard()

    def start_sharing_inference(self) -> None:
        """:meth:`sharing_inference` for a process that checks one batch and ends."""
        self._sharing = True

    # -- projects --------------------------------------------------------------------------------
    def _project_for(self, path: str | None) -> _Project:
        root, import_root, paths = project_folders(path)
        key = f"{root}|{import_root}"
        if key not in self._projects:
            jedi_project = jedi.Project(
                root,
                environment_path=self.env.executable,
                added_sys_path=list(paths),
                smart_sys_path=True,
                load_unsafe_extensions=False,
            )
            self._projects[key] = _Project(
                jedi_project=jedi_project,
                scan=self._scan,
                paths=paths,
                inference=SharedInference(jedi_project, self.env.jedi_environment),
            )
        return self._projects[key]

    # -- checking --------------------------------------------------------------------------------
    def check_source(self, source: str, path: str | None = None) -> Result:
        display = path or "<stdin>"
        lines = source.count("\n") + (0 if source.endswith("\n") or not source else 1)
        surrogate = _lone_surrogate(source)
        if surrogate:
            return Result(display, error=surrogate, lines=lines, source=source)
        grammar = _target_grammar(self.env.version)
        verdict = _python_verdict(source, grammar)
        if isinstance(verdict, SyntaxError):
            finding = _syntax_error_finding(verdict, display)
            if _libcst_parses(source):
                version = ".".join(str(part) for part in self.env.version[:2])
                note = f"the target runs Python {version}; a newer Python may accept this line"
                finding = replace(finding, notes=(*finding.notes, note))
            return self._unparsable(finding, source, lines)
        if verdict == TOO_DEEP:
            return Result(display, error=TOO_DEEP, lines=lines, source=source)
        tree = verdict if isinstance(verdict, ast.Module) else _running_parse(source)
        if tree is not None:
            collected = collect(tree, source)
        else:
            # syntax this interpreter does not know (the target is newer), or NUL characters;
            # libcst is loaded only for those (a tenth of a second of every worker's start)
            import libcst as cst

            from ..syntax.collect_cst import collect_cst

            try:
                module = cst.parse_module(source)
            except cst.ParserSyntaxError as exc:
                return self._unparsable(_parse_error(exc, source, display), source, lines)
            collected = collect_cst(module, source)
        findings: list[Finding] = []
        if collected.imports or collected.attributes or collected.calls:
            findings = _FileCheck(self, source, path, display, collected).run()
        text_lines = tuple(split_lines(source))
        findings = apply_dynamic(
            (f for f in findings if self._keep(f, text_lines)), self.config.dynamic
        )
        findings.sort(key=lambda f: (f.span, f.code))
        return Result(display, tuple(findings), lines=lines, source=source)

    def _unparsable(self, finding: Finding, source: str, lines: int) -> Result:
        kept = (finding,) if self.config.enabled(finding.code) else ()
        return Result(finding.path, kept, lines=lines, source=source)

    def _keep(self, finding: Finding, lines: tuple[str, ...]) -> bool:
        if not self.config.enabled(finding.code):
            return False
        if finding.confidence.rank < self.config.min_confidence.rank:
            return False
        return not suppressed(finding, lines)


_UNKNOWN = "unknown"
_RUNNING = sys.version_info[:2]


def _lone_surrogate(source: str) -> str | None:
    """Why a text that no file could hold cannot be checked: a lone surrogate (``"\\ud800"`` from
    a JSON string) is not Unicode, and no parser accepts it."""
    try:
        source.encode("utf-8")
    except UnicodeEncodeError as exc:
        before = split_lines(source[: exc.start])
        where = f"line {len(before)}, column {len(before[-1]) + 1}"
        return f"not valid Unicode: a lone surrogate U+{ord(source[exc.start]):04X} at {where}"
    return None


def _target_grammar(version: tuple[int, int, int]) -> tuple[int, int] | None:
    """The ``feature_version`` that makes this interpreter's parser judge code as the target's
    would, or ``None`` when the target is newer (its grammar is unknown here)."""
    target = (version[0], version[1])
    if target > _RUNNING:
        return None
    return max(target, (3, 7))  # the oldest grammar ast.parse can emulate


def _python_verdict(source: str, grammar: tuple[int, int] | None) -> ast.Module | SyntaxError | str:
    """What the target's parser says: the tree when the code is valid, a ``SyntaxError``
    (located), ``TOO_DEEP``, or ``_UNKNOWN`` when this interpreter cannot speak for the target.

    libcst accepts a superset of any one Python version (``except E, e:`` parses as 3.14's
    unparenthesised ``except``); the interpreter's own parser is the authority on validity.
    """
    if grammar is None:
        return _UNKNOWN
    try:
        return parse_python(source, feature_version=grammar)
    except SyntaxError as exc:
        return exc if exc.lineno else _UNKNOWN
    except (RecursionError, MemoryError):
        return TOO_DEEP
    except ValueError:  # NUL characters: libcst locates them
        return _UNKNOWN


def _running_parse(source: str) -> ast.Module | None:
    """The tree this interpreter's parser makes of ``source``, when it can make one."""
    try:
        return parse_python(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _libcst_parses(source: str) -> bool:
    import libcst as cst

    try:
        cst.parse_module(source)
    except Exception:  # ParserSyntaxError, or libcst giving up on the shape of the code
        return False
    return True


def _syntax_error_finding(error: SyntaxError, path: str) -> Finding:
    line = error.lineno or 1
    column = max((error.offset or 1) - 1, 0)
    return _hal900(error.msg, line, column, path)


def _hal900(message: str, line: int, column: int, path: str) -> Finding:
    rule = REGISTRY["HAL900"]
    return Finding(
        code=rule.code,
        rule=rule.name,
        message=f"cannot parse: {message}",
        path=path,
        span=Span(line, column, line, column + 1),
        label="parsing stopped here",
        notes=("nothing in this file was checked",),
    )


def _parse_error(exc: cst.ParserSyntaxError, source: str, path: str) -> Finding:
    """Where and why parsing failed; CPython's own parser gives the clearer account when it fails too."""
    line, column = exc.raw_line, exc.raw_column
    message = str(exc.message).splitlines()[0].rstrip(".") if exc.message else "invalid syntax"
    try:
        parse_python(source)
    except SyntaxError as syntax_error:
        if syntax_error.lineno:
            return _syntax_error_finding(syntax_error, path)
    except (ValueError, RecursionError, MemoryError):
        pass
    return _hal900(message, line, column, path)


class _FileCheck:
    """The references of one file, resolved through one jedi Script."""

    def __init__(
        self, checker: Checker, source: str, path: str | None, display: str, collected: Collected
    ) -> None:
        self.checker = checker
        self.env = checker.env
        self.display = display
        self.collected = collected
        project = checker._project_for(path)
        self.project = project
        file_dir = [str(Path(path).resolve().parent)] if path else []
        self.finder = ModuleFinder(self.env, (*file_dir, *project.paths), checked_path=path)
        self.resolver = FileResolver(
            source,
            path,
            env=self.env,
            project=project.jedi_project,
            project_scan=project.scan,
            inference=project.inference if checker._sharing else None,
        )
        self.path = path
        self.findings: list[Finding] = []
        self._receivers: dict[tuple[int, int], list[Any]] = {}
        """Receiver values the attribute checks inferred, by the end of ``receiver.name``."""

    def run(self) -> list[Finding]:
        clean = False
        try:
            self._check_all()
            clean = True
        finally:
            self.resolver.release(clean=clean)
            self._receivers.clear()
        return self.findings

    def _check_all(self) -> None:
        # a module imported under a guard anywhere (`try: import simplejson`) is optional
        # everywhere in the file (`if has_simplejson: from simplejson import x`)
        optional = {ref.module.split(".", 1)[0] for ref in self.collected.imports if ref.guarded}
        for ref in self.collected.imports:
            if not ref.guarded and (ref.level or ref.module.split(".", 1)[0] not in optional):
                self._check_import(ref)
        states: dict[int, Verdict] = {}
        for index in range(len(self.collected.attributes)):
            self._check_attribute(index, states)
        if self.checker.config.enabled("HAL201") or self.checker.config.enabled("HAL202"):
            signatures = SignatureResolver(self.resolver)
            # `x.method(...)` where `x` is narrowed by isinstance: its declared type says little
            narrowed = {
                (ref.span.end_line, ref.span.end_column)
                for ref in self.collected.attributes
                if ref.narrowed or ref.guarded
            }
            for call in self.collected.calls:
                if not call.guarded and not call.unpacking and call.func_end not in narrowed:
                    self._check_call(call, signatures)

    # -- calls -----------------------------------------------------------------------------------
    def _check_call(self, call: CallRef, signatures: SignatureResolver) -> None:
        receivers = self._receivers.get(call.func_end)
        if receivers is not None:
            values = self.resolver.member_values(receivers, call.func_end)
        else:
            values = self.resolver.infer_at(call.func_end)
        if not values:
            return
        site = CallSite(frozenset(k.name for k in call.keywords), len(call.positional))
        accepted = signatures.accepted(values, site)
        if accepted is None:
            return
        for keyword in call.keywords:
            if accepted.keywords_open:
                LOG.debug(
                    "%s:%d: keywords of `%s` not checked: %s",
                    self.display,
                    keyword.span.line,
                    _shorten(call.func_text),
                    accepted.keywords_open,
                )
                break
            if accepted.unexpected(keyword.name):
                self.findings.append(
                    self._unknown_keyword(call, keyword.name, keyword.span, accepted)
                )
        if accepted.too_many(len(call.positional)):
            assert accepted.max_positional is not None
            self.findings.append(self._too_many_positional(call, accepted.max_positional, accepted))

    def _call_notes(self, call: CallRef, accepted: Accepted) -> list[str]:
        notes = []
        origin = None
        if accepted.owner:
            module = accepted.owner.rsplit(".", 1)[0]
            origin = self._origin(Owner("function", accepted.owner, module, accepted.path))
            notes.append(
                f"`{_shorten(call.func_text)}` resolved to `{accepted.owner}`"
                + (f" ({origin})" if origin else "")
            )
        if accepted.forwarded_to:
            through = ", ".join(f"`{n}`" for n in dict.fromkeys(accepted.forwarded_to))
            notes.append(f"`**kwargs` is forwarded to {through}")
        return notes

    def _unknown_keyword(self, call: CallRef, name: str, span: Span, accepted: Accepted) -> Finding:
        rule = REGISTRY["HAL201"]
        notes = self._call_notes(call, accepted)
        public = [n for n in _in_order(accepted) if not n.startswith("_")]
        if len(public) <= 12:
            listing = ", ".join(f"`{n}`" for n in public) if public else "none"
            notes.append(f"accepted keyword arguments: {listing}")
        finding = Finding(
            code=rule.code,
            rule=rule.name,
            message=f"`{accepted.callee}` got an unexpected keyword argument `{name}`",
            path=self.display,
            span=span,
            label=f"not a parameter of `{accepted.callee}`",
            notes=tuple(notes),
            suggestions=tuple(
                Suggestion(f"did you mean `{real}`?", real, span)
                for real in close_names(name, accepted.names)
            ),
            symbol=accepted.owner,
            expression=_shorten(f"{call.func_text}({name}=...)", 80),
            package=self._package_of(accepted),
            name=name,
            nearest=tuple(nearest_names(name, accepted.names)),
            signatures=tuple(accepted.rendered()),
        )
        hint = None
        if accepted.owner and self.env.is_library_path(accepted.path):
            hint = self.checker.migrations.for_keyword(
                accepted.owner, name, self.env, self._qualnames
            )
        return _with_hint(finding, hint)

    def _too_many_positional(self, call: CallRef, limit: int, accepted: Accepted) -> Finding:
        rule = REGISTRY["HAL202"]
        first_extra = call.positional[limit]
        last = call.positional[-1]
        given = len(call.positional)
        takes = f"{limit} positional argument" + ("" if limit == 1 else "s")
        return Finding(
            code=rule.code,
            rule=rule.name,
            message=f"`{accepted.callee}` takes {takes} but {given} were given",
            path=self.display,
            span=Span(first_extra.line, first_extra.column, last.end_line, last.end_column)
            if last.line == first_extra.line
            else first_extra,
            label="too many positional arguments",
            notes=tuple(self._call_notes(call, accepted)),
            symbol=accepted.owner,
            expression=_shorten(call.func_text, 80),
            package=self._package_of(accepted),
            signatures=tuple(accepted.rendered()),
        )

    def _package_of(self, accepted: Accepted) -> str | None:
        if not accepted.owner:
            return None
        module = accepted.owner.rsplit(".", 1)[0]
        return self._origin(Owner("function", accepted.owner, module, accepted.path))

    # -- imports ---------------------------------------------------------------------------------
    def _check_import(self, ref: ImportRef) -> None:
        if ref.level:
            self._check_relative_import(ref)
            return
        located = self.finder.locate(ref.module)
        if located.presence is Presence.MISSING:
            missing = located.missing_part or ref.module
            if "." not in missing and self.env.is_known_requirement(missing):
                LOG.debug(
                    "%s:%d: `%s` is not installed, but installed packages require it: "
                    "a real package, not a hallucination",
                    self.display,
                    ref.span.line,
                    missing,
                )
                return
            self.findings.append(self._missing_module(ref, missing))
            return
        if not ref.names:
            return
        modules = self.resolver.import_module(ref.module, 0)
        for imported in ref.names:
            if self.finder.has_submodule(ref.module, imported.name):
                continue
            if not modules:
                continue
            resolution = self.resolver.lookup(modules, imported.name)
            if resolution.verdict is Verdict.MISSING:
                self.findings.append(
                    self._missing_name(ref.module, imported.name, imported.span, resolution)
                )

    def _check_relative_import(self, ref: ImportRef) -> None:
        if not self.path:
            return
        base = Path(self.path).resolve().parent
        for _ in range(ref.level - 1):
            base = base.parent
        if not (base / "__init__.py").exists():
            return  # not inside a regular package: the import's meaning depends on how it is run
        folder = base
        parts = [p for p in ref.module.split(".") if p]
        for index, part in enumerate(parts):
            if (folder / part).is_dir():
                folder = folder / part
                continue
            if any((folder / f"{part}{suffix}").exists() for suffix in (".py", ".pyi")):
                if index < len(parts) - 1:
                    return  # a module, not a package: `from .mod.sub import x` fails elsewhere
                folder = folder / part
                break
            if any(entry.startswith(part + ".") for entry in os.listdir(folder)):
                return  # an extension module or something else importable
            if (folder / "__init__.py").exists() and not _init_is_dynamic(folder):
                self.findings.append(self._missing_module(ref, "." * ref.level + ref.module))
            return
        if not ref.names:
            return
        modules = self.resolver.import_module(ref.module, ref.level)
        if not modules:
            return
        for imported in ref.names:
            if folder.is_dir() and any(
                (folder / f"{imported.name}{s}").exists() for s in ("", ".py", ".pyi")
            ):
                continue
            resolution = self.resolver.lookup(modules, imported.name)
            if resolution.verdict is Verdict.MISSING:
                shown = "." * ref.level + ref.module
                self.findings.append(
                    self._missing_name(shown, imported.name, imported.span, resolution)
                )

    def _missing_module(self, ref: ImportRef, missing: str) -> Finding:
        rule = REGISTRY["HAL001"]
        notes: list[str] = []
        if "." in missing.strip("."):
            parent = missing.rsplit(".", 1)[0]
            dist = self.env.distribution_of(parent)
            label = f"`{parent}` has no submodule `{missing.rsplit('.', 1)[1]}`"
            if dist:
                notes.append(f"`{parent}` is from {dist}, installed at {self.env.label}")
            candidates = _submodule_names(self.finder, parent)
        else:
            label = "not installed, not in the standard library, not in the project"
            notes.append(f"searched {self.env.label}")
            candidates = set(self.env.distributions) | set(self.env.stdlib_names)
        # the replacement covers the whole dotted name under the span: swap only the missing part
        written = missing.lstrip(".")
        suggestions = tuple(
            Suggestion(
                f"there is a module `{_replace_last(missing, name)}` with a similar name",
                _replace_last(written, name) + ref.module[len(written) :],
                ref.span,
            )
            for name in close_names(missing.rsplit(".", 1)[-1], candidates)[:1]
            if ref.module.startswith(written)
        )
        finding = Finding(
            code=rule.code,
            rule=rule.name,
            message=f"no module named `{missing}`",
            path=self.display,
            span=ref.span,
            label=label,
            notes=tuple(notes),
            suggestions=suggestions,
            symbol=missing,
            expression=ref.module,
            package=_text_or_none(self.env.distribution_of(missing)),
            name=missing,
            nearest=tuple(nearest_names(missing.rsplit(".", 1)[-1], candidates)),
        )
        return _with_hint(finding, self.checker.migrations.for_module(missing, self.env))

    def _missing_name(self, module: str, name: str, span: Span, resolution: Resolution) -> Finding:
        rule = REGISTRY["HAL002"]
        origin = self._origin(resolution.owners[0]) if resolution.owners else None
        label = f"not defined in `{module}`" + (f" ({origin})" if origin else "")
        finding = Finding(
            code=rule.code,
            rule=rule.name,
            message=f"cannot import name `{name}` from `{module}`",
            path=self.display,
            span=span,
            label=label,
            suggestions=self._suggest(name, resolution, span),
            symbol=module,
            expression=f"from {module} import {name}",
            package=origin,
            confidence=resolution.confidence,
            name=name,
            nearest=tuple(nearest_names(name, resolution.members)),
        )
        return _with_hint(finding, self._member_hint(resolution, name))

    # -- attributes ------------------------------------------------------------------------------
    def _check_attribute(self, index: int, states: dict[int, Verdict]) -> Verdict:
        if index in states:
            return states[index]
        ref = self.collected.attributes[index]
        states[index] = Verdict.UNKNOWN
        if ref.inner is not None and self._check_attribute(ref.inner, states) is Verdict.MISSING:
            states[index] = Verdict.MISSING  # only the first missing link of a chain is reported
            return Verdict.MISSING
        skip = self._skip_reason(ref)
        if skip:
            self._skipped(ref, skip)
            return Verdict.UNKNOWN
        if ref.base_text in ("self", "cls") and self.resolver.defined_in_own_class(
            ref.base_end, ref.attr
        ):
            states[index] = Verdict.EXISTS
            return Verdict.EXISTS
        values = self.resolver.infer_at(ref.base_end)
        self._receivers[(ref.span.end_line, ref.span.end_column)] = values
        if not values:
            self._skipped(ref, "receiver not inferred")
            return Verdict.UNKNOWN
        resolution = self.resolver.lookup(
            values, ref.attr, called=ref.called, typing=ref.in_annotation
        )
        if resolution.verdict is Verdict.MISSING and self._open_self(ref, resolution):
            resolution = Resolution(Verdict.UNKNOWN, "`self` may be a subclass instance")
        if resolution.verdict is Verdict.MISSING:
            resolution = self._confirm_all_definitions(ref, resolution)
        if resolution.verdict is Verdict.UNKNOWN:
            self._skipped(ref, resolution.reason)
        states[index] = resolution.verdict
        if resolution.verdict is Verdict.MISSING:
            self.findings.append(self._missing_attribute(ref, resolution))
        return resolution.verdict

    def _confirm_all_definitions(self, ref: AttributeRef, resolution: Resolution) -> Resolution:
        """A reassigned variable must miss the name under every one of its definitions."""
        alternatives = self.resolver.definition_values(ref.base_end)
        if alternatives is None:
            return resolution
        if any(not values for values in alternatives):
            return Resolution(Verdict.UNKNOWN, "a definition of the receiver is not inferred")
        union = [value for values in alternatives for value in values]
        again = self.resolver.lookup(union, ref.attr, called=ref.called, typing=ref.in_annotation)
        return resolution if again.verdict is Verdict.MISSING else again

    def _skip_reason(self, ref: AttributeRef) -> str | None:
        if dunder(ref.attr):
            return "dunder attribute"
        if ref.guarded:
            return "guarded by hasattr/getattr, try/except or a version/platform check"
        if ref.narrowed:
            return "receiver narrowed by isinstance"
        if ref.attr in self.collected.stored_attributes:
            return "attribute assigned somewhere in this file"
        if ref.base_text.startswith("super("):
            return "super() looks up the MRO of the instance's actual type"
        return None

    def _skipped(self, ref: AttributeRef, reason: str) -> None:
        LOG.debug(
            "%s:%d:%d: not checked `%s`: %s",
            self.display,
            ref.span.line,
            ref.span.column + 1,
            _shorten(ref.expression, 60),
            reason,
        )

    def _open_self(self, ref: AttributeRef, resolution: Resolution) -> bool:
        """``self.x`` inside a class that is subclassed here, or named like a base or mixin."""
        if ref.base_text not in ("self", "cls"):
            return False
        return any(
            owner.short in self.collected.subclassed or _ABSTRACT_NAME.search(owner.short)
            for owner in resolution.owners
        )

    def _missing_attribute(self, ref: AttributeRef, resolution: Resolution) -> Finding:
        rule = REGISTRY["HAL101"]
        owner = resolution.owners[0]
        if owner.kind == "module":
            message = f"module `{owner.qualname}` has no attribute `{ref.attr}`"
        elif owner.kind == "class":
            message = f"class `{owner.short}` has no attribute `{ref.attr}`"
        else:
            message = f"`{owner.short}` has no attribute `{ref.attr}`"
        origin = self._origin(owner)
        described = " or ".join(dict.fromkeys(o.described for o in resolution.owners))
        notes = [
            f"`{_shorten(ref.base_text)}` resolved to {described}"
            + (f" ({origin})" if origin else "")
        ]
        if resolution.confidence is Confidence.MEDIUM:
            notes.append(
                f"`{owner.short}` has a `__getattr__` that only returns data, which cannot be called"
            )
        finding = Finding(
            code=rule.code,
            rule=rule.name,
            message=message,
            path=self.display,
            span=ref.span,
            label=f"not found on `{owner.qualname}`",
            notes=tuple(notes),
            suggestions=self._suggest(ref.attr, resolution, ref.span),
            symbol=owner.qualname,
            expression=_shorten(ref.expression, 80),
            package=origin,
            confidence=resolution.confidence,
            name=ref.attr,
            nearest=tuple(nearest_names(ref.attr, resolution.members)),
        )
        return _with_hint(finding, self._member_hint(resolution, ref.attr))

    # -- migration hints -------------------------------------------------------------------------
    def _member_hint(self, resolution: Resolution, name: str) -> Migration | None:
        """The migration entry for ``name`` missing on the resolved owners, if there is one."""
        owners = resolution.owners
        if not owners or any(not self.env.is_library_path(o.path) for o in owners):
            return None  # the checked project's own code: no library migrated it
        return self.checker.migrations.for_member(
            [o.qualname for o in owners], name, self.env, self._qualnames
        )

    def _qualnames(self, module: str, parts: tuple[str, ...]) -> frozenset[str]:
        cache = self.checker._qualnames
        if (module, parts) not in cache:
            cache[module, parts] = self.resolver.qualnames(module, parts)
        return cache[module, parts]

    # -- evidence --------------------------------------------------------------------------------
    def _origin(self, owner: Owner) -> str | None:
        if owner.path and not self.env.is_library_path(owner.path):
            return "defined in the checked project"
        if self.env.is_stdlib(owner.module) and not self.env.distribution_of(owner.module):
            major, minor, _ = self.env.version
            return f"Python {major}.{minor} standard library"
        dist = self.env.distribution_of(owner.module)
        if dist is not None:
            return str(dist)
        if owner.path and "typeshed" in owner.path:
            return "typeshed stubs bundled with jedi"
        return None

    def _suggest(self, name: str, resolution: Resolution, span: Span) -> tuple[Suggestion, ...]:
        """The closest real names, best first; reporters show the first, JSON lists all."""
        return tuple(
            Suggestion(f"did you mean `{real}`?", real, span)
            for real in close_names(name, resolution.members)
        )


def _with_hint(finding: Finding, hint: Migration | None) -> Finding:
    """``finding`` with the migration entry's note, when there is one."""
    if hint is None:
        return finding
    return replace(finding, notes=(*finding.notes, hint.note), migration=hint)


def _text_or_none(value: object | None) -> str | None:
    return None if value is None else str(value)


def _in_order(accepted: Accepted) -> list[str]:
    """Accepted names in declaration order, then the rest (read from **kwargs) sorted."""
    ordered = [n for n in accepted.ordered if n in accepted.names]
    return ordered + sorted(accepted.names - set(ordered))


def _shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _replace_last(dotted: str, name: str) -> str:
    return dotted.rsplit(".", 1)[0] + "." + name if "." in dotted else name


def _submodule_names(finder: ModuleFinder, package: str) -> set[str]:
    names: set[str] = set()
    for folder in finder.package_dirs(package):
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        for entry in entries:
            stem = entry.split(".", 1)[0]
            if stem and stem.isidentifier() and not entry.endswith((".pyc", ".dist-info")):
                names.add(stem)
    return names


def _init_is_dynamic(folder: Path) -> bool:
    try:
        text = (folder / "__init__.py").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True
    return "sys.modules" in text or "__path__" in text or "__getattr__" in text
