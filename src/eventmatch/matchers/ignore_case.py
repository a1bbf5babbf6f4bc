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
