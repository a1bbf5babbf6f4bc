"""A few simple tests on one path, checked one by one.

The indexes of :mod:`.value_index` keep their cost flat for many tests, but each lookup goes
through several objects; at a state of a large rule set a field is mostly tested by one or
two tests, and the objects of its index are rarely in the CPU cache. Up to :data:`MAX_CHECKS`
tests of the simple families (prefix, suffix, a numeric range, ``exists: true``, and
anything-but of exact values) are kept instead as flat *checks*, ``(kind, operand, target)``,
which the plain walk tests in turn. Their answers are the indexes' answers, kind by kind.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, Final, TypeAlias, TypeVar

from ..ir import AnythingBut, Constant, Exact, Exists, Key, Numeric, Prefix, Suffix, Test

T = TypeVar("T", bound=Hashable)
U = TypeVar("U")

__all__ = ["MAX_CHECKS", "Check", "as_checks", "passing"]

MAX_CHECKS: Final = 4

PRESENT: Final = 0  # operand: None
PREFIX: Final = 1  # operand: the prefix, matched against the string with its closing quote
SUFFIX: Final = 2  # operand: the suffix, matched against the string with its opening quote
RANGE: Final = 3  # operand: (low, low_open, high, high_open)
NOT_ONE_OF: Final = 4  # operand: the frozenset of excluded keys

Check: TypeAlias = "tuple[int, Any, T]"


def _check(test: Test) -> tuple[int, Any] | None:
    """The kind and operand of a test that can be a check, None for the others."""
    kind = type(test)
    if kind is Prefix:
        return PREFIX, test.text  # type: ignore[union-attr]
    if kind is Suffix:
        return SUFFIX, test.text  # type: ignore[union-attr]
    if kind is Numeric:
        return RANGE, (test.low, test.low_open, test.high, test.high_open)  # type: ignore[union-attr]
    if kind is Exists and test.present:  # type: ignore[union-attr]
        return PRESENT, None
    if kind is AnythingBut and all(type(excluded) is Exact for excluded in test.excluded):  # type: ignore[union-attr]
        return NOT_ONE_OF, frozenset(excluded.key for excluded in test.excluded)  # type: ignore[union-attr]
    return None


def as_checks(filed: Sequence[tuple[Test, T]]) -> tuple[Check[T], ...] | None:
    """The tests ``filed`` (with their targets) as checks, or None when there are too many
    or one of them is not of a simple family."""
    if len(filed) > MAX_CHECKS:
        return None
    checks: list[Check[T]] = []
    for test, target in filed:
        check = _check(test)
        if check is None:
            return None
        checks.append((*check, target))
    return tuple(checks)


def passing(checks: Sequence[Check[U]], key: Key) -> list[U]:
    """The targets of the checks ``key`` passes, in order."""
    passed: list[U] = []
    value: Any = key  # its type is tested below, once
    kind = type(value)
    for code, operand, target in checks:
        if code == PRESENT:
            passed.append(target)
        elif code == PREFIX:
            if kind is str and (value + '"').startswith(operand):
                passed.append(target)
        elif code == SUFFIX:
            if kind is str and ('"' + value).endswith(operand):
                passed.append(target)
        elif code == RANGE:
            if kind is int or kind is float:
                low, low_open, high, high_open = operand
                if (low < value or (value == low and not low_open)) and (
                    value < high or (value == high and not high_open)
                ):
                    passed.append(target)
        elif value not in operand and value is not Constant.OPAQUE:  # NOT_ONE_OF
            passed.append(target)
    return passed
