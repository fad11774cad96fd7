"""Names that start as None and are assigned real objects elsewhere before use."""

import logging
import sqlite3
from pathlib import Path

_connection = None
_logger = None
CACHE_DIR = None


def init(db: str = ":memory:") -> None:
    global _connection, _logger, CACHE_DIR
    _connection = sqlite3.connect(db)
    _logger = logging.getLogger("none-then-assigned")
    CACHE_DIR = Path(".")


def query(sql: str) -> list:
    _logger.debug("running %s", sql)
    return _connection.execute(sql).fetchall()


def cache_name() -> str:
    return CACHE_DIR.resolve().name


class Service:
    client = None

    def __init__(self) -> None:
        self.session = None
        self.started = None

    def start(self) -> None:
        self.session = logging.getLogger("session")
        self.started = True
        type(self).client = Path.cwd()

    def ping(self) -> str:
        self.session.info("ping")
        return self.client.name


def main() -> None:
    init()
    print(query("SELECT 1"), cache_name() != "")
    svc = Service()
    svc.start()
    print(svc.ping() != "")


if __name__ == "__main__":
    main()
