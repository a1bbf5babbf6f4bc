"""equals-ignore-case and its prefix / suffix forms.

Operands whose every accepted spelling lower-cases one character to one character are
found with a lookup of the lowered probe (one per operand length for the prefix and suffix
forms) and then confirmed with the operand's exact per-character regex. The few operands
that cannot be found that way (``ß``, a final sigma, a quote) are checked one by one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from typing import Generic, TypeVar

from ..casefold import is_foldable_by_lower
from ..ir import EqualsIgnoreCase, PrefixIgnoreCase, SuffixIgnoreCase

T = TypeVar("T", bound=Hashable)
IgnoreCaseTest = EqualsIgnoreCase | PrefixIgnoreCase | SuffixIgnoreCase

__all__ = ["IgnoreCaseIndex"]


def _accepts(test: IgnoreCaseTest, value: str) -> bool:
    if isinstance(test, EqualsIgnoreCase):
        return test.regex.fullmatch(value) is not None
    if isinstance(test, PrefixIgnoreCase):
        return test.regex.match(value + '"') is not None
    return test.regex.match(value[::-1] + '"') is not None


class IgnoreCaseIndex(Generic[T]):
    """Targets of ignore-case tests of one kind (equals, prefix or suffix)."""

    __slots__ = ("_length_counts", "by_lowered", "kind", "lengths", "odd")

    def __init__(self, kind: type[IgnoreCaseTest]) -> None:
        self.kind = kind
        self.by_lowered: dict[str, list[tuple[IgnoreCaseTest, T]]] = {}
        self._length_counts: Counter[int] = Counter()
        self.lengths: list[int] = []
        self.odd: list[tuple[IgnoreCaseTest, T]] = []

    @staticmethod
    def _indexable(test: IgnoreCaseTest) -> bool:
        return '"' not in test.text and is_foldable_by_lower(test.text)

    def add(self, test: IgnoreCaseTest, target: T) -> None:
        if not self._indexable(test):
            self.odd.append((test, target))
            return
        self.by_lowered.setdefault(test.text.lower(), []).append((test, target))
        self._length_counts[len(test.text)] += 1
        self.lengths = sorted(self._length_counts)

    def remove(self, test: IgnoreCaseTest, target: T) -> None:
        if not self._indexable(test):
            self.odd.remove((test, target))
            return
        key = test.text.lower()
        entries = self.by_lowered[key]
        entries.remove((test, target))
        if not entries:
            del self.by_lowered[key]
        self._length_counts[len(test.text)] -= 1
        if not self._length_counts[len(test.text)]:
            del self._length_counts[len(test.text)]
        self.lengths = sorted(self._length_counts)

    def __bool__(self) -> bool:
        return bool(self.by_lowered) or bool(self.odd)

    def _probes(self, value: str) -> list[str]:
        if self.kind is EqualsIgnoreCase:
            return [value.lower()]
        if self.kind is PrefixIgnoreCase:
            return [value[:length].lower() for length in self.lengths if length <= len(value)]
        return [value[len(value) - length :].lower() for length in self.lengths if length <= len(value)]

    def lookup(self, value: str, out: set[T]) -> None:
        if self.by_lowered:
            for probe in self._probes(value):
                for test, target in self.by_lowered.get(probe, ()):
                    if _accepts(test, value):
                        out.add(target)
        for test, target in self.odd:
            if _accepts(test, value):
                out.add(target)
