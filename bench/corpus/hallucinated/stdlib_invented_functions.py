"""Small file-sync helper.  Invented module-level functions in the standard library."""

import datetime
import functools
import itertools
import json
import logging
import math
import os
import random
import re
import shutil
import subprocess
import time

logger = logging.getLogger(__name__)


def read_settings(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.parse(fh.read())  # expect: HAL101[parse]


def write_settings(path: str, settings: dict) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(json.stringify(settings, indent=2))  # expect: HAL101[stringify]


def target_path(root: str, name: str) -> str:
    return os.path.joinpath(root, "sync", name)  # expect: HAL101[joinpath]


def ensure_dir(path: str) -> None:
    if not os.path.exists(path):
        os.path.mkdir(path)  # expect: HAL101[mkdir]
    os.mkdirs(os.path.join(path, "tmp"), exist_ok=True)  # expect: HAL101[mkdirs]


def mirror(src: str, dst: str) -> None:
    shutil.copydir(src, dst)  # expect: HAL101[copydir]
    subprocess.execute(["sync"])  # expect: HAL101[execute]


def timestamp() -> str:
    now = datetime.now()  # expect: HAL101[now]
    return now.strftime("%Y-%m-%d")


def elapsed_ms(start: float) -> float:
    return (time.now() - start) * 1000  # expect: HAL101[now]


def chunks(items: list, size: int) -> list:
    return list(itertools.chunked(items, size))  # expect: HAL101[chunked]


def flatten(nested: list) -> list:
    return list(itertools.flatten(nested))  # expect: HAL101[flatten]


@functools.memoize  # expect: HAL101[memoize]
def checksum(path: str) -> int:
    return os.path.getsize(path)


def clamp_ratio(value: float) -> float:
    return math.clamp(value, 0.0, 1.0)  # expect: HAL101[clamp]


def pick_mirror(mirrors: list) -> str:
    return random.pick(mirrors)  # expect: HAL101[pick]


def is_hidden(name: str) -> bool:
    return re.test(r"^\.", name)  # expect: HAL101[test]


def report(files: list) -> None:
    logging.success("synced %d files", len(files))  # expect: HAL101[success]
    logger.info("done at %s", time.strftime("%H:%M"))


def main() -> None:
    settings = read_settings("settings.json")
    ensure_dir(settings.get("root", "."))
    report([])


if __name__ == "__main__":
    main()
