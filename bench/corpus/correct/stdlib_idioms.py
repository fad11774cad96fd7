"""Everyday standard-library code whose attributes are all real (Python 3.10+)."""

import argparse
import collections
import concurrent.futures
import contextlib
import datetime
import functools
import inspect
import io
import json
import logging
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)


def run_echo() -> str:
    result = subprocess.run([sys.executable, "-c", "print('hi')"], capture_output=True, text=True, check=True)
    return result.stdout.strip() + str(result.returncode)


def parse(argv: list) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="demo")
    parser.add_argument("--name", default="world")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    print(args.name, args.dry_run)
    return args


def group(words: list) -> dict:
    index = collections.defaultdict(list)
    for word in words:
        index[word[0]].append(word)
    counts = collections.Counter(words)
    print(counts.most_common(1), counts.total())
    return dict(index)


def files(tmp: str) -> None:
    out = Path(tmp) / "nested" / "out.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("line1\nline2\n", encoding="utf-8")
    with open(out, encoding="utf-8") as fh:
        print(fh.name.endswith("out.txt"), fh.mode, fh.readline().rstrip(), fh.readlines())
    with out.open("rb") as raw:
        print(raw.read(4), raw.closed)
    print(out.stem, out.suffix, out.with_suffix(".md").name, out.exists(), out.stat().st_size)
    print(shutil.which("sh") is not None, os.path.join(tmp, "x"), os.environ.get("HOME", "?") != "")


def times() -> None:
    now = datetime.datetime.now(datetime.timezone.utc)
    print(now.isoformat(), now.date().isoformat(), (now - datetime.timedelta(days=1)).weekday())
    print(datetime.timedelta(hours=5).total_seconds())


def matching(text: str) -> str:
    m = re.match(r"(\w+)-(\d+)", text)
    if m is None:
        return ""
    print(m.group(1), m.groups(), m.span(), m.start())
    found = re.search(r"\d+", text)
    return found.group() if found else ""


def database() -> list:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (x INTEGER)")
    conn.executemany("INSERT INTO t VALUES (?)", [(1,), (2,)])
    conn.commit()
    rows = conn.execute("SELECT x FROM t").fetchall()
    cur = conn.cursor()
    print(cur.execute("SELECT count(*) FROM t").fetchone(), cur.rowcount)
    conn.close()
    return rows


def network_config() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(2.0)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    print(sock.gettimeout(), sock.family)
    sock.close()


def introspection() -> None:
    frame = sys._getframe()
    print(frame.f_code.co_name, frame.f_lineno > 0)

    @functools.wraps(run_echo)
    def wrapper():
        return run_echo()

    print(wrapper.__wrapped__ is run_echo, wrapper.__name__, wrapper.__qualname__)
    print(int.__mro__, dict.__mro__[0].__name__, type(wrapper).__module__)
    print(inspect.signature(parse).parameters["argv"].annotation, parse.__annotations__)
    print(group.__doc__, group.__code__.co_argcount, group.__defaults__)


def misc() -> None:
    buf = io.StringIO()
    buf.write("hello")
    print(buf.getvalue(), json.dumps({"a": 1}, indent=None), json.JSONDecodeError.__name__)
    with contextlib.suppress(KeyError):
        {}["missing"]
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        future = pool.submit(sum, [1, 2, 3])
        print(future.result(), future.done())
    log.info("done")
    logging.getLogger().debug("root logger %s", logging.getLevelName(logging.INFO))
    print("abc".upper(), " x ".strip(), "a,b".split(","), [3, 1].copy(), {"k": 1}.items())


def main() -> None:
    print(run_echo())
    parse(["--name", "x"])
    print(group(["apple", "avocado", "banana"]))
    with tempfile.TemporaryDirectory() as tmp:
        files(tmp)
    times()
    print(matching("abc-123"))
    print(database())
    network_config()
    introspection()
    misc()


if __name__ == "__main__":
    main()
