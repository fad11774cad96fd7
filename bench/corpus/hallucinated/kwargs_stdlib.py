"""Log rotation and reporting tool written from memory: invented and misspelled keyword arguments."""

import argparse
import base64
import collections
import csv
import datetime
import functools
import glob
import json
import logging
import math
import os
import random
import re
import shutil
import subprocess
import tempfile
import textwrap
import threading
import time
import uuid
from logging.handlers import RotatingFileHandler
from pathlib import Path

log = logging.getLogger("logrotate")


# --- command line -------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(desc="Rotate, compress and summarise application logs")  # expect: HAL201[desc]
    parser.add_argument("--log-dir", default="/var/log/app", description="directory holding the logs")  # expect: HAL201[description]
    parser.add_argument("--keep", type=int, default=7, help="number of days to keep")
    parser.add_argument("--dry-run", action="store_true", optional=True)  # expect: HAL201[optional]
    return parser


def setup_logging(path: str, verbose: bool = False) -> None:
    logging.basicConfig(logging.INFO)  # expect: HAL202[logging.INFO]
    handler = RotatingFileHandler(path, max_bytes=5_000_000, backupCount=3)  # expect: HAL201[max_bytes]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", date_format="%H:%M:%S"))  # expect: HAL201[date_format]
    log.addHandler(handler)
    log.setLevel(logging.DEBUG if verbose else logging.INFO)


# --- settings and reports -----------------------------------------------------------------------
def load_settings(path: Path) -> dict:
    with open(path, encodng="utf-8") as fh:  # expect: HAL201[encodng]
        return json.load(fh, encoding="utf-8")  # expect: HAL201[encoding]


def parse_cached(raw: str) -> dict:
    return json.loads(raw, strict_mode=False)  # expect: HAL201[strict_mode]


def render_report(report: dict) -> str:
    return json.dumps(report, sort=True, indent=2)  # expect: HAL201[sort]


def render_compact(report: dict) -> str:
    return json.dumps(report, 4)  # expect: HAL202[4]


def write_report(report: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exists_ok=True)  # expect: HAL201[exists_ok]
    with out.open("w", encoding="utf-8") as fh:
        json.dump(report, fh, indent_size=2)  # expect: HAL201[indent_size]


def write_csv(rows: list, out: Path) -> None:
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimeter=";")  # expect: HAL201[delimeter]
        writer.writerows(rows)


def read_csv_rows(src: Path) -> list:
    with src.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, fields=["ts", "level", "message"]))  # expect: HAL201[fields]


# --- files and processes ------------------------------------------------------------------------
def archive_dir(src: str, dest: str) -> None:
    os.makedirs(dest, exists_ok=True)  # expect: HAL201[exists_ok]
    shutil.copytree(src, dest, overwrite=True)  # expect: HAL201[overwrite]
    shutil.rmtree(src, ignore_error=True)  # expect: HAL201[ignore_error]


def find_logs(root: Path) -> list:
    return sorted(root.glob("**/*.log", recursive=True))  # expect: HAL201[recursive]


def find_rotated(pattern: str) -> list:
    return glob.glob(pattern, recurse=True)  # expect: HAL201[recurse]


def walk_logs(root: str):
    for dirpath, _dirs, files in os.walk(root, follow_links=True):  # expect: HAL201[follow_links]
        yield from (os.path.join(dirpath, f) for f in files if f.endswith(".log"))


def remove_stale(path: Path) -> None:
    path.unlink(ignore_missing=True)  # expect: HAL201[ignore_missing]


def touch_marker(path: Path) -> None:
    path.touch(exists_ok=True)  # expect: HAL201[exists_ok]


def compress(path: str) -> str:
    result = subprocess.run(["gzip", "-k", path], capture=True, text=True)  # expect: HAL201[capture]
    return result.stdout


def follow(path: str) -> subprocess.Popen:
    return subprocess.Popen(["tail", "-F", path], capture_output=True)  # expect: HAL201[capture_output]


def scratch_file():
    return tempfile.NamedTemporaryFile(mode="w", suffix=".log", remove=False)  # expect: HAL201[remove]


def start_worker(fn, path: str) -> threading.Thread:
    worker = threading.Thread(target=fn, arguments=(path,), daemon=True)  # expect: HAL201[arguments]
    worker.start()
    return worker


def wait_for_lock(lock: Path) -> None:
    while lock.exists():
        time.sleep(seconds=1)  # expect: HAL201[seconds]


# --- text ---------------------------------------------------------------------------------------
def count_errors(text: str) -> int:
    pattern = re.compile(r"\bERROR\b", flag=re.IGNORECASE)  # expect: HAL201[flag]
    return len(pattern.findall(text))


def redact(line: str) -> str:
    return re.sub(r"token=\w+", "token=***", line, flag=re.I)  # expect: HAL201[flag]


def split_fields(line: str) -> list:
    return line.split(delimiter="|")  # expect: HAL201[delimiter]


def clean(value: str) -> str:
    return value.strip(chars=" \t")  # expect: HAL201[chars]


def wrap_message(message: str) -> list:
    return textwrap.wrap(message, width=88, indent="    ")  # expect: HAL201[indent]


def encode_line(line: str) -> bytes:
    return base64.b64encode(line.encode("utf-8"), urlsafe=True)  # expect: HAL201[urlsafe]


def parse_level(value: str) -> int:
    return int(value, radix=16)  # expect: HAL201[radix]


def lookup(settings: dict, key: str):
    return settings.get(key, default=None)  # expect: HAL201[default]


def env_setting(name: str) -> str:
    return os.getenv(name, default_value="")  # expect: HAL201[default_value]


# --- time ---------------------------------------------------------------------------------------
def parse_timestamp(text: str) -> datetime.datetime:
    return datetime.datetime.strptime(text, format="%Y-%m-%d %H:%M:%S")  # expect: HAL201[format]


def period_start(year: int) -> datetime.datetime:
    return datetime.datetime(year, 1, 1, tz=datetime.timezone.utc)  # expect: HAL201[tz]


def next_month(ts: datetime.datetime) -> datetime.datetime:
    return ts + datetime.timedelta(months=1)  # expect: HAL201[months]


def from_epoch(seconds: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(seconds, timezone=datetime.timezone.utc)  # expect: HAL201[timezone]


def stamp(ts: datetime.datetime) -> str:
    return ts.isoformat(separator=" ")  # expect: HAL201[separator]


# --- statistics ---------------------------------------------------------------------------------
def sort_by_size(paths: list) -> list:
    return sorted(paths, key=os.path.getsize, revers=True)  # expect: HAL201[revers]


def sort_names(names: list) -> list:
    return sorted(names, str.lower)  # expect: HAL202[str.lower]


def numbered(lines: list) -> list:
    return list(enumerate(lines, begin=1))  # expect: HAL201[begin]


def sample_lines(lines: list) -> list:
    return random.choice(lines, k=3)  # expect: HAL201[k]


def pick_one(lines: list, count: int) -> str:
    return random.choice(lines, count)  # expect: HAL202[count]


def top_sources(sources: list) -> list:
    return collections.Counter(sources).most_common(limit=5)  # expect: HAL201[limit]


def recent(lines: list) -> collections.deque:
    return collections.deque(lines, max_len=100)  # expect: HAL201[max_len]


def close_enough(a: float, b: float) -> bool:
    return math.isclose(a, b, tolerance=1e-6)  # expect: HAL201[tolerance]


def average_size(sizes: list) -> float:
    return round(sum(sizes) / len(sizes), digits=2)  # expect: HAL201[digits]


@functools.lru_cache(max_size=128)  # expect: HAL201[max_size]
def hostname_for(ip: str) -> str:
    return ip


def run_id() -> str:
    return uuid.uuid4(hex=True)  # expect: HAL201[hex]


# --- logging ------------------------------------------------------------------------------------
def report_failure(path: str, exc: Exception) -> None:
    log.error("could not rotate %s: %s", path, exc, exc=True)  # expect: HAL201[exc]
    log.warning("rotation skipped", extras={"path": path})  # expect: HAL201[extras]


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    setup_logging(os.path.join(args.log_dir, "rotate.log"))
    report = {"files": [str(p) for p in find_logs(Path(args.log_dir))]}
    write_report(report, Path(args.log_dir) / "report.json")
    return 0
