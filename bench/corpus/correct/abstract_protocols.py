"""Abstract base classes, Protocols, generics and typing.Self: every attribute used
is declared somewhere a checker can find it, or comes from the runtime object."""

import abc
import io
from collections.abc import Iterator
from typing import Generic, Protocol, TypeVar, runtime_checkable

T = TypeVar("T")


class Shape(abc.ABC):
    @abc.abstractmethod
    def area(self) -> float: ...

    @property
    @abc.abstractmethod
    def name(self) -> str: ...

    def describe(self) -> str:
        return f"{self.name}: {self.area():.2f}"


class Square(Shape):
    def __init__(self, side: float) -> None:
        self.side = side

    def area(self) -> float:
        return self.side**2

    @property
    def name(self) -> str:
        return "square"


@runtime_checkable
class SupportsRead(Protocol):
    def read(self, size: int = -1) -> str: ...


class Closable(Protocol):
    closed: bool

    def close(self) -> None: ...


def consume(source: SupportsRead) -> str:
    return source.read()


def shutdown(resource: Closable) -> bool:
    resource.close()
    return resource.closed


class Stack(Generic[T]):
    def __init__(self) -> None:
        self._items: list[T] = []

    def push(self, item: T) -> "Stack[T]":
        self._items.append(item)
        return self

    def pop(self) -> T:
        return self._items.pop()

    def __iter__(self) -> Iterator[T]:
        return iter(self._items)


class Node:
    def __init__(self, value: int) -> None:
        self.value = value
        self.children: list["Node"] = []

    def add(self, value: int) -> "Node":
        child = Node(value)
        self.children.append(child)
        return child


class Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def with_part(self, part: str):
        self.parts.append(part)
        return self

    @classmethod
    def create(cls):
        return cls()


class HtmlBuilder(Builder):
    def render(self) -> str:
        return "<" + "><".join(self.parts) + ">"


def total_area(shapes: list[Shape]) -> float:
    return sum(s.area() for s in shapes)


def main() -> None:
    print(Square(2).describe(), total_area([Square(1), Square(3)]))
    buf = io.StringIO("payload")
    print(consume(buf), isinstance(buf, SupportsRead), shutdown(io.StringIO()))
    stack = Stack[int]().push(1).push(2)
    print(stack.pop(), list(stack))
    root = Node(1)
    root.add(2).add(3)
    print(root.children[0].children[0].value)
    print(HtmlBuilder.create().with_part("a").with_part("b").render())


if __name__ == "__main__":
    main()
