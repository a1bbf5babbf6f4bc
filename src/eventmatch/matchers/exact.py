"""Exact values: one hash lookup of the leaf's typed key."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)

__all__ = ["ExactIndex"]


class ExactIndex(Generic[T]):
    """Targets by the exact key they accept."""

    __slots__ = ("by_key",)

    def __init__(self) -> None:
        self.by_key: dict[Hashable, list[T]] = {}

    def add(self, key: Hashable, target: T) -> None:
        self.by_key.setdefault(key, []).append(target)

    def __bool__(self) -> bool:
        return bool(self.by_key)

    def lookup(self, key: Hashable, out: set[T]) -> None:
        targets = self.by_key.get(key)
        if targets:
            out.update(targets)
