"""The reference interpreter: the executable specification every engine is tested against.

It is deliberately plain: for each alternative of a rule it searches for leaves, one per
condition, that pass the condition's tests and sit in the same element of every array they
share (array consistency, SPEC 1.3). A condition that allows absence is met when no leaf at
its path is consistent with the leaves chosen for the other conditions (decision D7).
Matching with it costs time in proportion to rules times leaves: it is the spec, not the engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .events import Leaf, Trail
from .ipaddr import parse_ip
from .ir import (
    AnythingBut,
    Cidr,
    Condition,
    Constant,
    EqualsIgnoreCase,
    Exact,
    Exists,
    Key,
    Numeric,
    Prefix,
    PrefixIgnoreCase,
    Rule,
    Suffix,
    SuffixIgnoreCase,
    Test,
    Wildcard,
)

__all__ = ["Choice", "consistent", "passes", "rule_matches", "witness"]


def _is_number(key: Key) -> bool:
    return isinstance(key, int | float)


def passes(test: Test, key: Key) -> bool:
    """Whether one leaf passes one positive test."""
    if key is Constant.OPAQUE:
        return test == Exists(True)
    match test:
        case Exact(expected):
            return key == expected
        case Prefix(text):
            return isinstance(key, str) and (key + '"').startswith(text)
        case Suffix(text):
            return isinstance(key, str) and ('"' + key).endswith(text)
        case EqualsIgnoreCase():
            return isinstance(key, str) and test.regex.fullmatch(key) is not None
        case PrefixIgnoreCase():
            return isinstance(key, str) and test.regex.match(key + '"') is not None
        case SuffixIgnoreCase():
            return isinstance(key, str) and test.regex.match(key[::-1] + '"') is not None
        case Wildcard():
            return isinstance(key, str) and test.regex.fullmatch(key) is not None
        case AnythingBut(excluded):
            return not any(passes(exclusion, key) for exclusion in excluded)
        case Numeric(low, low_open, high, high_open):
            if not _is_number(key):
                return False
            above = key > low if low_open else key >= low  # type: ignore[operator]
            below = key < high if high_open else key <= high  # type: ignore[operator]
            return above and below
        case Cidr(block):
            address = parse_ip(key) if isinstance(key, str) else None
            return address is not None and block.contains(*address)
        case Exists(present):
            return present
    raise AssertionError(f"unknown test {test!r}")


def consistent(first: Trail, second: Trail) -> bool:
    """Whether two leaves lie in the same element of every array they share."""
    for (array_a, index_a), (array_b, index_b) in zip(first, second, strict=False):
        if array_a != array_b:
            return True  # the trails part here: no deeper array is shared
        if index_a != index_b:
            return False
    return True


Choice = tuple[Key, Trail] | None  # the leaf chosen for a condition, None when met by absence


def witness(conditions: Sequence[Condition], leaves: Mapping[str, list[Leaf]]) -> list[Choice] | None:
    """The leaves that make ``conditions`` match together, one per condition (None where a
    condition is met by absence), or None when they cannot all be met."""

    def fits(trail: Trail, chosen: list[Choice]) -> bool:
        return all(consistent(trail, choice[1]) for choice in chosen if choice is not None)

    def search(position: int, chosen: list[Choice]) -> list[Choice] | None:
        if position == len(conditions):
            absent = [
                condition.path for condition, choice in zip(conditions, chosen, strict=True) if choice is None
            ]
            reachable = any(fits(trail, chosen) for path in absent for _, trail in leaves.get(path, ()))
            return None if reachable else chosen
        condition = conditions[position]
        tests = condition.positive_tests
        for leaf in leaves.get(condition.path, ()):
            if fits(leaf[1], chosen) and any(passes(test, leaf[0]) for test in tests):
                found = search(position + 1, [*chosen, leaf])
                if found is not None:
                    return found
        return search(position + 1, [*chosen, None]) if condition.allows_absence else None

    return search(0, [])


def rule_matches(rule: Rule, leaves: Mapping[str, list[Leaf]]) -> bool:
    """Whether any alternative of ``rule`` matches the flattened event ``leaves``."""
    return any(witness(alternative, leaves) is not None for alternative in rule)
