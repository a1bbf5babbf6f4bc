"""Wildcards, prefiltered so that unrelated wildcard rules cost nothing.

A wildcard is filed under its literal head (the text before the first star) in a prefix
index, or under its literal tail when it starts with a star; only the candidates whose head
or tail fits the string are checked, each in time linear in the string (:mod:`.glob`).
Wildcards with neither (``*x*``) are tried one by one.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

from ..ir import Wildcard
from ..wildcard import literal_segments
from .affixes import AffixIndex
from .glob import Glob

T = TypeVar("T", bound=Hashable)

__all__ = ["WildcardIndex"]


class _Entry(Generic[T]):
    """One wildcard test leading to one target, with the test compiled (equality and hash
    leave the compiled form out: a candidate found by head and tail counts once)."""

    __slots__ = ("glob", "target", "test")

    def __init__(self, test: Wildcard, target: T, segments: list[str]) -> None:
        self.test = test
        self.target = target
        self.glob = Glob(segments)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Entry) and other.test == self.test and other.target == self.target

    def __hash__(self) -> int:
        return hash((self.test, self.target))


class WildcardIndex(Generic[T]):
    """Targets of wildcard tests at one field."""

    __slots__ = ("floating", "heads", "tails")

    def __init__(self) -> None:
        self.heads: AffixIndex[_Entry[T]] = AffixIndex(suffix=False)
        self.tails: AffixIndex[_Entry[T]] = AffixIndex(suffix=True)
        self.floating: list[_Entry[T]] = []

    @staticmethod
    def _place(segments: list[str]) -> tuple[str, str]:
        if len(segments) == 1 or segments[0]:
            return "head", segments[0]
        if segments[-1]:
            return "tail", segments[-1]
        return "floating", ""

    def add(self, test: Wildcard, target: T) -> None:
        segments = literal_segments(test.text)
        entry = _Entry(test, target, segments)
        place, text = self._place(segments)
        if place == "head":
            self.heads.add(text, entry)
        elif place == "tail":
            self.tails.add(text, entry)
        else:
            self.floating.append(entry)

    def __bool__(self) -> bool:
        return bool(self.heads) or bool(self.tails) or bool(self.floating)

    def lookup(self, value: str, out: set[T]) -> None:
        candidates: set[_Entry[T]] = set()
        if self.heads:
            self.heads.lookup(value, candidates)
        if self.tails:
            self.tails.lookup(value, candidates)
        candidates.update(self.floating)
        for entry in candidates:
            if entry.glob.matches(value):
                out.add(entry.target)
