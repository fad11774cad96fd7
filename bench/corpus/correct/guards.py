"""Attribute and import uses protected by guards; none of them may be reported."""

import os
import sys
import time
from typing import TYPE_CHECKING

try:
    import simplejson as json
except ImportError:
    import json

try:
    from collections import Mapping
except ImportError:
    from collections.abc import Mapping

if TYPE_CHECKING:
    from decimal import Decimal
    from typing_extensions import Self

if sys.version_info >= (3, 12):
    from typing import override
else:
    from typing_extensions import override

if sys.platform == "win32":
    import winreg

    HKEY = winreg.HKEY_CURRENT_USER
else:
    HKEY = None


class Base:
    def run(self) -> str:
        return "base"


class Child(Base):
    @override
    def run(self) -> str:
        return "child"

    def clone(self) -> "Self":
        return self


def clock() -> float:
    if hasattr(time, "clock"):
        return time.clock()
    return time.perf_counter()


def cwd() -> str:
    getcwdu = getattr(os, "getcwdu", None)
    if getcwdu is not None:
        return getcwdu()
    return os.getcwd()


def legacy_items(mapping) -> list:
    try:
        return list(mapping.iteritems())
    except AttributeError:
        return list(mapping.items())


def error_detail(exc: BaseException) -> str:
    if isinstance(exc, SyntaxError):
        return f"line {exc.lineno}, offset {exc.offset}: {exc.msg}"
    if isinstance(exc, OSError):
        return f"errno {exc.errno} {exc.filename}"
    if isinstance(exc, KeyError):
        return repr(exc.args[0])
    return str(exc)


def total(value: "Decimal | int") -> str:
    return str(value)


def is_mapping(value: object) -> bool:
    return isinstance(value, Mapping)


def stats(obj: object) -> str:
    if callable(getattr(obj, "stats", None)):
        return obj.stats()
    return "n/a"


def main() -> None:
    print(clock() > 0, cwd() != "", legacy_items({"a": 1}), json.dumps([1]))
    try:
        compile("x = (", "<demo>", "exec")
    except SyntaxError as exc:
        print(error_detail(exc))
    print(error_detail(FileNotFoundError(2, "missing", "f.txt")), error_detail(KeyError("k")))
    print(Child().run(), Child().clone().run(), is_mapping({}), stats(object()), HKEY, total(3))


if __name__ == "__main__":
    main()
