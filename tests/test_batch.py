"""JSONL batches: every record checked, findings per record, and the hallucination rate."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from halluc_check.engine.checker import Checker
from halluc_check.run.batch import check_jsonl

from .conftest import FIXTURES

GENERATIONS = FIXTURES / "batch" / "generations.jsonl"


def _expected() -> dict[int, list[str]]:
    wanted = {}
    for number, line in enumerate(GENERATIONS.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if "completion" in record.get("response", {}):
            wanted[number] = sorted(record["expected"])
    return wanted


def test_every_record_gets_its_findings(checker: Checker) -> None:
    batch = check_jsonl(checker, GENERATIONS, "response.completion")
    wanted = _expected()
    got: dict[int, list[str]] = {}
    for result in batch.results:
        number = int(result.path.rsplit("#", 1)[1])
        if result.error is None:
            lines = (result.source or "").splitlines()
            got[number] = sorted(
                f"{f.code}:{lines[f.span.line - 1][f.span.column : f.span.end_column]}"
                for f in result.findings
                if not f.code.startswith("HAL9")
            )
    assert got == wanted
    assert batch.records == 302 and batch.unreadable == 2
    # a real module the environment lacks (HAL003) is no hallucination of the record
    invented = [[c for c in codes if not c.startswith("HAL003:")] for codes in wanted.values()]
    with_findings = sum(1 for codes in invented if codes)
    assert batch.with_findings == with_findings
    assert abs(batch.rate - with_findings / 300) < 1e-9
    assert (
        batch.by_package["openai"] > 0 and batch.by_package["telegraf_bot_sdk (not installed)"] > 0
    )


def test_cli_summary_and_json() -> None:
    args = [
        sys.executable,
        "-m",
        "halluc_check",
        "--jsonl",
        str(GENERATIONS),
        "--field",
        "response.completion",
    ]
    text = subprocess.run(
        [*args, "--python", sys.executable], capture_output=True, text=True, timeout=300
    )
    assert "Records checked: 300 of 302 (2 without usable text)" in text.stdout
    assert "Records with at least one hallucination:" in text.stdout
    assert (
        f"{GENERATIONS}#18: error: could not check: not JSON" in text.stdout or "#18" in text.stdout
    )
    doc = json.loads(
        subprocess.run(
            [*args, "--python", sys.executable, "--format", "json"],
            capture_output=True,
            text=True,
            timeout=300,
        ).stdout
    )
    assert doc["batch"]["records"] == 302
    assert 0 < doc["batch"]["hallucination_rate"] < 1
    assert doc["batch"]["by_rule"]["HAL101"] > 0


def test_a_missing_dependency_is_counted_but_is_no_hallucination(
    checker: Checker, tmp_path: Path
) -> None:
    records = tmp_path / "gen.jsonl"
    texts = ["import sklearn\n", 'import json\n\njson.loadz("{}")\n', "import json\n"]
    records.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    batch = check_jsonl(checker, records, "text")
    assert [sorted(f.code for f in r.findings) for r in batch.results] == [
        ["HAL003"],
        ["HAL101"],
        [],
    ]
    assert batch.with_findings == 1
    assert batch.by_code == {"HAL003": 1, "HAL101": 1}
