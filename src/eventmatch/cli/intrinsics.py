"""Values resolved only at deployment: CloudFormation intrinsic functions and Serverless variables.

A template's pattern may hold ``{"Ref": ...}``, ``{"Fn::Sub": ...}``, ``{"Fn::If": ...}`` ... (the
YAML loader turns ``!Ref X`` and the other short tags into that long form), and a ``serverless.yml``
may hold ``${self:custom.x}`` variables in any string. This module finds them and turns a pattern that
holds them into what :mod:`.placeholders` can check:

* ``Fn::If [condition, a, b]`` is expanded: each combination of branches is a *variant* of the
  pattern, checked on its own (``AWS::NoValue`` as a branch drops the member or element holding it).
  At most :data:`MAX_IFS` are expanded; a pattern with more keeps them as unknown values.
* Every other intrinsic function, and every ``${...}`` of a ``Fn::Sub`` string or of a Serverless
  variable, becomes a *marker* in a string: ``Fn::Sub`` and ``Fn::Join`` become their text with a
  marker for each unknown part, anything else (``Ref``, ``Fn::GetAtt``, ``Fn::FindInMap`` ...) a
  string that is one marker. Each marker indexes an :class:`Unknown`, which says what it stands for
  and where it was written.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from ..jsontext import JsonObject
from .located import LocatedDict, Position

__all__ = [
    "MARKER",
    "MAX_IFS",
    "Labels",
    "Marked",
    "Unknown",
    "find_intrinsic",
    "if_variants",
    "is_intrinsic",
    "marker_texts",
]

MAX_IFS: Final = 4  # 16 variants at most
MARKER: Final = re.compile("\ue000([0-9]+)\ue001")  # private-use characters: never in a real pattern
_NO_VALUE: Final = "AWS::NoValue"
_NAME_CHARS: Final = re.compile(r"[^A-Za-z0-9_:.\-]")


def is_intrinsic(value: Any) -> bool:
    """Whether a parsed value is an intrinsic function: ``{"Fn::...": ...}``, or ``{"Ref": name}`` or
    ``{"Condition": name}`` (a field named ``Ref`` holds an array in a pattern, not a string)."""
    if not isinstance(value, Mapping) or len(value) != 1:
        return False
    ((key, operand),) = value.items()
    return isinstance(key, str) and (
        key.startswith("Fn::") or (key in ("Ref", "Condition") and isinstance(operand, str))
    )


def _has_variable(value: Any, variables: bool) -> bool:
    return variables and isinstance(value, str) and "${" in value


def find_intrinsic(value: Any, path: str = "", variables: bool = False) -> str | None:
    """The path (``detail.account[0]``; empty for the whole value) of the first intrinsic function, or
    with ``variables`` of the first string holding a Serverless ``${...}`` variable."""
    if is_intrinsic(value) or _has_variable(value, variables):
        return path
    if isinstance(value, Mapping):
        children: Iterator[tuple[str, Any]] = (
            (f"{path}.{key}" if path else key, item) for key, item in value.items()
        )
    elif isinstance(value, list):
        children = ((f"{path}[{index}]", item) for index, item in enumerate(value))
    else:
        return None
    return next(
        (found for where, item in children if (found := find_intrinsic(item, where, variables)) is not None),
        None,
    )


# --- Fn::If ------------------------------------------------------------------------------------------

Labels = tuple[str, ...]  # the branches taken, as shown: "IsProd", "not IsProd"
Choices = dict[str, bool]  # condition -> branch taken (True: the first)


def _is_no_value(value: Any) -> bool:
    return is_intrinsic(value) and value.get("Ref") == _NO_VALUE


def _if_operands(value: Any) -> tuple[str, Any, Any] | None:
    if not is_intrinsic(value) or "Fn::If" not in value:
        return None
    operand = value["Fn::If"]
    if not isinstance(operand, list) or len(operand) != 3:
        return None
    condition, then, otherwise = operand
    return (condition if isinstance(condition, str) else "the condition"), then, otherwise


def _count_ifs(value: Any) -> int:
    own = _if_operands(value) is not None
    if isinstance(value, Mapping):
        return own + sum(_count_ifs(item) for item in value.values())
    if isinstance(value, list):
        return sum(_count_ifs(item) for item in value)
    return 0


def _members(value: Mapping[str, Any]) -> list[tuple[str, Any, Position]]:
    if isinstance(value, LocatedDict):
        return value.entries
    return [(key, item, Position(1, 1)) for key, item in value.items()]


def _combine(parts: list[list[tuple[Choices, Any]]]) -> Iterator[tuple[Choices, list[Any]]]:
    """Every combination of the parts' variants that takes each condition's branch consistently."""
    for combination in itertools.product(*parts):
        choices: Choices = {}
        if all(
            choices.setdefault(key, taken) == taken for own, _ in combination for key, taken in own.items()
        ):
            yield choices, [item for _, item in combination]


def _variants(value: Any) -> list[tuple[Choices, Any]]:
    branches = _if_operands(value)
    if branches is not None:
        condition, then, otherwise = branches
        return [
            ({condition: taken, **choices}, item)
            for taken, branch in ((True, then), (False, otherwise))
            for choices, item in _variants(branch)
            if choices.get(condition, taken) == taken
        ]
    if isinstance(value, Mapping) and not is_intrinsic(value):
        members = _members(value)
        result: list[tuple[Choices, Any]] = []
        for choices, items in _combine([_variants(item) for _, item, _ in members]):
            built = LocatedDict()
            for (key, _, position), item in zip(members, items, strict=True):
                if not _is_no_value(item):
                    built.add(key, item, position)
            result.append((choices, built))
        return result
    if isinstance(value, list):
        return [
            (choices, [item for item in items if not _is_no_value(item)])
            for choices, items in _combine([_variants(item) for item in value])
        ]
    return [({}, value)]


def if_variants(value: Any) -> list[tuple[Labels, Any]]:
    """Every combination of ``Fn::If`` branches in ``value`` (a condition takes one branch everywhere):
    ``(branches taken, value)``, the value without its ``Fn::If``. A variant in which the whole value
    is ``AWS::NoValue`` is left out; with more than :data:`MAX_IFS` ``Fn::If``, the value is its only
    variant."""
    if _count_ifs(value) > MAX_IFS:
        return [((), value)]
    return [
        (tuple(condition if taken else f"not {condition}" for condition, taken in choices.items()), item)
        for choices, item in _variants(value)
        if not _is_no_value(item)
    ]


# --- markers -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Unknown:
    """What a marker stands for: ``shown`` as in messages (``!Ref Threshold``), ``text`` to put in its
    place when the pattern is checked (``${Threshold}``), and where it was written."""

    shown: str
    text: str
    position: Position


@dataclass(slots=True)
class Marked:
    """A pattern turned into JSON-like values (objects are :class:`JsonObject`) whose unknown parts are
    markers; ``unknowns[i]`` is what marker ``i`` stands for."""

    variables: bool
    unknowns: list[Unknown] = field(default_factory=list)

    def marker(self, shown: str, text: str, position: Position) -> str:
        self.unknowns.append(Unknown(shown, text, position))
        return f"\ue000{len(self.unknowns) - 1}\ue001"

    def value(self, value: Any, position: Position) -> Any:
        """``value`` with its intrinsic functions and variables as markers."""
        if is_intrinsic(value):
            return self.intrinsic(value, position)
        if isinstance(value, Mapping):
            return JsonObject(
                (self.string(key, where), self.value(item, where)) for key, item, where in _members(value)
            )
        if isinstance(value, list):
            return [self.value(item, position) for item in value]
        if isinstance(value, str):
            return self.string(value, position)
        return value

    def string(self, text: str, position: Position) -> str:
        """A plain string: its Serverless variables become markers when the file has them."""
        return self.template(text, position, sub=False) if _has_variable(text, self.variables) else text

    def intrinsic(self, value: Mapping[str, Any], position: Position) -> str:
        """The string an intrinsic function gives, with a marker for each part known only at deployment."""
        ((function, operand),) = value.items()
        if isinstance(value, LocatedDict):
            position = value.position(function)
        if function == "Fn::Sub":
            text = operand[0] if isinstance(operand, list) and operand else operand
            if isinstance(text, str):
                return self.template(text, position, sub=True)
        if function == "Fn::Join" and isinstance(operand, list) and len(operand) == 2:
            delimiter, items = operand
            if isinstance(delimiter, str) and isinstance(items, list):
                return delimiter.join(self.part(item, position) for item in items)
        name = _name(function, operand)
        return self.marker(f"!{name}", f"${{{_NAME_CHARS.sub('', name.split(' ', 1)[-1])}}}", position)

    def part(self, item: Any, position: Position) -> str:
        if isinstance(item, str):
            return item
        if is_intrinsic(item):
            return self.intrinsic(item, position)
        return self.marker("a value that is not a string", "${?}", position)

    def template(self, text: str, position: Position, sub: bool) -> str:
        """``Fn::Sub`` text (``${!x}`` is a literal ``${x}``), or a string with Serverless variables
        (which may nest: ``${self:custom.${sls:stage}}``), with each ``${...}`` as a marker."""
        pieces: list[str] = []
        start = 0
        while (opening := text.find("${", start)) >= 0:
            if sub and text.startswith("${!", opening):
                pieces.append(text[start:opening] + "${")
                start = opening + 3
                continue
            end = _closing(text, opening)
            if end < 0:
                break  # an unclosed ${ is plain text
            variable = text[opening : end + 1]
            pieces += [
                text[start:opening],
                self.marker(f"!Sub {variable}" if sub else variable, variable, position),
            ]
            start = end + 1
        pieces.append(text[start:])
        return "".join(pieces)


def _closing(text: str, opening: int) -> int:
    """The index of the ``}`` closing the ``${`` at ``opening``, or -1."""
    depth = 0
    for index in range(opening + 1, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    return -1


def _name(function: str, operand: Any) -> str:
    """How an intrinsic function is shown: ``Ref Bucket``, ``GetAtt Queue.Arn``, ``FindInMap``."""
    short = function.removeprefix("Fn::")
    if isinstance(operand, str):
        return f"{short} {operand}"
    if function == "Fn::GetAtt" and isinstance(operand, list) and all(isinstance(x, str) for x in operand):
        return f"{short} {'.'.join(operand)}"
    return short


def marker_texts(text: str, unknowns: list[Unknown]) -> str:
    """``text`` with each marker replaced by the text of what it stands for."""
    return MARKER.sub(lambda match: unknowns[int(match.group(1))].text, text)
