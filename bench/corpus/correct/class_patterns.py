"""Class patterns that define attributes indirectly (mixins, lazy init, descriptors,
metaclasses, class decorators, monkey-patching, functional APIs)."""

import collections
import dataclasses
import enum
import functools
import io
import unittest


class JsonMixin:
    """Relies on `fields`, which only the concrete classes define."""

    def to_json(self) -> dict:
        return {name: getattr(self, name) for name in self.fields}


class Point(JsonMixin):
    fields = ("x", "y")

    def __init__(self, x: int, y: int) -> None:
        self.x = x
        self.y = y


class Lazy:
    """Attribute created in a non-__init__ method."""

    def load(self) -> None:
        self.payload = [1, 2, 3]

    def first(self) -> int:
        if not hasattr(self, "payload"):
            self.load()
        return self.payload[0]


class Registry(type):
    """Metaclass that injects `registry` and `register` into every class."""

    def __new__(mcs, name, bases, ns):
        cls = super().__new__(mcs, name, bases, ns)
        cls.registry = []
        return cls

    def register(cls, item) -> None:
        cls.registry.append(item)


class Plugins(metaclass=Registry):
    pass


def with_version(cls):
    cls.version = "1.0"
    return cls


@with_version
class Tool:
    pass


class Celsius:
    """Descriptor-backed attribute."""

    def __get__(self, obj, owner=None):
        return obj._kelvin - 273.15 if obj is not None else self

    def __set__(self, obj, value):
        obj._kelvin = value + 273.15


class Thermometer:
    celsius = Celsius()

    def __init__(self) -> None:
        self.celsius = 20.0

    @functools.cached_property
    def fahrenheit(self) -> float:
        return self.celsius * 9 / 5 + 32

    @property
    def kelvin(self) -> float:
        return self._kelvin


class Shape:
    sides = 0


def describe(self) -> str:
    return f"shape with {self.sides} sides"


Shape.describe = describe  # monkey-patched method

Pair = collections.namedtuple("Pair", "left right")
Color = enum.Enum("Color", "RED GREEN BLUE")
Size = dataclasses.make_dataclass("Size", [("width", int), ("height", int)])
Dynamic = type("Dynamic", (), {"answer": 42, "hello": lambda self: "hi"})


class Base:
    def __init__(self) -> None:
        self.created = True


class Left(Base):
    def __init__(self) -> None:
        super().__init__()
        self.left = "L"


class Right(Base):
    def __init__(self) -> None:
        super().__init__()
        self.right = "R"


class Both(Left, Right):
    def summary(self) -> str:
        return self.left + self.right + str(self.created)


class Counter:
    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0


class PluginTest(unittest.TestCase):
    def setUp(self) -> None:
        self.point = Point(1, 2)

    def test_json(self) -> None:
        self.assertEqual(self.point.to_json(), {"x": 1, "y": 2})


def main() -> None:
    print(Point(1, 2).to_json(), Lazy().first())
    Plugins.register("a")
    print(Plugins.registry, Tool.version, Tool().version)
    t = Thermometer()
    print(round(t.fahrenheit, 1), round(t.kelvin, 2), t.celsius)
    print(Shape().describe())
    pair = Pair(1, 2)
    print(pair.left, pair.right, pair._asdict(), pair._replace(left=3), Pair._fields)
    print(Color.RED, Color.GREEN.value, Color["BLUE"].name, Size(1, 2).width, Dynamic().answer, Dynamic().hello())
    print(Both().summary(), Counter().count)
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(PluginTest)
    result = unittest.TextTestRunner(verbosity=0, stream=io.StringIO()).run(suite)
    print(result.wasSuccessful())


if __name__ == "__main__":
    main()
