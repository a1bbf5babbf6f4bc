"""Reading pattern text without losing what a plain ``json.loads`` throws away.

Patterns keep the literal text of every number (``1e400`` and ``1E400`` are different
literals) and every key of an object in document order, duplicates included: the
front ends give the last occurrence of a path precedence, exactly as AWS's streaming
parser does.

A pattern given as plain Python values needs none of that when it holds only what
``json.loads`` makes (``dict``, ``list``, ``str``, ``int``, finite ``float``, ``bool``,
``None``, with ``str`` keys): a dict cannot repeat a key, its items are already its pairs
in document order, and an int's or float's literal is ``str(value)`` or ``repr(value)``,
as ``from_python`` writes them. The EventBridge front end reads such a *plain* pattern as it is.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Final, TypeAlias

import orjson

from .errors import InvalidPatternError
from .number_model import int_text

__all__ = [
    "JsonNumber",
    "JsonObject",
    "JsonValue",
    "PatternValue",
    "from_python",
    "key_fault",
    "number_text",
    "parse_pattern_text",
    "read_plain_texts",
    "reject_constant",
    "written_back",
]


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

    def items(self) -> list[tuple[str, JsonValue]]:
        """The pairs, so that a JsonObject and a plain dict are read alike."""
        return self.pairs

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
# A JsonValue, or a plain Python value of an already-parsed pattern (see the module's docstring).
PatternValue: TypeAlias = "JsonValue | dict[str, PatternValue] | list[PatternValue] | int | float"


def number_text(value: object) -> str | None:
    """The literal text of a number, a JsonNumber or a plain int or finite float; else None."""
    if type(value) is JsonNumber:
        return value.text
    if type(value) is int:
        return int_text(value)
    if type(value) is float and math.isfinite(value):
        return repr(value)
    return None


def key_fault(key: object) -> str:
    """Why an object key of an already-parsed pattern is refused."""
    return f"object keys must be strings, not {type(key).__name__}"


def reject_constant(name: str) -> JsonValue:
    """``parse_constant`` for ``json.loads``: NaN and Infinity are not JSON."""
    raise ValueError(f"{name} is not valid JSON")


# One decoder for every pattern text: json.loads with these hooks would build one per call.
_DECODER: Final = json.JSONDecoder(
    object_pairs_hook=JsonObject, parse_float=JsonNumber, parse_int=JsonNumber, parse_constant=reject_constant
)


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
        if text.startswith("\ufeff"):  # as json.loads refuses it
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        parsed: JsonValue = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise error(f"{exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:  # json's decoder recurses once per level
        raise error("JSON is nested too deeply") from None
    except ValueError as exc:
        raise error(str(exc)) from None
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
                raise error(key_fault(key))
            pairs.append((key, from_python(item, error)))
        return JsonObject(pairs)
    if kind is list or kind is tuple:
        return [from_python(item, error) for item in value]  # type: ignore[attr-defined]
    if isinstance(value, int):
        return JsonNumber(int_text(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise error(f"{value!r} is not a JSON number")
        return JsonNumber(repr(value))
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        return [from_python(item, error) for item in value]
    raise error(f"{type(value).__name__} is not a JSON value")


# What JSON allows between tokens; orjson writes none of it. Deleted from UTF-8, which has these
# bytes only for these characters: in one call, not one call each.
_BLANKS: Final = b" \t\n\r"


def written_back(text: str, value: object) -> bytes | None:
    """What orjson writes for ``value``, a plain reading of the JSON ``text``, when that is the
    compact form of ``text``: then the plain value holds all that :func:`parse_pattern_text` keeps
    of the text (see :func:`read_plain_texts`); None when it may not.

    With no backslash in the text, the text and what orjson writes are the same once the blanks are
    taken out of both exactly when nothing was lost: a dropped repeated key, a number spelled another
    way, would make them differ. orjson and ``repr`` spell a double alike but for the form of a short
    exponent (``1e-7``, ``1e-07``), and the number model reads such a number by its value, not its text.
    """
    if "\\" in text:
        return None
    try:
        written = orjson.dumps(value)
    except orjson.JSONEncodeError:  # integers beyond 64 bits, deep nesting, lone surrogates
        return None
    return written if text.encode().translate(None, _BLANKS) == written.translate(None, b" ") else None


def read_plain_texts(texts: Sequence[str]) -> list[dict[str, Any]] | None:
    """Pattern texts, each a JSON object, read at once by orjson as the plain values ``json.loads``
    makes, or None when that could lose something :func:`parse_pattern_text` keeps (see
    :func:`written_back`), when a text is not one JSON object, or when orjson refuses one: the exact
    reader then says why.

    The front ends read a plain pattern exactly as they read the parsed text (see the module's
    docstring): one call reading many texts saves most of the time reading each exactly takes.
    """
    joined = f"[{','.join(texts)}]"
    try:
        values: list[dict[str, Any]] = orjson.loads(joined)
    except orjson.JSONDecodeError:
        return None
    if (
        len(values) != len(texts)  # a text of several values, as '{}, {}'
        or not all(type(value) is dict for value in values)
        or written_back(joined, values) is None
    ):
        return None
    return values
