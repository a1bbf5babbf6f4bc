"""Checking a pattern around the values it gets only at deployment.

A pattern holding intrinsic functions or Serverless variables (see :mod:`.intrinsics`) is checked
variant by variant (one per combination of ``Fn::If`` branches), with each unknown value replaced by a
placeholder string, its ``${...}`` text (``!Ref Bucket`` becomes ``${Bucket}``). Only what truly
depends on an unknown value is *skipped*: replaced by something neutral, reported as not checked, and
the rest checked. Case by case, an unknown value standing for:

* an element of a value list (``account: [!Ref AWS::AccountId]``): one string, checked, as any string
  is a valid value;
* a part of a string (``!Sub "arn:${AWS::Partition}:s3:::x"``): its placeholder text, checked;
* the operand of ``prefix``, ``suffix``, ``equals-ignore-case``, ``exactly`` or ``anything-but``: a
  string, checked, as any string is valid there (``anything-but`` takes a list of strings too; in a
  list of numbers the unknown value is skipped: the list must hold one type);
* a part of a ``wildcard`` operand: its placeholder, which holds no ``*``, checked; the whole
  ``wildcard`` operand: skipped, as its ``*`` decide its validity and complexity;
* anything in a ``numeric``, ``exists`` or ``cidr`` operand: skipped, they take numbers, booleans and
  IP ranges;
* a field name (a Serverless variable in a key): a plain field name, checked; an operator name:
  skipped;
* a member's whole value (``source: !Ref Sources``): skipped, a value list and an object both fit;
  an ``$or`` branch, or the whole pattern (``EventPattern: !Ref Pattern``): skipped;
* a ``${...}`` outside the JSON strings of ``Fn::Sub`` pattern text (``"n": [${Min}]``): the whole
  pattern is skipped, as its JSON type is unknown.

A skipped match expression is replaced by its placeholder string, a skipped member value by a list of
it, a skipped ``$or`` branch by an object with it. Sizes count each unknown value as its placeholder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from json.encoder import encode_basestring as _encode_string
from typing import Any, Final

from ..errors import InvalidPatternError
from ..jsontext import JsonNumber, JsonObject, parse_pattern_text
from .intrinsics import MARKER, Labels, Marked, Unknown, if_variants, is_intrinsic, marker_texts
from .located import Position

__all__ = ["Skipped", "Variant", "compact_json", "pattern_variants"]

_TEXT_FUNCTIONS: Final = ("Fn::Sub", "Fn::Join")  # they give a string: the pattern's JSON text
_ANY_STRING: Final = frozenset({"prefix", "suffix", "equals-ignore-case", "exactly"})
_TYPED: Final = {
    "numeric": "numeric takes numbers",
    "exists": "exists takes true or false",
    "cidr": "cidr takes an IP address range",
}


@dataclass(frozen=True, slots=True)
class Skipped:
    """A part of a pattern left unchecked: where, the unknown value it depends on, and why."""

    path: str
    unknown: Unknown
    why: str

    @property
    def message(self) -> str:
        return f"not checked: {self.unknown.shown} is resolved only at deployment, and {self.why}"


@dataclass(frozen=True, slots=True)
class Variant:
    """One way the pattern may be deployed: the branches taken, the JSON text to check (None when the
    whole pattern is skipped), the characters AWS receives, and what was skipped."""

    labels: Labels
    body: str | None
    size: int
    skipped: tuple[Skipped, ...]


def compact_json(value: Any) -> str:
    """JSON text without spaces, as CloudFormation sends an object pattern; JsonObject keeps its pairs
    (repeats too) and JsonNumber its literal."""
    if isinstance(value, str):  # the commonest leaf, by the C encoder json.dumps would use
        return _encode_string(value)
    if isinstance(value, JsonObject):
        return "{" + ",".join(f"{_encode_string(key)}:{compact_json(item)}" for key, item in value) + "}"
    if isinstance(value, list):
        return "[" + ",".join(compact_json(item) for item in value) + "]"
    if isinstance(value, JsonNumber):
        return value.text
    return json.dumps(value, ensure_ascii=False)


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


class _Resolver:
    """Replaces the markers of one variant by context, collecting what it has to skip."""

    def __init__(self, unknowns: list[Unknown]) -> None:
        self.unknowns = unknowns
        self.skipped: list[Skipped] = []

    def first(self, value: Any) -> Unknown | None:
        """The first unknown value marked anywhere in ``value``."""
        found = MARKER.search(compact_json(value))
        return self.unknowns[int(found.group(1))] if found else None

    def whole(self, value: Any) -> Unknown | None:
        """The unknown value that ``value`` is, if it is one (not merely a part of a string)."""
        found = MARKER.fullmatch(value) if isinstance(value, str) else None
        return self.unknowns[int(found.group(1))] if found else None

    def skip(self, path: str, unknown: Unknown, why: str) -> str:
        self.skipped.append(Skipped(path, unknown, why))
        return unknown.text

    def plain(self, value: Any) -> Any:
        """``value`` with every marker replaced by its placeholder text."""
        if isinstance(value, JsonObject):
            return JsonObject((self.plain(key), self.plain(item)) for key, item in value)
        if isinstance(value, list):
            return [self.plain(item) for item in value]
        if isinstance(value, str):
            return marker_texts(value, self.unknowns)
        return value

    def pattern(self, pattern: JsonObject, where: str) -> JsonObject:
        pairs: list[tuple[str, Any]] = []
        for key, value in pattern:
            name = marker_texts(key, self.unknowns)  # an unknown field name is checked as a plain one
            here = _join(where, name)
            if key == "$or" and isinstance(value, list):
                value = [self.branch(item, f"{here}[{index}]") for index, item in enumerate(value)]
            elif isinstance(value, JsonObject):
                value = self.pattern(value, here)
            elif isinstance(value, list):
                value = [self.value(item, f"{here}[{index}]") for index, item in enumerate(value)]
            elif (unknown := self.whole(value)) is not None:
                value = [self.skip(here, unknown, "it stands for a value list or an object")]
            else:
                value = self.plain(value)
            pairs.append((name, value))
        return JsonObject(pairs)

    def branch(self, branch: Any, where: str) -> Any:
        unknown = self.whole(branch)
        if unknown is not None:
            text = self.skip(where, unknown, "it stands for an $or branch")
            return JsonObject([(text, [text])])
        return self.pattern(branch, where) if isinstance(branch, JsonObject) else self.plain(branch)

    def value(self, value: Any, where: str) -> Any:
        """An element of a value list: an unknown one is one string."""
        if isinstance(value, JsonObject) and len(value):
            return self.expression(value, where)
        return self.plain(value)

    def expression(self, expression: JsonObject, where: str) -> Any:
        operator, operand = expression[0]
        unknown = self.first(operator)
        if unknown is not None:
            return self.skip(where, unknown, "it names the operator")
        here = f"{where}.{operator}"
        why = self.why_skipped(operator, operand)
        unknown = self.first(operand) if why else None
        if why and unknown is not None:
            return self.skip(here, unknown, why)
        return self.plain(expression)

    def why_skipped(self, operator: str, operand: Any) -> str | None:
        """Why an operand holding an unknown value cannot be checked (None: it can be)."""
        if operator in _ANY_STRING:
            return None
        if operator in _TYPED:
            return _TYPED[operator]
        if operator == "wildcard":
            return self.wildcard(operand)
        if operator == "anything-but":
            if isinstance(operand, list) and any(not isinstance(item, str) for item in operand):
                return "anything-but takes values of one type"
            if isinstance(operand, JsonObject) and len(operand) and operand[0][0] == "wildcard":
                return self.wildcard(operand[0][1])
        return None

    def wildcard(self, operand: Any) -> str | None:
        if self.whole(operand) is not None:
            return "it is a whole wildcard operand, whose * are unknown"
        return None


def _outside_strings(text: str, unknowns: list[Unknown]) -> Unknown | None:
    """What the first marker outside the JSON strings of ``text`` stands for, or None."""
    inside = escaped = False
    for index, char in enumerate(text):
        if inside:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                inside = False
        elif char == '"':
            inside = True
        elif char == "\ue000":
            found = MARKER.match(text, index)
            return unknowns[int(found.group(1))] if found else None
    return None


def _from_text(labels: Labels, text: str, marked: Marked) -> Variant:
    """A variant whose pattern is JSON text, markers in it."""
    written = marker_texts(text, marked.unknowns)
    if not marked.unknowns:
        return Variant(labels, text, len(text), ())
    outside = _outside_strings(text, marked.unknowns)
    if outside is not None:
        why = "it stands outside a JSON string of the pattern text"
        return Variant(labels, None, len(written), (Skipped("", outside, why),))
    try:
        parsed = parse_pattern_text(text)
    except InvalidPatternError:
        return Variant(labels, written, len(written), ())  # the compiler reports the syntax error
    variant = _from_value(labels, parsed, marked)
    return Variant(labels, variant.body, len(written), variant.skipped)


def _from_value(labels: Labels, value: Any, marked: Marked) -> Variant:
    """A variant whose pattern is a (marked) object."""
    resolver = _Resolver(marked.unknowns)
    resolved = resolver.pattern(value, "") if isinstance(value, JsonObject) else resolver.plain(value)
    body = compact_json(resolved)
    return Variant(labels, body, len(body), tuple(resolver.skipped))


def _variant(labels: Labels, value: Any, variables: bool, position: Position) -> Variant:
    marked = Marked(variables)
    if isinstance(value, str):
        return _from_text(labels, marked.string(value, position), marked)
    if is_intrinsic(value):
        ((function, operand),) = value.items()
        if function in _TEXT_FUNCTIONS:
            return _from_text(labels, marked.intrinsic(value, position), marked)
        if function == "Fn::ToJsonString":  # the LanguageExtensions transform writes the object as JSON
            return _from_value(labels, marked.value(operand, position), marked)
        marked.intrinsic(value, position)  # one marker: the function is none of those giving text
        skipped = Skipped("", marked.unknowns[-1], "it stands for the whole pattern")
        return Variant(labels, None, 0, (skipped,))
    return _from_value(labels, marked.value(value, position), marked)


def pattern_variants(value: Any, variables: bool, position: Position) -> list[Variant]:
    """The variants of a pattern holding values resolved at deployment, each ready to check.

    ``value`` is the pattern as parsed (a JSON string or an object), ``variables`` whether its strings
    may hold Serverless variables, ``position`` where it was written (for unknown values whose own
    place is not known).
    """
    return [_variant(labels, item, variables, position) for labels, item in if_variants(value)]
