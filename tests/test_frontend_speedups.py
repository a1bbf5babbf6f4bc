"""The EventBridge front end reads a plain dict pattern as it is (without turning it into
JsonObject and JsonNumber first): that must change nothing, neither the IR nor any error."""

from __future__ import annotations

import enum
import json
from collections import OrderedDict
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventmatch import InvalidPatternError, compile_pattern
from eventmatch.eventbridge import compile_tree
from eventmatch.ir import Rule
from eventmatch.pattern import read_pattern

from .strategies import patterns

Outcome = tuple[str, "Rule | str", str]


def _outcome(compile: Any, pattern: object) -> Outcome:
    try:
        return ("ok", compile(pattern), "")
    except InvalidPatternError as error:
        return (type(error).__name__, error.reason, error.path)


def _converted(pattern: object) -> Rule:
    """The reading a plain pattern must match: JSON values from ``from_python`` first."""
    return compile_tree(read_pattern(pattern))


def _compiled(pattern: object) -> Rule:
    return compile_pattern(pattern).rule


# Keys and leaves that meet the front end's every branch, faults included.
_KEYS = st.one_of(
    st.sampled_from(["a", "b", "", "$or", "prefix", "suffix", "numeric", "anything-but", "exists"]),
    st.sampled_from(["exactly", "cidr", "equals-ignore-case", "wildcard", "<"]),
)
_LEAVES = st.one_of(
    st.sampled_from(["x", "", "10.0.0.1", "::1", "10.0.0.0/8", "<", ">=", "=", "x*", "prefix", "wildcard"]),
    st.sampled_from(["equals-ignore-case", True, False, None, 0.5, -0.0, 1e20, 2**53 + 1, 10**400]),
    st.integers(-3, 3),
)
_TREES = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=3)),
    max_leaves=12,
)
_EXPRESSIONS = st.dictionaries(_KEYS, _TREES, min_size=1, max_size=2)
_MATCH_VALUES = st.lists(st.one_of(_LEAVES, _EXPRESSIONS), min_size=1, max_size=3)
_FIELDS = st.one_of(_MATCH_VALUES, st.dictionaries(_KEYS, _MATCH_VALUES, min_size=1, max_size=2), _TREES)
_ODD_PATTERNS = st.dictionaries(_KEYS, _FIELDS, min_size=1, max_size=4)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(patterns(), _ODD_PATTERNS))
def test_a_dict_compiles_as_its_json_text_does(pattern: dict[str, Any]) -> None:
    assert _outcome(_compiled, pattern) == _outcome(_compiled, json.dumps(pattern))


@settings(max_examples=500, deadline=None)
@given(_ODD_PATTERNS)
def test_a_dict_compiles_as_its_from_python_reading_does(pattern: dict[str, Any]) -> None:
    assert _outcome(_compiled, pattern) == _outcome(_converted, pattern)


class _Operator(enum.StrEnum):
    PREFIX = "prefix"


class _Text(str):
    pass


class _Count(enum.IntEnum):
    ONE = 1


def _cyclic() -> dict[str, Any]:
    pattern: dict[str, Any] = {}
    pattern["a"] = pattern
    return pattern


def _deep(depth: int) -> dict[str, Any]:
    pattern: dict[str, Any] = {"x": ["leaf"]}
    for _ in range(depth):
        pattern = {"a": pattern}
    return pattern


# What a plain pattern may hold that JSON values have no exact counterpart for.
ODDITIES = [
    {"a": ("x", "y")},
    {"a": [("x",)]},
    {"$or": ({"a": ["x"]}, {"b": ["y"]})},
    {"a": [float("nan")]},
    {"a": [{"numeric": [">", float("inf")]}]},
    {"a": [{"anything-but": [1, float("-inf")]}]},
    {1: ["x"]},
    {"a": {2: ["x"]}},
    {_Text("a"): ["x"]},
    {"a": [{_Operator.PREFIX: "x"}]},
    {"a": [{"prefix": {_Text("equals-ignore-case"): "x"}}]},
    {"a": [{"anything-but": {_Operator.PREFIX: "x"}}]},
    {"a": [_Text("x")]},
    {"a": [{"prefix": _Text("x")}]},
    {"a": [{"numeric": [_Text(">"), 1]}]},
    {"a": [{"anything-but": [_Text("x")]}]},
    {"a": [_Count.ONE]},
    {"a": [{"numeric": [">", _Count.ONE]}]},
    {"a": OrderedDict(b=["x"])},
    {"a": [OrderedDict(prefix="x")]},
    {"a": [b"x"]},
    {"a": "x", "b": {1: ["y"]}},
    {"a": [{"prefix": 5}], "b": [float("nan")]},
    {"a": [True, 1, 1.0, 0, False, -0.0, 10**20, 2**53 + 1]},
    {"": {"": ["x"]}, "b": {"": {"c": ["y"]}}},
    {"$or": [{"a": ["x"]}]},
    {"$or": [{"prefix": ["x"]}, {"b": ["y"]}]},
    {f"k{index}": ["v"] for index in range(300)},
    _cyclic(),
    _deep(100),
]


@pytest.mark.parametrize("pattern", ODDITIES, ids=range(len(ODDITIES)))
def test_an_odd_dict_compiles_as_its_from_python_reading_does(pattern: dict[Any, Any]) -> None:
    try:
        expected = _outcome(_converted, pattern)
    except RecursionError:
        expected = ("InvalidPatternError", "pattern is too deeply nested", "")
    assert _outcome(_compiled, pattern) == expected


def test_literals_shared_between_patterns_stay_apart() -> None:
    # Exact and Cidr tests are cached by literal: an IP address string is still an address.
    assert compile_pattern({"a": ["10.0.0.1", "x"]}).matches({"a": "10.000.0.1"})
    assert not compile_pattern({"a": ["10.0.0.1", "x"]}).matches({"a": "10.0.0.2"})
    assert compile_pattern({"a": [5]}).rule == compile_pattern('{"a":[5.0]}').rule


def test_json_text_with_a_byte_order_mark_is_refused_as_json_loads_does() -> None:
    with pytest.raises(InvalidPatternError) as caught:
        compile_pattern('\ufeff{"a":["x"]}')
    assert caught.value.reason == "Unexpected UTF-8 BOM (decode using utf-8-sig) at line 1, column 1"
