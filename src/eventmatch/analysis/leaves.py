"""Finding one leaf that passes every test of one set and none of another, or proving there is none.

This is the one question every analysis asks of values: a leaf for an example (pass one test), a value
for a near miss (fail them all), whether a condition takes every value (no value fails it), whether one
condition's values are all another's (no value passes the first and fails the second).

Leaves come in kinds no test confuses (SPEC 2.1): strings, comparable numbers, other numbers (matched by
their literal text), ``true``, ``false``, ``null``, and SNS's opaque Binary attributes. Each kind is
searched on its own, completely: numbers by the points the tests name (:mod:`.numbers`), strings through
the tests' automata (:mod:`.strings`) and ``cidr`` blocks by address intervals (:mod:`.addresses`). The
answer is a leaf (checked with the reference interpreter's ``passes``), None when there is provably none,
or :class:`~.budget.Unknown`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

from ..ir import ABSENT, PRESENT, AnythingBut, Cidr, Constant, Exact, ExclusionTest, Key, Numeric, Test
from ..number_model import NumberLiteral
from ..reference import passes
from .addresses import address_texts, remaining_addresses
from .budget import Budget, Unknown
from .numbers import breakpoints, candidates, plain
from .strings import Automaton, automaton, search_strings

__all__ = ["find_leaf", "fits"]

_IP_TRIES = 16  # strings the automata give that may all be addresses a cidr test to avoid takes
_CONSTANTS = (Constant.TRUE, Constant.FALSE, Constant.NULL)


def fits(key: Key, must: Iterable[Test], avoid: Iterable[Test]) -> bool:
    """Whether ``key`` passes every test of ``must`` and none of ``avoid``."""
    return all(passes(test, key) for test in must) and not any(passes(test, key) for test in avoid)


def find_leaf(
    must: Sequence[Test],
    avoid: Sequence[Test],
    budget: Budget,
    *,
    opaque: bool = False,
    prefer: Iterable[Key] = (),
) -> Key | None:
    """A leaf that passes every test of ``must`` and none of ``avoid``; None when no leaf does.

    ``prefer`` are leaves to try first (so that answers read well); ``opaque`` admits SNS's Binary
    attribute values. Raises Unknown when the question cannot be settled within ``budget``.
    """
    if ABSENT in must:
        return None  # no leaf is an absence
    avoid = [test for test in avoid if test != ABSENT]
    for key in prefer:
        budget.spend()
        if fits(key, must, avoid):
            return key
    unknown: Unknown | None = None
    for kind in (_string, _number, _constant, _literal):
        try:
            found = kind(must, avoid, budget, opaque)
        except Unknown as exc:
            unknown = exc
            continue
        if found is not None:
            return found
    if unknown is not None:
        raise unknown
    return None


def _constant(must: Sequence[Test], avoid: Sequence[Test], budget: Budget, opaque: bool) -> Key | None:
    keys = (*_CONSTANTS, Constant.OPAQUE) if opaque else _CONSTANTS
    budget.spend(len(keys))
    return next((key for key in keys if fits(key, must, avoid)), None)


def _literal(must: Sequence[Test], avoid: Sequence[Test], budget: Budget, opaque: bool) -> Key | None:
    """Numbers matched by their text only: the ones the tests name, and one they do not."""
    named = {
        test.key
        for test in (*must, *avoid)
        if isinstance(test, Exact) and isinstance(test.key, NumberLiteral)
    }
    exponent = 400  # 1e400 and up are beyond a double: numbers only their text stands for
    while NumberLiteral(f"1e{exponent}") in named:
        exponent += 1
    fresh = NumberLiteral(f"1e{exponent}")
    budget.spend(len(named) + 1)
    return next((key for key in (*named, fresh) if fits(key, must, avoid)), None)


def _number(must: Sequence[Test], avoid: Sequence[Test], budget: Budget, opaque: bool) -> Key | None:
    """Comparable numbers: a candidate for every class of doubles the tests' points separate."""
    points = breakpoints((*must, *avoid))
    # Exact values to avoid are looked up, not passed one by one: value lists can be long.
    excluded = {test.key for test in avoid if isinstance(test, Exact)}
    others = [test for test in avoid if not isinstance(test, Exact)]
    for value in candidates(points):
        budget.spend()
        key = plain(value)
        if key not in excluded and fits(key, must, others):
            return key
    return None


# -- strings ---------------------------------------------------------------------------------------------


def _takes_strings(test: Test) -> bool:
    """Whether some string can pass ``test``."""
    return (
        not isinstance(test, Numeric)
        and test != ABSENT
        and not (isinstance(test, Exact) and not isinstance(test.key, str))
    )


def _string_exclusions(test: AnythingBut) -> list[ExclusionTest]:
    return [exclusion for exclusion in test.excluded if _takes_strings(exclusion)]


def _string(must: Sequence[Test], avoid: Sequence[Test], budget: Budget, opaque: bool) -> Key | None:
    if PRESENT in avoid or not all(_takes_strings(test) for test in must):
        return None
    plain_must: list[Test] = []
    plain_avoid: list[Test] = [
        test for test in avoid if _takes_strings(test) and not isinstance(test, AnythingBut)
    ]
    for test in must:
        if isinstance(test, AnythingBut):
            plain_avoid.extend(_string_exclusions(test))  # passing anything-but: failing its exclusions
        elif test != PRESENT:
            plain_must.append(test)
    # Failing an anything-but means passing one of its exclusions: try each way.
    ways = [_string_exclusions(test) for test in avoid if isinstance(test, AnythingBut)]
    unknown: Unknown | None = None
    for chosen in itertools.product(*ways):
        budget.spend()
        try:
            found = _plain_string([*plain_must, *chosen], plain_avoid, budget)
        except Unknown as exc:
            unknown = exc
            continue
        if found is not None:
            return found
    if unknown is not None:
        raise unknown
    return None


def _plain_string(must: list[Test], avoid: list[Test], budget: Budget) -> str | None:
    """A string for tests that are exact strings, affixes, ignore-case forms, wildcards and cidr blocks."""
    exact = next((test.key for test in must if isinstance(test, Exact)), None)
    if isinstance(exact, str):
        return exact if fits(exact, must, avoid) else None
    inside = [test.block for test in must if isinstance(test, Cidr)]
    outside = [test for test in avoid if isinstance(test, Cidr)]
    if inside:
        remaining = remaining_addresses(inside, [test.block for test in outside])
        if not any(remaining.values()):
            return None
        for text in address_texts(remaining):
            budget.spend()
            if fits(text, must, avoid):
                return text
        raise Unknown("an IP address range against other string tests")
    excluded = {test.key for test in avoid if isinstance(test, Exact) and isinstance(test.key, str)}
    must_automata = _automata(must)
    avoid_automata = _automata(test for test in avoid if not isinstance(test, Exact | Cidr))
    found = search_strings(must_automata, avoid_automata, budget, excluded)
    for tries, text in enumerate(found, 1):
        if not any(passes(test, text) for test in outside):
            return text
        if tries == _IP_TRIES:
            raise Unknown("an IP address range against other string tests")
    return None


def _automata(tests: Iterable[Test]) -> list[Automaton]:
    found = []
    for test in tests:
        machine = automaton(test)
        assert machine is not None, test  # the callers pass string tests only
        found.append(machine)
    return found
