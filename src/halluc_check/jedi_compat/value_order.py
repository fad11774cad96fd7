"""jedi's value sets -> iterated in the order their values were found, not in memory order.

A ``ValueSet`` holds a ``frozenset``, which iterates its values in the order of their hashes:
their addresses, different in every process. jedi infers what it iterates in that order, and
its recursion guard answers a question that comes back with nothing, so which value came first
decided what was inferred: ``df.groupby(...)["amount"].sum()`` was a ``Series`` in one run and a
``DataFrame`` in the next, on the same file. Kept in the order the code found them, the values
are inferred in the same order in every process. Membership, equality and hashing stay a
``frozenset``'s. The rows that install this are in :mod:`~halluc_check.jedi_compat.patches`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from jedi.inference.base_value import ValueSet


class OrderedValues(frozenset[Any]):
    """A frozenset that iterates in insertion order (the first occurrence of each value)."""

    __slots__ = ("_order",)
    _order: tuple[Any, ...]

    def __new__(cls, iterable: Iterable[Any] = ()) -> OrderedValues:
        order = tuple(dict.fromkeys(iterable))
        self = super().__new__(cls, order)
        self._order = order
        return self

    def __iter__(self) -> Iterator[Any]:
        return iter(self._order)

    def __or__(self, other: Any) -> OrderedValues:
        return OrderedValues((*self._order, *other))

    def __and__(self, other: Any) -> OrderedValues:
        return OrderedValues([value for value in self._order if value in other])

    def __sub__(self, other: Any) -> OrderedValues:
        return OrderedValues([value for value in self._order if value not in other])

    def __reduce__(self) -> tuple[Any, ...]:
        return (OrderedValues, (self._order,))


def value_set_init(self: Any, iterable: Iterable[Any]) -> None:
    """``ValueSet(values)``, in the order given."""
    self._set = OrderedValues(iterable)
    for value in self._set._order:
        assert not isinstance(value, ValueSet)


def value_set_from_sets(cls: Any, sets: Iterable[Any]) -> Any:
    """``ValueSet.from_sets``: the union, each set's values in its order, the first sets first."""
    aggregated: dict[Any, None] = {}
    for set_ in sets:
        aggregated.update(dict.fromkeys(set_._set if isinstance(set_, ValueSet) else set_))
    return cls._from_frozen_set(OrderedValues(aggregated))


def order_existing(value_set: ValueSet) -> None:
    """A value set made before the patches (``NO_VALUES``) keeps an ordered, equal set."""
    value_set._set = OrderedValues(value_set._set)
