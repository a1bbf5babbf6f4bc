"""Reading events: JSON text or dicts in, typed leaves with their array positions out.

``orjson`` parses almost every event. It loses three things JSON allows and AWS's engine
sees, so the few texts that may hold them are read again by the exact (slower) reader:
numbers with more digits than a double keeps or a huge exponent (matched by literal text,
SPEC 1.4), integers beyond 64 bits (which orjson refuses), and repeated keys (every
occurrence counts, where orjson keeps the last).

An event nested more than :data:`MAX_DEPTH` arrays and objects deep (orjson's limit) is an
:class:`~eventmatch.InvalidEventError` (:data:`TOO_DEEP`): anywhere in JSON text, along the
paths some rule reads in a dict. Besides matching what AWS's parser would read, the limit
bounds the array positions a leaf carries (one per array around it).
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
from .number_model import NumberLiteral, comparable_value, int_key, int_literal_key, number_key

__all__ = [
    "MAX_DEPTH",
    "TOO_DEEP",
    "DuplicateKeyObject",
    "Leaf",
    "Trail",
    "leaf_key",
    "parse_event",
    "read_bytes",
    "read_json",
]

MAX_DEPTH: Final = 1024  # arrays and objects one inside another: orjson's limit
TOO_DEEP: Final = f"event is nested too deeply (more than {MAX_DEPTH} levels of arrays and objects)"

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
_INT64_DIGITS: Final = len(str(_UINT64_MAX))  # a longer integer literal is beyond 64 bits


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
        elif len(literal) > _INT64_DIGITS or not _INT64_MIN <= int(literal) <= _UINT64_MAX:
            return True  # orjson reads integers beyond 64 bits as floats
    return False


def _exact_float(text: str) -> float | NumberLiteral:
    return number_key(text)


def _object_from_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any] | DuplicateKeyObject:
    obj = dict(pairs)
    return obj if len(obj) == len(pairs) else DuplicateKeyObject(pairs)


def read_json(text: str | bytes) -> Any:
    """Any JSON value, read exactly: numbers as typed keys (:mod:`eventmatch.number_model`),
    objects that repeat a key as :class:`DuplicateKeyObject`. InvalidEventError when the text
    is not JSON or is nested more than :data:`MAX_DEPTH` levels deep."""
    try:
        try:
            return json.loads(
                text,
                parse_float=_exact_float,
                parse_int=int_literal_key,
                parse_constant=reject_constant,
                object_pairs_hook=_object_from_pairs,
            )
        except RecursionError:  # json's decoder recurses once per level
            return _read_deep(text if isinstance(text, str) else _decoded(text))
    except json.JSONDecodeError as exc:
        raise InvalidEventError(
            f"event is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    except InvalidEventError:
        raise
    except ValueError as exc:
        raise InvalidEventError(f"event is not valid JSON: {exc}") from None


def _decoded(text: bytes) -> str:
    """JSON bytes as text, decoded as ``json.loads`` decodes them."""
    return text.decode(json.detect_encoding(text), "surrogatepass")


_NOT_SPACE: Final = re.compile(r"[^ \t\n\r]")
_NUMBER: Final = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_CONSTANTS: Final = (("true", True), ("false", False), ("null", None))


def _read_deep(text: str) -> Any:
    """What :func:`read_json` reads, for text nested deeper than json's recursive decoder
    goes: the same grammar and hooks, with an explicit stack of the open arrays and objects."""
    opened: list[list[Any]] = []  # the items read so far in each open array or object
    keys: list[str | None] = []  # the key whose value is being read in each, None in an array
    position = _skip_space(text, 0)
    while True:
        char = text[position : position + 1]
        if char == "{" or char == "[":
            if len(opened) == MAX_DEPTH:
                raise InvalidEventError(TOO_DEEP)
            position = _skip_space(text, position + 1)
            if text.startswith("}" if char == "{" else "]", position):
                value: Any = _object_from_pairs([]) if char == "{" else []
                position += 1
            else:
                opened.append([])
                if char == "{":
                    name, position = _key(text, position)
                    keys.append(name)
                else:
                    keys.append(None)
                continue
        else:
            value, position = _scalar(text, position)
        # A value is complete: add it to the innermost open container, closing those that end.
        while True:
            if not opened:
                end = _skip_space(text, position)
                if end != len(text):
                    raise json.JSONDecodeError("Extra data", text, end)
                return value
            items, key = opened[-1], keys[-1]
            items.append(value if key is None else (key, value))
            position = _skip_space(text, position)
            char = text[position : position + 1]
            if char == ",":
                position = _skip_space(text, position + 1)
                if key is not None:
                    keys[-1], position = _key(text, position)
                break
            if char != ("]" if key is None else "}"):
                raise json.JSONDecodeError("Expecting ',' delimiter", text, position)
            position += 1
            opened.pop()
            keys.pop()
            value = items if key is None else _object_from_pairs(items)


def _skip_space(text: str, position: int) -> int:
    """The position of the first character from ``position`` on that is not JSON whitespace."""
    found = _NOT_SPACE.search(text, position)
    return len(text) if found is None else found.start()


def _key(text: str, position: int) -> tuple[str, int]:
    """An object's key at ``position`` and the position of its value."""
    if not text.startswith('"', position):
        raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, position)
    key, position = json.decoder.scanstring(text, position + 1)  # type: ignore[attr-defined]
    position = _skip_space(text, position)
    if not text.startswith(":", position):
        raise json.JSONDecodeError("Expecting ':' delimiter", text, position)
    return key, _skip_space(text, position + 1)


def _scalar(text: str, position: int) -> tuple[Any, int]:
    """The string, number, or constant at ``position`` and the position after it."""
    if text.startswith('"', position):
        value: Any
        value, end = json.decoder.scanstring(text, position + 1)  # type: ignore[attr-defined]
        return value, end
    number = _NUMBER.match(text, position)
    if number is not None:
        literal = number.group()
        exact = _exact_float(literal) if number.group(1) or number.group(2) else int_literal_key(literal)
        return exact, number.end()
    for name, constant in _CONSTANTS:
        if text.startswith(name, position):
            return constant, position + len(name)
    for name in ("NaN", "Infinity", "-Infinity"):
        if text.startswith(name, position):
            reject_constant(name)
    raise json.JSONDecodeError("Expecting value", text, position)


def parse_event(event: object) -> Mapping[str, Any] | DuplicateKeyObject:
    """The event as a JSON object; InvalidEventError if it is not JSON or not an object."""
    if isinstance(event, Mapping):
        return event
    if isinstance(event, str):
        try:
            event = event.encode()
        except UnicodeEncodeError:  # lone surrogates: JSON allows them, UTF-8 does not
            return _as_object(read_json(event))
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
        return _as_object(read_json(text))  # JSON orjson refuses: integers beyond 64 bits, deep nesting
    if type(parsed) is not dict:
        return _as_object(parsed)
    try:
        written = orjson.dumps(parsed)
    except orjson.JSONEncodeError:  # deeper than orjson writes
        return _as_object(read_json(text))
    if written == text and (b"e-3" not in text or not _TINY_EXPONENT.search(text)):
        # orjson wrote back the very text: no key repeats and every number is spelled the way
        # orjson reads it exactly, so nothing was lost.
        return parsed
    if _has_lossy_number(text) or text.count(b'":') != written.count(b'":'):
        # a number orjson reads lossily, or a repeated key (orjson keeps only the last),
        # or text spaced oddly: read exactly
        return _as_object(read_json(text))
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
