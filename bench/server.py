"""The language server's latency on an edited file -> didChange-to-publishDiagnostics times,
against the command line on the same edits; ``--profile`` adds where a warm re-check spends.

    python bench/server.py                       # bench/generated_200.py, 5 edits
    python bench/server.py FILE --edits 9 --profile

Each edit adds one comment line at the top of the document, so that no cached result applies.
The server is driven over stdio by pygls' client, as an editor would; the target interpreter is
the one running this script. Times are medians; the debounce delay is measured both as shipped
and set to 0 (the check alone).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "bench" / "generated_200.py"


async def server_latencies(
    path: Path, edits: int, debounce: float | None
) -> tuple[float, list[float]]:
    """(seconds to the first diagnostics, seconds from each didChange to its diagnostics)."""
    client = LanguageClient("bench", "1")
    arrived: dict[int, float] = {}

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish(params: types.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            arrived[params.version] = time.perf_counter()

    options: dict[str, object] = {"python": sys.executable}
    if debounce is not None:
        options["debounce"] = debounce
    await client.start_io(sys.executable, "-m", "halluc_check", "server")
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=path.parent.as_uri(),
            initialization_options=options,
        )
    )
    client.initialized(types.InitializedParams())
    uri = path.as_uri()
    started = time.perf_counter()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri, "python", 1, path.read_text(encoding="utf-8"))
        )
    )
    await _arrival(arrived, 1)
    first = arrived[1] - started
    times = []
    for version in range(2, edits + 2):
        sent = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                [
                    types.TextDocumentContentChangePartial(
                        range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                        text=f"# edit {version}\n",
                    )
                ],
            )
        )
        await _arrival(arrived, version)
        times.append(arrived[version] - sent)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return first, times


async def _arrival(arrived: dict[int, float], version: int, limit: float = 300.0) -> None:
    deadline = time.perf_counter() + limit
    while version not in arrived:
        if time.perf_counter() > deadline:
            raise TimeoutError(f"no diagnostics for version {version}")
        await asyncio.sleep(0.001)


def cli_times(path: Path, edits: int) -> list[float]:
    """``halluc-check FILE`` on the same edits: each run a new process, the result cache on (an
    edited text misses it; the library indexes and the interpreter probe are reused)."""
    folder = Path(tempfile.mkdtemp(prefix="halluc-bench-"))
    try:
        target = folder / path.name
        text = path.read_text(encoding="utf-8")
        subprocess.run(_cli(target, text), capture_output=True, check=False)  # fill the caches
        times = []
        for version in range(2, edits + 2):
            text = f"# edit {version}\n" + text
            started = time.perf_counter()
            subprocess.run(_cli(target, text), capture_output=True, check=False)
            times.append(time.perf_counter() - started)
        return times
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _cli(target: Path, text: str) -> list[str]:
    target.write_text(text, encoding="utf-8")
    return [sys.executable, "-m", "halluc_check", "--python", sys.executable, "-q", str(target)]


def profile_warm_recheck(path: Path, top: int) -> str:
    """cProfile of one re-check of an edited text by a Checker that has checked it twice."""
    from halluc_check.cache import DiskCache
    from halluc_check.config import Config
    from halluc_check.engine.units import check_text, new_checker

    checker = new_checker(Config(python=sys.executable), DiskCache())
    text = path.read_text(encoding="utf-8")
    for version in (1, 2):
        text = f"# warm {version}\n" + text
        check_text(checker, text, str(path))
    text = "# profiled\n" + text
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    check_text(checker, text, str(path))
    profiler.disable()
    elapsed = time.perf_counter() - started
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    out.write(f"one warm re-check: {elapsed:.3f} s (under cProfile)\n")
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=GENERATED)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="profile one warm re-check")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    path = args.file.resolve()
    os.environ.pop("VIRTUAL_ENV", None)
    for label, debounce in (("server (debounce as shipped)", None), ("server (debounce 0)", 0.0)):
        first, times = asyncio.run(server_latencies(path, args.edits, debounce))
        print(
            f"{label}: first diagnostics {first:.2f} s; didChange -> publishDiagnostics "
            f"median {statistics.median(times):.3f} s ({', '.join(f'{t:.3f}' for t in times)})"
        )
    times = cli_times(path, args.edits)
    print(
        f"halluc-check FILE (a new process per edit): median {statistics.median(times):.3f} s "
        f"({', '.join(f'{t:.3f}' for t in times)})"
    )
    if args.profile:
        print(profile_warm_recheck(path, args.top))


if __name__ == "__main__":
    main()
