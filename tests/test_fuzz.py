"""Fuzzing: generated programs and mutated real files never crash the checker.

Every unit must end either checked (findings, possibly none, each with a sane location) or as a
clean "not checked" reason; an ``internal error`` result is a swallowed traceback and fails the
test. Each result is also rendered in every output format.

The normal suite runs a short, deterministic sample. The long run, with fresh random examples::

    HALLUC_FUZZ_EXAMPLES=1500 python -m pytest tests/test_fuzz.py -q

(``HALLUC_FUZZ_EXAMPLES`` is the number of examples per test, so 1,500 make 10,500 in all; a
failure prints the example and the decorator that reproduces it.)
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
import sysconfig
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from halluc_check.api import check_paths
from halluc_check.config import Config
from halluc_check.model import Result
from halluc_check.report import REPORTERS, render

from .conftest import FIXTURES

LONG_RUN = int(os.environ.get("HALLUC_FUZZ_EXAMPLES", "0"))
CONFIG = Config(python=sys.executable)


def _settings(short_run: int) -> settings:
    return settings(
        max_examples=LONG_RUN or short_run,
        deadline=None,  # never depend on timing
        derandomize=not LONG_RUN,  # the normal suite sees the same examples every time
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )


FUZZ = _settings(30)
FUZZ_REAL_FILES = _settings(6)
"""Whole real files take a second or so each to check: fewer of them in the normal suite."""


def _real_sources() -> list[bytes]:
    """Real files to mutate: the fixtures and a few standard-library modules."""
    files = sorted(FIXTURES.glob("**/*.py"))
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files += [
        stdlib / name for name in ("json/decoder.py", "textwrap.py", "shlex.py", "fnmatch.py")
    ]
    return [path.read_bytes() for path in files if path.is_file()]


SOURCES = _real_sources()
IDENTIFIER = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,15}", fullmatch=True)
ATTRIBUTE = re.compile(rb"\.([A-Za-z_][A-Za-z0-9_]*)")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def check_bytes(folder: Path, data: bytes, name: str = "generated.py") -> Result:
    """Write ``data`` to a file and check it as the CLI does; return its one result."""
    path = folder / name
    path.write_bytes(data)
    (result,) = check_paths([path], config=CONFIG)
    assert_clean(result, data)
    return result


def assert_clean(result: Result, data: bytes) -> None:
    if result.error is not None:
        assert not result.error.startswith("internal error"), result.error
        assert "\n" not in result.error and result.error.strip(), result.error
        return
    lines = max(1, len(re.split(rb"\r\n|\r|\n", data)))
    for finding in result.findings:
        span = finding.span
        # a notebook's spans are in its joined code cells; ``cell`` places them in the file
        bound = lines if finding.cell is None else span.end_line
        assert 1 <= span.line <= span.end_line <= bound, finding
        assert finding.cell is None or min(finding.cell) >= 1, finding
        assert span.column >= 0 and span.end_column >= 0, finding
        assert (span.line, span.column) <= (span.end_line, span.end_column), finding
        assert finding.message and "\n" not in finding.message, finding
    for fmt in sorted(REPORTERS):
        out = io.StringIO()
        render([result], fmt, out, color=fmt == "full")
        if fmt in ("json", "sarif"):
            json.loads(out.getvalue())


@FUZZ
@given(source=hypothesmith.from_grammar())
def test_generated_programs(folder: Path, source: str) -> None:
    check_bytes(folder, source.encode("utf-8", "surrogatepass"))


@FUZZ
@given(source=hypothesmith.from_node())
def test_generated_syntax_trees(folder: Path, source: str) -> None:
    check_bytes(folder, source.encode("utf-8", "surrogatepass"))


@FUZZ_REAL_FILES
@given(data=st.data(), source=st.sampled_from(SOURCES))
def test_truncated_real_files(folder: Path, data: st.DataObject, source: bytes) -> None:
    """A model that hit its token limit: the file ends anywhere, even inside a character."""
    end = data.draw(st.integers(0, len(source)), label="end")
    check_bytes(folder, source[:end])


@FUZZ_REAL_FILES
@given(data=st.data(), source=st.sampled_from(SOURCES))
def test_real_files_with_flipped_bytes(folder: Path, data: st.DataObject, source: bytes) -> None:
    mutated = bytearray(source)
    for _ in range(data.draw(st.integers(1, 8), label="flips")):
        index = data.draw(st.integers(0, len(mutated) - 1), label="index")
        mutated[index] = data.draw(st.integers(0, 255), label="byte")
    check_bytes(folder, bytes(mutated))


@FUZZ_REAL_FILES
@given(data=st.data(), source=st.sampled_from(SOURCES))
def test_real_files_with_renamed_attributes(
    folder: Path, data: st.DataObject, source: bytes
) -> None:
    """Hallucinated names: attributes renamed to other identifiers or near-miss typos."""
    matches = list(ATTRIBUTE.finditer(source))
    mutated = source
    for _ in range(data.draw(st.integers(1, 5), label="renames")):
        match = data.draw(st.sampled_from(matches), label="attribute")
        name = match.group(1).decode()
        typo = data.draw(st.integers(0, max(0, len(name) - 1)), label="typo")
        other = data.draw(
            st.one_of(IDENTIFIER, st.just(name[:typo] + name[typo + 1 :] or "x")), label="name"
        )
        start, end = match.span(1)
        mutated = mutated[:start] + other.encode() + mutated[end:]
        matches = list(ATTRIBUTE.finditer(mutated))
    check_bytes(folder, mutated)


@FUZZ
@given(
    prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"# coding: latin-1\n", b"# coding: cp1252\n"]),
    body=st.binary(max_size=300),
    ending=st.sampled_from([b"\n", b"\r\n", b"\r", b""]),
)
def test_arbitrary_bytes(folder: Path, prefix: bytes, body: bytes, ending: bytes) -> None:
    """Anything at all in a ``.py`` file: binary, broken encodings, stray control characters."""
    check_bytes(folder, prefix + b"import json\n" + body + ending + b"json.lods(1)\n")


@FUZZ
@given(
    source=st.sampled_from(SOURCES),
    suffix=st.sampled_from([".md", ".ipynb"]),
    data=st.data(),
)
def test_truncated_documents(folder: Path, source: bytes, suffix: str, data: st.DataObject) -> None:
    """Chat answers and notebooks cut anywhere."""
    text = source.decode("utf-8", "replace")
    if suffix == ".md":
        document = f"Here you go:\n\n```python\n{text}\n```\n".encode()
    else:
        cell = {"cell_type": "code", "source": text.splitlines(keepends=True), "metadata": {}}
        document = json.dumps({"cells": [cell], "nbformat": 4, "nbformat_minor": 5}).encode()
    end = data.draw(st.integers(0, len(document)), label="end")
    check_bytes(folder, document[:end], name=f"answer{suffix}")
