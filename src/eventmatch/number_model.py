"""The number model shared by every front end (SPEC 1.4, decision D1).

A JSON number is *comparable* when its exact decimal value equals the shortest decimal that
round-trips its IEEE-754 double, as Java's ``Double.toString`` prints it (event-ruler's rule).
Comparable numbers match by value (``5``, ``5.0`` and ``5e0`` are one number); the others
(``9007199254740993``, ``0.10000000000000001``, ``1e400``) only ever equal the very same
literal text and never satisfy a numeric condition.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Final

__all__ = ["NumberLiteral", "comparable_value", "int_key", "int_literal_key", "int_text", "number_key"]

# Integers below this magnitude are always exactly a double's shortest decimal form.
_SMALL_INT: Final = 10**15
# An integer literal longer than this (sign included) is never below _SMALL_INT in magnitude.
_SMALL_INT_TEXT: Final = len(str(_SMALL_INT))


class NumberLiteral:
    """A number that is not comparable: it is matched by its literal JSON text only."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NumberLiteral) and other.text == self.text

    def __hash__(self) -> int:
        return hash((NumberLiteral, self.text))

    def __repr__(self) -> str:
        return f"NumberLiteral({self.text!r})"

    def __reduce__(self) -> tuple[type[NumberLiteral], tuple[str]]:
        return (NumberLiteral, (self.text,))


def _java_shortest(value: float) -> Decimal:
    """The decimal Java's ``Double.toString`` gives: the shortest round-trip form, never fewer
    than two significant digits (so the smallest subnormal reads 4.9E-324, not 5E-324)."""
    shortest = repr(value)
    digits = shortest.split("e")[0].replace("-", "").replace(".", "").strip("0")
    if len(digits) <= 1:
        return Decimal(format(value, ".1e"))
    return Decimal(shortest)


def comparable_value(text: str) -> float | None:
    """The double a number literal stands for, or None when the literal is not comparable."""
    try:
        exact = Decimal(text)
    except InvalidOperation:
        return None
    value = float(text)
    if not math.isfinite(value) or exact != _java_shortest(value):
        return None
    return value + 0.0  # folds -0.0 into 0.0


def number_key(text: str) -> float | NumberLiteral:
    """The typed key of a number literal: its value when comparable, else its text."""
    value = comparable_value(text)
    return NumberLiteral(text) if value is None else value


def int_text(value: int) -> str:
    """The decimal text of an integer, however many digits it has (``str`` refuses more than
    ``sys.get_int_max_str_digits()``, 4300 by default)."""
    try:
        return str(value)
    except ValueError:
        return str(Decimal(value))  # an int's Decimal has exponent 0: plain digits


def int_key(value: int) -> int | float | NumberLiteral:
    """The typed key of an integer parsed from JSON (its literal text is its decimal text)."""
    if -_SMALL_INT < value < _SMALL_INT:
        return value
    return number_key(int_text(value))


def int_literal_key(text: str) -> int | float | NumberLiteral:
    """:func:`int_key` of a JSON integer literal, read without ``int`` when it is too long
    to be small (``int`` refuses more than 4300 digits)."""
    if len(text) <= _SMALL_INT_TEXT:
        return int_key(int(text))
    return number_key(text)  # JSON spells an integer one way only: this is its decimal text
