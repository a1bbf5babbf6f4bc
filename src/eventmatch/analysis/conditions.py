"""Questions about one condition, or two conditions at one path, answered through :func:`find_leaf`.

A condition (:class:`eventmatch.ir.Condition`) is met by a leaf at its path that passes one of its
positive tests, or, when it allows absence, by there being no leaf there. In an event with one leaf per
path and no arrays, each condition is judged on its own leaf; every question here is about leaves.
"""

from __future__ import annotations

from ..explain import describe_test
from ..ir import Condition, Exact, Key, Test
from ..reference import passes
from .budget import Budget
from .leaves import find_leaf
from .values import outside, taken

__all__ = [
    "describe",
    "example_leaf",
    "failing_leaf",
    "first_step",
    "shared_leaf",
    "takes_every_leaf",
    "within",
]


def first_step(path: str) -> str:
    """The first key of a path. Leaves of two paths can share an array only when their paths start
    with the same key: the array sits below a key both paths go through."""
    return path.split(".", 1)[0]


def describe(condition: Condition) -> str:
    """The condition's tests as a reader writes them: ``"stopped" | prefix "st"``."""
    return " | ".join(describe_test(test) for test in condition.tests)


def example_leaf(condition: Condition, budget: Budget, opaque: bool) -> Key | None:
    """A leaf that meets ``condition``, trying its tests in order; None when none can be met."""
    for test in condition.positive_tests:
        found = find_leaf((test,), (), budget, opaque=opaque, prefer=taken(test))
        if found is not None:
            return found
    return None


def failing_leaf(condition: Condition, budget: Budget, opaque: bool) -> Key | None:
    """A leaf that passes none of the condition's tests, a near one when there is; None if none fails."""
    tests = condition.positive_tests
    return find_leaf((), tests, budget, opaque=opaque, prefer=outside(tests))


def takes_every_leaf(tests: tuple[Test, ...], budget: Budget, opaque: bool) -> bool:
    """Whether every leaf passes one of ``tests``."""
    return find_leaf((), tests, budget, opaque=opaque) is None


class _OneOf:
    """Whether a leaf passes one of some tests, exact values looked up (value lists can be long)."""

    def __init__(self, tests: tuple[Test, ...]) -> None:
        self.exact = {test.key for test in tests if isinstance(test, Exact)}
        self.others = [test for test in tests if not isinstance(test, Exact)]

    def passes(self, key: Key, budget: Budget) -> bool:
        budget.spend(1 + len(self.others))
        return key in self.exact or any(passes(test, key) for test in self.others)


def within(small: Condition, big: Condition, budget: Budget, opaque: bool) -> bool:
    """Whether every leaf that passes one of ``small``'s tests passes one of ``big``'s."""
    tests = big.positive_tests
    one_of = _OneOf(tests)
    for test in small.positive_tests:
        if test in tests:
            continue
        if isinstance(test, Exact):  # one leaf: just try it
            if not one_of.passes(test.key, budget):
                return False
        elif find_leaf((test,), tests, budget, opaque=opaque) is not None:
            return False
    return True


def shared_leaf(first: Condition, second: Condition, budget: Budget, opaque: bool) -> Key | None:
    """A leaf that meets both conditions (passes a test of each); None when there is none."""
    ones, others = first.positive_tests, second.positive_tests
    for mine, theirs in ((ones, others), (others, ones)):
        one_of = _OneOf(theirs)
        for test in mine:
            if isinstance(test, Exact) and one_of.passes(test.key, budget):
                return test.key
    for test in ones:
        for other in others:
            if isinstance(test, Exact) or isinstance(other, Exact):
                continue  # tried above
            found = find_leaf((test, other), (), budget, opaque=opaque, prefer=[*taken(test), *taken(other)])
            if found is not None:
                return found
    return None
