"""Documents that remember where each value was written.

Rules files and templates are read into :class:`LocatedDict` (a ``dict`` that also records the line and
column of each member), so that a problem in a pattern can be reported at the line where the pattern
sits. JSON is read here by a small strict parser that also keeps
the character span of every value, so a pattern can be handed to the compiler as the exact text it was
written as (number spellings and repeated keys matter, SPEC 1.4). YAML is read by :mod:`.yamlload`.

That parser is pure Python, a few megabytes a second, and a rules file of 100,000 patterns is mostly text
nobody looks at: each pattern is handed on as its text. So an object member of the document is only
checked, by :mod:`json`'s C decoder, and read by the parser when something first looks into it (a
template's ``Resources``, say): :func:`load_json` takes time and memory for the document's members,
not for all of its values.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final, NamedTuple, NoReturn, SupportsIndex

from ..collector import collector_paused

__all__ = [
    "DocumentSyntaxError",
    "LocatedDict",
    "MemberInspector",
    "Position",
    "load_json",
]

#: Shown each object member of a document's own object as it is checked: the member's text and the
#: plain value :mod:`json` reads it as (repeated keys and number spellings are not kept in it).
#: A reader of many patterns measures each here, where its text has just been read anyway.
MemberInspector = Callable[[str, Any], None]


class Position(NamedTuple):  # a tuple: quick to make, for each of 100,000s of patterns
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

    __slots__ = ("_entries",)

    def __init__(self) -> None:
        super().__init__()
        self._entries: list[tuple[str, Any, Position]] = []

    @property
    def entries(self) -> list[tuple[str, Any, Position]]:
        """Every (key, value, position) in document order, a repeated key once per occurrence."""
        return self._entries

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


class _Unread(LocatedDict):
    """An object member of a JSON document, its text checked but not yet read: it is read, in place,
    when first looked into, through any method of ``dict`` (see :data:`_READING_METHODS`)."""

    __slots__ = ("_reader", "_start")

    def __init__(self, reader: _Reader, start: int) -> None:  # no super().__init__: nothing to set
        self._reader: _Reader | None = reader
        self._start = start

    def read(self) -> None:
        """Read the member's text (once), with the position of everything in it."""
        reader = self._reader
        if reader is None:
            return
        value, _ = reader.value(self._start)
        dict.update(self, value)
        self._entries = value.entries
        self._reader = None  # last: a thread reading it meanwhile reads it again, not half of it

    @property
    def entries(self) -> list[tuple[str, Any, Position]]:
        self.read()
        return self._entries

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[Any, ...]:
        """Pickled and copied as the LocatedDict it reads as."""
        self.read()
        return _located, (dict.copy(self), self._entries)


def _located(members: dict[str, Any], entries: list[tuple[str, Any, Position]]) -> LocatedDict:
    located = LocatedDict()
    dict.update(located, members)
    located._entries = entries
    return located


#: What reads or changes a dict's content: each makes an :class:`_Unread` member read itself first.
#: (C code that reads a dict's storage directly, as ``orjson.dumps`` does, would find it empty; no
#: reader of a document does that.)
_READING_METHODS: Final = (
    "__contains__", "__delitem__", "__eq__", "__getitem__", "__ior__", "__iter__", "__len__", "__ne__",
    "__or__", "__repr__", "__reversed__", "__ror__", "__setitem__", "clear", "copy", "get", "items",
    "keys", "pop", "popitem", "setdefault", "update", "values",
)  # fmt: skip


def _reading_first(method: Callable[..., Any]) -> Callable[..., Any]:
    def reading_first(self: _Unread, *args: Any, **kwargs: Any) -> Any:
        self.read()
        return method(self, *args, **kwargs)

    reading_first.__name__ = method.__name__
    return reading_first


for _name in _READING_METHODS:
    setattr(_Unread, _name, _reading_first(getattr(dict, _name)))


_WHITESPACE: Final = re.compile(r"[ \t\n\r]*")
_STRING: Final = re.compile(r'"(?:[^"\\\x00-\x1f]|\\.)*"', re.DOTALL)
_HEAD: Final = r'[ \t\n\r]*("(?:[^"\\\x00-\x1f]|\\.)*")[ \t\n\r]*:[ \t\n\r]*'
#: What follows an object's ``{`` (group 1: its ``}``; group 2: the first member's key) and what
#: follows a member; one match a member, as the hot loop of :meth:`_Reader.outline` wants.
_FIRST_MEMBER: Final = re.compile(rf"[ \t\n\r]*(?:(}})|{_HEAD})", re.DOTALL)
_NEXT_MEMBER: Final = re.compile(rf"[ \t\n\r]*(?:(}})|,{_HEAD})", re.DOTALL)
_MEMBER_TAIL: Final = re.compile(r"[ \t\n\r]*([,}])")
_NUMBER: Final = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_LITERALS: Final = {"true": True, "false": False, "null": None}
#: An object member with more brackets than this is read at once: reading it later could then
#: recurse deeper than is safe wherever it is first looked into (the depth is at most the brackets).
_MAX_UNREAD_BRACKETS: Final = 200


def _refuse_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")  # the parser then says where, as it does for any fault


#: Checks a member's text in C, as strictly as the parser does (NaN and Infinity are refused).
_CHECKER: Final = json.JSONDecoder(parse_constant=_refuse_constant)


class _Reader:
    """A strict recursive-descent JSON reader building located mappings."""

    def __init__(self, text: str, inspect: MemberInspector | None = None) -> None:
        self.text = text
        self.inspect = inspect
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
        if fraction or exponent:
            return float(literal), number.end()
        # int() of a text refuses more than 4,300 digits; through Decimal it takes any number.
        return (int(literal) if len(literal) < 4300 else int(Decimal(literal))), number.end()

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

    def outline(self, offset: int) -> tuple[LocatedDict, int]:
        """The document's own object (``offset`` is past its ``{``), read as :meth:`mapping` reads it,
        but for an object member of at most :data:`_MAX_UNREAD_BRACKETS` brackets: that is only checked,
        in C, and left :class:`_Unread`. From a member that is not well-formed on, :meth:`members`
        reads the rest, and says what is wrong."""
        text, line_starts, result = self.text, self.line_starts, LocatedDict()
        entries, check, count, inspect = result.entries, _CHECKER.raw_decode, text.count, self.inspect
        end = offset
        head = _FIRST_MEMBER.match(text, end)
        while True:
            if head is None:
                return self.members(result, self.skip(end))
            if head.group(1):
                return result, head.end()
            literal, start = head.group(2), head.end()
            key = literal[1:-1] if "\\" not in literal else self.string(head.start(2))[0]
            item: Any
            if not text.startswith("{", start):
                item, end = self.value(start)
            else:
                try:
                    plain, end = check(text, start)
                except (ValueError, RecursionError):
                    return self.members(result, head.start(2))
                if inspect is not None:
                    inspect(text[start:end], plain)
                if end - start > _MAX_UNREAD_BRACKETS and (  # shorter, it cannot have more brackets
                    count("{", start, end) + count("[", start, end) > _MAX_UNREAD_BRACKETS
                ):
                    item, end = self.value(start)
                else:
                    item = _Unread(self, start)
            line = bisect.bisect_right(line_starts, start)  # self.position, inlined: this is the hot loop
            result[key] = item
            entries.append((key, item, Position(line, start - line_starts[line - 1] + 1, (start, end))))
            head = _NEXT_MEMBER.match(text, end)
            if head is None:  # no ',' or '}' (an error), or a ',' and then a member not well-formed
                tail = _MEMBER_TAIL.match(text, end)
                if tail is None:
                    raise self.fail("Expecting ',' delimiter", self.skip(end))
                end = tail.end()

    def mapping(self, offset: int) -> tuple[LocatedDict, int]:
        result = LocatedDict()
        offset = self.skip(offset)
        if self.text.startswith("}", offset):
            return result, offset + 1
        return self.members(result, offset)

    def members(self, result: LocatedDict, offset: int) -> tuple[LocatedDict, int]:
        """Read an object's members from ``offset``, where one should start, into ``result``."""
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


def load_json(text: str, inspect: MemberInspector | None = None) -> Any:
    """Parse one JSON document strictly, objects into :class:`LocatedDict`; ``inspect`` is shown
    each object member of the document's own object (see :data:`MemberInspector`).

    Raises :class:`json.JSONDecodeError` (with line and column) for malformed JSON; text after the
    document is an ``Extra data`` error, as with :func:`json.loads`. When the document is an object,
    its object members are read when first used (see the module's docstring): their text has been
    checked, so that cannot fail.
    """
    reader = _Reader(text, inspect)
    start = reader.skip(0)
    with collector_paused():
        try:
            if text.startswith("{", start):
                value, end = reader.outline(start + 1)
            else:
                value, end = reader.value(start)
        except RecursionError:
            raise reader.fail("JSON is nested too deeply", start) from None
    end = reader.skip(end)
    if end != len(text):
        raise reader.fail("Extra data", end)
    return value
