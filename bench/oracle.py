"""Run-time truth -> probe files -> halluc-check: false alarms on names that exist, recall on
invented neighbours proven absent, per library and per kind.

The libraries are imported here, in the benchmark's process (never inside halluc-check), and
enumerated with ``dir()``, ``getattr`` and ``inspect.signature`` (``bench/oracle_truth.py``):
public module attributes, class attributes, instance attributes (through an annotated parameter,
``def probe(x: pandas.DataFrame): x.name``) and keywords of functions, constructors and methods.
Invented names are plural/singular, snake/camel case, ``get_``/``fetch_``/``to_`` and one-edit
typo neighbours of real names, each verified absent at run time. Every sampled probe is counted,
whether or not a static checker could know it.

    python bench/oracle.py                          # every library, 300 probes per kind
    python bench/oracle.py --per-kind 40 --libraries json requests
    python bench/oracle.py --json out.json --quiet  # everything as JSON, table only
"""

from __future__ import annotations

import argparse
import importlib.metadata
import itertools
import logging
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from tempfile import TemporaryDirectory

# the run-time truth lives in a sibling module of this script
sys.path.insert(0, str(Path(__file__).resolve().parent))

from oracle_truth import (
    CLASS,
    EXISTING,
    INSTANCE,
    INVENTED,
    KEYWORD,
    KINDS,
    MODULE,
    InstanceTruth,
    Library,
    Probe,
    absent_keyword,
    absent_on_class,
    absent_on_module,
    enumerate_library,
    invent,
    load,
)

from halluc_check import Config, check_paths

STDLIB = (
    *("json", "os", "os.path", "re", "pathlib", "subprocess", "collections", "datetime"),
    *("asyncio", "logging", "typing", "argparse", "itertools", "functools", "shutil"),
)
THIRD_PARTY = (
    *("requests", "httpx", "click", "flask", "jinja2", "pydantic", "sqlalchemy", "numpy"),
    *("pandas", "openai", "telegram", "telegram.ext", "rich"),
)
PROBES_PER_FILE = 200


@dataclass
class Outcome:
    """Every probe with what halluc-check said about it, and what could not be probed."""

    probes: list[Probe]
    rejected: dict[str, Counter[str]]
    """Per ``library / kind``, why candidate neighbours were not used (they exist, or unknown)."""
    skipped: dict[str, Counter[str]]
    stray: list[str] = field(default_factory=list)
    """Findings on lines that hold no probe (an import, a ``def`` line)."""
    not_checked: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


# --------------------------------------------------------------------------- sampling


def fresh(probe: Probe, **changes: str) -> Probe:
    """A copy with its own (empty) list of findings: ``replace`` would share the list."""
    copy = replace(probe, findings=[], flagged=False, why="")
    for name, value in changes.items():
        setattr(copy, name, value)
    return copy


def sample(
    library: Library, per_kind: int, seed: int
) -> tuple[list[Probe], dict[str, Counter[str]]]:
    """``per_kind`` existing and ``per_kind`` invented probes per kind, drawn with ``seed``."""
    probes: list[Probe] = []
    rejected: dict[str, Counter[str]] = {}
    truth = InstanceTruth()
    for kind in KINDS:
        rng = random.Random(f"{seed}/{library.name}/{kind}")
        existing = library.existing[kind]
        chosen = [fresh(p) for p in rng.sample(existing, min(per_kind, len(existing)))]
        reasons: Counter[str] = Counter()
        invented = _invented(library, kind, per_kind, rng, truth, reasons)
        rejected[f"{library.name} / {kind}"] = reasons
        if kind == MODULE:
            # half of the module attributes are used as `from module import name`
            for group in (chosen, invented):
                for index, probe in enumerate(group):
                    probe.form = "from-import" if index % 2 else "attribute"
        probes += chosen + invented
    return probes, rejected


def _invented(
    library: Library,
    kind: str,
    wanted: int,
    rng: random.Random,
    truth: InstanceTruth,
    reasons: Counter[str],
) -> list[Probe]:
    reals = list(library.real[kind])
    rng.shuffle(reals)
    seen = {(p.owner, p.member, p.name) for p in library.real[kind]}
    found: list[Probe] = []
    for real in reals:
        if len(found) >= wanted:
            break
        check = _absence(library, kind, real, truth)
        if check is None:
            continue

        def counted(name: str, check: Callable[[str], str | None] = check) -> str | None:
            why = check(name)
            if why is not None:
                reasons[why] += 1
            return why

        candidates: Iterable[Probe] = invent(real.name, rng, counted)
        if real.variant == "positional-only" and counted(real.name) is None:
            own = fresh(real, variant=f"positional-only {real.name} as keyword")
            candidates = itertools.chain([own], candidates)
        # the first new neighbour that is proven absent (lazily: proofs read sources)
        for candidate in candidates:
            key = (real.owner, real.member, candidate.name)
            if key not in seen:
                seen.add(key)
                found.append(
                    fresh(real, truth=INVENTED, name=candidate.name, variant=candidate.variant)
                )
                break
    return found


def _absence(
    library: Library, kind: str, real: Probe, truth: InstanceTruth
) -> Callable[[str], str | None] | None:
    if kind == MODULE:
        module = load(library.name)
        return lambda name: absent_on_module(module, name)
    if kind == KEYWORD:
        signature = library.signatures.get((real.owner, real.member))
        if signature is None:
            return None
        return lambda name: absent_keyword(signature, name)
    cls = library.classes[real.owner]
    if kind == CLASS:
        return lambda name: absent_on_class(cls, name)
    return lambda name: truth.absent(cls, name)


# --------------------------------------------------------------------------- probe files


def render(probes: list[Probe], folder: Path, per_file: int = PROBES_PER_FILE) -> None:
    """Write the probes into files of at most ``per_file`` each, one statement per probe, and
    record each probe's path and line."""
    groups: dict[tuple[str, str], list[Probe]] = defaultdict(list)
    for probe in probes:
        groups[(probe.library, probe.kind)].append(probe)
    number = 0
    for (library, kind), members in groups.items():
        members.sort(key=lambda p: (p.form, p.owner, p.member, p.name, p.truth))
        for start in range(0, len(members), per_file):
            number += 1
            slug = re.sub(r"\W+", "_", f"{library} {kind}")
            path = folder / f"probe_{number:04d}_{slug}.py"
            path.write_text(_text(library, kind, members[start : start + per_file], path))


def _text(library: str, kind: str, probes: list[Probe], path: Path) -> str:
    lines = [f'"""Probes: {library}, {kind}."""', "", f"import {library}", ""]
    root = library.split(".")[0]

    def add(text: str, probe: Probe) -> None:
        lines.append(text)
        probe.path, probe.line = str(path), len(lines)

    blocks: dict[str, list[Probe]] = defaultdict(list)
    for probe in probes:
        if probe.kind == INSTANCE or probe.form == "method":
            blocks[probe.owner].append(probe)
        elif probe.form == "from-import":
            # an alias keeps the module's own name bound for the other probes of the file
            alias = f" as _p{len(lines) + 1}" if probe.name == root else ""
            add(f"from {probe.owner} import {probe.name}{alias}", probe)
        elif probe.form == "call":
            add(f"{probe.owner}({probe.name}=None)", probe)
        else:
            add(f"{probe.owner}.{probe.name}", probe)
    for number, (owner, members) in enumerate(blocks.items()):
        lines += ["", "", f"def probe_{number}(x: {owner}) -> None:"]
        for probe in members:
            use = f"x.{probe.member}({probe.name}=None)" if probe.member else f"x.{probe.name}"
            add(f"    {use}", probe)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- checking


def check(probes: list[Probe], folder: Path, jobs: int) -> tuple[list[str], dict[str, str]]:
    """Run halluc-check on ``folder`` and attach each finding to the probe on its line."""
    at = {(str(Path(p.path).resolve()), p.line): p for p in probes}
    stray: list[str] = []
    not_checked: dict[str, str] = {}
    config = Config(python=sys.executable)
    for result in check_paths([folder], config=config, jobs=jobs):
        path = str(Path(result.path).resolve())
        if result.error:
            not_checked[Path(path).name] = result.error
        lines = (result.source or Path(path).read_text(encoding="utf-8")).splitlines()
        for finding in result.findings:
            span = finding.span
            probe = at.get((path, span.line))
            if probe is None:
                stray.append(f"{Path(path).name}:{span.line}: {finding.code} {finding.message}")
                continue
            probe.findings.append(f"{finding.code} {finding.message}")
            text = lines[span.line - 1][span.column : span.end_column]
            if probe.truth == EXISTING or probe.name in (finding.name, text):
                probe.flagged = True
    for probe in probes:
        if Path(probe.path).name in not_checked:
            probe.why = f"file not checked: {not_checked[Path(probe.path).name]}"
    return stray, not_checked


class _Reasons(logging.Handler):
    """The engine's debug notes on what it left unchecked, keyed by (path, line)."""

    pattern = re.compile(
        r"^(?P<path>.+?):(?P<line>\d+)(?::\d+)?: (?:not checked `[^`]*`|keywords of `[^`]*` not "
        r"checked): (?P<why>.*)$"
    )

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.found: dict[tuple[str, int], str] = {}

    def emit(self, record: logging.LogRecord) -> None:
        match = self.pattern.match(record.getMessage())
        if match:
            place = (str(Path(match.group("path")).resolve()), int(match.group("line")))
            self.found.setdefault(place, match.group("why"))


def explain_misses(probes: Iterable[Probe], folder: Path) -> None:
    """Check the missed invented names again, in this process, to collect why they were left."""
    missed = [p for p in probes if p.truth == INVENTED and not p.flagged and not p.why]
    if not missed:
        return
    copies = [fresh(p) for p in missed]
    render(copies, folder)
    handler = _Reasons()
    logger = logging.getLogger("halluc_check")
    level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        for _ in check_paths([folder], config=Config(python=sys.executable)):
            pass
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    for original, copy in zip(missed, copies, strict=True):
        where = (str(Path(copy.path).resolve()), copy.line)
        original.why = handler.found.get(where) or _silent(original)


def _silent(probe: Probe) -> str:
    """What a miss without a logged reason means, by the form of its probe."""
    if probe.form == "from-import":
        return "no reason logged (from-import not reported)"
    if probe.kind == KEYWORD:
        return "no reason logged (callee not inferred, or its signature not read)"
    return "no reason logged (receiver not inferred)"


def run(
    libraries: Iterable[str],
    per_kind: int,
    seed: int = 0,
    jobs: int = 2,
    folder: Path | None = None,
    why: bool = True,
) -> Outcome:
    """The whole oracle: enumerate, sample, write the probe files into ``folder``, check them."""
    probes: list[Probe] = []
    rejected: dict[str, Counter[str]] = {}
    skipped: dict[str, Counter[str]] = {}
    for name in libraries:
        library = enumerate_library(name)
        chosen, reasons = sample(library, per_kind, seed)
        probes += chosen
        rejected.update(reasons)
        skipped[name] = library.skipped
    with TemporaryDirectory(prefix="oracle-") as scratch:
        root = folder or Path(scratch)
        (root / "probes").mkdir(parents=True, exist_ok=True)
        render(probes, root / "probes")
        started = time.perf_counter()
        stray, not_checked = check(probes, root / "probes", jobs)
        seconds = time.perf_counter() - started
        if why:
            (root / "misses").mkdir(exist_ok=True)
            explain_misses(probes, root / "misses")
    return Outcome(probes, rejected, skipped, stray, not_checked, seconds)


# --------------------------------------------------------------------------- report


@dataclass
class Score:
    existing: int = 0
    false_alarms: int = 0
    invented: int = 0
    found: int = 0

    def add(self, probe: Probe) -> None:
        if probe.truth == EXISTING:
            self.existing += 1
            self.false_alarms += probe.flagged
        else:
            self.invented += 1
            self.found += probe.flagged

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.existing if self.existing else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.invented if self.invented else 0.0

    def row(self, label: str) -> str:
        return (
            f"{label:<42} {self.existing:>6} {self.false_alarms:>4} {self.false_alarm_rate:>7.2%}"
            f" {self.invented:>6} {self.found:>6} {self.recall:>7.2%}"
        )

    def as_dict(self) -> dict[str, float]:
        return {**asdict(self), "false_alarm_rate": self.false_alarm_rate, "recall": self.recall}


def scores(probes: Iterable[Probe]) -> dict[str, dict[str, Score]]:
    """Scores per library and kind (library ``all`` and kind ``all`` are the totals)."""
    table: dict[str, dict[str, Score]] = defaultdict(lambda: defaultdict(Score))
    for probe in probes:
        for library in (probe.library, "all"):
            for kind in (probe.kind, "all"):
                table[library][kind].add(probe)
    return table


def report(outcome: Outcome, quiet: bool) -> None:
    table = scores(outcome.probes)
    header = f"{'library / kind':<42} {'exist':>6} {'FA':>4} {'FA rate':>7} {'invent':>6} {'found':>6} {'recall':>7}"
    print(header)
    for library in [*sorted(set(table) - {"all"}), "all"]:
        for kind in [*KINDS, "all"]:
            if kind in table[library]:
                print(table[library][kind].row(f"{library} / {kind}"))
    print(
        f"checked in {outcome.seconds:.0f} s; stray findings: {len(outcome.stray)}; "
        f"files not checked: {len(outcome.not_checked)}"
    )
    if quiet:
        return
    false_alarms = [p for p in outcome.probes if p.truth == EXISTING and p.flagged]
    misses = [p for p in outcome.probes if p.truth == INVENTED and not p.flagged]
    print(f"\nfalse alarms on existing names ({len(false_alarms)}):")
    for probe in false_alarms:
        print(f"  {_shown(probe)} [{probe.variant}]: {'; '.join(probe.findings)}")
    print(f"\nmissed invented names ({len(misses)}), by reason:")
    for why, count in Counter(_reason(p.why) for p in misses).most_common():
        print(f"  {count:>5}  {why}")
    for probe in misses:
        print(f"  {_shown(probe)} [{probe.variant}]: {probe.why}")
    left_out: Counter[str] = Counter()
    for reasons in outcome.skipped.values():
        for why, count in reasons.items():
            left_out[re.sub(r" \(\w+\)$", "", why)] += count
    print("\nleft out before sampling:")
    for why, count in left_out.most_common():
        print(f"  {count:>5}  {why}")
    for title, items in (
        ("stray findings", outcome.stray),
        ("not checked", list(outcome.not_checked.items())),
    ):
        if items:
            print(f"\n{title}:")
            print("\n".join(f"  {item}" for item in items))


def _shown(probe: Probe) -> str:
    if probe.kind == KEYWORD:
        call = f"{probe.owner}().{probe.member}" if probe.member else probe.owner
        return f"{probe.library} | {probe.kind} | {call}({probe.name}=)"
    return f"{probe.library} | {probe.kind} | {probe.owner}.{probe.name}"


def _reason(why: str) -> str:
    """A reason with the names in it blanked, so that reasons of one class count together."""
    return re.sub(r"`[^`]*`", "`...`", why)


def versions(libraries: Iterable[str]) -> dict[str, str]:
    owners = importlib.metadata.packages_distributions()
    found: dict[str, str] = {"python": sys.version.split()[0]}
    for library in libraries:
        for dist in owners.get(library.split(".")[0], []):
            found[dist] = importlib.metadata.version(dist)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--libraries", nargs="+", default=[*STDLIB, *THIRD_PARTY])
    parser.add_argument(
        "--per-kind", type=int, default=300, help="probes per library, kind and truth"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", type=Path, help="write every probe and score to this file")
    parser.add_argument("--keep", type=Path, help="write the probe files into this folder")
    parser.add_argument("--no-why", action="store_true", help="do not re-check misses for reasons")
    parser.add_argument("--quiet", action="store_true", help="print the table only")
    args = parser.parse_args()
    outcome = run(args.libraries, args.per_kind, args.seed, args.jobs, args.keep, not args.no_why)
    report(outcome, args.quiet)
    if args.json:
        table = scores(outcome.probes)
        data = {
            "command": " ".join(["python", "bench/oracle.py", *sys.argv[1:]]),
            "versions": versions(args.libraries),
            "seconds": outcome.seconds,
            "scores": {
                lib: {k: s.as_dict() for k, s in kinds.items()} for lib, kinds in table.items()
            },
            "probes": [asdict(p) for p in outcome.probes],
            "rejected_neighbours": {k: dict(v) for k, v in outcome.rejected.items()},
            "skipped": {k: dict(v) for k, v in outcome.skipped.items()},
            "stray_findings": outcome.stray,
            "not_checked": outcome.not_checked,
        }
        import json

        args.json.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
