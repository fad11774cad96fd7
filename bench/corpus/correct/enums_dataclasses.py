"""Enum members, dataclass fields, NamedTuple / TypedDict fields."""

import dataclasses
import enum
from typing import NamedTuple, TypedDict


class Status(enum.Enum):
    ACTIVE = "active"
    RETIRED = "retired"

    @property
    def label(self) -> str:
        return self.value.title()


class Priority(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Perm(enum.Flag):
    READ = enum.auto()
    WRITE = enum.auto()


class Level(str, enum.Enum):
    DEBUG = "debug"
    INFO = "info"


@dataclasses.dataclass
class Item:
    sku: str
    quantity: int = 0
    tags: list = dataclasses.field(default_factory=list)

    def __post_init__(self) -> None:
        self.normalized = self.sku.upper()


@dataclasses.dataclass(frozen=True, slots=True)
class Money:
    amount: int
    currency: str = "EUR"


class Point(NamedTuple):
    x: float
    y: float = 0.0


class Movie(TypedDict):
    title: str
    year: int


def main() -> None:
    print(Status.ACTIVE.value, Status.ACTIVE.name, Status.RETIRED.label, Status("active"), list(Status))
    print(Status.__members__["ACTIVE"], Priority.HIGH > Priority.LOW, Priority.HIGH.real)
    print(Perm.READ | Perm.WRITE, (Perm.READ | Perm.WRITE).value, Level.INFO.upper())
    item = Item("a-1", 2)
    item.tags.append("x")
    print(item.sku, item.quantity, item.tags, item.normalized, dataclasses.asdict(item))
    print(dataclasses.fields(item)[0].name, Item.__dataclass_fields__["sku"].type)
    money = Money(5)
    print(money.amount, money.currency, dataclasses.replace(money, amount=7))
    p = Point(1.0)
    print(p.x, p.y, p._asdict(), p._replace(x=2.0), Point._fields, Point._field_defaults)
    movie: Movie = {"title": "Up", "year": 2009}
    print(movie["title"], movie.get("year"), movie.keys())


if __name__ == "__main__":
    main()
