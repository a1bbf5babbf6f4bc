"""Turning chosen leaves into an event, and events into JSON text that reads back the same.

An *assignment* gives each path the one leaf chosen for it; paths left out have no leaf. The event
nests its keys where it can (``{"detail": {"state": "stopped"}}``), and writes a path as one dotted key
(``{"a": 1, "a.b": 2}``), which AWS reads the same way (SPEC 1.2), where nesting cannot hold it: below
a key that holds a leaf, or for a path whose last keys are empty (event-ruler reads an empty key only
where some rule has an empty step).
"""

from __future__ import annotations

import json
from typing import Any, TypeAlias

from ..ir import Constant, Key
from ..number_model import NumberLiteral, comparable_value
from .numbers import number_text

__all__ = ["Assignment", "event_of", "json_text", "json_value"]

Assignment: TypeAlias = dict[str, Key]

_CONSTANTS = {Constant.TRUE: True, Constant.FALSE: False, Constant.NULL: None}


def json_value(key: Key) -> Any:
    """A leaf key as the value an event holds: ``true`` for Constant.TRUE, ints for whole numbers. A
    number only its literal text stands for stays a :class:`~eventmatch.number_model.NumberLiteral`
    (the readers take it; :func:`json_text` writes it), unless it is an integer Python holds."""
    if isinstance(key, Constant):
        if key is Constant.OPAQUE:
            raise ValueError("an opaque value is an SNS Binary attribute, not a JSON value")
        return _CONSTANTS[key]
    if isinstance(key, NumberLiteral):
        text = key.text
        digits = text[1:] if text.startswith("-") else text
        return int(text) if digits.isdigit() and not digits.startswith("0") else key
    return key


def _steps(path: str) -> list[str]:
    """The keys to nest ``path`` under; trailing empty keys stay joined to the one before them."""
    steps = path.split(".")
    while len(steps) > 1 and steps[-1] == "":
        steps.pop()
        steps[-1] += "."
    return steps


def event_of(assignment: Assignment) -> dict[str, Any]:
    """The event holding exactly the leaves of ``assignment`` at their paths."""
    event: dict[str, Any] = {}
    # Shorter paths first: a path that must hold a leaf claims its key before deeper paths nest there.
    for path in sorted(assignment, key=lambda path: (path.count("."), path)):
        steps = _steps(path)
        node = event
        for index, step in enumerate(steps[:-1]):
            child = node.setdefault(step, {})
            if not isinstance(child, dict):  # a leaf is there: write the rest as one dotted key
                steps = [*steps[:index], ".".join(steps[index:])]
                break
            node = child
        node[steps[-1]] = json_value(assignment[path])
    return event


_RAW = "\0raw:"  # marks text to be written as it is (no JSON string can start with "\0" here)


def _rawify(value: Any, raw: list[str]) -> Any:
    if isinstance(value, dict):
        return {key: _rawify(item, raw) for key, item in value.items()}
    if isinstance(value, list):
        return [_rawify(item, raw) for item in value]
    if isinstance(value, NumberLiteral):
        raw.append(value.text)
    elif isinstance(value, float) and comparable_value(repr(value)) != value:
        raw.append(number_text(value))
    else:
        return value
    return f"{_RAW}{len(raw) - 1}"


def json_text(value: Any, indent: int | None = None) -> str:
    """JSON text for an event (or a document holding events): numbers written so that they read back
    as the same leaves, NumberLiteral by its text."""
    raw: list[str] = []
    text = json.dumps(_rawify(value, raw), indent=indent, ensure_ascii=False)
    for index, literal in enumerate(raw):
        text = text.replace(json.dumps(f"{_RAW}{index}"), literal, 1)
    return text
