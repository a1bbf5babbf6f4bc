"""Comparable numbers, as the number tests see them (SPEC 1.4).

Exact numbers, numeric ranges and numeric anything-but lists only compare a leaf with the points they
name, so between two neighbouring points every double behaves alike: the points themselves, one double
strictly between each neighbouring pair, one below the lowest and one above the highest decide every
question about numbers exactly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Final

from ..ir import AnythingBut, Exact, Numeric, Test
from ..number_model import comparable_value

__all__ = ["between", "breakpoints", "candidates", "number_text", "plain"]

_LARGEST_INT: Final = 2.0**53  # integers up to this are exact doubles, written without a fraction


def _is_number(key: object) -> bool:
    return isinstance(key, int | float) and not isinstance(key, bool)


def breakpoints(tests: Iterable[Test]) -> list[float]:
    """The finite points the number tests among ``tests`` compare with, sorted, without repeats."""
    points: set[float] = set()
    for test in tests:
        match test:
            case Exact(key) if _is_number(key):
                points.add(float(key))  # type: ignore[arg-type]
            case Numeric(low, _, high, _):
                points.update(bound for bound in (low, high) if math.isfinite(bound))
            case AnythingBut(excluded):
                points.update(breakpoints(excluded))
    return sorted({point + 0.0 for point in points})  # + 0.0 folds -0.0 into 0.0


def plain(value: float) -> int | float:
    """``value`` as an int when it is a whole number a double holds exactly (nicer to read)."""
    return int(value) if value.is_integer() and abs(value) <= _LARGEST_INT else value + 0.0


def between(low: float, high: float) -> float | None:
    """A double strictly between ``low`` and ``high`` (either may be infinite), a round one when
    there is one; None when no double lies between them."""
    first = math.nextafter(low, math.inf)
    if not first < high:
        return None
    tries = [0.0]
    if math.isfinite(low):
        tries += [math.floor(low) + 1.0, math.floor(low * 10 + 1) / 10]
    if math.isfinite(high):
        tries += [math.ceil(high) - 1.0, math.ceil(high * 10 - 1) / 10]
    if math.isfinite(low) and math.isfinite(high):
        tries.append(low / 2 + high / 2)
    tries.append(first)
    return next(value for value in tries if low < value < high and math.isfinite(value))


def candidates(points: list[float]) -> Iterator[float]:
    """Doubles that stand for every class of doubles the ``points`` (sorted) separate."""
    if not points:
        yield 0.0
        return
    edges = [-math.inf, *points, math.inf]
    for index, point in enumerate(points):
        inside = between(edges[index], point)
        if inside is not None:
            yield inside
        yield point
    above = between(points[-1], math.inf)
    if above is not None:
        yield above


def number_text(number: float) -> str:
    """JSON text for a double that reads back as the same comparable number (Python's shortest form
    is not always Java's, which decides comparability, SPEC 1.4)."""
    value = float(number)
    if value.is_integer() and abs(value) <= _LARGEST_INT:
        return str(int(value))
    text = repr(value)
    # Java writes at least two significant digits: 4.9E-324 where Python writes 5e-324.
    return text if comparable_value(text) == value else format(value, ".1e")
