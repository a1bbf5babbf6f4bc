"""equals-ignore-case and its prefix / suffix forms.

Operands whose every accepted spelling lower-cases one character to one character are
found with a lookup of the lowered probe (one per operand length for the prefix and suffix
forms) and then confirmed with the operand's exact spellings (:mod:`.case_spellings`, linear
time). The few operands that cannot be found that way (``ß``, a final sigma, a quote) are
checked one by one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from typing import Generic, TypeVar

from ..ir import EqualsIgnoreCase, PrefixIgnoreCase, SuffixIgnoreCase
from .case_spellings import CaseSpellings

T = TypeVar("T", bound=Hashable)
IgnoreCaseTest = EqualsIgnoreCase | PrefixIgnoreCase | SuffixIgnoreCase

__all__ = ["IgnoreCaseIndex"]


class _Entry(Generic[T]):
    """One ignore-case test leading to one target, with the test's compiled spellings."""

    __slots__ = ("spellings", "target", "test")

    def __init__(self, test: IgnoreCaseTest, target: T) -> None:
        self.test = test
        self.target = target
        self.spellings = CaseSpellings(test.text)

    def is_for(self, test: IgnoreCaseTest, target: T) -> bool:
        """Whether this entry was filed for ``test`` leading to ``target``."""
        return self.test == test and self.target == target

    def accepts(self, value: str) -> bool:
        """Whether the test passes ``value``. AWS's engine compares strings in their quoted
        JSON form, so a prefix may run over the closing quote and a suffix over the opening
        one (see :mod:`.affixes`)."""
        test = self.test
        if isinstance(test, EqualsIgnoreCase):
            return self.spellings.equals(value)
        if isinstance(test, PrefixIgnoreCase):
            return self.spellings.is_prefix_of(value + '"')
        return self.spellings.is_suffix_of('"' + value)


def _remove(entries: list[_Entry[T]], test: IgnoreCaseTest, target: T) -> bool:
    """Remove the first entry for ``test`` and ``target``; False when there is none."""
    for index, entry in enumerate(entries):
        if entry.is_for(test, target):
            del entries[index]
            return True
    return False


class IgnoreCaseIndex(Generic[T]):
    """Targets of ignore-case tests of one kind (equals, prefix or suffix)."""

    __slots__ = ("_length_counts", "by_lowered", "kind", "lengths", "odd")

    def __init__(self, kind: type[IgnoreCaseTest]) -> None:
        self.kind = kind
        self.by_lowered: dict[str, list[_Entry[T]]] = {}
        self._length_counts: Counter[int] = Counter()
        self.lengths: list[int] = []
        self.odd: list[_Entry[T]] = []

    @staticmethod
    def _indexable(entry: _Entry[T]) -> bool:
        return '"' not in entry.test.text and entry.spellings.foldable_by_lower()

    def add(self, test: IgnoreCaseTest, target: T) -> None:
        entry = _Entry(test, target)
        if not self._indexable(entry):
            self.odd.append(entry)
            return
        self.by_lowered.setdefault(test.text.lower(), []).append(entry)
        self._length_counts[len(test.text)] += 1
        self.lengths = sorted(self._length_counts)

    def remove(self, test: IgnoreCaseTest, target: T) -> None:
        # Found where it would be filed, so nothing is compiled again to decide that.
        key = test.text.lower()
        entries = self.by_lowered.get(key)
        if entries is None or not _remove(entries, test, target):
            if not _remove(self.odd, test, target):
                raise ValueError(f"{test!r} for {target!r} is not filed here")
            return
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
                for entry in self.by_lowered.get(probe, ()):
                    if entry.accepts(value):
                        out.add(entry.target)
        for entry in self.odd:
            if entry.accepts(value):
                out.add(entry.target)
