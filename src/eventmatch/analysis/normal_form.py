"""A rule's meaning as one hashable value, so that rules written differently can be found equal.

The IR already settles number spellings (``5``, ``5.0`` and ``5e0`` are one key), IP-address
spellings and repeated values; the normal form also drops the order of values, ``$or`` branches and
anything-but lists, and rewrites each condition to one spelling of what it accepts:

* an exact number is a numeric range of one point, and numeric ranges are closed ranges of doubles
  (``> 1`` is ``>= 1.0000000000000002``), merged where they meet;
* a wildcard without a star is an exact string; ``prefix ""``, ``suffix ""`` and ``wildcard "*"`` are
  one test, "any string", which makes every other string test redundant; an ignore-case test of text
  without cased letters is its plain form;
* an exact string some other test of the condition takes is dropped; a condition whose tests take
  every leaf is ``exists true``;
* an alternative within another of the rule is dropped (alternatives no event matches are left out
  beforehand: :func:`~.relations.live`).

Every step keeps the set of matching events, so equal normal forms mean the same rule; different
forms can still mean the same rule (:mod:`.relations` then proves it both ways).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable

from ..casefold import case_alternatives
from ..ir import (
    ABSENT,
    PRESENT,
    Alternative,
    AnythingBut,
    Cidr,
    Condition,
    EqualsIgnoreCase,
    Exact,
    ExclusionTest,
    Numeric,
    Prefix,
    PrefixIgnoreCase,
    Rule,
    Suffix,
    SuffixIgnoreCase,
    Test,
    Wildcard,
)
from ..reference import passes
from ..wildcard import literal_segments
from .budget import Budget, Unknown
from .conditions import takes_every_leaf
from .relations import alternative_within
from .worlds import World

__all__ = ["normal_form"]

ANY_STRING = Prefix("")
_STRING_TESTS = (Exact, Prefix, Suffix, EqualsIgnoreCase, PrefixIgnoreCase, SuffixIgnoreCase, Wildcard, Cidr)
_MOST_ALTERNATIVES = 32  # beyond this many, alternatives are not compared with each other


def _string_only(test: Test) -> bool:
    """Whether only strings pass ``test``."""
    return isinstance(test, _STRING_TESTS) and not (isinstance(test, Exact) and not isinstance(test.key, str))


def _order(test: Test) -> tuple[str, str]:
    return type(test).__name__, repr(test)


def _caseless(text: str) -> bool:
    return all(case_alternatives(char) == (char,) for char in text)


def _spelling(test: Test) -> Test:
    """One spelling of a single test."""
    match test:
        case Prefix("") | Suffix("") | PrefixIgnoreCase("") | SuffixIgnoreCase(""):
            return ANY_STRING
        case Wildcard(text):
            segments = literal_segments(text)
            if len(segments) == 1:
                return Exact(segments[0])
            return ANY_STRING if segments == ["", ""] else test
        case EqualsIgnoreCase(text) if _caseless(text):
            return Exact(text)
        case PrefixIgnoreCase(text) if _caseless(text):
            return Prefix(text)
        case SuffixIgnoreCase(text) if _caseless(text):
            return Suffix(text)
        case AnythingBut(excluded):
            spelled: set[ExclusionTest] = {
                Exact(exclusion.key + 0.0)
                if isinstance(exclusion, Exact) and isinstance(exclusion.key, float)
                else exclusion
                for exclusion in excluded
            }
            return AnythingBut(tuple(sorted(spelled, key=_order)))
    return test


def _closed(test: Numeric) -> tuple[float, float] | None:
    """The range as its lowest and highest double (None when it holds none)."""
    low = math.nextafter(test.low, math.inf) if test.low_open else test.low
    high = math.nextafter(test.high, -math.inf) if test.high_open else test.high
    return (low + 0.0, high + 0.0) if low <= high else None


def _merged(ranges: Iterable[tuple[float, float]]) -> list[Numeric]:
    merged: list[list[float]] = []
    for low, high in sorted(ranges):
        if merged and low <= math.nextafter(merged[-1][1], math.inf):
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return [Numeric(low, False, high, False) for low, high in merged]


def _tests(condition: Condition, world: World, budget: Budget) -> tuple[Test, ...]:
    """One spelling of what a condition's leaves may be, sorted, absence last."""
    absence = (ABSENT,) if condition.allows_absence else ()
    tests = condition.positive_tests
    try:
        if PRESENT in tests or takes_every_leaf(tests, budget, world.opaque(condition.path)):
            return (PRESENT, *absence)
    except Unknown:
        pass  # then it stays as written
    ranges = []
    kept: list[Test] = []
    for test in map(_spelling, tests):
        if isinstance(test, Exact) and isinstance(test.key, int | float):
            ranges.append((test.key + 0.0, test.key + 0.0))
        elif isinstance(test, Numeric):
            closed = _closed(test)
            ranges += [closed] if closed is not None else []
        else:
            kept.append(test)
    if ANY_STRING in kept:
        kept = [test for test in kept if test == ANY_STRING or not _string_only(test)]
    others = [test for test in kept if not isinstance(test, Exact)]
    kept = [
        test
        for test in kept
        if not isinstance(test, Exact) or not any(passes(other, test.key) for other in others)
    ]
    return (*sorted(set(kept) | set(_merged(ranges)), key=_order), *absence)


def _kept(alternatives: list[Alternative], world: World, budget: Budget) -> list[Alternative]:
    """The alternatives that are not within another one (of equal ones, the one that sorts first)."""
    if len(alternatives) > _MOST_ALTERNATIVES:
        return alternatives
    kept = list(alternatives)
    for alternative in alternatives:
        others = [other for other in kept if other is not alternative]
        try:
            if any(alternative_within(alternative, other, world, budget) for other in others):
                kept.remove(alternative)
        except Unknown:
            continue
    return kept


def normal_form(rule: Rule, world: World, budget: Budget) -> Hashable:
    """The normal form (see the module's docstring) of a rule's live alternatives."""
    forms = {
        alternative: tuple(
            sorted((condition.path, _tests(condition, world, budget)) for condition in alternative)
        )
        for alternative in rule
    }
    # Alternatives in an order of their own (not the $or's): which of two equal ones is kept then
    # does not depend on how the pattern was written.
    ordered = sorted(forms, key=lambda alternative: repr(forms[alternative]))
    return frozenset(forms[alternative] for alternative in _kept(ordered, world, budget))
