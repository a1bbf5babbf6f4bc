"""Hypothesis strategies: random EventBridge patterns and events over a small shared
vocabulary, so that random rules and random events often meet (and often nearly miss)."""

from __future__ import annotations

import functools
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from eventmatch import InvalidFilterPolicyError, compile_filter_policy

KEYS = ["a", "b", "c", "d"]
WORDS = [
    "",
    "x",
    "xy",
    "Xy",
    "xyz",
    "yz",
    "ab",
    "aB",
    "straße",
    "STRASSE",
    "k",
    "K",
    "10.0.0.1",
    "10.0.1.7",
    "::1",
]
NUMBERS = [-5, -0.5, 0, 1, 2, 2.5, 5, 10, 100, 1e20]

words = st.sampled_from(WORDS)
numbers = st.sampled_from(NUMBERS)
scalars = st.one_of(words, numbers, st.sampled_from([True, False, None]))
wildcards = st.sampled_from(["*", "x*", "*z", "x*z", "*y*", "a*B", "\\\\*", ""])
cidrs = st.sampled_from(["10.0.0.0/24", "10.0.0.0/8", "0.0.0.0/0", "::/0", "::/64"])


def _numeric() -> st.SearchStrategy[dict[str, Any]]:
    single = st.tuples(st.sampled_from(["=", "<", "<=", ">", ">="]), numbers).map(list)
    ranged = st.tuples(st.sampled_from([">", ">="]), numbers, st.sampled_from(["<", "<="]), numbers).filter(
        lambda r: r[1] < r[3]
    )
    return st.one_of(single, ranged.map(list)).map(lambda operands: {"numeric": operands})


def _anything_but() -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        words.map(lambda w: {"anything-but": w}),
        numbers.map(lambda n: {"anything-but": n}),
        st.lists(words, min_size=1, max_size=3).map(lambda ws: {"anything-but": ws}),
        st.lists(numbers, min_size=1, max_size=3).map(lambda ns: {"anything-but": ns}),
        st.lists(words.filter(bool), min_size=1, max_size=2).map(lambda ws: {"anything-but": {"prefix": ws}}),
        words.filter(bool).map(lambda w: {"anything-but": {"suffix": w}}),
        words.map(lambda w: {"anything-but": {"equals-ignore-case": w}}),
        wildcards.map(lambda w: {"anything-but": {"wildcard": w}}),
    )


matchers = st.one_of(
    scalars,
    words.map(lambda w: {"prefix": w}),
    words.map(lambda w: {"suffix": w}),
    words.map(lambda w: {"equals-ignore-case": w}),
    words.map(lambda w: {"prefix": {"equals-ignore-case": w}}),
    words.map(lambda w: {"suffix": {"equals-ignore-case": w}}),
    words.map(lambda w: {"exactly": w}),
    wildcards.map(lambda w: {"wildcard": w}),
    _numeric(),
    _anything_but(),
    st.booleans().map(lambda b: {"exists": b}),
    cidrs.map(lambda c: {"cidr": c}),
)

value_lists = st.lists(matchers, min_size=1, max_size=3)


# Built once per depth: a strategy made afresh at every draw costs hypothesis a new analysis of it
# each time (about half the time of the tests drawing patterns, once its strategy cache had filled).
@functools.cache
def _fields(depth: int) -> st.SearchStrategy[dict[str, Any]]:
    inner: st.SearchStrategy[Any] = value_lists if depth == 0 else st.one_of(value_lists, _fields(depth - 1))
    return st.dictionaries(st.sampled_from([*KEYS, "a.b"]), inner, min_size=1, max_size=3)


_OR_BRANCHES = st.lists(_fields(1), min_size=2, max_size=3)


@st.composite
def patterns(draw: st.DrawFn) -> dict[str, Any]:
    """A valid EventBridge pattern, sometimes with a (nested) ``$or``."""
    pattern = draw(_fields(2))
    if draw(st.integers(0, 3)) == 0:
        pattern["$or"] = draw(_OR_BRANCHES)
    return pattern


def _event_values(depth: int) -> st.SearchStrategy[Any]:
    if depth == 0:
        return st.one_of(scalars, st.lists(scalars, max_size=3))
    objects = st.dictionaries(st.sampled_from(KEYS), _event_values(depth - 1), max_size=3)
    return st.one_of(
        scalars, st.lists(scalars, max_size=3), objects, st.lists(objects, min_size=1, max_size=3)
    )


events = st.dictionaries(st.sampled_from([*KEYS, "a.b"]), _event_values(2), max_size=4)


def _satisfying(draw: st.DrawFn, matcher: Any) -> Any:
    """A leaf value that ``matcher`` likely accepts (or a near miss, to keep things honest)."""
    if not isinstance(matcher, dict):
        return matcher
    (operator, operand), *_ = matcher.items()
    if operator in ("prefix", "suffix") and isinstance(operand, dict):
        operand = operand["equals-ignore-case"].upper()
    if operator == "prefix":
        return operand + draw(words)
    if operator == "suffix":
        return draw(words) + operand
    if operator in ("equals-ignore-case", "exactly"):
        return draw(st.sampled_from([operand, operand.upper(), operand.lower()]))
    if operator == "wildcard":
        return operand.replace("\\\\", "\\").replace("*", draw(st.sampled_from(["", "q", "*"])))
    if operator == "numeric":
        low = operand[1] if operand[0] != "<" and operand[0] != "<=" else operand[1] - 1
        return draw(st.sampled_from([low, low + 0.5, operand[-1], float(operand[-1])]))
    if operator == "cidr":
        return draw(st.sampled_from(["10.0.0.5", "10.0.0.255", "10.1.0.0", "::5", "1.2.3.4", "::ffff:a00:1"]))
    return draw(scalars)  # anything-but and exists: most values do


@st.composite
def events_for(draw: st.DrawFn, pattern: dict[str, Any]) -> dict[str, Any]:
    """An event built to meet ``pattern`` (one ``$or`` branch), with arrays and noise mixed in."""
    event: dict[str, Any] = {}

    def fill(target: dict[str, Any], fields: dict[str, Any]) -> None:
        for key, value in fields.items():
            if key == "$or":
                fill(target, draw(st.sampled_from(value)))
            elif isinstance(value, dict):
                child = target.setdefault(key, {})
                if isinstance(child, dict):
                    fill(child, value)
            elif draw(st.integers(0, 9)) > 0:  # sometimes leave the field out
                target[key] = _satisfying(draw, draw(st.sampled_from(value)))

    fill(event, pattern)
    for key in list(event):
        shape = draw(st.integers(0, 5))
        if shape == 0:
            event[key] = [event[key], draw(_event_values(1))]  # another element beside it
        elif shape == 1:
            event[key] = [draw(_event_values(1)), event[key]]
    if draw(st.booleans()):
        event[draw(st.sampled_from(KEYS))] = draw(_event_values(1))  # noise, maybe over a real field
    return event


# -- SNS -------------------------------------------------------------------------------------------

_sns_matchers = st.one_of(
    scalars,
    words.map(lambda w: {"prefix": w}),
    words.map(lambda w: {"suffix": w}),
    words.map(lambda w: {"equals-ignore-case": w}),
    _numeric(),
    words.map(lambda w: {"anything-but": w}),
    st.lists(numbers, min_size=1, max_size=3).map(lambda ns: {"anything-but": ns}),
    words.filter(bool).map(lambda w: {"anything-but": {"prefix": w}}),
    st.booleans().map(lambda b: {"exists": b}),
    cidrs.map(lambda c: {"cidr": c}),
)
_sns_values = st.lists(_sns_matchers, min_size=1, max_size=2)


@st.composite
def filter_policies(draw: st.DrawFn, scope: str) -> dict[str, Any]:
    """A valid SNS filter policy for ``scope`` (few keys and values, so within SNS's limits)."""
    if scope == "MessageAttributes":
        policy: dict[str, Any] = draw(
            st.dictionaries(st.sampled_from([*KEYS, "a.b"]), _sns_values, min_size=1, max_size=3)
        )
    else:
        nested = st.dictionaries(st.sampled_from(KEYS), _sns_values, min_size=1, max_size=2)
        policy = draw(
            st.dictionaries(st.sampled_from(KEYS), st.one_of(_sns_values, nested), min_size=1, max_size=3)
        )
    if draw(st.integers(0, 4)) == 0 and len(policy) < 5:
        policy["$or"] = draw(
            st.lists(
                st.dictionaries(st.sampled_from(KEYS), _sns_values, min_size=1, max_size=1),
                min_size=2,
                max_size=2,
            )
        )
    try:
        compile_filter_policy(policy, scope)
    except InvalidFilterPolicyError:
        assume(False)  # over SNS's limits: draw another
    return policy


def _attribute(value: Any) -> dict[str, str]:
    if isinstance(value, list):
        import json

        return {"Type": "String.Array", "Value": json.dumps(value)}
    if isinstance(value, bool) or value is None:
        return {"Type": "String", "Value": str(value)}
    if isinstance(value, int | float):
        return {"DataType": "Number", "StringValue": repr(value)}
    return {"Type": "String", "Value": value}


message_attributes = st.dictionaries(
    st.sampled_from([*KEYS, "a.b"]),
    st.one_of(
        scalars.map(_attribute),
        st.lists(scalars, max_size=3).map(_attribute),
        st.just({"Type": "Binary", "Value": "eA=="}),
    ),
    max_size=4,
)
bodies = st.one_of(events, st.sampled_from(["not json", "[1, 2]", "5", ""]))
