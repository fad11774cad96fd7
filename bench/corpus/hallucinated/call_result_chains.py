"""Housekeeping script whose hallucinated attributes sit at the end of call chains.

Each receiver is the result of calls whose return types are declared (constructors,
`Path.cwd()`, `datetime.now()`, `str.strip()`, `Counter.most_common()`, ...).
`re.compile(...).search(...)` returns Optional[Match]; `matches` exists on neither.
"""

import collections
import datetime
import hashlib
import json
import logging
import re
import time
import uuid
import zipfile
from pathlib import Path

import httpx
import pandas as pd
import requests
from telegram.ext import Application


def fetch(url: str) -> dict:
    return requests.Session().get(url, timeout=5).json_data()  # expect: HAL101[json_data]


def fetch_x(url: str) -> dict:
    return httpx.Client().get(url).json_data()  # expect: HAL101[json_data]


def workdir() -> None:
    Path.cwd().parent.mkdirs(exist_ok=True)  # expect: HAL101[mkdirs]
    print(Path(__file__).resolve().parent.joinpath("data.txt").read())  # expect: HAL101[read]


def today() -> str:
    return datetime.datetime.now().date().to_string()  # expect: HAL101[to_string]


def weekday() -> str:
    return datetime.date.today().weekday_name()  # expect: HAL101[weekday_name]


def current_year() -> int:
    return time.localtime().year  # expect: HAL101[year]


def normalize(word: str) -> str:
    return "  Word ".strip().lower().uper()  # expect: HAL101[uper]


def encoded(data: dict) -> bytes:
    return json.dumps(data).to_bytes()  # expect: HAL101[to_bytes]


def top_words(words: list) -> dict:
    return collections.Counter(words).most_common(3).items()  # expect: HAL101[items]


def first_word(text: str) -> str:
    return sorted(text.split()).first()  # expect: HAL101[first]


def has_number(text: str) -> bool:
    return bool(re.compile(r"\d+").search(text).matches())  # expect: HAL101[matches]


def request_id() -> str:
    return uuid.uuid4().to_string()  # expect: HAL101[to_string]


def fingerprint(data: bytes) -> str:
    return hashlib.md5(data).hex()  # expect: HAL101[hex]


def archive_names(path: str) -> list:
    return zipfile.ZipFile(path).list()  # expect: HAL101[list]


def config_lines(path: str) -> str:
    return Path(path).read_text().lines()  # expect: HAL101[lines]


def header_line(path: str) -> str:
    return open(path).readlines().join("")  # expect: HAL101[join]


def child_logger() -> None:
    logging.getLogger("app").getChild("db").success("connected")  # expect: HAL101[success]


def frame_items(data: dict) -> list:
    return list(pd.DataFrame(data).head().iteritems())  # expect: HAL101[iteritems]


def bot_dispatcher(token: str):
    return Application.builder().token(token).build().dispatcher  # expect: HAL101[dispatcher]


def main() -> None:
    print(today(), normalize("x"), request_id())


if __name__ == "__main__":
    main()
