"""Report generator: invented methods on instances of standard-library types.

Receivers are built with constructors or literals so their type is certain.
"""

import argparse
import collections
import datetime
import logging
import re
import socket
import sqlite3
import subprocess
import threading
from pathlib import Path

log = logging.getLogger("report")


def prepare_output(base: str) -> Path:
    out = Path(base) / "reports"
    out.parent.mkdirs(exist_ok=True)  # expect: HAL101[mkdirs]
    if out.isfile():  # expect: HAL101[isfile]
        out.unlink()
    return out


def load_rows(path: str) -> list:
    with open(path, encoding="utf-8") as fh:
        text = fh.readAll()  # expect: HAL101[readAll]
    rows = []
    for line in str(text).splitlines():
        rows.push(line.trim())  # expect: HAL101[push], HAL101[trim]
    return rows


def header(title: str) -> str:
    name = "quarterly report"
    if name.contains("report"):  # expect: HAL101[contains]
        name = name.uper()  # expect: HAL101[uper]
    return f"{title}: {name}"


def run_tool() -> int:
    result = subprocess.run(["echo", "ok"], capture_output=True, text=True)
    log.success("tool finished")  # expect: HAL101[success]
    return result.exit_code  # expect: HAL101[exit_code]


def when() -> str:
    now = datetime.datetime.now()
    delta = datetime.timedelta(hours=5)
    print(delta.hours)  # expect: HAL101[hours]
    return now.to_string()  # expect: HAL101[to_string]


def is_valid_id(value: str) -> bool:
    pattern = re.compile(r"^[a-z0-9]{8}$")
    return pattern.test(value)  # expect: HAL101[test]


def worker_alive() -> bool:
    worker = threading.Thread(target=run_tool, daemon=True)
    worker.start()
    return worker.isAlive()  # expect: HAL101[isAlive]


def recent(events: list) -> list:
    queue = collections.deque(maxlen=10)
    seen = set()
    for event in events:
        queue.push(event)  # expect: HAL101[push]
        seen.append(event)  # expect: HAL101[append]
    return list(queue)


def query(db: str) -> list:
    conn = sqlite3.connect(db)
    cur = conn.cursor()
    cur.execute("SELECT name FROM reports")
    return cur.fetch_all()  # expect: HAL101[fetch_all]


def ping(host: str) -> bytes:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.set_timeout(2.0)  # expect: HAL101[set_timeout]
    sock.connect((host, 80))
    return sock.receive(1024)  # expect: HAL101[receive]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="report generator")
    parser.add_option("--out", default="out")  # expect: HAL101[add_option]
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    out = prepare_output(args.out)
    print(header("Q3"), out, when())


if __name__ == "__main__":
    main()
