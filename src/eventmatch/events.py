"""Reading events: JSON text or dicts in, typed leaves with their array positions out.

``orjson`` parses almost every event. It loses three things JSON allows and AWS's engine
sees, so the few texts that may hold them are read again by the exact (slower) reader:
numbers with more digits than a double keeps or a huge exponent (matched by literal text,
SPEC 1.4), integers beyond 64 bits (which orjson refuses), and repeated keys (every
occurrence counts, where orjson keeps the last).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Final, TypeAlias

import orjson

from .errors import InvalidEventError
from .ir import Constant, Key
from .jsontext import reject_constant
from .number_model import NumberLiteral, comparable_value, int_key, number_key

__all__ = ["DuplicateKeyObject", "Leaf", "Trail", "leaf_key", "parse_event", "read_bytes"]

# A leaf's place among the arrays above it: (array id, element index) from the root down.
Trail: TypeAlias = tuple[tuple[int, int], ...]
Leaf: TypeAlias = tuple[Key, Trail]


class DuplicateKeyObject(list[tuple[str, Any]]):
    """A JSON object that repeats a key, kept as its (key, value) pairs."""


# A text may hold a number orjson reads lossily if, once digits and dots become "0" and "E"
# becomes "e", it has a run of 16 zeros (16 or more digits: a double keeps about 15) or a
# 3-digit negative exponent "0e-000" (below a double's range; orjson refuses the positive
# ones). Strings can look like that too; they only cost a closer look.
_SHAPES: Final = bytes(
    ord("0") if chr(c) in "0123456789." else ord("e") if chr(c) in "eE" else ord("-") if c == ord("-") else 32
    for c in range(256)
)
_LONG_DIGITS: Final = b"0" * 16


# A number token: right after ':', ',' or '[' (which keeps most of the inside of strings out).
_NUMBER_TOKEN: Final = re.compile(rb"[:,\[]\s*(-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)")
_INT64_MIN: Final = -(2**63)
_UINT64_MAX: Final = 2**64 - 1


def _has_lossy_number(text: bytes) -> bool:
    """Whether orjson would lose what some number literal says: a float literal that is not
    the shortest form of its double, or an integer beyond 64 bits (which orjson turns into a
    float). A fast byte scan clears most texts; the rest have their long tokens checked."""
    shapes = text.translate(_SHAPES)
    if _LONG_DIGITS not in shapes and b"0e-000" not in shapes:
        return False
    for token in _NUMBER_TOKEN.findall(text):
        if len(token) < 16 and b"e" not in token and b"E" not in token:
            continue
        literal = token.decode()
        if "." in literal or "e" in literal or "E" in literal:
            if comparable_value(literal) is None:
                return True
        elif not _INT64_MIN <= int(literal) <= _UINT64_MAX:
            return True  # orjson reads integers beyond 64 bits as floats
    return False


def _exact_float(text: str) -> float | NumberLiteral:
    return number_key(text)


def _exact_int(text: str) -> int | float | NumberLiteral:
    return int_key(int(text))


def _object_from_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any] | DuplicateKeyObject:
    obj = dict(pairs)
    return obj if len(obj) == len(pairs) else DuplicateKeyObject(pairs)


def _exact_parse(text: str | bytes) -> Any:
    try:
        return json.loads(
            text,
            parse_float=_exact_float,
            parse_int=_exact_int,
            parse_constant=reject_constant,
            object_pairs_hook=_object_from_pairs,
        )
    except json.JSONDecodeError as exc:
        raise InvalidEventError(
            f"event is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise InvalidEventError(f"event is not valid JSON: {exc}") from None


def parse_event(event: object) -> Mapping[str, Any] | DuplicateKeyObject:
    """The event as a JSON object; InvalidEventError if it is not JSON or not an object."""
    if isinstance(event, Mapping):
        return event
    if isinstance(event, str):
        try:
            event = event.encode()
        except UnicodeEncodeError:  # lone surrogates: JSON allows them, UTF-8 does not
            return _as_object(_exact_parse(event))
    elif isinstance(event, bytearray | memoryview):
        event = bytes(event)
    elif not isinstance(event, bytes):
        raise InvalidEventError(f"an event is a dict or JSON text, not {type(event).__name__}")
    return read_bytes(event)


# orjson writes the doubles below 1e-307 (subnormals among them, which the number model does
# not compare by value) with an exponent of -308 to -324.
_TINY_EXPONENT: Final = re.compile(rb"[0-9]e-3[0-9][0-9]")


def read_bytes(text: bytes) -> Mapping[str, Any] | DuplicateKeyObject:
    """:func:`parse_event` for JSON text as bytes."""
    try:
        parsed = orjson.loads(text)
    except orjson.JSONDecodeError:
        return _as_object(_exact_parse(text))  # JSON orjson refuses: integers beyond 64 bits, deep nesting
    if type(parsed) is not dict:
        return _as_object(parsed)
    try:
        written = orjson.dumps(parsed)
    except orjson.JSONEncodeError:  # deeper than orjson writes
        return _as_object(_exact_parse(text))
    if written == text and (b"e-3" not in text or not _TINY_EXPONENT.search(text)):
        # orjson wrote back the very text: no key repeats and every number is spelled the way
        # orjson reads it exactly, so nothing was lost.
        return parsed
    if _has_lossy_number(text) or text.count(b'":') != written.count(b'":'):
        # a number orjson reads lossily, or a repeated key (orjson keeps only the last),
        # or text spaced oddly: read exactly
        return _as_object(_exact_parse(text))
    return parsed


def _as_object(parsed: Any) -> Mapping[str, Any] | DuplicateKeyObject:
    if type(parsed) is not dict and type(parsed) is not DuplicateKeyObject:
        raise InvalidEventError("an event must be a JSON object")
    return parsed


def leaf_key(value: Any) -> Key | None:
    """The typed key of a leaf value, or None when the value is not a JSON leaf."""
    if isinstance(value, str):
        return value
    if value is True:
        return Constant.TRUE
    if value is False:
        return Constant.FALSE
    if value is None:
        return Constant.NULL
    if isinstance(value, int):
        return int_key(value)
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else NumberLiteral(repr(value))
    if isinstance(value, NumberLiteral | Constant):
        return value
    return None
