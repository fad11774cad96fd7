"""Install commands, requirements files and ``pyproject.toml`` -> the distributions they name,
each with where its name is written.

Commands: ``pip install``, ``pip3 install``, ``python -m pip install``, ``uv pip install``,
``uv add``, ``poetry add``, ``pipenv install``, with ``sudo``, a ``$`` prompt or a notebook's
``%``/``!`` in front. Requirement strings (``requests[socks]>=2; python_version < "3.12"``) are
parsed by :mod:`packaging`; requirements with a URL (``name @ https://...``), paths, archives and
shell variables name nothing on PyPI and are left out.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shlex
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from ..tomlfile import parse_toml


@dataclass(frozen=True, slots=True)
class Named:
    """One distribution named by an install line: its name as written and where."""

    name: str
    line: int
    """1-based, in the text given."""
    column: int
    """0-based start of the name on the line."""
    requirement: str
    """The whole requirement as written (``requests[socks]>=2``)."""


_PROMPT = re.compile(r"^\s*(?:\$\s+|[%!]\s*)")
_INSTALLERS: tuple[tuple[str, ...], ...] = (
    ("pip", "install"),
    ("pip3", "install"),
    ("python", "-m", "pip", "install"),
    ("python3", "-m", "pip", "install"),
    ("py", "-m", "pip", "install"),
    ("uv", "pip", "install"),
    ("uv", "add"),
    ("poetry", "add"),
    ("pipenv", "install"),
)
_WITH_VALUE = frozenset(
    {
        "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url",
        "--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix", "--root",
        "--python", "-p", "--group", "-G", "--source", "--platform", "--python-version",
        "--implementation", "--abi", "--only-binary", "--no-binary", "-C", "--config-settings",
        "--global-option", "--upgrade-strategy", "--progress-bar", "--log", "--proxy", "--cert",
        "--client-cert", "--trusted-host", "--src", "--extra", "--optional", "--index",
        "--branch", "--tag", "--rev", "--default-index", "--directory", "--package",
        "--exclude-newer", "--resolution", "--prerelease", "--overrides", "--build-constraint",
    }
)  # fmt: skip
"""Options of the installers that take a separate value (it is not a requirement)."""
_SEPARATORS = frozenset({"&&", "||", ";", "|", "&"})
_ASSIGNMENT = re.compile(r"^[A-Za-z_]\w*=")
_VERSIONED = re.compile(r"^(python|pip)3\.\d+$")


def requirement_name(text: str) -> str | None:
    """The PyPI distribution a requirement string names; None when it names none (a URL, a path,
    an archive, a shell variable) or does not parse."""
    text = text.strip()
    if not text or "$" in text or "://" in text.split("@", 1)[0]:
        return None
    if text.startswith((".", "/", "~")) or text.endswith((".whl", ".tar.gz", ".zip", ".tgz")):
        return None
    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return None
    return None if requirement.url else requirement.name


def from_command_line(line: str, number: int = 1) -> list[Named]:
    """The distributions an install command on one (joined) shell line names."""
    match = _PROMPT.match(line)
    body = line[match.end() :] if match else line
    offset = len(line) - len(body)
    try:
        lexer = shlex.shlex(body, posix=True, punctuation_chars=";&|")
        lexer.whitespace_split = True
        lexer.commenters = "#"
        tokens = list(lexer)
    except ValueError:
        return []  # an unclosed quote: not a command that runs
    found: list[Named] = []
    cursor = offset
    for command in _commands(tokens):
        tool = _installer(command)
        if tool is None:
            continue
        for token in _arguments(command[tool:]):
            name = requirement_name(token) if "@" not in token else _poetry_name(token)
            if name is None:
                continue
            column = line.find(name, cursor)
            if column < 0:
                column = line.lower().find(name.lower(), offset)
            cursor = max(cursor, column + len(name))
            found.append(Named(name, number, max(column, 0), token))
    return found


def _commands(tokens: list[str]) -> Iterator[list[str]]:
    command: list[str] = []
    for token in tokens:
        if token in _SEPARATORS:
            yield command
            command = []
        else:
            command.append(token)
    yield command


def _installer(command: list[str]) -> int | None:
    """How many tokens up to the installer's verb (``python -m pip install``: 4, after
    ``sudo`` or ``VAR=value`` in front); None when the command installs nothing."""
    skipped = 0
    while skipped < len(command) and (
        command[skipped] in ("sudo", "env") or _ASSIGNMENT.match(command[skipped])
    ):
        skipped += 1
    words = [word.rsplit("/", 1)[-1] for word in command[skipped : skipped + 4]]
    words = [_VERSIONED.sub(r"\g<1>3", word) for word in words]
    for form in _INSTALLERS:
        if tuple(words[: len(form)]) == form:
            return skipped + len(form)
    return None


def _arguments(tokens: list[str]) -> Iterator[str]:
    expect_value = False
    for token in tokens:
        if expect_value:
            expect_value = False
            continue
        if token.startswith("-"):
            expect_value = token in _WITH_VALUE
            continue
        yield token


def _poetry_name(token: str) -> str | None:
    """``requests@^2.0`` (poetry, uv) -> requests; ``name @ URL`` names nothing on PyPI."""
    head, _, tail = token.partition("@")
    if "://" in tail or tail.startswith(("git+", "file:")):
        return None
    return requirement_name(head)


def from_shell(text: str, first_line: int = 1) -> list[Named]:
    """Every install command of a shell script or session; lines continued with ``\\`` are
    joined, and each name keeps the line and column where it is written."""
    found: list[Named] = []
    joined = ""
    starts: list[tuple[int, int]] = []  # (offset in the joined command, its line number)
    for number, line in enumerate(text.splitlines(), first_line):
        starts.append((len(joined), number))
        if line.rstrip().endswith("\\"):
            joined += line.rstrip()[:-1] + " "
            continue
        found.extend(_placed(from_command_line(joined + line), starts))
        joined, starts = "", []
    if joined:
        found.extend(_placed(from_command_line(joined), starts))
    return found


def _placed(names: list[Named], starts: list[tuple[int, int]]) -> Iterator[Named]:
    for named in names:
        offset, number = next(((o, n) for o, n in reversed(starts) if o <= named.column), starts[0])
        yield Named(named.name, number, named.column - offset, named.requirement)


_OPTION = re.compile(r"(?:^|\s)--?[A-Za-z]")
_COMMENT = re.compile(r"(?:^|\s)#.*$")
_INCLUDE = re.compile(
    r"^(?:(?P<short>-[rc])\s*(?P<short_target>\S.*)"
    r"|--(?P<long>requirement|constraint)(?:\s*=\s*|\s+)(?P<long_target>\S.*))$"
)
REQUIREMENTS_FILES = ("*requirements*.txt", "constraints*.txt")
"""File names read as requirements files (lower case); a file another one includes with
``-r``/``-c`` is read as one whatever its name."""


def is_requirements_file(path: str | None) -> bool:
    """Whether a file of this name is read as a requirements file."""
    name = os.path.basename(path or "").lower()
    return any(fnmatch.fnmatch(name, pattern) for pattern in REQUIREMENTS_FILES)


@dataclass(frozen=True, slots=True)
class Included:
    """A file a requirements file includes: ``-r other.txt`` or ``-c constraints.txt``."""

    target: str
    """The path as written, relative to the including file's folder unless absolute."""
    line: int
    """1-based line of the option in the including file."""
    constraint: bool


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first line number, text) of each logical line of a requirements file: comments removed,
    lines ending in ``\\`` joined with the next, as pip reads them."""
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        number = index + 1
        line = _COMMENT.sub("", lines[index])
        while line.rstrip().endswith("\\") and index + 1 < len(lines):
            index += 1
            line = line.rstrip()[:-1] + " " + _COMMENT.sub("", lines[index])
        index += 1
        yield number, line.strip()


def from_requirements(text: str) -> list[Named]:
    """The distributions of a requirements file: comments, ``\\`` continuations, per-requirement
    options (``--hash=...``) and option lines (``-r other.txt``, ``-e .``, ``--index-url``)
    are understood; the files it includes are listed by :func:`included_files`."""
    found: list[Named] = []
    lines = text.splitlines()
    for number, stripped in _logical_lines(text):
        if not stripped or stripped.startswith("-"):
            continue  # an option line: -r, -c, -e, --index-url, --hash on its own line
        option = _OPTION.search(stripped)
        requirement = stripped[: option.start()] if option else stripped
        name = requirement_name(requirement)
        if name is not None:
            column = lines[number - 1].find(name)
            found.append(Named(name, number, max(column, 0), requirement.strip()))
    return found


def included_files(text: str) -> list[Included]:
    """The files a requirements file includes (``-r``, ``--requirement``, ``-c``,
    ``--constraint``, with the path after a space, an ``=`` or nothing); URLs and paths with
    environment variables, which only pip can resolve, are left out."""
    found: list[Included] = []
    for number, stripped in _logical_lines(text):
        match = _INCLUDE.match(stripped)
        if match is None:
            continue
        target = (match["short_target"] or match["long_target"]).strip()
        if "://" in target or "$" in target:
            continue
        constraint = (match["short"] or "") == "-c" or match["long"] == "constraint"
        found.append(Included(target, number, constraint))
    return found


def from_pyproject(text: str) -> list[Named]:
    """The distributions of ``[project]`` dependencies and optional dependencies,
    ``[dependency-groups]`` and ``[build-system] requires``; invalid TOML names none."""
    try:
        data = parse_toml(text)
    except ValueError:
        return []
    strings = list(_pyproject_strings(data))
    found: list[Named] = []
    seen: dict[str, int] = {}
    lines = text.splitlines()
    for requirement in strings:
        name = requirement_name(requirement)
        if name is None:
            continue
        line, column = _place(lines, requirement, seen.get(requirement, 0))
        seen[requirement] = seen.get(requirement, 0) + 1
        found.append(Named(name, line, column, requirement))
    return found


def _pyproject_strings(data: dict[str, Any]) -> Iterable[str]:
    project = data.get("project")
    if isinstance(project, dict):
        yield from _strings(project.get("dependencies"))
        optional = project.get("optional-dependencies")
        if isinstance(optional, dict):
            for values in optional.values():
                yield from _strings(values)
    groups = data.get("dependency-groups")
    if isinstance(groups, dict):
        for values in groups.values():
            yield from _strings(values)
    build = data.get("build-system")
    if isinstance(build, dict):
        yield from _strings(build.get("requires"))


def _strings(values: object) -> Iterable[str]:
    if isinstance(values, list):
        yield from (value for value in values if isinstance(value, str))


def _place(lines: list[str], requirement: str, occurrence: int) -> tuple[int, int]:
    """Line and column of the ``occurrence``-th quoted ``requirement`` in the TOML text."""
    seen = 0
    for number, line in enumerate(lines, 1):
        for quote in ('"', "'"):
            column = line.find(quote + requirement + quote)
            if column >= 0:
                if seen == occurrence:
                    return number, column + 1
                seen += 1
    return 1, 0
