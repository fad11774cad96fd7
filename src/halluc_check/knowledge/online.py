"""``--online``: a distribution name the shipped snapshot does not know -> the package index's
JSON API asked whether it exists now (``<base>/<name>/json``: 200 it does, 404 it does not).

Only names missing from the snapshot are asked, never by default. Answers are kept in the disk
cache (kind ``pypi``) for a while: a name that exists for :data:`EXISTS_FOR` seconds, a name that
does not for :data:`ABSENT_FOR` (anyone can register it meanwhile). Anything else (a timeout, no
network, a server error, a body that is not the API's) is *unknown*: the caller says nothing it
cannot prove. After a timeout or a failed connection the index is not asked again by this
process, so that a run without network costs one timeout, not one per name.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable

from ..cache import DiskCache, digest
from ..version import __version__
from .package_index import normalise

LOG = logging.getLogger(__name__)

DEFAULT_INDEX_URL = "https://pypi.org/pypi"
"""PyPI's JSON API; ``<url>/<name>/json`` describes a project."""
DEFAULT_TIMEOUT = 3.0
"""Seconds one question may take."""
EXISTS_FOR = 7 * 24 * 3600.0
"""How long a cached "exists" answer is trusted (projects are rarely deleted)."""
ABSENT_FOR = 24 * 3600.0
"""How long a cached "does not exist" answer is trusted (a squatter can register the name)."""
CACHE_KIND = "pypi"
_MAX_BODY = 32 * 2**20
"""A project's JSON is read up to this size; only its shape is checked (names missing from the
snapshot are new or little used: their descriptions are small)."""


class OnlineIndex:
    """Asks one package index's JSON API whether distributions exist; ``cache`` keeps answers
    between runs (``None``: in memory only). ``clock`` gives the time answers are stamped with."""

    def __init__(
        self,
        url: str = DEFAULT_INDEX_URL,
        *,
        cache: DiskCache | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.url = url.rstrip("/")
        self.cache = cache
        self.timeout = timeout
        self.clock = clock
        self._answers: dict[str, bool | None] = {}
        self._unreachable: str | None = None
        self._lock = threading.Lock()

    @property
    def unreachable(self) -> str | None:
        """Why the index is no longer asked in this process (``None``: it still is)."""
        return self._unreachable

    def exists(self, name: str) -> bool | None:
        """Whether a distribution ``name`` (any PEP 503 spelling) is on the index now; ``None``
        when that cannot be known (no answer in time, no network, an unexpected answer)."""
        key = normalise(name)
        with self._lock:
            if key not in self._answers:
                self._answers[key] = self._cached(key)
                if self._answers[key] is None:
                    self._answers[key] = self._ask(key)
            return self._answers[key]

    def _cache_key(self, key: str) -> str:
        return digest(self.url, key)

    def _cached(self, key: str) -> bool | None:
        if self.cache is None:
            return None
        entry = self.cache.get(CACHE_KIND, self._cache_key(key))
        if not isinstance(entry, dict):
            return None
        exists, stamp = entry.get("exists"), entry.get("checked")
        if not isinstance(exists, bool) or not isinstance(stamp, (int, float)):
            return None
        age = self.clock() - stamp
        if age < 0 or age > (EXISTS_FOR if exists else ABSENT_FOR):
            return None  # expired, or stamped by a clock ahead of this one
        return exists

    def _ask(self, key: str) -> bool | None:
        if self._unreachable is not None:
            return None
        # loaded only when a name is asked: a run that asks nothing does not pay for them
        import http.client
        import urllib.error
        import urllib.parse
        import urllib.request

        url = f"{self.url}/{urllib.parse.quote(key)}/json"
        request = urllib.request.Request(
            url, headers={"Accept": "application/json", "User-Agent": f"halluc-check/{__version__}"}
        )
        answer: bool | None
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = _describes_a_project(response.read(_MAX_BODY))
        except urllib.error.HTTPError as exc:
            answer = False if exc.code == 404 else None
            if answer is None:
                LOG.warning("%s answered %s: `%s` is not judged", url, exc.code, key)
        except (OSError, http.client.HTTPException) as exc:  # timeouts, refused, reset, cut
            reason = str(getattr(exc, "reason", None) or exc) or type(exc).__name__
            self._unreachable = f"{self.url} did not answer ({reason})"
            LOG.warning(
                "%s; names missing from the shipped package index are not judged",
                self._unreachable,
            )
            return None
        if answer is not None and self.cache is not None:
            entry = {"exists": answer, "checked": self.clock()}
            self.cache.put(CACHE_KIND, self._cache_key(key), entry)
        return answer


def published_since(date: str, url: str) -> str:
    """The note on a distribution the snapshot of ``date`` lacks and the index at ``url`` has."""
    return f"not in the index of {date}: published since, {url} has it"


def _describes_a_project(body: bytes) -> bool | None:
    """True when ``body`` is the JSON API's description of a project; None otherwise (a captive
    portal's page, a proxy's error): such an answer proves nothing."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if isinstance(data, dict) and isinstance(data.get("info"), dict):
        return True
    return None
