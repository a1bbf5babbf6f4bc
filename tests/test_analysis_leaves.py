"""The leaf search under the analysis: string automata and find_leaf against the reference's ``passes``."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import eventmatch
from eventmatch.analysis.addresses import address_texts, remaining_addresses
from eventmatch.analysis.budget import Budget, Unknown
from eventmatch.analysis.leaves import find_leaf, fits
from eventmatch.analysis.numbers import between, candidates, number_text
from eventmatch.analysis.strings import automaton
from eventmatch.events import leaf_key
from eventmatch.ipaddr import parse_cidr
from eventmatch.ir import Cidr, Key, Test
from eventmatch.number_model import NumberLiteral, comparable_value
from eventmatch.reference import passes

from .strategies import WORDS, matchers, scalars

# Strings over the characters the strategies' operands use, plus a quote (the affix tests' quirk).
_CHARS = sorted({char for word in WORDS for char in word} | set('"*\\SsKk.') | {"\u212a"})
strings = st.text(st.sampled_from(_CHARS), max_size=8) | st.sampled_from(WORDS)
leaves = st.one_of(scalars, strings, st.sampled_from([NumberLiteral("1e400"), 0.75, -100, 3]))


def _tests(matcher: Any) -> tuple[Test, ...]:
    return eventmatch.compile_pattern({"a": [matcher]}).rule[0][0].tests


def _key(value: Any) -> Key:
    key = leaf_key(value)
    assert key is not None
    return key


test_lists = st.lists(matchers.map(_tests), max_size=3).map(
    lambda lists: [t for tests in lists for t in tests]
)


@settings(max_examples=1500)
@given(matcher=matchers, text=strings)
def test_a_string_automaton_accepts_what_the_test_passes(matcher: Any, text: str) -> None:
    for test in _tests(matcher):
        machine = automaton(test)
        if machine is None:
            continue
        states = machine.start()
        for char in text:
            states = machine.step(states, char)
        assert machine.accepts(states) == passes(test, text), (test, text)
        if machine.settled(states):
            assert all(passes(test, text + more) for more in ("", "x", '"', "ab"))


@settings(max_examples=1500)
@given(must=test_lists, avoid=test_lists, probes=st.lists(leaves, max_size=20))
def test_find_leaf_finds_a_fitting_leaf_or_proves_there_is_none(
    must: list[Test], avoid: list[Test], probes: list[Any]
) -> None:
    try:
        found = find_leaf(must, avoid, Budget())
    except Unknown:
        return
    if found is not None:
        assert fits(found, must, avoid)
    else:
        assert not any(fits(_key(probe), must, avoid) for probe in probes)


def test_find_leaf_proves_there_is_none() -> None:
    def tests(*matchers: Any) -> list[Test]:
        return [test for matcher in matchers for test in _tests(matcher)]

    budget = Budget()
    # Everything that begins with "ab" begins with "a"; wildcards against wildcards.
    assert find_leaf(tests({"prefix": "ab"}), tests({"prefix": "a"}), budget) is None
    assert find_leaf(tests({"wildcard": "a*b*c"}), tests({"wildcard": "a*c"}), budget) is None
    assert find_leaf(tests({"wildcard": "a*c"}), tests({"wildcard": "a*b*c"}), budget) == "ac"
    # "STRASSE" and "strasse" take the same strings; "straße" takes one "STRASSE" does not.
    assert (
        find_leaf(tests({"equals-ignore-case": "STRASSE"}), tests({"equals-ignore-case": "strasse"}), budget)
        is None
    )
    found = find_leaf(
        tests({"equals-ignore-case": "straße"}), tests({"equals-ignore-case": "STRASSE"}), budget
    )
    assert isinstance(found, str) and "ß" in found
    # Every leaf passes one of these: anything but "x", or "x".
    assert find_leaf([], tests({"anything-but": "x"}, "x"), budget) is None
    assert find_leaf([], tests({"anything-but": {"prefix": "a"}}, {"prefix": "a"}), budget) is None
    # No double between 1 and the next one.
    assert find_leaf(tests({"numeric": [">", 1, "<", 1.0000000000000002]}), [], budget) is None
    assert find_leaf(tests({"cidr": "10.0.0.0/24"}), tests({"cidr": "10.0.0.0/8"}), budget) is None


def test_a_huge_product_is_unknown_not_guessed() -> None:
    must = [test for index in range(8) for test in _tests({"wildcard": f"*a{'ab' * index}*c{index}*"})]
    with pytest.raises(Unknown):
        find_leaf(must, _tests({"wildcard": "*x*y*z*"}), Budget(200))


@settings(max_examples=300)
@given(
    points=st.lists(
        st.sampled_from([-1e300, -5.5, -0.0, 0.0, 1.0, 1.0000000000000002, 5e-324, 7.0, 1e20]), max_size=5
    )
)
def test_number_candidates_stand_for_every_gap(points: list[float]) -> None:
    ordered = sorted({point + 0.0 for point in points})
    found = list(candidates(ordered))
    for low, high in zip([-math.inf, *ordered], [*ordered, math.inf], strict=True):
        inside = between(low, high)
        if inside is None:
            assert math.nextafter(low, math.inf) >= high
        else:
            assert low < inside < high and inside in found
    for value in found:
        assert comparable_value(number_text(value)) == value


def test_cidr_blocks_meet_across_families() -> None:
    v4, v6 = parse_cidr("10.0.0.0/8"), parse_cidr("::/1")
    remaining = remaining_addresses([v4], [])
    texts = list(address_texts(remaining))
    assert texts and all(passes(Cidr(v4), text) for text in texts)
    assert any(":" in text for text in texts)  # IPv6 addresses whose first 32 bits are inside
    inside_both = remaining_addresses([v4, v6], [])
    assert all(passes(Cidr(v4), text) and passes(Cidr(v6), text) for text in address_texts(inside_both))
