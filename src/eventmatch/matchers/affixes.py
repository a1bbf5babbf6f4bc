"""Prefixes and suffixes: one lookup per distinct operand length present.

AWS's engine compares strings in their quoted JSON form, so a prefix may run over the
closing quote and a suffix over the opening one (``{"suffix": "\\"b"}`` matches ``b``):
the probes are taken from the quoted string to keep that behaviour.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)

__all__ = ["AffixIndex"]


class AffixIndex(Generic[T]):
    """Targets by the prefix (or suffix) they accept."""

    __slots__ = ("_length_counts", "by_text", "lengths", "suffix")

    def __init__(self, *, suffix: bool) -> None:
        self.suffix = suffix
        self.by_text: dict[str, list[T]] = {}
        self._length_counts: Counter[int] = Counter()
        self.lengths: list[int] = []

    def add(self, text: str, target: T) -> None:
        self.by_text.setdefault(text, []).append(target)
        self._length_counts[len(text)] += 1
        self.lengths = sorted(self._length_counts)

    def __bool__(self) -> bool:
        return bool(self.by_text)

    def probes(self, value: str) -> Iterator[str]:
        """The candidate operands a string could match, one per operand length."""
        if self.suffix:
            quoted = '"' + value
            for length in self.lengths:
                if length > len(quoted):
                    return
                yield quoted[len(quoted) - length :]
        else:
            quoted = value + '"'
            for length in self.lengths:
                if length > len(quoted):
                    return
                yield quoted[:length]

    def lookup(self, value: str, out: set[T]) -> None:
        by_text = self.by_text
        for probe in self.probes(value):
            targets = by_text.get(probe)
            if targets:
                out.update(targets)
