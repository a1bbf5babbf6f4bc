"""Leaves a reader would pick: a value each test takes, and values just outside what tests take.

These are only preferences handed to :func:`~.leaves.find_leaf`, which checks them and searches on
when none fits; so they need not be right, only likely and easy to read (``"images/"`` for
``prefix "images/"``, ``999`` for ``numeric >= 1000``, ``"STOPPED"`` to miss ``"stopped"``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from ..casefold import case_alternatives
from ..ir import (
    AnythingBut,
    Cidr,
    EqualsIgnoreCase,
    Exact,
    Key,
    Numeric,
    Prefix,
    PrefixIgnoreCase,
    Suffix,
    SuffixIgnoreCase,
    Test,
    Wildcard,
)
from ..wildcard import literal_segments
from .addresses import address_texts
from .numbers import between, plain

__all__ = ["FILLER", "outside", "taken"]

#: The value given where any value will do.
FILLER = "example"


def _spelled(text: str) -> str:
    return "".join(case_alternatives(char)[0] for char in text)


def _step_down(value: float) -> float:
    lower = value - 1
    return lower if lower < value else math.nextafter(value, -math.inf)


def _step_up(value: float) -> float:
    higher = value + 1
    return higher if higher > value else math.nextafter(value, math.inf)


def taken(test: Test) -> list[Key]:
    """Values ``test`` likely takes, the most readable first."""
    match test:
        case Exact(key):
            return [key]
        case Prefix(text) | Suffix(text):
            return [text]
        case EqualsIgnoreCase(text) | PrefixIgnoreCase(text) | SuffixIgnoreCase(text):
            return [text, _spelled(text)]
        case Wildcard(text):
            segments = literal_segments(text)
            return ["x".join(segments), "".join(segments)]
        case Numeric(low, low_open, high, high_open):
            values = [low] if not low_open else []
            inside = between(low, high)
            values += [inside] if inside is not None else []
            values += [high] if not high_open else []
            return [plain(value) for value in values if math.isfinite(value)]
        case Cidr(block):
            addresses: list[Key] = [*address_texts({block.family: [(block.low, block.high)]})]
            return addresses[:3]
        case AnythingBut():
            return [FILLER, 0]
    return [FILLER]  # exists true


def _missed(test: Test) -> list[Key]:
    match test:
        case Exact(key) if isinstance(key, str):
            return [key.swapcase(), key + "x", key[:-1]]
        case Exact(key) if isinstance(key, int | float):
            return [plain(_step_up(key)), plain(_step_down(key))]
        case Prefix(text) | PrefixIgnoreCase(text):
            return [text[:-1], "x" + text]
        case Suffix(text) | SuffixIgnoreCase(text):
            return [text[:-1], text + "x"]
        case EqualsIgnoreCase(text):
            return [text + "x", text[:-1]]
        case Wildcard(text):
            joined = "x".join(literal_segments(text))
            return [joined[:-1], joined + "x", "x" + joined]
        case Numeric(low, low_open, high, high_open):
            edges = []
            if math.isfinite(low):
                edges.append(low if low_open else _step_down(low))
            if math.isfinite(high):
                edges.append(high if high_open else _step_up(high))
            return [plain(value) for value in edges]
        case Cidr(block):
            family_end = (1 << (32 if block.family == 4 else 128)) - 1
            neighbours = [
                address for address in (block.low - 1, block.high + 1) if 0 <= address <= family_end
            ]
            texts: list[Key] = [
                *address_texts({block.family: [(address, address) for address in neighbours]})
            ]
            return texts
        case AnythingBut(excluded):
            return [value for exclusion in excluded for value in taken(exclusion)]
    return []


def outside(tests: Iterable[Test]) -> list[Key]:
    """Values just outside what ``tests`` take (each may still pass one of the others)."""
    values = [value for test in tests for value in _missed(test) if value != ""]  # "" says little
    return [*values, FILLER]
