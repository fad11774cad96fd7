"""``--online``: names the shipped snapshot lacks are asked of a package index's JSON API.

Every test talks to a fake index started on 127.0.0.1 (never the real one): it knows a few names
(200 with a project's JSON), answers 404 for the others, sleeps past the client's timeout for
``slow-*`` names, answers 503 for ``busy-*`` names and a page that is not the API's for
``portal-*`` names.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from halluc_check.cache import DiskCache
from halluc_check.config import Config, ConfigError, from_mapping
from halluc_check.engine.checker import Checker
from halluc_check.engine.units import check_unit
from halluc_check.knowledge.install_lines import from_requirements
from halluc_check.knowledge.module_origin import Kind, origin_of
from halluc_check.knowledge.online import ABSENT_FOR, EXISTS_FOR, OnlineIndex
from halluc_check.knowledge.package_index import shipped
from halluc_check.rules.install_lines import install_findings

from .local_server import LocalServer

NEW_DISTRIBUTION = "fresh-package-2027"
"""Published after the snapshot: the fake index knows it."""
NEW_NEAR_MISS = "pandas-sdk"
"""Also published after the snapshot, and one of those names squatters like."""
NEW_MODULE = "freshmodule2027"
INVENTED = "telegraf-sdk-made-up"


class FakeIndex(LocalServer):
    """A package index's JSON API on 127.0.0.1 that counts the questions it is asked."""

    prefix = "/pypi"

    def __init__(self, known: set[str], delay: float = 2.0) -> None:
        self.known = known
        self.delay = delay
        self.asked: Counter[str] = Counter()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = self.path.strip("/").split("/")
                if len(parts) != 3 or parts[0] != "pypi" or parts[2] != "json":
                    self.send_error(400)
                    return
                name = parts[1]
                fake.asked[name] += 1
                if name.startswith("slow-"):
                    time.sleep(fake.delay)
                if name.startswith("busy-"):
                    self._send(503, b"try again later", "text/plain")
                elif name.startswith("portal-"):
                    self._send(200, b"<html>sign in to the network</html>", "text/html")
                elif name in fake.known:
                    body = {"info": {"name": name, "version": "1.0"}, "releases": {}}
                    self._send(200, json.dumps(body).encode(), "application/json")
                else:
                    self._send(404, b'{"message": "Not Found"}', "application/json")

            def _send(self, status: int, body: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        super().__init__(Handler)


@pytest.fixture
def index() -> Iterator[FakeIndex]:
    with FakeIndex({NEW_DISTRIBUTION, NEW_NEAR_MISS, NEW_MODULE, "slow-but-real"}) as fake:
        yield fake


@pytest.fixture
def disk(tmp_path: Path) -> DiskCache:
    return DiskCache(tmp_path / "cache")


def test_the_names_are_not_in_the_snapshot() -> None:
    snapshot = shipped()
    for name in (NEW_DISTRIBUTION, NEW_NEAR_MISS, NEW_MODULE, INVENTED, "slow-but-real"):
        assert name not in snapshot, name


def test_answers_exist_absent_and_cached_on_disk_until_they_expire(
    index: FakeIndex, disk: DiskCache
) -> None:
    now = [1_000_000.0]
    online = OnlineIndex(index.url, cache=disk, clock=lambda: now[0])
    assert online.exists("Fresh_Package.2027") is True  # asked in its normal form
    assert online.exists(INVENTED) is False
    assert online.exists(NEW_DISTRIBUTION) is True
    assert index.asked == Counter({NEW_DISTRIBUTION: 1, INVENTED: 1})
    # another run, same cache: answered from disk
    later = OnlineIndex(index.url, cache=disk, clock=lambda: now[0])
    now[0] += ABSENT_FOR - 1
    assert later.exists(NEW_DISTRIBUTION) is True and later.exists(INVENTED) is False
    assert index.asked == Counter({NEW_DISTRIBUTION: 1, INVENTED: 1})
    # "absent" expires first (the name can be registered), "exists" later
    now[0] += 2
    again = OnlineIndex(index.url, cache=disk, clock=lambda: now[0])
    assert again.exists(INVENTED) is False and again.exists(NEW_DISTRIBUTION) is True
    assert index.asked == Counter({NEW_DISTRIBUTION: 1, INVENTED: 2})
    now[0] += EXISTS_FOR
    assert OnlineIndex(index.url, cache=disk, clock=lambda: now[0]).exists(NEW_DISTRIBUTION)
    assert index.asked[NEW_DISTRIBUTION] == 2
    # answers of another index are its own
    assert OnlineIndex(index.url + "/", cache=disk).exists(INVENTED) is False
    assert OnlineIndex("http://127.0.0.1:9/other", cache=disk, timeout=1).exists(INVENTED) is None


def test_a_timeout_is_unknown_and_the_index_is_not_asked_again(
    index: FakeIndex, disk: DiskCache
) -> None:
    online = OnlineIndex(index.url, cache=disk, timeout=0.5)
    started = time.monotonic()
    assert online.exists("slow-but-real") is None
    assert online.exists(NEW_DISTRIBUTION) is None  # not asked: one timeout per run at most
    assert time.monotonic() - started < 1.9
    assert online.unreachable is not None and "timed out" in online.unreachable
    assert index.asked == Counter({"slow-but-real": 1})
    # nothing was cached: the next run asks again
    assert OnlineIndex(index.url, cache=disk).exists(NEW_DISTRIBUTION) is True


def test_no_server_or_a_page_that_is_not_the_api_is_unknown(
    index: FakeIndex, disk: DiskCache
) -> None:
    online = OnlineIndex(index.url, cache=disk)
    assert online.exists("portal-login") is None and online.exists("busy-name") is None
    assert online.unreachable is None and online.exists(NEW_DISTRIBUTION) is True
    assert index.asked == Counter({"portal-login": 1, "busy-name": 1, NEW_DISTRIBUTION: 1})
    assert OnlineIndex(index.url, cache=disk).exists("busy-name") is None  # nothing cached
    assert index.asked["busy-name"] == 2
    closed = OnlineIndex("http://127.0.0.1:9/pypi", cache=disk, timeout=1)
    assert closed.exists(NEW_DISTRIBUTION) is None and closed.unreachable is not None


def test_install_lines_online(index: FakeIndex, disk: DiskCache) -> None:
    text = f"requests\n{NEW_DISTRIBUTION}\n{NEW_NEAR_MISS}\n{INVENTED}\nslow-but-real\n"
    named = from_requirements(text)
    offline = install_findings(named, "requirements.txt")
    assert [(f.code, f.name) for f in offline] == [
        ("HAL301", NEW_DISTRIBUTION),
        ("HAL301", NEW_NEAR_MISS),
        ("HAL301", INVENTED),
        ("HAL301", "slow-but-real"),
    ]
    online = OnlineIndex(index.url, cache=disk, timeout=0.5)
    found = install_findings(named, "requirements.txt", online)
    assert [(f.code, f.name) for f in found] == [("HAL302", NEW_NEAR_MISS), ("HAL301", INVENTED)]
    near, invented = found
    date = shipped().date
    assert f"not in the index of {date}: published since, {index.url} has it" in near.notes
    assert invented.label == f"not on PyPI (index of {date}, nor {index.url} now)"
    assert "requests" not in index.asked  # the snapshot knows it: never asked


def test_modules_online(index: FakeIndex, disk: DiskCache) -> None:
    online = OnlineIndex(index.url, cache=disk)
    assert origin_of(NEW_MODULE, (3, 11)).kind is Kind.UNKNOWN
    new = origin_of(NEW_MODULE, (3, 11), online)
    assert (new.kind, new.distributions, new.online) == (Kind.OBSCURE, (NEW_MODULE,), True)
    invented = origin_of("telegraf", (3, 11), online)
    assert (invented.kind, invented.online) == (Kind.UNKNOWN, True)
    assert origin_of("yaml", (3, 11), online).kind is Kind.DISTRIBUTION  # known: not asked
    assert origin_of("ConfigParser", (3, 11), online).online is None  # case matters: not asked
    assert set(index.asked) == {NEW_MODULE, "telegraf"}


def _checker(url: str, cache: DiskCache) -> Checker:
    return Checker(Config(python=sys.executable, online=True, index_url=url), cache=cache)


def test_hal001_says_what_the_index_answered_and_nothing_it_did_not(
    index: FakeIndex, disk: DiskCache, tmp_path: Path
) -> None:
    source = f"import {NEW_MODULE}\nimport telegraf\n"
    path = str(tmp_path / "bot.py")
    findings = _checker(index.url, disk).check_source(source, path).findings
    new, invented = findings
    assert (new.code, new.name, new.label) == (
        "HAL001",
        NEW_MODULE,
        "not installed, not in the standard library, not in the project",
    )
    assert any("published since" in note for note in new.notes)
    date = shipped().date
    assert invented.label == (
        f"no distribution on PyPI provides `telegraf` (index of {date}, nor {index.url} now)"
    )
    # the same cached answers, the index gone: the same findings
    dead = "http://127.0.0.1:9/pypi"
    with_cache = _checker(index.url, disk)
    with_cache.online = OnlineIndex(index.url, cache=disk, timeout=0.5)
    index.stop()
    assert with_cache.check_source(source, path).findings == findings
    # no answer and nothing cached: still HAL001 (the module is missing), but no claim on PyPI
    unknown = _checker(dead, DiskCache(tmp_path / "empty")).check_source(source, path).findings
    assert [(f.code, f.label) for f in unknown] == [
        ("HAL001", "not installed, not in the standard library, not in the project")
    ] * 2


def test_markdown_and_notebook_install_lines_online(
    index: FakeIndex, disk: DiskCache, tmp_path: Path
) -> None:
    checker = _checker(index.url, disk)
    markdown = f"```bash\npip install {NEW_DISTRIBUTION} {INVENTED}\n```\n"
    md = check_unit(checker, markdown, str(tmp_path / "answer.md"))
    assert [(f.code, f.name) for f in md.findings] == [("HAL301", INVENTED)]


def test_index_url_in_the_configuration_and_its_validation() -> None:
    assert from_mapping({"index-url": "https://mirror.example/pypi/"}).index_url == (
        "https://mirror.example/pypi"
    )
    assert not from_mapping({}).online
    for bad in ("ftp://mirror.example/pypi", "pypi.org", 3, "https://x.example/pypi?a=1"):
        with pytest.raises(ConfigError, match="index-url"):
            from_mapping({"index-url": bad})
    with pytest.raises(ConfigError, match="unknown key"):
        from_mapping({"online": True})  # on the command line only


def test_the_command_line_online_offline_and_the_result_cache(
    index: FakeIndex, tmp_path: Path
) -> None:
    (tmp_path / "requirements.txt").write_text(f"{NEW_DISTRIBUTION}\n{INVENTED}\n")
    env = dict(os.environ, NO_COLOR="1", HALLUC_CHECK_CACHE_DIR=str(tmp_path / "cache"))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "halluc_check", "requirements.txt", "-j", "1", *args]
        return subprocess.run(
            command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )

    offline = run()
    assert offline.stdout.count("HAL301") == 3, offline.stdout  # two findings and the summary
    assert not index.asked  # never asked without --online
    online = run("--online", "--index-url", index.url)
    assert f"requirements.txt:2:1: HAL301 no distribution named `{INVENTED}`" in online.stdout
    assert NEW_DISTRIBUTION not in online.stdout and online.returncode == 1
    assert index.asked == Counter({NEW_DISTRIBUTION: 1, INVENTED: 1})
    # the offline result is cached, the online one was not taken from it; the answers were
    assert run("--online", "--index-url", index.url).stdout == online.stdout
    assert index.asked == Counter({NEW_DISTRIBUTION: 1, INVENTED: 1})
    assert run().stdout == offline.stdout
    # the name is registered meanwhile and its cached answer has gone: the file is checked again
    index.known.add(INVENTED)
    shutil.rmtree(tmp_path / "cache" / "v1" / "pypi")
    registered = run("--online", "--index-url", index.url)
    assert "All checks passed!" in registered.stdout and index.asked[INVENTED] == 2
    usage = run("--index-url", index.url)
    assert usage.returncode == 2 and "--index-url" in usage.stderr
