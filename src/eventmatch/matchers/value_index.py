"""All the value matchers of one field at one machine state, behind one ``lookup``."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Generic, TypeVar

from ..ir import (
    AnythingBut,
    Cidr,
    Constant,
    EqualsIgnoreCase,
    Exact,
    Exists,
    Key,
    Numeric,
    Prefix,
    PrefixIgnoreCase,
    Suffix,
    SuffixIgnoreCase,
    Test,
    Wildcard,
)
from .affixes import AffixIndex
from .anything_but import AnythingButIndex
from .cidr import CidrIndex
from .exact import ExactIndex
from .ignore_case import IgnoreCaseIndex
from .intervals import Interval, IntervalIndex
from .wildcards import WildcardIndex

T = TypeVar("T", bound=Hashable)

__all__ = ["ValueIndex"]


class ValueIndex(Generic[T]):
    """Which targets a leaf reaches through the tests filed here. Indexes are created on
    first use, so a field tested only for exact values costs one dict."""

    __slots__ = (
        "anything_but",
        "cidr",
        "equals_ignore_case",
        "exact",
        "numeric",
        "prefix_ignore_case",
        "prefixes",
        "present",
        "string_tests",
        "suffix_ignore_case",
        "suffixes",
        "wildcards",
    )

    def __init__(self) -> None:
        self.exact: ExactIndex[T] | None = None
        self.prefixes: AffixIndex[T] | None = None
        self.suffixes: AffixIndex[T] | None = None
        self.equals_ignore_case: IgnoreCaseIndex[T] | None = None
        self.prefix_ignore_case: IgnoreCaseIndex[T] | None = None
        self.suffix_ignore_case: IgnoreCaseIndex[T] | None = None
        self.wildcards: WildcardIndex[T] | None = None
        self.numeric: IntervalIndex[T] | None = None
        self.cidr: CidrIndex[T] | None = None
        self.anything_but: AnythingButIndex[T] | None = None
        self.present: list[T] | None = None
        self.string_tests = 0  # tests only strings can pass, besides exact ones

    def add(self, test: Test, target: T) -> None:
        """File ``test`` as a way to reach ``target``."""
        match test:
            case Exact(key):
                self.exact = self.exact or ExactIndex()
                self.exact.add(key, target)
            case Numeric(low, low_open, high, high_open) if low == high:
                self.exact = self.exact or ExactIndex()
                self.exact.add(low, target)  # a point range is numeric equality
            case Numeric(low, low_open, high, high_open):
                self.numeric = self.numeric or IntervalIndex()
                self.numeric.add(Interval(low, low_open, high, high_open), target)
            case AnythingBut():
                self.anything_but = self.anything_but or AnythingButIndex()
                self.anything_but.add(test, target)
            case Exists(True):
                self.present = self.present or []
                self.present.append(target)
            case _:
                index, filed_as = self._string_index(test)
                index.add(filed_as, target)  # type: ignore[arg-type]
                self.string_tests += 1

    def _string_index(
        self, test: Test
    ) -> tuple[AffixIndex[T] | IgnoreCaseIndex[T] | WildcardIndex[T] | CidrIndex[T], object]:
        """The index of a string-only test family, and what to file the test under in it."""
        index: AffixIndex[T] | IgnoreCaseIndex[T] | WildcardIndex[T] | CidrIndex[T] | None
        match test:
            case Prefix(text):
                index = self.prefixes = self.prefixes or AffixIndex(suffix=False)
                return index, text
            case Suffix(text):
                index = self.suffixes = self.suffixes or AffixIndex(suffix=True)
                return index, text
            case EqualsIgnoreCase():
                index = self.equals_ignore_case = self.equals_ignore_case or IgnoreCaseIndex(EqualsIgnoreCase)
            case PrefixIgnoreCase():
                index = self.prefix_ignore_case = self.prefix_ignore_case or IgnoreCaseIndex(PrefixIgnoreCase)
            case SuffixIgnoreCase():
                index = self.suffix_ignore_case = self.suffix_ignore_case or IgnoreCaseIndex(SuffixIgnoreCase)
            case Wildcard():
                index = self.wildcards = self.wildcards or WildcardIndex()
            case Cidr(block):
                index = self.cidr = self.cidr or CidrIndex()
                return index, block
            case _:
                raise TypeError(f"no value index for {test!r}")
        return index, test

    def lookup(self, key: Key, out: set[T]) -> None:
        """Add to ``out`` every target some test filed here accepts ``key`` for."""
        if key is Constant.OPAQUE:  # present, but no value test looks at it
            if self.present:
                out.update(self.present)
            return
        if self.exact is not None:
            self.exact.lookup(key, out)
        kind = type(key)
        if kind is str:
            if self.string_tests:
                self._lookup_string(key, out)  # type: ignore[arg-type]
        elif (kind is int or kind is float) and self.numeric is not None:
            self.numeric.lookup(key, out)  # type: ignore[arg-type]
        if self.anything_but is not None:
            self.anything_but.lookup(key, out)
        if self.present:
            out.update(self.present)

    def lookup_many(self, keys: Sequence[Key], out: set[T]) -> None:
        """:meth:`lookup` for each of ``keys`` (the leaves of one path), numbers in one batch."""
        numeric = self.numeric
        if numeric is None or self.exact is not None or self.string_tests or self.anything_but is not None:
            for key in keys:
                self.lookup(key, out)
            return
        # Only numeric ranges and exists: the commonest shape of a field of many numbers.
        numeric.lookup_many([key for key in keys if type(key) is int or type(key) is float], out)
        if self.present and keys:
            out.update(self.present)

    def _lookup_string(self, value: str, out: set[T]) -> None:
        if self.prefixes:
            self.prefixes.lookup(value, out)
        if self.suffixes:
            self.suffixes.lookup(value, out)
        if self.equals_ignore_case:
            self.equals_ignore_case.lookup(value, out)
        if self.prefix_ignore_case:
            self.prefix_ignore_case.lookup(value, out)
        if self.suffix_ignore_case:
            self.suffix_ignore_case.lookup(value, out)
        if self.wildcards:
            self.wildcards.lookup(value, out)
        if self.cidr:
            self.cidr.lookup(value, out)

    def __bool__(self) -> bool:
        return bool(self.exact or self.numeric or self.anything_but or self.present or self.string_tests)
