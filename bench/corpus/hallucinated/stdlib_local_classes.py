"""Inventory service with classes defined in this file.

Attributes that no class in the MRO defines (and that are never assigned), used on
`self`, on instances built by constructors, and through call results.  The module is
import-safe: the buggy paths live in functions that are only called from main().
Note: `Status.ARCHIVED` is looked up on an Enum class, whose metaclass defines
__getattr__ on Python 3.11; at runtime it still raises AttributeError.
"""

import enum
from dataclasses import dataclass, field
from typing import NamedTuple


class Status(enum.Enum):
    ACTIVE = "active"
    RETIRED = "retired"


class Point(NamedTuple):
    x: float
    y: float


@dataclass
class Item:
    sku: str
    quantity: int = 0
    tags: list = field(default_factory=list)


class Repository:
    """Stores items in memory."""

    def __init__(self):
        self.items = {}

    def add(self, item: Item) -> None:
        self.items[item.sku] = item

    def get(self, sku: str) -> Item:
        return self.items[sku]


class CachedRepository(Repository):
    __slots__ = ("hits",)

    def __init__(self):
        super().__init__()
        self.hits = 0

    def get(self, sku: str) -> Item:
        self.hits += 1
        self.log_access(sku)  # expect: HAL101[log_access]
        return super().get(sku)

    def add(self, item: Item) -> None:
        super().validate(item)  # expect: HAL101[validate]
        super().add(item)


class Service:
    def __init__(self, repo: Repository):
        self.repo = repo
        self.name = "inventory"

    def restock(self, sku: str, amount: int) -> Item:
        item = self.repo.get(sku)
        item.quantity += amount
        self.notify(item)  # expect: HAL101[notify]
        return item

    def describe(self) -> str:
        return f"{self.name} v{self.version}"  # expect: HAL101[version]


def make_service() -> Service:
    return Service(CachedRepository())


def demo() -> None:
    svc = make_service()
    svc.repo.add(Item("A-1", 3))
    svc.restock("A-1", 2)
    print(make_service().describe())
    print(Service(Repository()).repository)  # expect: HAL101[repository]
    print(make_service().shutdown())  # expect: HAL101[shutdown]
    item = Item("B-2")
    print(item.qty)  # expect: HAL101[qty]
    item.tags.append("new")
    origin = Point(0.0, 0.0)
    print(origin.z)  # expect: HAL101[z]
    print(Status.ACTIVE.value, Status.ARCHIVED)  # expect: HAL101[ARCHIVED]
    print(Repository.from_config({"backend": "memory"}))  # expect: HAL101[from_config]


def main() -> None:
    demo()


if __name__ == "__main__":
    main()
