"""What each AWS service accepts in an EventBridge-language pattern, beyond the EventBridge compiler.

EventBridge rules, Lambda event source mappings and EventBridge Pipes all take event patterns, but
Lambda and Pipes accept fewer operators, and a pattern they do not accept is refused when the mapping
or the pipe is created. The compiler (:func:`~eventmatch.compile_pattern`) knows EventBridge's rules;
this module adds each service's list of accepted operators and its size limit.

Sources (AWS documentation, read in 2025):

* Lambda: "Filter rule syntax", https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
  lists null, empty and equals (exact values), equals (ignore case) ``equals-ignore-case``, and, or
  (value lists), or (multiple fields) ``$or``, not ``anything-but`` (a value or a list of values),
  numeric (equals and range), exists and does not exist, begins with ``prefix`` and ends with
  ``suffix``. Nothing else: no ``wildcard``, no ``cidr``, no ``anything-but`` with ``prefix`` /
  ``suffix`` / ``equals-ignore-case`` / ``wildcard``, no ignore-case ``prefix`` / ``suffix``.
  ``Filter.Pattern`` is at most 4,096 characters
  (https://docs.aws.amazon.com/lambda/latest/api/API_Filter.html).
* Pipes: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-event-filtering.html says
  the filtering works as EventBridge's; the "Pipe support" column of
  https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html accepts
  everything Lambda does plus ``prefix`` and ``suffix`` with ``equals-ignore-case``, and marks "No"
  for ``anything-but`` with ``prefix``, ``suffix``, ``equals-ignore-case`` or ``wildcard``, and for
  ``wildcard``. ``cidr`` is not in that table: it is refused too, as an operator the page does not
  list. ``Filter.Pattern`` is at most 4,096 characters
  (https://docs.aws.amazon.com/eventbridge/latest/pipes-reference/API_Filter.html).
* ``exactly`` is event-ruler's and undocumented everywhere (SPEC D11): EventBridge rules keep
  accepting it as the compiler does, the filters do not.

Operators are named by their *form*: ``prefix``, or ``prefix`` + ``equals-ignore-case`` for
``{"prefix": {"equals-ignore-case": ...}}``; ``$or`` is a form too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from ..jsontext import JsonObject, JsonValue
from .entries import Service

__all__ = ["GRAMMARS", "Grammar", "unsupported_operators"]

Form = tuple[str, ...]  # ("prefix",), ("anything-but", "suffix"), ("$or",)

_WITH_OPERAND_FORM: Final = frozenset({"prefix", "suffix", "anything-but"})  # may take {op: ...}
_FILTERS: Final[frozenset[Form]] = frozenset(
    {
        ("equals-ignore-case",),
        ("anything-but",),
        ("numeric",),
        ("exists",),
        ("prefix",),
        ("suffix",),
        ("$or",),
    }
)
_IGNORE_CASE_AFFIXES: Final[frozenset[Form]] = frozenset(
    {("prefix", "equals-ignore-case"), ("suffix", "equals-ignore-case")}
)


@dataclass(frozen=True, slots=True)
class Grammar:
    """One service's rules: the operator forms it accepts (None: whatever the compiler accepts), and
    the longest pattern it takes, in characters (None: a quota, see :mod:`.checks`)."""

    name: str
    operators: frozenset[Form] | None
    max_size: int | None


GRAMMARS: Final = {
    Service.EVENT_BUS: Grammar("EventBridge", None, None),
    Service.LAMBDA: Grammar("Lambda event filtering", _FILTERS, 4096),
    Service.PIPES: Grammar("EventBridge Pipes filtering", _FILTERS | _IGNORE_CASE_AFFIXES, 4096),
}


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _forms(pattern: JsonValue, where: str) -> Iterator[tuple[str, Form]]:
    """``(path, form)`` of every operator in a parsed pattern, paths as the compiler writes them."""
    if not isinstance(pattern, JsonObject):
        return
    for key, value in pattern:
        here = _join(where, key)
        if key == "$or" and isinstance(value, list):
            yield here, ("$or",)
            for index, branch in enumerate(value):
                yield from _forms(branch, f"{here}[{index}]")
        elif isinstance(value, JsonObject):
            yield from _forms(value, here)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, JsonObject) and len(item):
                    yield f"{here}[{index}]", _form(item)


def _form(expression: JsonObject) -> Form:
    operator, operand = expression[0]
    if operator in _WITH_OPERAND_FORM and isinstance(operand, JsonObject) and len(operand):
        return operator, operand[0][0]
    return (operator,)


def _render(form: Form) -> str:
    """``{"anything-but": {"prefix": ...}}``"""
    inner = "..."
    for operator in reversed(form):
        inner = f'{{"{operator}": {inner}}}'
    return inner


def unsupported_operators(pattern: JsonValue, grammar: Grammar) -> list[tuple[str, str]]:
    """``(path, reason)`` for each operator of a parsed pattern that ``grammar``'s service refuses."""
    accepted = grammar.operators
    if accepted is None:
        return []
    return [
        (path, f"{grammar.name} does not support {_render(form)}")
        for path, form in _forms(pattern, "")
        if form not in accepted
    ]
