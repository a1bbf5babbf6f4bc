"""anything-but in all its forms: a present leaf that none of the exclusions accepts.

Each anything-but test at a field becomes a *negation* entry; its exclusions are filed in an
ordinary value index pointing at the entry. For a leaf, every entry matches except those the
index finds excluded, so the cost follows the exclusions that fit the leaf plus the matches,
not the number of rules. Leaves of another type are never excluded.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

from ..ir import AnythingBut, Key
from . import value_index

T = TypeVar("T", bound=Hashable)

__all__ = ["AnythingButIndex"]


class _Negation(Generic[T]):
    """One anything-but test leading to one target (identity matters: two equal tests of
    different targets, or of the same target, are OR'ed independently)."""

    __slots__ = ("target",)

    def __init__(self, target: T) -> None:
        self.target = target


class AnythingButIndex(Generic[T]):
    """Targets of anything-but tests at one field."""

    __slots__ = ("entries", "exclusions")

    def __init__(self) -> None:
        self.entries: dict[tuple[AnythingBut, T], _Negation[T]] = {}
        self.exclusions: value_index.ValueIndex[_Negation[T]] = value_index.ValueIndex()

    def add(self, test: AnythingBut, target: T) -> None:
        entry = _Negation(target)
        self.entries[(test, target)] = entry
        for exclusion in test.excluded:
            self.exclusions.add(exclusion, entry)

    def __bool__(self) -> bool:
        return bool(self.entries)

    def lookup(self, key: Key, out: set[T]) -> None:
        excluded: set[_Negation[T]] = set()
        self.exclusions.lookup(key, excluded)
        for entry in self.entries.values():
            if entry not in excluded:
                out.add(entry.target)
