"""Bad input through the command line, with real files: every file ends checked or as a clean,
located "not checked" reason; the other files are still checked; exit code 2 only where a file
could not be checked. Runs ``cli.main`` in-process (the engine stays warm) unless a hang or a
separate interpreter is what is being tested."""

from __future__ import annotations

import ast
import glob
import io
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
import unicodedata
import warnings
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

import halluc_check.cli.command as cli
from halluc_check import api
from halluc_check.engine import units
from halluc_check.model import Result

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
JSON_LODS = "import json\njson.lods('x')\n"
"""A file with exactly one finding: HAL101 at 2:6-2:10 (1-based, end exclusive)."""


class Run:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self) -> dict[str, object]:
        return json.loads(self.out)  # type: ignore[no-any-return]


def halluc(monkeypatch: pytest.MonkeyPatch, *args: str | Path, stdin: bytes | None = None) -> Run:
    """``halluc-check ARGS --python <this interpreter>`` in-process; stdout/stderr captured."""
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    # in this process (one warm engine), and never against the clock
    code = cli.main(
        [str(a) for a in args] + ["--python", sys.executable, "-j", "1", "--timeout", "0"]
    )
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture(autouse=True)
def plain_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "VIRTUAL_ENV", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def diagnostics(run: Run) -> dict[str, list[tuple[str, int, int, int, str]]]:
    """path -> [(code, line, column, end_column, message)] from ``--format json``."""
    found: dict[str, list[tuple[str, int, int, int, str]]] = {}
    for d in run.json()["diagnostics"]:  # type: ignore[attr-defined]
        entry = (d["code"], d["line"], d["column"], d["end_column"], d["message"])
        found.setdefault(Path(d["path"]).name, []).append(entry)
    return found


def errors(run: Run) -> dict[str, str]:
    return {Path(e["path"]).name: e["message"] for e in run.json()["errors"]}  # type: ignore[attr-defined]


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


# -- syntax errors ---------------------------------------------------------------------------------

SYNTAX_ERRORS = {
    # name: (source, line, message fragment); the column is the one Python's parser reports
    "unclosed_bracket.py": ("import json\nx = (1,\njson.loads('x')\n", 2, "was never closed"),
    "unclosed_call_at_eof.py": ("import json\nx = json.loads(", 2, "was never closed"),
    "truncated_string.py": ("x = 'abc\n", 1, "unterminated string literal"),
    "truncated_triple.py": ('x = """abc\n', 1, "unterminated triple-quoted string"),
    "truncated_mid_line.py": ("import json\ndata = json.loads(text) +\n", 2, "invalid syntax"),
    "unexpected_indent.py": ("x = 1\n    y = 2\n", 2, "unexpected indent"),
    "missing_indent.py": ("def f():\nreturn 1\n", 2, "expected an indented block"),
    "bad_dedent.py": ("if x:\n    y = 1\n  z = 2\n", 3, "unindent does not match"),
    "tabs_and_spaces.py": ("if x:\n        y = 1\n\tz = 2\n", 3, "inconsistent use of tabs"),
    "print_statement.py": ('print "hello"\n', 1, "Missing parentheses in call to 'print'"),
    "except_comma.py": (
        "try:\n    pass\nexcept ValueError, e:\n    pass\n",
        3,
        "multiple exception types must be parenthesized",
    ),
    "exec_statement.py": ('exec "x = 1"\n', 1, "Missing parentheses in call to 'exec'"),
    "octal_literal.py": ("x = 0777\n", 1, "leading zeros in decimal integer literals"),
    "backticks.py": ("x = `1`\n", 1, "invalid syntax"),
    "fstring_empty.py": ('x = f"{}"\n', 1, "f-string: empty expression not allowed"),
    "fstring_incomplete.py": ('x = f"{1 + }"\n', 1, "f-string: "),
    "fstring_conversion.py": ('x = f"{x!z}"\n', 1, "f-string: invalid conversion character"),
    "fstring_unclosed.py": ('x = f"{"\n', 1, "f-string: "),
    "too_many_parentheses.py": ("x = " + "(" * 300 + "1" + ")" * 300 + "\n", 1, "too many"),
    "prose.py": ("Here is the code you asked for:\nimport json\n", 1, "invalid syntax"),
}


def _python_location(source: str) -> tuple[int, int]:
    try:
        ast.parse(source)
    except SyntaxError as exc:
        assert exc.lineno is not None and exc.offset is not None
        return exc.lineno, exc.offset
    raise AssertionError(f"valid: {source!r}")


def test_each_syntax_error_is_one_located_finding_and_the_rest_is_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, (source, *_) in SYNTAX_ERRORS.items():
        write(tmp_path, name, source)
    write(tmp_path, "good.py", JSON_LODS)
    run = halluc(monkeypatch, tmp_path, "--format", "json")
    assert run.code == 1, run.err  # findings; every file could be checked or located
    found = diagnostics(run)
    assert found.pop("good.py") == [("HAL101", 2, 6, 10, "module `json` has no attribute `lods`")]
    for name, (source, line, fragment) in SYNTAX_ERRORS.items():
        ((code, got_line, got_column, _, message),) = found.pop(name)
        assert (code, got_line) == ("HAL900", line), (name, message)
        assert (got_line, got_column) == _python_location(source), name
        assert fragment in message, (name, message)
    assert found == {} and run.json()["errors"] == []


def test_syntax_error_in_concise_and_full_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = write(tmp_path, "truncated.py", "import json\nresult = json.loads(\n")
    run = halluc(monkeypatch, bad, "--format", "concise")
    assert run.code == 1
    assert run.out.splitlines()[0] == f"{bad}:2:20: HAL900 cannot parse: '(' was never closed"
    assert "1 file could not be parsed" in run.out
    full = halluc(monkeypatch, bad, "--format", "full").out
    assert "error[HAL900]: cannot parse: '(' was never closed" in full
    assert "note: nothing in this file was checked" in full


VALID_FSTRINGS = (
    "import json\n"
    "x = 1\n"
    'a = f"{x=}" f"{x!r:>{10}}" f"{{literal}}" f"{json.dumps({\'k\': 1})!s}"\n'
    "b = f'{x:{\"\" if x else \"<\"}5}' rf'\\d{x}' F'''{x\n+ 1}'''\n"
    'c = f"{json.lods}"\n'
)


def test_valid_fstring_edge_cases_are_checked_inside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "fstrings.py", VALID_FSTRINGS)
    run = halluc(monkeypatch, tmp_path / "fstrings.py", "--format", "json")
    assert diagnostics(run) == {
        "fstrings.py": [("HAL101", 6, 13, 17, "module `json` has no attribute `lods`")]
    }


MATCH_AND_SOFT_KEYWORDS = (
    "import json\n"
    "match json.loads('1'):\n"
    "    case {'a': 1} | [1, *_]:\n"
    "        pass\n"
    "    case str() as text if text:\n"
    "        json.lods(text)\n"
    "match = type = case = _ = 1\n"
)
NEWEST_SYNTAX = (
    "import json\n"
    "type Point = tuple[float, float]\n"
    "type Pair[T] = tuple[T, T]\n"
    "def first[T: (int, str), *Ts, **P](x: T) -> T:\n"
    "    return x\n"
    "class Box[T]:\n"
    "    item: T\n"
    "songs = ['a']\n"
    'shown = f"{", ".join(songs)} {f"{f"{1}"}"}" f"{\n'
    '    json.lods("x")  # a comment inside a replacement field\n'
    '}"\n'
)


def _installed_python(names: list[str], pattern: str, test: str) -> str | None:
    """The first installed interpreter (by ``names`` on PATH, then pyenv's ``pattern``) for
    which the Python expression ``test`` about ``sys.version_info`` prints True."""
    candidates = [shutil.which(name) for name in names]
    candidates += sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{pattern}")))
    for candidate in candidates:
        if not candidate:
            continue
        try:
            proc = subprocess.run(
                [candidate, "-c", f"import sys; print({test})"],
                capture_output=True,
                text=True,
                timeout=60,
            )
        except OSError:
            continue
        if proc.stdout.strip() == "True":
            return candidate
    return None


def _newer_python() -> str | None:
    """An installed Python 3.12 or newer (PEP 695/701 syntax)."""
    names = [f"python3.{minor}" for minor in range(12, 16)]
    return _installed_python(names, "3.1[2-9]*/bin/python3", "sys.version_info >= (3, 12)")


def test_match_and_soft_keywords_parse_and_are_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "match.py", MATCH_AND_SOFT_KEYWORDS)
    run = halluc(monkeypatch, tmp_path / "match.py", "--format", "json")
    assert diagnostics(run) == {
        "match.py": [("HAL101", 6, 14, 18, "module `json` has no attribute `lods`")]
    }


def test_newest_syntax_parses_and_is_checked_for_a_target_that_has_it(tmp_path: Path) -> None:
    target = _newer_python()
    if target is None:
        pytest.skip("no Python 3.12 or newer installed to be the target")
    write(tmp_path, "newest.py", NEWEST_SYNTAX)
    proc = subprocess.run(
        [sys.executable, "-m", "halluc_check", "newest.py", "--python", target, "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"},
    )
    assert proc.returncode == 1, proc.stderr
    (finding,) = json.loads(proc.stdout)["diagnostics"]
    assert (finding["code"], finding["line"], finding["column"]) == ("HAL101", 10, 10)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the running Python accepts PEP 695")
def test_newest_syntax_for_an_older_target_is_located_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "newest.py", NEWEST_SYNTAX)
    run = halluc(monkeypatch, tmp_path / "newest.py", "--format", "json")
    ((finding),) = run.json()["diagnostics"]  # type: ignore[misc]
    assert finding["code"] == "HAL900"  # where the running Python's parser first stops
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert (
        f"the target runs Python {version}; a newer Python may accept this line"
        in (finding["notes"])
    )


# -- encodings -------------------------------------------------------------------------------------

ENCODED = {
    # name: (bytes, [(line, column, end_column)] of the `lods`/`dumpz` findings)
    "utf8_bom.py": (b"\xef\xbb\xbfimport json\njson.lods('x')\n", [(2, 6, 10)]),
    "utf8.py": ("import json\n# café\njson.lods('é')\n".encode(), [(3, 6, 10)]),
    "latin1_cookie.py": (
        "# -*- coding: latin-1 -*-\nimport json\nx = 'caf\xe9'; json.lods(x)\n".encode("latin-1"),
        [(3, 18, 22)],
    ),
    "cp1252_cookie.py": (
        "# coding: cp1252\nimport json\nx = '\u20ac\u2019'; json.lods(x)\n".encode("cp1252"),
        [(3, 16, 20)],
    ),
    "crlf.py": (b"import json\r\nx = 1\r\njson.lods(x)\r\n", [(3, 6, 10)]),
    "cr.py": (b"import json\rx = 1\rjson.lods(x)\r", [(3, 6, 10)]),
    "tabs.py": (b"import json\nif True:\n\tx = 1\n\tjson.lods(x)\n", [(4, 7, 11)]),
    "form_feeds.py": (
        b"import json\n\x0c\n\x0c\x0cjson.lods(1); json.dumpz(2)\nif 1:\n    x = 1\n\x0c    json.lods(3)\n",
        [(3, 8, 12), (3, 22, 27), (6, 11, 15)],
    ),
    "identifiers.py": (
        "import json\n\u00e9t\u00e9 = json\n\u00e9t\u00e9.lods(1); \u6f22\u5b57 = json; "
        "\u6f22\u5b57.dumpz(1)\n\U0001d4b3 = 1; json.lods(\U0001d4b3)\n".encode(),
        [(3, 5, 9), (3, 28, 33), (4, 13, 17)],
    ),
    "wide_strings.py": (
        "import json\nx = '\U0001f600\u200d\u0301'; json.lods(x)\n".encode(),
        [(2, 17, 21)],
    ),
}
NOT_DECODABLE = {
    "bad_utf8.py": (
        b"import json\nx = '\xff\xfe'\n",
        "not valid UTF-8: byte 0xff at line 2, column 6",
    ),
    "bad_utf8_first_line.py": (
        b"import json\xff\n",
        "not valid UTF-8: byte 0xff at line 1, column 12",
    ),
    "bad_cp1252.py": (
        b"# coding: cp1252\nx = '\x81'\n",
        "not valid cp1252: byte 0x81 at line 2, column 6",
    ),
    "unknown_codec.py": (
        b"# coding: klingon\nx = 1\n",
        "bad encoding declaration: unknown encoding: klingon",
    ),
    "bom_against_cookie.py": (
        b"\xef\xbb\xbf# coding: latin-1\nx = 1\n",
        "a UTF-8 byte order mark and a `# coding:` line disagree",
    ),
    "nul_byte.py": (
        b"import json\x00\njson.lods(x)\n",
        "binary file (a NUL byte at line 1, column 12)",
    ),
    "binary.py": (bytes(range(256)) * 4, "binary file (a NUL byte at line 1, column 1)"),
}


def test_encodings_decode_like_python_and_columns_stay_exact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, (data, _) in {**ENCODED, **NOT_DECODABLE}.items():
        write(tmp_path, name, data)
    run = halluc(monkeypatch, tmp_path, "--format", "json")
    assert run.code == 2  # some files could not be checked
    found = diagnostics(run)
    for name, (_, spans) in ENCODED.items():
        assert [(line, col, end) for _, line, col, end, _ in found.pop(name)] == spans, name
    assert found == {}
    no_cookie = " (no `# coding:` line declares another encoding)"
    assert errors(run) == {
        name: reason + (no_cookie if "UTF-8: byte" in reason else "")
        for name, (_, reason) in NOT_DECODABLE.items()
    }


def test_binary_files_named_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(tmp_path, "module.pyc", b"\xa7\r\r\n\x00\x00\x00\x00")
    write(tmp_path, "good.py", JSON_LODS)
    run = halluc(monkeypatch, "image.png", "module.pyc", "good.py", "--format", "json")
    assert run.code == 2
    assert errors(run) == {
        "image.png": "binary file (a NUL byte at line 3, column 1)",
        "module.pyc": "binary file (a NUL byte at line 3, column 1)",
    }
    assert list(diagnostics(run)) == ["good.py"]


def test_columns_point_at_the_name_in_every_line_ending_and_encoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reported column slices the attribute name out of the decoded line."""
    for name, (data, _) in ENCODED.items():
        write(tmp_path, name, data)
    run = halluc(monkeypatch, tmp_path, "--format", "json")
    for d in run.json()["diagnostics"]:  # type: ignore[attr-defined]
        data = ENCODED[Path(d["path"]).name][0]
        text = data.decode(
            "cp1252" if b"cp1252" in data else "latin-1" if b"latin" in data else "utf-8-sig"
        )
        line = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[d["line"] - 1]
        assert line[d["column"] - 1 : d["end_column"] - 1] in ("lods", "dumpz"), d


def test_stdin_is_decoded_from_bytes_like_a_file(monkeypatch: pytest.MonkeyPatch) -> None:
    run = halluc(
        monkeypatch, "-", "--stdin-filename", "a.py", stdin=b"import json\r\njson.lods(1)\r\n"
    )
    assert run.code == 1 and run.out.startswith("a.py:2:6: HAL101")
    bad = halluc(monkeypatch, "-", "--stdin-filename", "a.py", stdin=b"import json\n\xff\n")
    assert bad.code == 2
    assert "a.py: error: could not check: not valid UTF-8: byte 0xff at line 2, column 1" in bad.out
    latin = halluc(
        monkeypatch,
        "-",
        stdin="# coding: latin-1\nimport json\njson.lods('\xe9')\n".encode("latin-1"),
    )
    assert latin.code == 1 and "<stdin>:3:6: HAL101" in latin.out


# -- size and shape ----------------------------------------------------------------------------------


def test_empty_and_blank_files_are_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, data in {
        "empty.py": b"",
        "bom_only.py": b"\xef\xbb\xbf",
        "blank.py": b"\n\n   \n\t\n",
        "comment.py": b"# nothing\n",
        "no_newline.py": b"x = 1",
    }.items():
        write(tmp_path, name, data)
    run = halluc(monkeypatch, tmp_path)
    assert (run.code, run.out) == (0, "All checks passed!\n")


SHAPES = {
    # name: the second line; the first is `import json`, the finding is the `lods` in it
    "long_line.py": "x = [" + ", ".join(["json.dumps(1)"] * 400) + "]; json.lods(1)",
    "long_sum.py": "x = " + " + ".join(["1"] * 800) + " + json.lods(1)",
    "nested_calls.py": "x = " + "abs(" * 150 + "json.lods(1)" + ")" * 150,
    "lambdas.py": "f = " + "lambda: " * 400 + "json.lods",
    "subscripts.py": "x = json.lods" + "[0]" * 300,
}


def test_long_lines_and_deep_nesting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, line in SHAPES.items():
        write(tmp_path, name, f"import json\n{line}\n")
    write(tmp_path, "attribute_chain.py", "import json\nx = json" + ".a" * 5000 + "\n")
    run = halluc(monkeypatch, tmp_path, "--format", "json")
    assert run.code == 2
    found = diagnostics(run)
    for name, line in SHAPES.items():
        column = line.index("lods") + 1
        message = "module `json` has no attribute `lods`"
        assert found.pop(name) == [("HAL101", 2, column, column + 4, message)], name
    assert found == {}
    # beyond what Python's own parser handles: a clean "not checked", no traceback
    assert errors(run) == {"attribute_chain.py": "expressions nested too deeply to analyse"}


def test_a_large_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A scaled-down large file (10,000 lines); ``python bench/stress.py`` runs 100,000 lines."""
    lines = ["import json", "import os"]
    lines += [f"value_{i} = json.dumps({i}) + os.sep  # {'padding ' * 8}" for i in range(10_000)]
    write(tmp_path, "large.py", "\n".join(lines) + "\njson.lods(1)\n")
    run = halluc(monkeypatch, tmp_path / "large.py", "--format", "json")
    assert [f[:3] for f in diagnostics(run)["large.py"]] == [("HAL101", 10_003, 6)]


def test_many_files_in_a_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A scaled-down tree (300 files, 30 folders deep in places); ``bench/stress.py`` runs 100,000."""
    for index in range(300):
        folder = tmp_path.joinpath(*[f"d{index % 10}"] * (1 + index % 30))
        write(
            folder, f"m{index}.py", "import json\njson.lods(1)\n" if index % 100 == 7 else "x = 1\n"
        )
    run = halluc(monkeypatch, tmp_path, "--format", "concise")
    assert run.code == 1
    assert run.out.splitlines()[-1] == (
        "Found 3 hallucinated references in 3 of 300 files (HAL101 \u00d73)."
    )


# -- paths -------------------------------------------------------------------------------------------


def test_missing_paths_loops_and_broken_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "good.py", JSON_LODS)
    (tmp_path / "loop_a.py").symlink_to("loop_b.py")
    (tmp_path / "loop_b.py").symlink_to("loop_a.py")
    (tmp_path / "dangling.py").symlink_to("nowhere.py")
    (tmp_path / "self").symlink_to(".")  # a folder loop: symbolic links to folders are not followed
    run = halluc(
        monkeypatch, "missing.py", "loop_a.py", "dangling.py", tmp_path, "--format", "json"
    )
    assert run.code == 2
    assert errors(run) == {
        "missing.py": "no such file or directory",
        "loop_a.py": "symbolic link loop",
        "dangling.py": "broken symbolic link (to nowhere.py)",
        "loop_b.py": "symbolic link loop",
    }
    assert list(diagnostics(run)) == ["good.py"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_files_and_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "good.py", JSON_LODS)
    locked = write(tmp_path, "locked.py", JSON_LODS)
    locked.chmod(0)
    closed = tmp_path / "closed"
    write(closed, "inner.py", JSON_LODS)
    closed.chmod(0)
    try:
        run = halluc(monkeypatch, tmp_path, "--format", "json")
    finally:
        closed.chmod(stat.S_IRWXU)
        locked.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert run.code == 2
    assert errors(run) == {
        "locked.py": "cannot read: Permission denied",
        "closed": "cannot list folder: Permission denied",
    }


JSON_ARGS = ("--python", sys.executable, "--format", "json")


def test_pipes_and_devices_never_block(tmp_path: Path) -> None:
    """Named pipes (by name and in a folder) and devices are refused without being opened.
    Run as a subprocess: were one opened, the run would block; the timeout only guards that."""
    write(tmp_path, "tree/good.py", JSON_LODS)
    os.mkfifo(tmp_path / "tree" / "pipe.py")
    os.mkfifo(tmp_path / "named_pipe.py")
    proc = subprocess.run(
        [sys.executable, "-m", "halluc_check", "named_pipe.py", "/dev/zero", "tree", *JSON_ARGS],
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    assert proc.returncode == 2, proc.stderr
    document = json.loads(proc.stdout)
    hint = "not a source file (pipe code in with `-` to check standard input)"
    assert {e["path"]: e["message"] for e in document["errors"]} == {
        "named_pipe.py": f"a named pipe, {hint}",
        "/dev/zero": f"a character device, {hint}",
        "tree/pipe.py": f"a named pipe, {hint}",
    }
    assert [d["path"] for d in document["diagnostics"]] == ["tree/good.py"]


HOSTILE_NAMES = (
    "with space.py",
    "\u00fcn\u00ef c\u00f8d\u00e9 \u6f22\u5b57.py",
    "new\nline.py",
    "per%cent.py",
    "co:lon.py",
    "com,ma.py",
    "::error::x.py",
    "esc\x1b[31mred.py",
    "tab\there.py",
    "bidi\u202etxt.py",
)


@pytest.fixture
def hostile_tree(tmp_path: Path) -> Path:
    folder = tmp_path / "tree"
    for name in HOSTILE_NAMES:
        write(folder, name, JSON_LODS)
    return folder


def assert_terminal_safe(text: str) -> None:
    for line in text.splitlines():
        for char in line:
            category = unicodedata.category(char)
            assert category not in {"Cc", "Cs", "Zl", "Zp"} and char != "\u202e", (line, char)
        assert not line.startswith("::") or line.startswith("::error file="), line


def test_hostile_file_names_in_text_formats(
    hostile_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for fmt in ("concise", "full"):
        run = halluc(monkeypatch, "tree", "--format", fmt)
        assert run.code == 1
        assert_terminal_safe(run.out)
        for name in ("with space.py", "per%cent.py", "co:lon.py", "com,ma.py"):
            assert f"tree/{name}:2:6" in run.out
        assert "tree/new\\x0aline.py:2:6" in run.out
        assert "tree/esc\\x1b[31mred.py:2:6" in run.out
        assert "tree/bidi\\u202etxt.py:2:6" in run.out
        assert f"Found {len(HOSTILE_NAMES)} hallucinated references" in run.out


def test_hostile_file_names_in_machine_formats(
    hostile_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = halluc(monkeypatch, "tree", "--format", "json")
    assert {Path(d["path"]).name for d in run.json()["diagnostics"]} == set(HOSTILE_NAMES)  # type: ignore[attr-defined]
    assert run.out.isascii()
    sarif = halluc(monkeypatch, "tree", "--format", "sarif")
    log = json.loads(sarif.out)
    jsonschema.validate(log, json.loads(SCHEMA.read_text(encoding="utf-8")))
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert "tree/per%25cent.py" in uris and "tree/new%0Aline.py" in uris
    assert all(" " not in uri and "\n" not in uri for uri in uris)


def test_hostile_file_names_in_github_annotations(
    hostile_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = halluc(monkeypatch, "tree", "--format", "github")
    assert_terminal_safe(run.out)
    annotations = [line for line in run.out.splitlines() if line.startswith("::")]
    assert len(annotations) == len(HOSTILE_NAMES)
    files = set()
    for line in annotations:
        properties, message = line[len("::error ") :].split("::", 1)
        assert message.startswith("module `json` has no attribute `lods`")
        fields = dict(item.split("=", 1) for item in properties.split(","))
        assert set(fields) == {"file", "line", "endLine", "col", "endColumn", "title"}
        files.add(fields["file"])
    assert {
        "tree/per%25cent.py",
        "tree/co%3Alon.py",
        "tree/com%2Cma.py",
        "tree/new%0Aline.py",
        "tree/%3A%3Aerror%3A%3Ax.py",
    } <= files


# -- configuration -----------------------------------------------------------------------------------

BAD_CONFIGURATIONS = {
    "[tool.halluc-check\n": "invalid TOML: Expected ']' at the end of a table declaration",
    "[tool.halluc-check]\nfoo = 1\n": "unknown key(s) in [tool.halluc-check]: foo",
    "[tool.halluc-check]\nmin_confidence = 'high'\n": "(did you mean `min_confidence` -> `min-confidence`?)",
    "[tool]\nhalluc-check = 3\n": "[tool.halluc-check] must be a table",
    "[tool.halluc-check]\nselect = 'HAL7'\n": "`select`:",
}


@pytest.mark.parametrize(("text", "reason"), list(BAD_CONFIGURATIONS.items()))
def test_bad_configuration_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, reason: str
) -> None:
    write(tmp_path, "pyproject.toml", text)
    write(tmp_path, "good.py", JSON_LODS)
    run = halluc(monkeypatch, "good.py")
    assert run.code == 2 and run.out == ""
    assert run.err.count("\n") == 1 and run.err.startswith(
        f"error: {tmp_path / 'pyproject.toml'}: "
    )
    assert reason in run.err


def test_configuration_that_is_not_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "pyproject.toml", b"\xff\xfe[tool]\n")
    run = halluc(monkeypatch, "good.py")
    assert run.code == 2 and run.out == ""
    assert run.err == f"error: {tmp_path / 'pyproject.toml'}: invalid TOML: not UTF-8 (byte 0)\n"


def _interpreters(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(--python value, expected reason) pairs of targets that are not usable."""
    yield "missing/python", "--python missing/python: no such interpreter or environment"
    yield "empty_dir", "--python empty_dir: no such interpreter or environment"
    text = write(tmp_path, "text_file", "just text\n")
    yield "text_file", f"{text} is not a usable Python interpreter: not an executable file"
    for name, body, reason in (
        ("silent", "#!/bin/sh\nexit 0\n", "it does not answer like a Python interpreter"),
        ("shouts", "#!/bin/sh\necho '[1]'\n", "it does not answer like a Python interpreter"),
        ("fails", "#!/bin/sh\necho 'boom' >&2\nexit 3\n", "it exited with status 3: boom"),
        ("garbage", "\x7fELF not really\n", "Exec format error"),
    ):
        script = write(tmp_path, name, body)
        script.chmod(0o755)
        yield f"./{name}", f"{script} is not a usable Python interpreter: {reason}"


def test_unusable_python_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "empty_dir").mkdir()
    write(tmp_path, "good.py", JSON_LODS)
    for python, reason in list(_interpreters(tmp_path)):
        out, err = io.StringIO(), io.StringIO()
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", err)
        code = cli.main(["good.py", "--python", python])
        assert (code, out.getvalue(), err.getvalue()) == (2, "", f"error: {reason}\n"), python


def test_python_2_is_refused_with_the_reason(tmp_path: Path) -> None:
    python2 = _installed_python(["python2"], "2.*/bin/python2", "sys.version_info[0] == 2")
    if python2 is None:
        pytest.skip("no Python 2 installed")
    write(tmp_path, "good.py", JSON_LODS)
    proc = subprocess.run(
        [sys.executable, "-m", "halluc_check", "good.py", "--python", python2],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.endswith(
        "is not a usable Python interpreter: it is not Python 3 (it does not know the -I option)\n"
    )


# -- terminal control characters inside checked files -------------------------------------------------

HOSTILE_SOURCE = (
    "import json\n"
    "json.lods('\x1b[2J\x1b]0;pwned\x07')  # \u202e }\u2066 reversed \x08\x08\n"
    "json.\u0434umps  # a Cyrillic \u0434\n"
)


def test_control_characters_in_checked_lines_never_reach_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "hostile.py", HOSTILE_SOURCE)
    for fmt in ("full", "concise", "github"):
        run = halluc(monkeypatch, "hostile.py", "--format", fmt)
        assert run.code == 1
        assert_terminal_safe(run.out)
        assert "\x1b" not in run.out and "\x07" not in run.out
    full = halluc(monkeypatch, "hostile.py", "--format", "full").out
    assert "json.lods('\\x1b[2J\\x1b]0;pwned\\x07')  # \\u202e }\\u2066 reversed \\x08\\x08" in full
    assert "module `json` has no attribute `\u0434umps`" in full
    for fmt in ("json", "sarif"):
        document = halluc(monkeypatch, "hostile.py", "--format", fmt).out
        assert document.isascii() and json.loads(document)


def test_python_warnings_about_checked_code_are_not_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parsing checked code must not let the warnings module print about it (raw, to stderr)."""
    source = "import json\nx = 1()\ny = '\\d' if x is 1 else json.lods\n"
    write(tmp_path, "warns.py", source)
    write(tmp_path, "answer.md", f"```python\n{source}```\n")
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        run = halluc(monkeypatch, "warns.py", "answer.md", "--format", "concise")
    assert [str(w.message) for w in shown] == []
    assert run.code == 1 and run.err == ""
    assert run.out.count("HAL101 module `json` has no attribute `lods`") == 2


def test_interrupting_a_deeply_nested_check_stops_its_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A time limit or Ctrl-C that arrives while a deeply nested unit is checked in its own
    thread stops that thread too (jedi must never run in two threads) and then goes on."""

    class Stop(BaseException):
        pass

    seen: list[type[BaseException]] = []

    def endless(checker: object, source: str, path: str | None) -> Result:
        try:
            while True:
                time.sleep(0.01)
        except BaseException as exc:
            seen.append(type(exc))
            raise

    def expire(signum: int, frame: object) -> None:
        raise Stop

    monkeypatch.setattr(units, "check_unit", endless)
    threads = threading.active_count()
    previous = signal.signal(signal.SIGALRM, expire)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        with pytest.raises(Stop):
            units._check_deeply_nested(None, "x = 1\n", "deep.py")  # type: ignore[arg-type]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert seen == [Stop]
    assert threading.active_count() == threads
    assert sys.getrecursionlimit() < 25_000


def test_a_lone_surrogate_is_a_clean_reason_not_an_internal_error() -> None:
    # no file decodes to one, but a JSON string can carry it ("\ud800") into the API or a batch
    result = api.check_source('import os\nx = "\ud800"\nos.pathx\n')
    assert not result.checked
    assert result.error == "not valid Unicode: a lone surrogate U+D800 at line 2, column 6"
