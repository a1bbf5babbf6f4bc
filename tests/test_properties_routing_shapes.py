"""Property tests on routing-shaped rule sets: the shapes the fast paths of the plain walk take.

Random rule sets (``test_properties``) seldom give every rule the same exact-valued paths, so
they seldom make the chains a root step is looked up by (``eventmatch.compiled``), nor a field
with one or two simple tests that become checks (``eventmatch.matchers.checks``). Here every
rule pins ``source``, ``detail-type`` and ``detail.tenant`` to words, as routing rules do, and
may add one test of any operator on ``detail.status``; events carry single words, lists of
words (a chain step with several leaves) or nothing at those paths.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from .profiles import examples
from .strategies import matchers, scalars
from .test_properties import machine_of, reference_names

SOURCES = ["s1", "s2"]
TYPES = ["t1", "t2"]
TENANTS = ["n1", "n2", "n3"]


@st.composite
def routing_rule(draw: st.DrawFn) -> dict[str, Any]:
    detail: dict[str, Any] = {"tenant": draw(st.lists(st.sampled_from(TENANTS), min_size=1, max_size=2))}
    if draw(st.booleans()):
        detail["status"] = draw(st.lists(matchers, min_size=1, max_size=2))
    return {
        "source": draw(st.lists(st.sampled_from(SOURCES), min_size=1, max_size=2)),
        "detail-type": [draw(st.sampled_from(TYPES))],
        "detail": detail,
    }


def _leaf(words: list[str]) -> st.SearchStrategy[Any]:
    """A field's value in an event: one word, a list of words (maybe nested), or none."""
    word = st.sampled_from(words)
    return st.one_of(word, word, st.lists(word, max_size=3), st.lists(st.lists(word, max_size=2), max_size=2))


@st.composite
def routing_event(draw: st.DrawFn) -> dict[str, Any]:
    event: dict[str, Any] = {}
    detail: dict[str, Any] = {}
    for holder, key, words in (
        (event, "source", SOURCES),
        (event, "detail-type", TYPES),
        (detail, "tenant", TENANTS),
    ):
        if draw(st.integers(0, 5)):
            holder[key] = draw(_leaf(words))
    if draw(st.booleans()):
        detail["status"] = draw(st.one_of(scalars, st.lists(scalars, max_size=3)))
    event["detail"] = detail
    return event


routing_rules = st.lists(
    st.tuples(st.sampled_from([f"r{i}" for i in range(30)]), routing_rule()), min_size=1, max_size=60
)


@settings(max_examples=examples(1500))
@given(rules=routing_rules, batch=st.lists(routing_event(), min_size=1, max_size=5))
def test_routing_shaped_rule_sets_match_the_reference(
    rules: list[tuple[str, dict[str, Any]]], batch: list[dict[str, Any]]
) -> None:
    machine = machine_of(rules)
    for event in batch:
        expected = reference_names(rules, event)
        assert machine.match(event) == expected
        assert machine.match(json.dumps(event)) == expected
