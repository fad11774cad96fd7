"""Keyword arguments that look wrong but are accepted: **kwargs forwarded to a caller-chosen
class, stored or iterated, partials, wrappers, dataclasses, subclass-widened methods."""

import argparse
import collections
import dataclasses
import datetime
import enum
import functools
import io
import json
import logging
import os
import random
import subprocess
import sys
import tempfile
import threading
from dataclasses import InitVar, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple, Optional

log = logging.getLogger("kwargs_correct")


# --- **kwargs forwarded to a class the caller picks -----------------------------------------------
class TaggedEncoder(json.JSONEncoder):
    def __init__(self, *, tag: str = "", decimals_as_str: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.tag = tag
        self.decimals_as_str = decimals_as_str

    def default(self, o):
        if isinstance(o, Decimal):
            return str(o) if self.decimals_as_str else float(o)
        if isinstance(o, datetime.date):
            return f"{self.tag}{o.isoformat()}"
        return super().default(o)


class DateDecoder(json.JSONDecoder):
    def __init__(self, *, date_keys: tuple = (), **kwargs):
        super().__init__(object_hook=self._hook, **kwargs)
        self.date_keys = date_keys

    def _hook(self, obj: dict) -> dict:
        for key in self.date_keys:
            if key in obj:
                obj[key] = datetime.date.fromisoformat(obj[key])
        return obj


class StoreWithUnit(argparse.Action):
    """A custom action: add_argument(**kwargs) hands `unit` to this class."""

    def __init__(self, option_strings, dest, unit: str = "s", **kwargs):
        self.unit = unit
        super().__init__(option_strings, dest, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        setattr(namespace, self.dest, f"{values}{self.unit}")


def json_forwarding() -> None:
    payload = {"when": datetime.date(2024, 5, 1), "price": Decimal("9.90")}
    text = json.dumps(payload, cls=TaggedEncoder, tag="D:", decimals_as_str=True, sort_keys=True)
    back = json.loads('{"day": "2024-05-01"}', cls=DateDecoder, date_keys=("day",), strict=False)
    print(text, back["day"].year)
    print(json.loads("1.5", parse_float=Decimal), json.dumps([1, 2], separators=(",", ":")))


def argparse_forwarding() -> None:
    parser = argparse.ArgumentParser(description="demo", prog="demo", allow_abbrev=False)
    parser.add_argument("--timeout", action=StoreWithUnit, unit="ms", default="0ms", help="timeout")
    parser.add_argument("--name", dest="user_name", metavar="NAME", required=False)
    parser.add_argument("--tag", action="append", default=[], choices=["a", "b"])
    args = parser.parse_args(["--timeout", "250", "--tag", "a"])
    print(args.timeout, args.user_name, args.tag)


# --- kwargs stored or iterated ----------------------------------------------------------------
class Record:
    def __init__(self, kind: str, **fields):
        self.kind = kind
        self.fields = fields

    def get(self, name: str, default=None):
        return self.fields.get(name, default)


class Options:
    def __init__(self, **kw):
        for key, value in kw.items():
            setattr(self, key, value)


def describe(**attrs) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in sorted(attrs.items()))


def stored_kwargs() -> None:
    rec = Record("user", name="ann", age=31, admin=False)
    opts = Options(retries=3, backoff=0.5)
    print(rec.get("age"), vars(opts), describe(colour="red", size=3))
    print(dict(a=1, b=2), dict({"x": 1}, y=2), "{user}@{host}".format(**{"user": "ann", "host": "h"}))
    print(*["a", "b", "c"], sep="", end="\n", file=sys.stdout, flush=True)


# --- partials and wrappers ------------------------------------------------------------------------
def retry(times: int = 3):
    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            for attempt in range(times):
                try:
                    return fn(*args, **kwargs)
                except ValueError:
                    if attempt == times - 1:
                        raise
            return None

        return wrapper

    return decorate


def with_timeout(fn):
    """Adds a `timeout` keyword that the wrapped function does not have."""

    @functools.wraps(fn)
    def wrapper(*args, timeout: float = 5.0, **kwargs):
        log.debug("calling %s with timeout %s", fn.__name__, timeout)
        return fn(*args, **kwargs)

    return wrapper


@retry(times=2)
def parse_port(text: str, default: int = 80) -> int:
    return int(text) if text else default


@with_timeout
def ping(host: str) -> str:
    return f"pong from {host}"


def partials_and_wrappers() -> None:
    to_json = functools.partial(json.dumps, indent=2)
    from_binary = functools.partial(int, base=2)
    print(to_json({"b": 1, "a": 2}, sort_keys=True), from_binary("101"))
    print(parse_port("8080", default=8000), ping("db", timeout=1.5))
    cached = functools.lru_cache(maxsize=32, typed=True)(len)
    print(cached("abc"))


# --- dataclasses and tuples ---------------------------------------------------------------------
@dataclass
class Config:
    name: str
    tags: list = field(default_factory=list)
    retries: int = field(default=3, repr=False, compare=False)
    secret: InitVar[Optional[str]] = None
    token_hash: str = field(init=False, default="")

    def __post_init__(self, secret):
        self.token_hash = str(hash(secret)) if secret else ""


@dataclass(kw_only=True, frozen=True)
class Endpoint:
    host: str
    port: int = 443


class Point(NamedTuple):
    x: float
    y: float = 0.0


class Plugin:
    registry: dict = {}

    def __init_subclass__(cls, /, name: str = "", **kwargs):
        super().__init_subclass__(**kwargs)
        Plugin.registry[name or cls.__name__] = cls


class CsvPlugin(Plugin, name="csv"):
    pass


def dataclass_calls() -> None:
    cfg = Config(name="svc", tags=["a"], secret="s3cret")
    ep = Endpoint(host="example.com", port=8443)
    moved = dataclasses.replace(cfg, name="svc2", secret=None)
    pt = Point(x=1.0)._replace(y=2.0)
    color = enum.Enum("Color", "RED GREEN", start=1)
    print(cfg.tags, ep.port, moved.name, pt, Plugin.registry["csv"].__name__, color.GREEN.value)


# --- a subclass widens a method; the receiver is annotated with the base class ---------------------
class Exporter:
    def export(self, rows: list) -> str:
        return ",".join(map(str, rows))


class JsonExporter(Exporter):
    def export(self, rows: list, indent: Optional[int] = None) -> str:
        return json.dumps(rows, indent=indent)


def run_export(exporter: Exporter) -> str:
    return exporter.export([1, 2])


def widened_methods() -> None:
    base_typed: Exporter = JsonExporter()
    print(base_typed.export([1, 2], indent=2), run_export(Exporter()))


# --- standard library calls with less common keywords --------------------------------------------
def stdlib_keywords() -> None:
    log.info("starting %s", "demo", extra={"request_id": "r-1"}, stack_info=True)
    log.warning("disk at %d%%", 91, stacklevel=2, exc_info=False)
    logging.getLogger().info("x", extra={}, stack_info=True)
    done = subprocess.run(
        [sys.executable, "-c", "print('ok')"], capture_output=True, text=True, check=False, env={}, timeout=60
    )
    print(done.returncode, done.stdout.strip())
    print(os.environ.get("HOME_DIR_UNSET", default="unset"), random.sample(range(10), k=3).__class__.__name__)
    print(collections.Counter("banana").most_common(n=1), datetime.datetime.now(tz=datetime.timezone.utc).year > 2000)
    print(datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc).strftime(format="%Y"))
    print(sorted(["b", "A"], key=str.lower, reverse=True), max([], default=None), min([3, 1], key=abs))
    print(int("ff", base=16), round(2.675, ndigits=2), list(enumerate("ab", start=1)))
    with tempfile.TemporaryDirectory(prefix="kw-") as tmp:
        target = Path(tmp, "a", "b")
        target.mkdir(parents=True, exist_ok=True)
        os.makedirs(target, exist_ok=True)
        (target / "f.txt").write_text("x", encoding="utf-8", newline="\n")
        (target / "f.txt").unlink(missing_ok=True)
    worker = threading.Thread(target=print, args=("thread",), kwargs={"end": "\n"}, daemon=True)
    worker.start()
    worker.join(timeout=5)
    buf = io.StringIO()
    json.dump({"k": 1}, buf, indent=None, ensure_ascii=False)
    print(buf.getvalue(), "a,b".split(sep=",", maxsplit=1), "x".encode(encoding="utf-8", errors="strict"))


def main() -> None:
    json_forwarding()
    argparse_forwarding()
    stored_kwargs()
    partials_and_wrappers()
    dataclass_calls()
    widened_methods()
    stdlib_keywords()


if __name__ == "__main__":
    main()
