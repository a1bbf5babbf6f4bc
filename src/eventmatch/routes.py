"""Routes: the step sequences an alternative is filed as, in the order that keeps matching flat.

A step is ``(path, tests)`` for "a leaf at path passes one of tests", or ``(path, None)`` for
"no leaf at path". A route holds an alternative's steps with a leaf, most selective first, then
its steps with no leaf; a condition that may also be met by absence gives one route each way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import product
from typing import Any, TypeAlias

from .ir import Alternative, AnythingBut, Exact, Exists, Numeric, Test, Wildcard

__all__ = ["Route", "Step", "looseness", "order_steps", "ways"]

Step: TypeAlias = tuple[str, tuple[Test, ...] | None]
Route: TypeAlias = tuple[Step, ...]


def looseness(tests: tuple[Test, ...]) -> int:
    """How many leaves a step lets through, as a rank (0: exact values only). Loose steps
    (anything-but, exists) go last, so that a match is carried forward only by events that
    really fit so far: a loose step first would let every event into every rule behind it."""
    if len(tests) == 1 and type(tests[0]) is Exact:
        return 0  # the commonest step
    rank = 0
    for test in tests:
        if isinstance(test, AnythingBut | Exists):
            return 3
        if isinstance(test, Wildcard) or (isinstance(test, Numeric) and test.low != test.high):
            rank = 2
        elif not isinstance(test, Exact):
            rank = max(rank, 1)
    return rank


def ways(alternative: Alternative) -> Iterator[tuple[list[Step], list[Step]]]:
    """The ways to meet one alternative, as (steps with a leaf, steps with no leaf)."""
    for condition in alternative:
        if condition.allows_absence:
            break
    else:  # the commonest case: every condition needs a leaf
        yield [(condition.path, condition.tests) for condition in alternative], []
        return
    options: list[list[Step]] = []
    for condition in alternative:
        choices: list[Step] = []
        positive = condition.positive_tests
        if positive:
            choices.append((condition.path, positive))
        if condition.allows_absence:
            choices.append((condition.path, None))
        options.append(choices)
    for choice in product(*options):
        yield [step for step in choice if step[1] is not None], [step for step in choice if step[1] is None]


def order_steps(steps: list[Step], exact_values: Mapping[str, Mapping[Any, int]]) -> list[Step]:
    """Steps with a leaf, most selective first: by looseness, then, among exact steps, by the
    share of the path's known values they accept (``exact_values``: the exact keys the rule
    set tests per path). Ties keep path order, so that rules alike share their first states."""

    def key(step: Step) -> tuple[int, float]:
        path, tests = step
        assert tests is not None
        # the commonest step, one exact value, is ranked without a call
        rank = 0 if len(tests) == 1 and type(tests[0]) is Exact else looseness(tests)
        if rank:
            return rank, 1.0
        return 0, len(tests) / max(1, len(exact_values.get(path, ())))

    return sorted(steps, key=key)
