"""What the resolver answers: a verdict on a name, the owners it was looked up on, and what a
callee accepts. Plain data, free of jedi, so that rules can read it without loading inference."""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field
from typing import Any

from ..jedi_compat.failures import note_failure
from ..model import Confidence

LOG = logging.getLogger(__name__)


class Verdict(str, enum.Enum):
    EXISTS = "exists"
    MISSING = "missing"
    UNKNOWN = "unknown"


class DataKeys(str, enum.Enum):
    """Whether an instance can also have attributes named by the data it was made from, which
    no reading of the code lists (a pydantic model's extra keys, see :mod:`.library_models`)."""

    NONE = "none"
    """Only the names its class and the classes of its MRO define."""
    POSSIBLE = "possible"
    """When the code hands it such keys: ``model_copy(update={...})``, validation with
    ``extra="allow"``."""
    ALLOWED = "allowed"
    """Its class keeps every extra key of the data it is validated from (``extra="allow"``)."""


@dataclass(frozen=True, slots=True)
class Owner:
    """What a receiver resolved to: ``module openai``, ``class Chat``, ``instance of Response``."""

    kind: str
    qualname: str
    module: str
    path: str | None

    @property
    def short(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]

    @property
    def described(self) -> str:
        if self.kind == "module":
            return f"module `{self.qualname}`"
        if self.kind == "class":
            return f"class `{self.qualname}`"
        return f"an instance of `{self.qualname}`"


@dataclass(slots=True)
class Resolution:
    verdict: Verdict
    reason: str = ""
    owners: list[Owner] = field(default_factory=list)
    members: set[str] = field(default_factory=set)
    confidence: Confidence = Confidence.HIGH
    data_keys: DataKeys = DataKeys.NONE
    """For a missing name: whether the data an instance was made from may bring it."""
    notes: list[str] = field(default_factory=list)
    """For a missing name: why it is certain where that is not plain (an abstract class; ``not
    in `typing` of Python 3.11.7``), one line each."""


@dataclass(slots=True)
class Accepted:
    """What a call's callee accepts; ``None`` positional capacity means unlimited (``*args``)."""

    names: set[str] = field(default_factory=set)
    max_positional: int | None = 0
    #: why the accepted keywords cannot be listed (a ``**kwargs`` path stays open); the
    #: positional capacity of the callee itself may still be known
    keywords_open: str | None = None
    callee: str = ""
    owner: str | None = None
    path: str | None = None
    forwarded_to: list[str] = field(default_factory=list)
    ordered: list[str] = field(default_factory=list)
    signature_values: list[Any] = field(default_factory=list)
    """The callee's own jedi signatures; :meth:`rendered` turns them into text."""
    #: a stub was taken at its word: the installed source behind it was not read
    runtime_skipped: bool = False
    #: parameters taken by position only: their names are not keywords of the callee
    positional_only: set[str] = field(default_factory=set)

    def unexpected(self, keyword: str) -> bool:
        """Whether ``keyword`` is not accepted, while the accepted keywords can be listed."""
        return not self.keywords_open and keyword not in self.names

    def too_many(self, positional: int) -> bool:
        return self.max_positional is not None and positional > self.max_positional

    def rejects(self, site: CallSite) -> bool:
        """Whether the call as made is reported."""
        return self.too_many(site.positional) or any(map(self.unexpected, site.keywords))

    def rendered(self) -> list[str]:
        """The callee's signatures as jedi renders them (``Updater(bot: "Bot", ...)``).

        Rendering follows ``*args``/``**kwargs`` through every call site jedi can see, which can
        cost seconds for one callee, so it is done only for a call that has a finding."""
        texts: list[str] = []
        for signature in self.signature_values:
            try:
                text = str(signature.to_string())
            except Exception:
                note_failure()
                LOG.debug("cannot render a signature", exc_info=True)
                continue
            if text not in texts:
                texts.append(text)
        return texts


@dataclass(frozen=True, slots=True)
class CallSite:
    """The user's call: keyword names passed and how many positional arguments."""

    keywords: frozenset[str]
    positional: int
