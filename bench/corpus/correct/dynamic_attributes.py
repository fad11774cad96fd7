"""Objects whose attributes are created dynamically; none of these is a finding."""

import functools
import importlib
import threading
import types
from unittest import mock

# A base class whose definition a static tool cannot resolve.
SomethingUnknown = getattr(importlib.import_module("collections"), "User" + "Dict")


class Record(SomethingUnknown):
    """Inherits from an unresolvable base: any attribute may come from it."""

    def describe(self) -> str:
        return f"{len(self.data)} keys"


class Proxy:
    """Forwards unknown attributes to a wrapped object."""

    def __init__(self, target):
        self._target = target

    def __getattr__(self, name):
        return getattr(self._target, name)


class Tracing:
    """Overrides __getattribute__ and synthesises `trace_*` attributes."""

    def __getattribute__(self, name):
        if name.startswith("trace_"):
            return f"traced {name[6:]}"
        return object.__getattribute__(self, name)


class Config:
    """Fields are set in a setattr loop."""

    FIELDS = ("host", "port", "user")

    def __init__(self, **values):
        for key in self.FIELDS:
            setattr(self, key, values.get(key))

    def url(self) -> str:
        return f"{self.user}@{self.host}:{self.port}"


class Bag:
    """Fields are copied into __dict__ wholesale."""

    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


class Plain:
    pass


def add(a: int, b: int) -> int:
    return a + b


def main() -> None:
    rec = Record(a=1)
    print(rec.describe(), rec.data, rec.keys())

    proxy = Proxy([3, 1, 2])
    proxy.sort()
    print(proxy.count(1), proxy.index(2))

    print(Tracing().trace_login)

    cfg = Config(host="db", port=5432, user="app")
    print(cfg.url(), cfg.host, cfg.port)

    bag = Bag(color="red", size=3)
    print(bag.color, bag.size)

    obj = Plain()
    obj.extra = 1
    print(obj.extra)

    ns = types.SimpleNamespace(a=1, b=2)
    ns.c = 3
    print(ns.a + ns.b + ns.c)

    local = threading.local()
    local.request_id = "abc"
    print(local.request_id)

    inc = functools.partial(add, 1)
    print(inc.func, inc.args, inc.keywords, inc(2))

    fake = mock.MagicMock()
    fake.anything.you.like.return_value = 5
    print(fake.anything.you.like(), fake.other_method.call_count)
    fake.other_method.assert_not_called()

    patched = mock.Mock(spec=["ping"])
    patched.ping.return_value = "pong"
    print(patched.ping())


if __name__ == "__main__":
    main()
