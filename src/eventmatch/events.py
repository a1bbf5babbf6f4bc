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
from .number_model import NumberLiteral, int_key, number_key

__all__ = ["DuplicateKeyObject", "Leaf", "Trail", "leaf_key", "parse_event"]

# A leaf's place among the arrays above it: (array id, element index) from the root down.
Trail: TypeAlias = tuple[tuple[int, int], ...]
Leaf: TypeAlias = tuple[Key, Trail]


class DuplicateKeyObject(list[tuple[str, Any]]):
    """A JSON object that repeats a key, kept as its (key, value) pairs."""


# Texts orjson might read lossily: 16+ digit runs (precision), 3-digit exponents (range).
_SUSPECT_BYTES: Final = re.compile(rb"[0-9.]{16}|[eE][+-]?[0-9]{3}")
_SUSPECT_STR: Final = re.compile(r"[0-9.]{16}|[eE][+-]?[0-9]{3}")
_KEY_END_BYTES: Final = re.compile(rb'"\s*:')
_KEY_END_STR: Final = re.compile(r'"\s*:')


def _exact_float(text: str) -> float | NumberLiteral:
    return number_key(text)


def _exact_int(text: str) -> int | float | NumberLiteral:
    return int_key(int(text))


def _object_from_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any] | DuplicateKeyObject:
    obj = dict(pairs)
    return obj if len(obj) == len(pairs) else DuplicateKeyObject(pairs)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _exact_parse(text: str | bytes) -> Any:
    try:
        return json.loads(
            text,
            parse_float=_exact_float,
            parse_int=_exact_int,
            parse_constant=_reject_constant,
            object_pairs_hook=_object_from_pairs,
        )
    except json.JSONDecodeError as exc:
        raise InvalidEventError(
            f"event is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise InvalidEventError(f"event is not valid JSON: {exc}") from None


def _has_repeated_keys(text: str | bytes, parsed: Any) -> bool:
    """Whether the text names more keys than orjson kept (it keeps the last of a repeat)."""
    written = len(_KEY_END_BYTES.findall(text) if isinstance(text, bytes) else _KEY_END_STR.findall(text))
    return written != orjson.dumps(parsed).count(b'":')


def parse_event(event: object) -> Mapping[str, Any] | DuplicateKeyObject:
    """The event as a JSON object; InvalidEventError if it is not JSON or not an object."""
    if isinstance(event, Mapping):
        return event
    if isinstance(event, bytearray | memoryview):
        event = bytes(event)
    if isinstance(event, bytes):
        suspect = _SUSPECT_BYTES.search(event) is not None
    elif isinstance(event, str):
        suspect = _SUSPECT_STR.search(event) is not None
    else:
        raise InvalidEventError(f"an event is a dict or JSON text, not {type(event).__name__}")
    if suspect:
        parsed = _exact_parse(event)
    else:
        try:
            parsed = orjson.loads(event)
        except orjson.JSONDecodeError:
            parsed = _exact_parse(event)  # JSON orjson refuses: big integers, lone surrogates
        else:
            if isinstance(parsed, dict) and _has_repeated_keys(event, parsed):
                parsed = _exact_parse(event)
    if not isinstance(parsed, dict | DuplicateKeyObject):
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
    if isinstance(value, NumberLiteral):
        return value
    return None
