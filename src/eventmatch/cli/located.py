"""Documents that remember where each value was written.

Rules files and templates are read into :class:`LocatedDict` (a ``dict`` that also records the line and
column of each member), so that a problem in a pattern can be reported at the line where the pattern
sits. JSON is read here by a small strict parser that also keeps
the character span of every value, so a pattern can be handed to the compiler as the exact text it was
written as (number spellings and repeated keys matter, SPEC 1.4). YAML is read by :mod:`.yamlload`.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from typing import Any, Final

__all__ = ["DocumentSyntaxError", "LocatedDict", "Position", "load_json"]


@dataclass(frozen=True, slots=True)
class Position:
    """Where a value was written: 1-based line and column, and its character span in JSON text."""

    line: int
    column: int
    span: tuple[int, int] | None = None


class DocumentSyntaxError(ValueError):
    """A malformed YAML document: ``message`` at 1-based ``line`` and ``column``."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class LocatedDict(dict[str, Any]):
    """A mapping that knows the position of each member; ``entries`` keeps repeated keys too."""

    __slots__ = ("entries",)

    def __init__(self) -> None:
        super().__init__()
        #: Every (key, value, position) in document order, a repeated key once per occurrence.
        self.entries: list[tuple[str, Any, Position]] = []

    def add(self, key: str, value: Any, position: Position) -> None:
        """Set ``key`` (a later occurrence wins, as in JSON) and remember where it was written."""
        self[key] = value
        self.entries.append((key, value, position))

    def position(self, key: str) -> Position:
        """Where the value of ``key`` (its last occurrence) was written."""
        for name, _, where in self.entries[::-1]:
            if name == key:
                return where
        raise KeyError(key)


_WHITESPACE: Final = re.compile(r"[ \t\n\r]*")
_STRING: Final = re.compile(r'"(?:[^"\\\x00-\x1f]|\\.)*"', re.DOTALL)
_NUMBER: Final = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_LITERALS: Final = {"true": True, "false": False, "null": None}


class _Reader:
    """A strict recursive-descent JSON reader building located mappings."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0, *(match.end() for match in re.finditer("\n", text))]

    def fail(self, message: str, offset: int) -> json.JSONDecodeError:
        return json.JSONDecodeError(message, self.text, offset)

    def skip(self, offset: int) -> int:
        match = _WHITESPACE.match(self.text, offset)
        return match.end() if match else offset

    def position(self, start: int, end: int) -> Position:
        line = bisect.bisect_right(self.line_starts, start)
        return Position(line, start - self.line_starts[line - 1] + 1, (start, end))

    def value(self, offset: int) -> tuple[Any, int]:
        text = self.text
        char = text[offset : offset + 1]
        if char == "{":
            return self.mapping(offset + 1)
        if char == "[":
            return self.sequence(offset + 1)
        if char == '"':
            return self.string(offset)
        for word, constant in _LITERALS.items():
            if text.startswith(word, offset):
                return constant, offset + len(word)
        number = _NUMBER.match(text, offset)
        if number is None:
            raise self.fail("Expecting value", offset)
        fraction, exponent = number.groups()
        literal = number.group()
        return (float(literal) if fraction or exponent else int(literal)), number.end()

    def string(self, offset: int) -> tuple[str, int]:
        match = _STRING.match(self.text, offset)
        if match is None:
            raise self.fail("Unterminated string or invalid character in string", offset)
        literal = match.group()
        if "\\" not in literal:
            return literal[1:-1], match.end()
        try:
            decoded: str = json.loads(literal)
        except json.JSONDecodeError as exc:
            raise self.fail(exc.msg, offset + exc.pos) from None
        return decoded, match.end()

    def mapping(self, offset: int) -> tuple[LocatedDict, int]:
        result = LocatedDict()
        offset = self.skip(offset)
        if self.text.startswith("}", offset):
            return result, offset + 1
        while True:
            if not self.text.startswith('"', offset):
                raise self.fail("Expecting property name enclosed in double quotes", offset)
            key, offset = self.string(offset)
            offset = self.skip(offset)
            if not self.text.startswith(":", offset):
                raise self.fail("Expecting ':' delimiter", offset)
            start = self.skip(offset + 1)
            item, offset = self.value(start)
            result.add(key, item, self.position(start, offset))
            offset = self.skip(offset)
            if self.text.startswith("}", offset):
                return result, offset + 1
            if not self.text.startswith(",", offset):
                raise self.fail("Expecting ',' delimiter", offset)
            offset = self.skip(offset + 1)

    def sequence(self, offset: int) -> tuple[list[Any], int]:
        result: list[Any] = []
        offset = self.skip(offset)
        if self.text.startswith("]", offset):
            return result, offset + 1
        while True:
            item, offset = self.value(offset)
            result.append(item)
            offset = self.skip(offset)
            if self.text.startswith("]", offset):
                return result, offset + 1
            if not self.text.startswith(",", offset):
                raise self.fail("Expecting ',' delimiter", offset)
            offset = self.skip(offset + 1)


def load_json(text: str) -> Any:
    """Parse one JSON document strictly, objects into :class:`LocatedDict`.

    Raises :class:`json.JSONDecodeError` (with line and column) for malformed JSON; text after the
    document is an ``Extra data`` error, as with :func:`json.loads`.
    """
    reader = _Reader(text)
    start = reader.skip(0)
    try:
        value, end = reader.value(start)
    except RecursionError:
        raise reader.fail("JSON is nested too deeply", start) from None
    end = reader.skip(end)
    if end != len(text):
        raise reader.fail("Extra data", end)
    return value
