"""halluc-check against pylint, pyright and mypy: speed, memory, precision and recall, in one run.

    python bench/compare.py           # build or reuse bench/.work/venv, run it all, print the tables
    python bench/compare.py --quick   # a smaller real-code corpus, for a first look
    python bench/compare.py --json out.json

Every tool runs in the same virtual environment (``bench/requirements.txt``: pinned tools and the
libraries the code uses) on the same copies of the corpora:

* **real code**: the source of installed packages (correct, released code; at least 50k lines),
  copied out of site-packages so that every tool checks it as a project;
* **labelled**: ``bench/corpus/hallucinated`` and the founding fixture (every line with an
  ``# expect:`` label is a hallucination), and ``bench/corpus/correct`` (tricky but correct code).

Only *hallucination-class* findings count: a missing module, a name a module lacks, an attribute a
class lacks, an unknown keyword argument, too many positional arguments (pylint E0401 E0611 E1101
E1123 E1121; pyright reportMissingImports, reportAttributeAccessIssue, reportCallIssue; mypy
import-not-found, attr-defined, call-arg, name-defined for module members). A labelled line counts
as found when a tool reports such a finding on it. Wall times are medians of ``--repeat`` runs;
cold means empty caches (halluc-check's, jedi's, mypy's), warm means the caches of a previous run.
The tools take turns on the real code, one round at a time (each tool cold, then warm), so that
a machine slowing down during the run weighs on all of them alike; the cold ratios are also given
per round.
Ratios are the headline: absolute seconds vary between machines.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
VENV = WORK / "venv"
PYTHON = VENV / "bin" / "python"
REQUIREMENTS = ROOT / "bench" / "requirements.txt"
GENERATED = ROOT / "bench" / "generated_200.py"

REAL_PACKAGES = ["requests", "click", "flask", "httpx", "jinja2", "urllib3"]  # 63k lines
QUICK_PACKAGES = ["requests", "click", "flask", "httpx"]
LABELLED = [ROOT / "bench/corpus/hallucinated", ROOT / "fixtures/founding/bot_stale.py"]
CORRECT = [ROOT / "bench/corpus/correct", ROOT / "fixtures/founding/bot_fixed.py"]

PYLINT_CODES = {"E0401", "E0611", "E1101", "E1123", "E1121"}
PYRIGHT_RULES = {"reportMissingImports", "reportAttributeAccessIssue", "reportCallIssue"}
MYPY_CODES = {"import-not-found", "attr-defined", "call-arg", "name-defined"}
EXPECT = re.compile(r"#\s*expect:\s*(HAL\d+)")


# -- environment ---------------------------------------------------------------------------------
def ensure_venv() -> None:
    """Create the benchmark environment once; reuse it while the requirements are unchanged."""
    stamp = WORK / "venv.requirements"
    wanted = REQUIREMENTS.read_text(encoding="utf-8")
    if PYTHON.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
        return
    print(f"building {VENV.relative_to(ROOT)} (pinned tools and libraries) ...", flush=True)
    shutil.rmtree(VENV, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = [str(PYTHON), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "-r", str(REQUIREMENTS), "-e", str(ROOT)], check=True)
    # pyright's PyPI wrapper fetches the matching pyright from the npm registry on first use
    subprocess.run([str(VENV / "bin" / "pyright"), "--version"], check=True, capture_output=True)
    stamp.write_text(wanted, encoding="utf-8")


def site_packages() -> Path:
    out = subprocess.run(
        [str(PYTHON), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(out.stdout.strip())


def tool_versions() -> dict[str, str]:
    code = (
        "import importlib.metadata as m, json; "
        "print(json.dumps({n: m.version(n) for n in "
        "['halluc-check', 'pylint', 'pyright', 'mypy', 'jedi']}))"
    )
    out = subprocess.run([str(PYTHON), "-c", code], capture_output=True, text=True, check=True)
    versions: dict[str, str] = json.loads(out.stdout)
    return versions


# -- corpora -------------------------------------------------------------------------------------
@dataclass
class Corpus:
    name: str
    folder: Path
    files: list[Path]

    @property
    def lines(self) -> int:
        return sum(count_lines(f) for f in self.files)


def count_lines(path: Path) -> int:
    with open(path, "rb") as fh:
        return sum(1 for _ in fh)


def copy_packages(names: Iterable[str], target: Path) -> Corpus:
    site = site_packages()
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for name in names:
        source = site / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(site / f"{name}.py", target / f"{name}.py")
    return Corpus(target.name, target, sorted(target.rglob("*.py")))


def copy_labelled(target: Path) -> tuple[Corpus, Corpus]:
    shutil.rmtree(target, ignore_errors=True)
    groups = []
    for name, sources in (("hallucinated", LABELLED), ("correct", CORRECT)):
        folder = target / name
        folder.mkdir(parents=True)
        for source in sources:
            if source.is_dir():
                shutil.copytree(source, folder, dirs_exist_ok=True)
            else:
                shutil.copy2(source, folder / source.name)
        groups.append(Corpus(name, folder, sorted(folder.rglob("*.py"))))
    return groups[0], groups[1]


def labels(corpus: Corpus) -> set[tuple[str, int]]:
    found = set()
    for file in corpus.files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if EXPECT.search(line):
                found.add((str(file.resolve()), number))
    return found


def scaled(corpus: Corpus, fraction: float, target: Path) -> Corpus:
    """The first files of ``corpus`` (in path order) adding up to ``fraction`` of its lines."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    budget = corpus.lines * fraction
    taken: list[Path] = []
    total = 0
    for file in corpus.files:
        if total >= budget:
            break
        relative = file.relative_to(corpus.folder)
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(file, destination)
        taken.append(destination)
        total += count_lines(file)
    for folder in {p.parent for p in taken}:  # keep packages importable
        for parent in [folder, *folder.parents]:
            if parent == target or target not in parent.parents:
                break
            init = parent / "__init__.py"
            if not init.exists():
                init.write_text("", encoding="utf-8")
    return Corpus(target.name, target, sorted(target.rglob("*.py")))


def replicated(base: Corpus, copies: int, target: Path) -> Corpus:
    """``copies`` copies of ``base`` side by side: the same code ``copies`` times over, so the
    time per line can only change with the amount of code, not with its kind."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for number in range(copies):
        shutil.copytree(base.folder, target / f"copy{number}")
    return Corpus(target.name, target, sorted(target.rglob("*.py")))


# -- running -------------------------------------------------------------------------------------
@dataclass
class Run:
    seconds: float
    peak_mib: float
    stdout: str
    returncode: int


def _tree_rss_mib(root: int) -> float:
    """Resident memory of ``root`` and all its descendants, from /proc (Linux)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/statm", encoding="ascii") as fh:
                rss[int(entry)] = int(fh.read().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
        parents[int(entry)] = int(fields[1])
    members = {root}
    changed = True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if parent in members and pid not in members:
                members.add(pid)
                changed = True
    return sum(rss.get(pid, 0) for pid in members) / 2**20


def run(command: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> Run:
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    peak = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_mib(process.pid))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, _ = process.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    return Run(elapsed, peak, stdout, process.returncode)


def _abs(path: str, cwd: Path) -> str:
    return str((cwd / path).resolve())


def halluc_command(paths: list[Path], cache: Path) -> list[str]:
    # no --python: halluc-check runs inside the benchmark environment and resolves against it
    return [str(VENV / "bin" / "halluc-check"), *map(str, paths), "--format", "json"]


def halluc_parse(stdout: str, cwd: Path) -> list[tuple[str, int, str]]:
    document = json.loads(stdout)
    return [(_abs(d["path"], cwd), d["line"], d["code"]) for d in document["diagnostics"]]


def pylint_command(paths: list[Path], cache: Path) -> list[str]:
    return [
        str(PYTHON),
        "-m",
        "pylint",
        "-j",
        "0",
        "--disable=all",
        f"--enable={','.join(sorted(PYLINT_CODES))}",
        "--output-format=json",
        "--score=n",
        *map(str, paths),
    ]


def pylint_parse(stdout: str, cwd: Path) -> list[tuple[str, int, str]]:
    items = json.loads(stdout or "[]")
    return [
        (_abs(i["path"], cwd), i["line"], i["message-id"])
        for i in items
        if i["message-id"] in PYLINT_CODES
    ]


def pyright_command(paths: list[Path], cache: Path) -> list[str]:
    return [
        str(VENV / "bin" / "pyright"),
        "--outputjson",
        "--threads",
        str(os.cpu_count() or 1),
        "--pythonpath",
        str(PYTHON),
        *map(str, paths),
    ]


def pyright_parse(stdout: str, cwd: Path) -> list[tuple[str, int, str]]:
    document = json.loads(stdout)
    return [
        (str(Path(d["file"]).resolve()), d["range"]["start"]["line"] + 1, d.get("rule", ""))
        for d in document.get("generalDiagnostics", [])
        if d.get("rule") in PYRIGHT_RULES
    ]


def mypy_command(paths: list[Path], cache: Path) -> list[str]:
    return [
        str(PYTHON),
        "-m",
        "mypy",
        "--cache-dir",
        str(cache / "mypy"),
        "--python-executable",
        str(PYTHON),
        "--no-error-summary",
        "--show-error-codes",
        "--no-pretty",
        "--explicit-package-bases",
        *map(str, paths),
    ]


_MYPY_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): error: .*\[(?P<code>[a-z-]+)\]$")


def mypy_parse(stdout: str, cwd: Path) -> list[tuple[str, int, str]]:
    found = []
    for line in stdout.splitlines():
        match = _MYPY_LINE.match(line)
        if match and match.group("code") in MYPY_CODES:
            found.append(
                (_abs(match.group("path"), cwd), int(match.group("line")), match.group("code"))
            )
    return found


def xdg(cache: Path) -> dict[str, str]:
    """halluc-check's result cache and jedi's parse cache both live under XDG_CACHE_HOME."""
    return {"XDG_CACHE_HOME": str(cache / "xdg"), "HALLUC_CHECK_CACHE_DIR": str(cache / "hc")}


Parser = Callable[[str, Path], list[tuple[str, int, str]]]
"""stdout, working folder -> (absolute path, line, code) of every hallucination-class finding."""

TOOLS: dict[str, tuple[Callable[[list[Path], Path], list[str]], Parser, bool]] = {
    "halluc-check": (halluc_command, halluc_parse, True),
    "pylint": (pylint_command, pylint_parse, False),
    "pyright": (pyright_command, pyright_parse, False),
    "mypy": (mypy_command, mypy_parse, True),
}


@dataclass
class Measured:
    cold: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)
    peak_mib: float = 0.0
    findings: list[tuple[str, int, str]] = field(default_factory=list)
    warm_findings: list[tuple[str, int, str]] = field(default_factory=list)


def measure(
    tool: str, corpus: Corpus, cache_root: Path, repeat: int, warm: bool = True
) -> Measured:
    result = Measured()
    for attempt in range(repeat):
        measure_once(tool, corpus, cache_root, attempt, result, warm=warm)
    return result


def measure_once(
    tool: str, corpus: Corpus, cache_root: Path, attempt: int, result: Measured, warm: bool = True
) -> None:
    """One cold run (empty caches) and, with ``warm``, a second one on its caches."""
    command, parse, _ = TOOLS[tool]
    cache = cache_root / f"{tool}-{corpus.name}-{attempt}"
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True)
    env = xdg(cache)
    first = run(command([corpus.folder], cache), cwd=corpus.folder, env=env)
    result.cold.append(first.seconds)
    result.peak_mib = max(result.peak_mib, first.peak_mib)
    if attempt == 0:
        result.findings = parse(first.stdout, corpus.folder)
    if warm:
        second = run(command([corpus.folder], cache), cwd=corpus.folder, env=env)
        result.warm.append(second.seconds)
        result.peak_mib = max(result.peak_mib, second.peak_mib)
        if attempt == 0:
            result.warm_findings = parse(second.stdout, corpus.folder)


# -- report --------------------------------------------------------------------------------------
def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller real-code corpus")
    parser.add_argument("--packages", nargs="+", help="the installed packages of the real corpus")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (median)")
    parser.add_argument("--tools", nargs="+", default=list(TOOLS), choices=list(TOOLS))
    parser.add_argument("--no-scaling", action="store_true", help="skip the 1x/2x/4x runs")
    parser.add_argument("--json", type=Path, help="also write every number to this file")
    args = parser.parse_args()

    ensure_venv()
    versions = tool_versions()
    # outside bench/.work: pyright skips every folder below a hidden one
    corpora = Path(tempfile.mkdtemp(prefix="halluc-bench-corpora-"))
    packages = args.packages or (QUICK_PACKAGES if args.quick else REAL_PACKAGES)
    real = copy_packages(packages, corpora / "real")
    hallucinated, correct = copy_labelled(corpora / "labelled")
    wanted = labels(hallucinated)
    cache_root = Path(tempfile.mkdtemp(prefix="halluc-bench-"))
    packages = ", ".join(sorted({p.relative_to(real.folder).parts[0] for p in real.files}))
    print(
        f"real code: {len(real.files)} files, {real.lines:,} lines ({packages}); "
        f"labelled: {len(wanted)} hallucinations in {hallucinated.lines:,} lines, "
        f"{correct.lines:,} lines of correct code; {os.cpu_count()} cores",
        flush=True,
    )
    print("versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()), flush=True)
    numbers: dict[str, dict[str, object]] = {}
    # the tools take turns, a round at a time: a machine that slows down during the run (a
    # shared one does) weighs on every tool alike, and each round gives its own ratios
    on_reals = {tool: Measured() for tool in args.tools}
    for attempt in range(args.repeat):
        print(f"round {attempt + 1} of {args.repeat}: {', '.join(args.tools)} ...", flush=True)
        for tool in args.tools:
            measure_once(tool, real, cache_root, attempt, on_reals[tool])
    for tool in args.tools:
        on_real = on_reals[tool]
        on_bad = measure(tool, hallucinated, cache_root, 1, warm=False)
        on_good = measure(tool, correct, cache_root, 1, warm=False)
        hit_lines = {(path, line) for path, line, _ in on_bad.findings}
        numbers[tool] = {
            "cold_s": median(on_real.cold),
            "warm_s": median(on_real.warm),
            "cold_rounds": on_real.cold,
            "warm_rounds": on_real.warm,
            "peak_mib": on_real.peak_mib,
            "real_findings": len(on_real.findings),
            "per_1k": 1000 * len(on_real.findings) / real.lines,
            "recall": len(wanted & hit_lines) / len(wanted),
            "false_alarms": len(on_good.findings),
            "same_warm": sorted(on_real.findings) == sorted(on_real.warm_findings),
        }
    shutil.rmtree(cache_root, ignore_errors=True)

    print()
    header = (
        f"{'tool':<13}{'cold s':>9}{'warm s':>9}{'peak MiB':>10}{'per 1k':>8}{'recall':>8}"
        f"{'false alarms':>14}"
    )
    print(
        f"real code: {real.lines:,} lines; recall on {len(wanted)} labelled hallucinations; "
        f"false alarms on {correct.lines:,} lines of tricky correct code"
    )
    print(header)
    for tool, row in numbers.items():
        print(
            f"{tool:<13}{row['cold_s']:>9.1f}{row['warm_s']:>9.1f}{row['peak_mib']:>10.0f}"
            f"{row['per_1k']:>8.2f}{row['recall']:>8.3f}{row['false_alarms']:>14}"
        )
    ours = numbers.get("halluc-check")
    if ours:
        print()
        print("ratios (halluc-check time / other tool's time; below 1 is faster):")
        for tool, row in numbers.items():
            if tool == "halluc-check":
                continue
            cold = float(ours["cold_s"]) / float(row["cold_s"])  # type: ignore[arg-type]
            warm = float(ours["warm_s"]) / float(row["warm_s"])  # type: ignore[arg-type]
            rounds = " ".join(
                f"{a / b:.2f}"
                for a, b in zip(on_reals["halluc-check"].cold, on_reals[tool].cold, strict=True)
            )
            print(f"  vs {tool:<8} cold {cold:5.2f}   warm {warm:5.3f}   cold per round: {rounds}")
        print(f"  halluc-check findings identical cold and warm: {ours['same_warm']}")

    extra: dict[str, object] = {}
    if "halluc-check" in args.tools:
        extra["generated_file"] = generated_file_timing()
        if not args.no_scaling:
            extra["scaling"] = scaling(
                real, corpora, Path(tempfile.mkdtemp(prefix="halluc-scale-"))
            )
    shutil.rmtree(corpora, ignore_errors=True)
    if args.json:
        args.json.write_text(
            json.dumps({"versions": versions, "tools": numbers, **extra}, indent=2),
            encoding="utf-8",
        )
    return 0


def generated_file_timing() -> dict[str, float]:
    """A 200-line generated file on openai, pandas and requests, as a commit hook would run it."""
    cache = Path(tempfile.mkdtemp(prefix="halluc-gen-"))
    env = xdg(cache)
    command = [str(VENV / "bin" / "halluc-check"), str(GENERATED), "--format", "concise"]
    cold = run(command, cwd=ROOT, env=env).seconds
    warm = [run(command, cwd=ROOT, env=env).seconds for _ in range(5)]
    edited = WORK / "generated_edited.py"
    changed = []
    for number in range(3):  # an edited file: no cached result, but jedi's caches are warm
        edited.write_text(
            GENERATED.read_text(encoding="utf-8") + f"\nVERSION = {number}\n", encoding="utf-8"
        )
        changed.append(run([*command[:1], str(edited), *command[2:]], cwd=ROOT, env=env).seconds)
    shutil.rmtree(cache, ignore_errors=True)
    lines = count_lines(GENERATED)
    print()
    print(f"generated file ({lines} lines; openai, pandas, requests), CLI start included:")
    print(
        f"  cold {cold:.2f} s   warm (unchanged) {median(warm):.3f} s   "
        f"edited (cache miss) {median(changed):.2f} s"
    )
    return {"lines": lines, "cold_s": cold, "warm_s": median(warm), "edited_s": median(changed)}


def scaling(real: Corpus, corpora: Path, cache_root: Path) -> dict[str, dict[str, float]]:
    """halluc-check with no result cache on 1, 2 and 4 copies of a quarter of the real corpus."""
    print()
    print("scaling (halluc-check, no result cache, jedi's parse cache warm; 1, 2, 4 copies):")
    numbers: dict[str, dict[str, float]] = {}
    warmup = xdg(cache_root)
    base = scaled(real, 0.25, corpora / "scale-base")
    for factor in (1, 2, 4):
        part = replicated(base, factor, corpora / f"scale{factor}")
        command = [
            str(VENV / "bin" / "halluc-check"),
            str(part.folder),
            "--format",
            "json",
            "--no-cache",
        ]
        run(command, cwd=part.folder, env=warmup)  # fill jedi's cache for this slice
        timed = run(command, cwd=part.folder, env=warmup)
        numbers[f"{factor}x"] = {
            "lines": part.lines,
            "seconds": timed.seconds,
            "peak_mib": timed.peak_mib,
        }
        print(
            f"  {factor}x: {part.lines:>7,} lines {timed.seconds:7.1f} s  "
            f"{part.lines / timed.seconds:7.0f} lines/s  peak {timed.peak_mib:.0f} MiB"
        )
    shutil.rmtree(cache_root, ignore_errors=True)
    return numbers


if __name__ == "__main__":
    raise SystemExit(main())
