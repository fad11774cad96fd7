"""The warm daemon's latency on an edited file: ``halluc-check FILE`` end to end with the daemon
running, against the same command checking in its own process (a cold run), and where the time
of a warm run goes (the client's start-up and imports, the check in the daemon).

    python bench/daemon.py                       # bench/generated_200.py, 5 edits
    python bench/daemon.py FILE --edits 9

Each edit adds one comment line at the top of the file, so that no cached result applies (the
library indexes and the interpreter probe in the on-disk cache are reused by both). The daemon
listens in a private runtime folder made for the run and is stopped at the end; the target
interpreter is the one running this script. Times are medians.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "bench" / "generated_200.py"
_SECONDS = re.compile(r"checked by the daemon at \S+ in ([0-9.]+) s")


def command(*args: str) -> list[str]:
    """``halluc-check ARGS`` as installed next to this interpreter (else ``python -m``)."""
    script = Path(sys.executable).with_name("halluc-check")
    if script.is_file():
        return [str(script), *args]
    return [sys.executable, "-m", "halluc_check", *args]


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    return time.perf_counter() - started, proc


def edits(
    target: Path, text: str, count: int, env: dict[str, str], *extra: str
) -> tuple[str, list[float], list[float]]:
    """Edit ``target`` ``count`` times, running ``halluc-check FILE`` after each edit: the text
    after the last edit, the wall times, and the daemon's own check times (when it answered)."""
    walls: list[float] = []
    inside: list[float] = []
    for _ in range(count):
        text = f"# edit {time.time_ns()}\n" + text
        target.write_text(text, encoding="utf-8")
        wall, proc = timed(
            command("--python", sys.executable, "-q", "-v", *extra, str(target)), env
        )
        if proc.returncode not in (0, 1):
            raise SystemExit(f"halluc-check failed ({proc.returncode}): {proc.stderr}")
        walls.append(wall)
        found = _SECONDS.search(proc.stderr)
        if found:
            inside.append(float(found.group(1)))
    return text, walls, inside


def _line(label: str, times: list[float]) -> str:
    shown = ", ".join(f"{t:.3f}" for t in times)
    return f"{label}: median {statistics.median(times):.3f} s ({shown})"


def startup(env: dict[str, str], runs: int = 5) -> list[tuple[str, float]]:
    """The client's fixed costs, each the median of ``runs``: the interpreter alone, and the
    imports of the command line's modules."""
    costs = []
    for label, code in (
        ("python -c pass", "pass"),
        ("import halluc_check.cli.command", "import halluc_check.cli.command"),
    ):
        times = [timed([sys.executable, "-c", code], env)[0] for _ in range(runs)]
        costs.append((label, statistics.median(times)))
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=GENERATED)
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hc-bench-"))
    runtime = folder / "run"
    runtime.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env.update(XDG_RUNTIME_DIR=str(runtime), HALLUC_CHECK_CACHE_DIR=str(folder / "cache"))
    target = folder / args.file.name
    try:
        text = args.file.read_text(encoding="utf-8")
        text, _, _ = edits(target, text, 1, env, "--no-daemon")  # fill the on-disk caches
        text, cold, _ = edits(target, text, args.edits, env, "--no-daemon")
        print(_line("cold: halluc-check --no-daemon FILE", cold))

        wall, proc = timed(command("daemon", "start", "--python", sys.executable), env)
        if proc.returncode != 0:
            raise SystemExit(f"the daemon did not start: {proc.stderr}")
        print(f"daemon start: {wall:.2f} s")
        text, first, _ = edits(target, text, 1, env)
        print(f"first request (the daemon reads the file's libraries): {first[0]:.3f} s")
        text, warm, inside = edits(target, text, args.edits, env)
        print(_line("warm: halluc-check FILE with the daemon running", warm))
        if len(inside) == len(warm):
            print(_line("  of which the check in the daemon", inside))
            rest = [w - i for w, i in zip(warm, inside, strict=True)]
            print(_line("  of which the client (start-up, imports, config, render)", rest))
        else:
            print("  the daemon did not answer every request: see `halluc-check -v`")
        unchanged = command("--python", sys.executable, "-q", str(target))
        same = [timed(unchanged, env)[0] for _ in range(args.edits)]
        print(_line("unchanged file (the result cache, through the daemon)", same))
        for label, seconds in startup(env):
            print(f"  {label}: {seconds:.3f} s")
        ratio = statistics.median(warm) / statistics.median(cold)
        print(f"target: at most 0.300 s warm; warm / cold: {ratio:.2f}")
    finally:
        timed(command("daemon", "stop", "--python", sys.executable), env)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
