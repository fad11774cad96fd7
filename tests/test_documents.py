"""Markdown chat answers and notebooks: Python blocks checked as one module, mapped back exactly."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from halluc_check import Config, check_source
from halluc_check.report import render
from halluc_check.syntax.embedded import from_markdown, from_notebook
from halluc_check.testing import actual, expected

from .conftest import FIXTURES

CONFIG = Config(python=sys.executable)
STDLIB = f"Python {sys.version_info.major}.{sys.version_info.minor} standard library"
ANSWER = FIXTURES / "documents" / "chat_answer.md"
NOTEBOOK = FIXTURES / "documents" / "analysis.ipynb"


def test_markdown_locations_map_to_the_document() -> None:
    text = ANSWER.read_text(encoding="utf-8")
    result = check_source(text, path=ANSWER, config=CONFIG)
    assert result.error is None
    assert actual(result.findings, text) == expected(ANSWER)
    assert result.notes == ("python block 3 (line 32) not checked: unexpected indent (line 2)",)


def test_later_blocks_see_earlier_imports() -> None:
    embedded = from_markdown("```python\nimport json\n```\ntext\n```py\njson.loads('1')\n```\n")
    assert embedded.code == "import json\njson.loads('1')\n"
    assert [o.line for o in embedded.origins] == [2, 6]


def test_non_python_fences_and_unclosed_fences() -> None:
    embedded = from_markdown("```bash\nls\n```\n~~~python\nx = 1\n~~~\n```python\ny = (\n")
    assert embedded.code == "x = 1\n"
    assert len(embedded.skipped) == 1


def test_notebook_cells_magics_and_locations() -> None:
    text = NOTEBOOK.read_text(encoding="utf-8")
    result = check_source(text, path=NOTEBOOK, config=CONFIG)
    assert result.error is None
    cells = json.loads(text)["cells"]
    code_cells = [c for c in cells if c["cell_type"] == "code"]
    wanted = set()
    for number, cell in enumerate(code_cells, start=1):
        for line, code, name in expected_in_cell("".join(cell["source"])):
            wanted.add((number, line, code, name))
    got = set()
    for finding in result.findings:
        assert finding.cell is not None
        got.add((*finding.cell, finding.code, finding.message.split("`")[-2]))
    assert got == wanted
    assert result.notes == ("cell 3 not checked: cell magic %%bash",)


def expected_in_cell(source: str) -> set[tuple[int, str, str]]:
    from halluc_check.testing import expected_in

    return expected_in(source)


def test_broken_notebook_is_not_checked_not_a_crash() -> None:
    result = check_source("{not json", path="broken.ipynb", config=CONFIG)
    assert result.error is not None and "not a readable notebook" in result.error
    assert from_notebook('{"cells": []}').code == ""


def test_cli_on_markdown_and_stdin() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "halluc_check", str(ANSWER), "--python", sys.executable],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1
    assert f"{ANSWER}:13:35: HAL002 cannot import name `Filters` from `telegram.ext`" in proc.stdout
    stdin = subprocess.run(
        [
            sys.executable,
            "-m",
            "halluc_check",
            "-",
            "--stdin-filename",
            "answer.md",
            "--python",
            sys.executable,
        ],
        input=ANSWER.read_text(encoding="utf-8"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (
        "answer.md:22:23: HAL101 module `openai` has no attribute `ChatCompletion`" in stdin.stdout
    )


def test_cli_notebook_locations_and_notes() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "halluc_check",
            str(NOTEBOOK),
            str(ANSWER),
            "--python",
            sys.executable,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert f"{NOTEBOOK}:cell 2:2:12: HAL101 module `pandas` has no attribute `Panel`" in proc.stdout
    assert f"{NOTEBOOK}: note: cell 3 not checked: cell magic %%bash" in proc.stdout
    assert f"{ANSWER}: note: python block 3 (line 32) not checked" in proc.stdout


def _notebook(*cells: str) -> str:
    return json.dumps(
        {
            "cells": [
                {"cell_type": "markdown", "source": ["# title\n"]},
                *(
                    {"cell_type": "code", "source": cell.splitlines(keepends=True)}
                    for cell in cells
                ),
            ],
            "nbformat": 4,
        }
    )


def test_full_format_frames_notebook_cells_with_cell_line_numbers(tmp_path: Path) -> None:
    """The gutter numbers the lines of the cell, the frame never reaches into the cell before,
    and magics show as written."""
    path = tmp_path / "nb.ipynb"
    path.write_text(
        _notebook(
            "import os\nimport string\n\n\n\n\n\n\n\nx = 1\n",  # 10 lines: wider joined numbers
            "string.letters\n",
            "%matplotlib inline\nos.getcwdu()\n",
        ),
        encoding="utf-8",
    )
    result = check_source(path.read_text(encoding="utf-8"), path=path, config=CONFIG)
    assert [(f.span.line, f.cell) for f in result.findings] == [(11, (2, 1)), (13, (3, 2))]
    out = io.StringIO()
    render([result], "full", out, color=False)
    assert out.getvalue() == (
        "error[HAL101]: module `string` has no attribute `letters`\n"
        f" --> {path} (cell 2, line 1, column 8)\n"
        "  |\n"
        "1 | string.letters\n"
        "  |        ^^^^^^^ not found on `string`\n"
        "  |\n"
        f"  = note: `string` resolved to module `string` ({STDLIB})\n"
        "  = note: `letters` was renamed in Python 3.0; use `string.ascii_letters`\n"
        "\n"
        "error[HAL101]: module `os` has no attribute `getcwdu`\n"
        f" --> {path} (cell 3, line 2, column 4)\n"
        "  |\n"
        "1 | %matplotlib inline\n"
        "2 | os.getcwdu()\n"
        "  |    ^^^^^^^ not found on `os`\n"
        "  |\n"
        f"  = note: `os` resolved to module `os` ({STDLIB})\n"
        "  = note: `getcwdu` was renamed in Python 3.0; use `os.getcwd`\n"
        "help: did you mean `getcwd`?\n"
        "  |\n"
        "2 | os.getcwd()\n"
        "  |    ~~~~~~\n"
        "\n"
        "Found 2 hallucinated references in 1 of 1 file (HAL101 \u00d72).\n"
    )


def test_cli_full_format_on_the_notebook_fixture() -> None:
    proc = subprocess.run(
        [
            *(sys.executable, "-m", "halluc_check", str(NOTEBOOK)),
            *("--python", sys.executable, "--format", "full", "--no-color"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1, proc.stderr
    assert (
        f" --> {NOTEBOOK} (cell 2, line 2, column 12)\n"
        "  |\n"
        "1 | df = pd.DataFrame({'a': [1, 2]})\n"
        "2 | panel = pd.Panel()  # expect: HAL101[Panel]\n"
        "  |            ^^^^^ not found on `pandas`\n"
    ) in proc.stdout


def test_sarif_and_github_point_at_the_notebook_file_lines() -> None:
    notebook = FIXTURES / "documents" / "analysis.ipynb"
    text = notebook.read_text(encoding="utf-8")
    file_lines = text.splitlines()
    result = check_source(text, path=str(notebook))
    names = [f.expression.rsplit(".", 1)[-1] for f in result.findings if f.expression]
    assert names == ["Panel", "float"]
    for finding, name in zip(result.findings, names, strict=True):
        assert finding.file_line is not None
        assert f".{name}(" in file_lines[finding.file_line - 1]

    out = io.StringIO()
    render([result], "github", out, color=False, summary=False)
    annotations = [line for line in out.getvalue().splitlines() if line.startswith("::error")]
    lines = [int(a.split("line=", 1)[1].split(",", 1)[0]) for a in annotations]
    assert lines == [f.file_line for f in result.findings]
    assert all("col=" not in a for a in annotations)  # JSON-string columns would mislead

    out = io.StringIO()
    render([result], "sarif", out, color=False, summary=False)
    regions = [
        r["locations"][0]["physicalLocation"]["region"]
        for r in json.loads(out.getvalue())["runs"][0]["results"]
    ]
    assert regions == [{"startLine": f.file_line} for f in result.findings]


def test_notebook_file_lines_for_every_way_a_notebook_is_written() -> None:
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None}
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# title\n", "text"]},
        {**cell, "source": ["import os\n", "os.getcwd()\n", "os.nope()"]},
        {**cell, "source": "import json\njson.nope()\n"},
    ]
    pretty = json.dumps({"cells": cells, "nbformat": 4, "nbformat_minor": 5}, indent=1)
    lines = pretty.splitlines()
    embedded = from_notebook(pretty)
    by_cell = [(o.block, o.line, o.file_line) for o in embedded.origins]
    assert [(b, n) for b, n, _ in by_cell] == [(1, 1), (1, 2), (1, 3), (2, 1), (2, 2)]
    first = [f for b, _, f in by_cell if b == 1]
    assert [lines[f - 1].strip() for f in first if f] == [
        '"import os\\n",',
        '"os.getcwd()\\n",',
        '"os.nope()"',
    ]
    single = {f for b, _, f in by_cell if b == 2}
    assert len(single) == 1 and '"source": "import json' in lines[single.pop() - 1]
    compact = from_notebook(json.dumps({"cells": cells}))
    assert {o.file_line for o in compact.origins} == {1}
