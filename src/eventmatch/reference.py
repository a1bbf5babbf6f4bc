"""The reference interpreter: the executable specification every engine is tested against.

It is deliberately plain: for each alternative of a rule it searches for leaves, one per
condition, that pass the condition's tests and sit in the same element of every array they
share (array consistency, SPEC 1.3) and that event-ruler offers together (``admissible``). A
condition that allows absence is met when no leaf at its path is consistent with the leaves
chosen for the other conditions (decision D7).
Matching with it costs time in proportion to rules times leaves: it is the spec, not the engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .casefold import ignore_case_regex
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
from .wildcard import wildcard_regex

__all__ = [
    "Choice",
    "admissible",
    "array_holdings",
    "consistent",
    "offered",
    "passes",
    "rule_matches",
    "witness",
]


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
        case EqualsIgnoreCase(text):
            return isinstance(key, str) and ignore_case_regex(text).fullmatch(key) is not None
        case PrefixIgnoreCase(text):
            return isinstance(key, str) and ignore_case_regex(text).match(key + '"') is not None
        case SuffixIgnoreCase(text):
            return (
                isinstance(key, str)
                and ignore_case_regex(text, reverse=True).match(key[::-1] + '"') is not None
            )
        case Wildcard(text):
            return isinstance(key, str) and wildcard_regex(text).fullmatch(key) is not None
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


def java_order(path: str) -> bytes:
    """A key that sorts paths as Java's ``String.compareTo`` does (by UTF-16 code unit)."""
    return path.encode("utf-16-be", "surrogatepass")


def array_holdings(leaves: Mapping[str, Sequence[Leaf]]) -> dict[str, frozenset[int]]:
    """For each path, the arrays that hold some of its leaves (inside one of their elements)."""
    return {
        path: frozenset(array for _, trail in found for array, _ in trail) for path, found in leaves.items()
    }


_NO_ARRAYS: frozenset[int] = frozenset()


def admissible(
    earlier: tuple[str, Trail], later: tuple[str, Trail], holdings: Mapping[str, frozenset[int]]
) -> bool:
    """Whether event-ruler offers the leaf chosen for ``later``'s path once the leaf chosen for
    ``earlier``'s path, which sorts before it (Java order), has pinned its array elements.

    event-ruler 2.0 matches a rule's fields in path order and looks each field up by the array
    elements pinned so far (``StructuredFinder.FieldIndex.getConsistent``): when the field has
    leaves inside a pinned array, only its leaves inside the pinned element are candidates; its
    leaves outside that array (through a dotted key, or in an unrelated array) are not offered,
    although they would be consistent.
    """
    earlier_trail = earlier[1]
    if not earlier_trail:
        return True
    later_path, later_trail = later
    holding = holdings.get(later_path, _NO_ARRAYS)
    return all(pin in later_trail for pin in earlier_trail if pin[0] in holding)


def offered(
    path: str, trail: Trail, chosen: Sequence[tuple[str, Trail]], holdings: Mapping[str, frozenset[int]]
) -> bool:
    """Whether a leaf at ``path`` can join the leaves ``chosen`` (as (path, trail)): it is
    consistent with each, and admissible with each, whichever of the two paths sorts first."""
    mine = (path, trail)
    order: bytes | None = None
    for other in chosen:
        if not consistent(trail, other[1]):
            return False
        if not trail and not other[1]:
            continue
        if order is None:
            order = java_order(path)
        if java_order(other[0]) < order:
            if not admissible(other, mine, holdings):
                return False
        elif not admissible(mine, other, holdings):
            return False
    return True


Choice = tuple[Key, Trail] | None  # the leaf chosen for a condition, None when met by absence


def witness(conditions: Sequence[Condition], leaves: Mapping[str, list[Leaf]]) -> list[Choice] | None:
    """The leaves that make ``conditions`` match together, one per condition (None where a
    condition is met by absence), or None when they cannot all be met."""

    holdings = array_holdings(leaves)

    def fits(trail: Trail, chosen: list[Choice]) -> bool:
        return all(consistent(trail, choice[1]) for choice in chosen if choice is not None)

    def joins(path: str, trail: Trail, chosen: list[Choice]) -> bool:
        used = [
            (condition.path, choice[1])
            for condition, choice in zip(conditions[: len(chosen)], chosen, strict=True)
            if choice is not None
        ]
        return offered(path, trail, used, holdings)

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
            if joins(condition.path, leaf[1], chosen) and any(passes(test, leaf[0]) for test in tests):
                found = search(position + 1, [*chosen, leaf])
                if found is not None:
                    return found
        return search(position + 1, [*chosen, None]) if condition.allows_absence else None

    return search(0, [])


def rule_matches(rule: Rule, leaves: Mapping[str, list[Leaf]]) -> bool:
    """Whether any alternative of ``rule`` matches the flattened event ``leaves``."""
    return any(witness(alternative, leaves) is not None for alternative in rule)
