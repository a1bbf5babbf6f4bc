"""The intermediate representation every front end produces and every engine consumes.

A compiled rule is a tuple of *alternatives* (the ``$or`` expansion); an alternative is a
tuple of *conditions* sorted by path; a condition holds the *tests* for the leaves at one
dotted path. A condition is met when some leaf at its path passes one of its positive tests,
or, when it holds ``Exists(present=False)``, when no leaf is there. Nothing downstream knows
which front end produced a rule.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TypeAlias

from .ipaddr import IpRange
from .number_model import NumberLiteral

__all__ = [
    "ABSENT",
    "PRESENT",
    "Alternative",
    "AnythingBut",
    "Cidr",
    "Condition",
    "Constant",
    "EqualsIgnoreCase",
    "Exact",
    "ExclusionTest",
    "Exists",
    "Key",
    "Numeric",
    "Prefix",
    "PrefixIgnoreCase",
    "Rule",
    "Suffix",
    "SuffixIgnoreCase",
    "Test",
    "Wildcard",
]


class Constant(enum.Enum):
    """The JSON literals ``true``, ``false`` and ``null`` as leaf keys.

    They must not be Python's ``True``/``False``: those compare equal to the numbers 1 and 0.
    """

    TRUE = "true"
    FALSE = "false"
    NULL = "null"
    #: A value no value test looks at (an SNS Binary attribute): it only makes its field present.
    OPAQUE = "opaque"


# The typed key of a leaf: strings are themselves, comparable numbers their value (so 5 and
# 5.0 are one key), other numbers their literal text, true/false/null a Constant.
Key: TypeAlias = "str | int | float | NumberLiteral | Constant"


@dataclass(frozen=True, slots=True)
class Exact:
    """Equal to one typed key."""

    key: Key


@dataclass(frozen=True, slots=True)
class Prefix:
    """A string starting with ``text``."""

    text: str


@dataclass(frozen=True, slots=True)
class Suffix:
    """A string ending with ``text``."""

    text: str


@dataclass(frozen=True, slots=True)
class EqualsIgnoreCase:
    """A string equal to ``text`` under event-ruler's per-character case mapping."""

    text: str


@dataclass(frozen=True, slots=True)
class PrefixIgnoreCase:
    """A string starting with ``text`` ignoring case."""

    text: str


@dataclass(frozen=True, slots=True)
class SuffixIgnoreCase:
    """A string ending with ``text`` ignoring case."""

    text: str


@dataclass(frozen=True, slots=True)
class Wildcard:
    """A string matched by a wildcard operand (raw text, escapes included)."""

    text: str


ExclusionTest: TypeAlias = "Exact | Prefix | Suffix | EqualsIgnoreCase | Wildcard"


@dataclass(frozen=True, slots=True)
class AnythingBut:
    """A leaf that passes none of the ``excluded`` tests (leaves of another type pass)."""

    excluded: tuple[ExclusionTest, ...]


@dataclass(frozen=True, slots=True)
class Numeric:
    """A comparable number inside a range; unbounded sides are infinite and open."""

    low: float
    low_open: bool
    high: float
    high_open: bool


@dataclass(frozen=True, slots=True)
class Cidr:
    """A string that is an IP address inside ``block`` (an IP literal pattern is a block of one)."""

    block: IpRange


@dataclass(frozen=True, slots=True)
class Exists:
    """``present=True``: some leaf is at the path. ``present=False``: none is."""

    present: bool


Test: TypeAlias = (
    "Exact | Prefix | Suffix | EqualsIgnoreCase | PrefixIgnoreCase | SuffixIgnoreCase"
    " | Wildcard | AnythingBut | Numeric | Cidr | Exists"
)

ABSENT = Exists(False)
PRESENT = Exists(True)


@dataclass(frozen=True, slots=True)
class Condition:
    """The tests for the leaves at one dotted path."""

    path: str
    tests: tuple[Test, ...]

    @property
    def allows_absence(self) -> bool:
        """True when the condition is also met by the path having no leaf."""
        # Neither ``ABSENT in tests``, which calls each test's __eq__, nor any() over a
        # generator: this runs for every condition a Machine files.
        for test in self.tests:  # noqa: SIM110
            if type(test) is Exists and not test.present:
                return True
        return False

    @property
    def positive_tests(self) -> tuple[Test, ...]:
        """The tests a leaf can pass."""
        return tuple(test for test in self.tests if test != ABSENT)


Alternative: TypeAlias = "tuple[Condition, ...]"
Rule: TypeAlias = "tuple[Alternative, ...]"
