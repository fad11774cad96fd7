"""Type narrowing, unions, casts and declared-base-vs-runtime-subclass patterns."""

import re
from dataclasses import dataclass
from typing import Optional, Union, cast


@dataclass
class Point:
    x: int
    y: int


class Repository:
    def get(self, key: str) -> str:
        return key


class CachedRepository(Repository):
    def __init__(self) -> None:
        self.hits = 0

    def get(self, key: str) -> str:
        self.hits += 1
        return super().get(key)


class Service:
    def __init__(self, repo: Repository) -> None:
        self.repo = repo


def decode(data: Union[str, bytes]) -> str:
    if isinstance(data, bytes):
        return data.decode("utf-8")
    return data.upper()


def first_number(text: str) -> Optional[int]:
    if (m := re.search(r"\d+", text)) is not None:
        return int(m.group())
    return None


def describe(value: object) -> str:
    match value:
        case Point(x=0, y=y):
            return f"on the y axis at {y}"
        case Point(x=x, y=y):
            return f"point {x},{y}"
        case {"kind": kind}:
            return f"mapping of kind {kind}"
        case [first, *rest]:
            return f"sequence starting {first} (+{len(rest)})"
        case str() as s:
            return s.title()
        case _:
            return repr(value)


def cached_hits(service: Service) -> int:
    repo = service.repo
    assert isinstance(repo, CachedRepository)
    return repo.hits


def hits_via_cast(service: Service) -> int:
    return cast(CachedRepository, service.repo).hits


def main() -> None:
    print(decode(b"abc"), decode("abc"), first_number("a12"), first_number("x"))
    print(describe(Point(0, 2)), describe(Point(1, 2)), describe({"kind": "k"}), describe([1, 2]), describe("ab c"))
    service = Service(CachedRepository())
    service.repo.get("k")
    print(cached_hits(service), hits_via_cast(service))


if __name__ == "__main__":
    main()
