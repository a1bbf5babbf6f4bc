"""Reading pattern text without losing what a plain ``json.loads`` throws away.

Patterns keep the literal text of every number (``1e400`` and ``1E400`` are different
literals) and every key of an object in document order, duplicates included: the
front ends give the last occurrence of a path precedence, exactly as AWS's streaming
parser does.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TypeAlias

from .errors import InvalidPatternError

__all__ = ["JsonNumber", "JsonObject", "JsonValue", "from_python", "parse_pattern_text", "reject_constant"]


class JsonObject:
    """A JSON object as the (key, value) pairs it was written with, repeats included."""

    __slots__ = ("pairs",)

    def __init__(self, pairs: Iterable[tuple[str, JsonValue]] = ()) -> None:
        self.pairs: list[tuple[str, JsonValue]] = list(pairs)

    def __iter__(self) -> Iterator[tuple[str, JsonValue]]:
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)

    def __getitem__(self, index: int) -> tuple[str, JsonValue]:
        return self.pairs[index]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JsonObject) and other.pairs == self.pairs

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"JsonObject({self.pairs!r})"


class JsonNumber:
    """A JSON number, kept as its literal text."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JsonNumber) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


JsonValue: TypeAlias = "JsonObject | list[JsonValue] | str | JsonNumber | bool | None"


def reject_constant(name: str) -> JsonValue:
    """``parse_constant`` for ``json.loads``: NaN and Infinity are not JSON."""
    raise ValueError(f"{name} is not valid JSON")


def parse_pattern_text(
    text: str | bytes, error: type[InvalidPatternError] = InvalidPatternError
) -> JsonValue:
    """Parse JSON text strictly (trailing text is an error: decision D10)."""
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise error(f"pattern is not UTF-8 text: {exc.reason}") from None
    if not text.strip():
        raise error("Filter is not an object")  # what AWS says when there is no JSON at all
    try:
        parsed: JsonValue = json.loads(
            text,
            object_pairs_hook=JsonObject,
            parse_float=JsonNumber,
            parse_int=JsonNumber,
            parse_constant=reject_constant,
        )
    except json.JSONDecodeError as exc:
        raise error(f"{exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except (ValueError, RecursionError) as exc:
        raise error(str(exc) or "pattern is too deeply nested") from None
    return parsed


def from_python(value: object, error: type[InvalidPatternError] = InvalidPatternError) -> JsonValue:
    """Turn an already-parsed pattern (dicts, lists, numbers...) into the same shape."""
    kind = type(value)
    if kind is str or value is None or kind is bool:
        return value  # type: ignore[return-value]
    if kind is dict or isinstance(value, Mapping):
        pairs: list[tuple[str, JsonValue]] = []
        for key, item in value.items():  # type: ignore[attr-defined]
            if type(key) is not str:
                raise error(f"object keys must be strings, not {type(key).__name__}")
            pairs.append((key, from_python(item, error)))
        return JsonObject(pairs)
    if kind is list or kind is tuple:
        return [from_python(item, error) for item in value]  # type: ignore[attr-defined]
    if isinstance(value, int):
        return JsonNumber(str(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise error(f"{value!r} is not a JSON number")
        return JsonNumber(repr(value))
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        return [from_python(item, error) for item in value]
    raise error(f"{type(value).__name__} is not a JSON value")
