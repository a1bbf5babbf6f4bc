"""Why an event does or does not match a pattern.

:func:`explain` walks the pattern's IR with the reference interpreter's primitives (``passes`` and
``consistent``) and records, for every alternative (one per ``$or`` combination) and every condition,
the event's values at the condition's path, whether the condition holds and why. Its ``matched`` is
always :meth:`Pattern.matches <eventmatch.Pattern.matches>`'s answer.

A condition can fail on its own (no value passes a test, no value at all, or a value where
``exists: false`` wants none) or only together with the others: array consistency (SPEC 1.3) asks the
values of one match to sit in the same element of every array they share, and the first condition that
cannot be met together with the ones before it is blamed for that.

>>> from eventmatch.explain import explain
>>> result = explain({"source": ["aws.ec2"], "detail": {"state": ["running"]}},
...                  {"source": "aws.ec2", "detail": {"state": "stopped"}})
>>> result.matched
False
>>> result.alternatives[0].conditions[0].path
'detail.state'
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .events import Leaf, parse_event
from .flatten import PathSet, flatten
from .ir import (
    Alternative,
    AnythingBut,
    Cidr,
    Condition,
    Constant,
    EqualsIgnoreCase,
    Exact,
    Exists,
    Key,
    Numeric,
    Prefix,
    PrefixIgnoreCase,
    Suffix,
    SuffixIgnoreCase,
    Test,
    Wildcard,
)
from .number_model import NumberLiteral
from .pattern import Pattern, compile_pattern
from .reference import Choice, passes, witness

__all__ = ["AlternativeExplanation", "ConditionExplanation", "Explanation", "describe_test", "explain"]


@dataclass(frozen=True, slots=True)
class ConditionExplanation:
    """One condition of one alternative, judged against the event.

    ``tests`` and ``values`` are human-readable (``prefix "us-"``, ``"us-east-1"``); ``values`` are the
    event's leaves at ``path``; ``chosen`` is the value that met the condition (None when it failed, or
    was met because nothing is there); ``note`` says why it passed or failed.
    """

    path: str
    tests: tuple[str, ...]
    values: tuple[str, ...]
    passed: bool
    chosen: str | None
    note: str


@dataclass(frozen=True, slots=True)
class AlternativeExplanation:
    """One alternative (a ``$or`` combination, or the whole pattern): failing conditions first."""

    index: int
    matched: bool
    conditions: tuple[ConditionExplanation, ...]

    @property
    def failures(self) -> int:
        """How many of its conditions fail."""
        return sum(not condition.passed for condition in self.conditions)


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why an event does (``matched``) or does not match a pattern.

    ``alternatives`` are in the pattern's order; ``decided_by`` is the index of the first alternative
    that matches (None when none does). ``str()`` gives a readable report.
    """

    matched: bool
    alternatives: tuple[AlternativeExplanation, ...]
    decided_by: int | None

    def __str__(self) -> str:
        return "\n".join(_report(self))


# -- describing tests and values --------------------------------------------------------------------------


# Lone surrogates: JSON strings may hold them, UTF-8 output cannot.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escaped(text: str) -> str:
    """``text`` with its lone surrogates written as JSON writes them (``\\ud800``), so that a
    report can be printed."""
    return _SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _json_string(text: str) -> str:
    return _escaped(json.dumps(text, ensure_ascii=False))


def _number(value: int | float) -> str:
    if isinstance(value, int) or (value.is_integer() and abs(value) < 1e16):
        return str(int(value))
    return repr(value)


def _describe_value(key: Key) -> str:
    """A leaf as JSON text: ``"text"``, ``5``, ``true``, ``null``."""
    if isinstance(key, str):
        return _json_string(key)
    if isinstance(key, Constant):
        return key.value
    if isinstance(key, NumberLiteral):
        return key.text
    return _number(key)


def _describe_numeric(test: Numeric) -> str:
    if test.low == test.high:
        return f"numeric = {_number(test.low)}"
    bounds = []
    if test.low != float("-inf"):
        bounds.append(f"{'>' if test.low_open else '>='} {_number(test.low)}")
    if test.high != float("inf"):
        bounds.append(f"{'<' if test.high_open else '<='} {_number(test.high)}")
    return "numeric " + ", ".join(bounds)


def _describe_cidr(test: Cidr) -> str:
    family, low, high = test.block
    prefix_length = (32 if family == 4 else 128) - (high - low).bit_length()
    network = (ipaddress.IPv4Network if family == 4 else ipaddress.IPv6Network)((low, prefix_length))
    if low == high:
        return f"{json.dumps(str(network.network_address))} (an IP address)"
    return f"cidr {json.dumps(str(network))}"


def describe_test(test: Test) -> str:
    """A test as a reader would write it: ``prefix "us-"``, ``numeric > 0, <= 5``, ``exists false``."""
    match test:
        case Exact(key):
            return _describe_value(key)
        case Prefix(text) | Suffix(text) | EqualsIgnoreCase(text) | Wildcard(text):
            return f"{_NAMES[type(test)]} {_json_string(text)}"
        case PrefixIgnoreCase(text) | SuffixIgnoreCase(text):
            return f"{_NAMES[type(test)]} equals-ignore-case {_json_string(text)}"
        case AnythingBut(excluded):
            shown = [describe_test(item) for item in excluded]
            return "anything-but " + (shown[0] if len(shown) == 1 else "[" + ", ".join(shown) + "]")
        case Numeric():
            return _describe_numeric(test)
        case Cidr():
            return _describe_cidr(test)
        case Exists(present):
            return f"exists {'true' if present else 'false'}"
    raise AssertionError(f"unknown test {test!r}")


_NAMES: dict[type, str] = {
    Prefix: "prefix",
    Suffix: "suffix",
    EqualsIgnoreCase: "equals-ignore-case",
    Wildcard: "wildcard",
    PrefixIgnoreCase: "prefix",
    SuffixIgnoreCase: "suffix",
}


# -- judging ----------------------------------------------------------------------------------------------


def _passing_note(condition: Condition, choice: Choice, found: Sequence[Leaf]) -> tuple[str | None, str]:
    if choice is None:
        if found:
            return (
                None,
                "no value in the array element the other conditions' values are in, as exists false asks",
            )
        return None, "no value here, as exists false asks"
    key = choice[0]
    test = next(test for test in condition.positive_tests if passes(test, key))
    return _describe_value(key), f"{_describe_value(key)} passes {describe_test(test)}"


def _failing_note(condition: Condition, found: Sequence[Leaf]) -> str:
    if not found:
        return "no value here"
    if condition.allows_absence and not condition.positive_tests:
        return "exists false, but there is a value here"
    return "no value here passes a test"


def _condition(
    condition: Condition, found: Sequence[Leaf], passed: bool, chosen: str | None, note: str
) -> ConditionExplanation:
    tests = tuple(describe_test(test) for test in condition.tests)
    values = tuple(_describe_value(key) for key, _ in found)
    return ConditionExplanation(condition.path, tests, values, passed, chosen, note)


def _explain_alternative(
    index: int, alternative: Alternative, leaves: Mapping[str, list[Leaf]]
) -> AlternativeExplanation:
    def found(condition: Condition) -> list[Leaf]:
        return leaves.get(condition.path, [])

    chosen_leaves = witness(alternative, leaves)
    if chosen_leaves is not None:
        conditions = []
        for condition, choice in zip(alternative, chosen_leaves, strict=True):
            chosen, note = _passing_note(condition, choice, found(condition))
            conditions.append(_condition(condition, found(condition), True, chosen, note))
        return AlternativeExplanation(index, True, tuple(conditions))
    solo = [witness((condition,), leaves) for condition in alternative]
    blamed = -1
    if all(choices is not None for choices in solo):
        # Each holds on its own: blame the first that cannot hold together with those before it.
        blamed = (
            next(n for n in range(1, len(alternative) + 1) if witness(alternative[:n], leaves) is None) - 1
        )
    failing, passing = [], []
    for position, (condition, choices) in enumerate(zip(alternative, solo, strict=True)):
        values = found(condition)
        if position == blamed:
            others = ", ".join(other.path for other in alternative[:position])
            note = f"holds on its own, but not in the same array element as the values of {others}"
            failing.append(_condition(condition, values, False, None, note))
        elif choices is not None:
            chosen, note = _passing_note(condition, choices[0], values)
            passing.append(_condition(condition, values, True, chosen, note))
        else:
            failing.append(_condition(condition, values, False, None, _failing_note(condition, values)))
    return AlternativeExplanation(index, False, tuple(failing + passing))


def explain(pattern: object, event: object) -> Explanation:
    """Explain whether ``event`` matches ``pattern``.

    ``pattern`` is a :class:`~eventmatch.Pattern` or anything :func:`~eventmatch.compile_pattern` takes
    (InvalidPatternError when it is invalid); ``event`` is a dict or JSON text (InvalidEventError when it
    is not a JSON object).
    """
    compiled = pattern if isinstance(pattern, Pattern) else compile_pattern(pattern)
    rule = compiled.rule
    leaves = flatten(parse_event(event), PathSet(c.path for alternative in rule for c in alternative))
    alternatives = tuple(_explain_alternative(index, alt, leaves) for index, alt in enumerate(rule))
    decided_by = next((alt.index for alt in alternatives if alt.matched), None)
    return Explanation(decided_by is not None, alternatives, decided_by)


# -- the text report --------------------------------------------------------------------------------------


def _report(explanation: Explanation) -> list[str]:
    alternatives = explanation.alternatives
    several = len(alternatives) > 1
    if explanation.matched:
        decided = alternatives[explanation.decided_by or 0]
        head = (
            f"match: $or alternative {decided.index + 1} of {len(alternatives)} matches"
            if several
            else "match"
        )
        shown: Sequence[AlternativeExplanation] = [decided]
    else:
        head = (
            f"no match: none of the {len(alternatives)} $or alternatives matches" if several else "no match"
        )
        shown = sorted(alternatives, key=lambda alt: alt.failures)  # the nearest miss first
    lines = [head]
    for alternative in shown:
        if several:
            lines.append(f"alternative {alternative.index + 1}:")
        for condition in alternative.conditions:
            values = ", ".join(condition.values) or "(none)"
            lines.append(f"  {'pass' if condition.passed else 'FAIL'}  {_escaped(condition.path)}")
            lines.append(f"        tests:  {' | '.join(condition.tests)}")
            lines.append(f"        values: {values}")
            lines.append(f"        {condition.note}")
    return lines
