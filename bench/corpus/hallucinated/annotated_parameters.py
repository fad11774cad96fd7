"""Data-pipeline helpers whose receivers are typed only through annotations.

Every parameter annotation names a real class; the attributes used do not exist on
it (nor on None for the Optional ones).  Only called methods are labelled on
DataFrame/Series, which resolve unknown attributes to columns.
"""

import asyncio
import datetime
import logging
import re
import sqlite3
import threading
from pathlib import Path
from typing import Optional, TextIO

import numpy as np
import pandas as pd
import requests
import sqlalchemy as sa
from openai import OpenAI


def frame_columns(df: pd.DataFrame) -> list:
    return [name for name, _ in df.iteritems()]  # expect: HAL101[iteritems]


def series_total(s: pd.Series) -> float:
    return s.append(pd.Series([0.0])).sum()  # expect: HAL101[append]


def array_list(a: np.ndarray) -> list:
    return a.to_list()  # expect: HAL101[to_list]


def payload(resp: requests.Response) -> dict:
    return resp.json_data()  # expect: HAL101[json_data]


def status(resp: requests.Response) -> int:
    return resp.status  # expect: HAL101[status]


def prepare(path: Path) -> None:
    path.mkdirs(parents=True)  # expect: HAL101[mkdirs]


def prepare_optional(path: Optional[Path] = None) -> None:
    if path is not None:
        print(path.lines())  # expect: HAL101[lines]


def shout(text: str) -> str:
    return text.uper()  # expect: HAL101[uper]


def add_all(items: list[str], extra: str) -> None:
    items.push(extra)  # expect: HAL101[push]


def pairs(mapping: dict[str, int]) -> list:
    return list(mapping.iteritems())  # expect: HAL101[iteritems]


def first_group(match: re.Match) -> str:
    return match.matches()[0]  # expect: HAL101[matches]


def day_label(when: datetime.datetime) -> str:
    return when.to_string()  # expect: HAL101[to_string]


def slurp(fh: TextIO) -> str:
    return fh.readAll()  # expect: HAL101[readAll]


def rows(conn: sqlite3.Connection) -> list:
    conn.execute("SELECT 1")
    return conn.fetchall()  # expect: HAL101[fetchall]


def run_sql(engine: sa.Engine) -> list:
    return engine.execute("SELECT 1").fetchall()  # expect: HAL101[execute]


def ask(client: OpenAI, prompt: str) -> str:
    return client.chat.completion.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}])  # expect: HAL101[completion]


async def produce(queue: asyncio.Queue, item: object) -> None:
    queue.push(item)  # expect: HAL101[push]


def wait_ready(event: threading.Event) -> bool:
    return event.wait_for(5.0)  # expect: HAL101[wait_for]


def log_done(logger: logging.Logger) -> None:
    logger.success("done")  # expect: HAL101[success]


def main() -> None:
    print(shout("ok"), pairs({"a": 1}))


if __name__ == "__main__":
    main()
